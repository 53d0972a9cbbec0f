"""One glossary entry: title, summary, the Markdown body and its related terms.

The links in the body can be followed from the keyboard: with the entry
focused, Tab and shift+Tab move between them (the chosen one is drawn
bold, as `▸ term`) and Enter follows it. Tab past the
last link goes on to the related terms, shift+Tab before the first to the
pane before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock
from textual.geometry import Region
from textual.widgets.option_list import Option

from ...content import Content, Entry

_GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")
#: an inline Markdown link (not an image): [text](target)
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\(([^()\s]+)\)")
#: marks the chosen link in the body (also how the view finds the block to scroll to)
CHOSEN_MARK = "▸ "


class RelatedList(OptionList):
    """The related terms, as tall as they are (the entry is the one thing that
    scrolls): moving the highlight scrolls the entry to keep it in view."""

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        highlighted, view = self.highlighted, self.parent
        if highlighted is None or not isinstance(view, VerticalScroll) or not self.is_mounted:
            return
        self._update_lines()
        try:  # the same private maps OptionList's own scroll_to_highlight reads (textual 8.2)
            y, height = self._index_to_line[highlighted], self._heights[highlighted]
        except (AttributeError, KeyError):
            return
        top_y = self.virtual_region.y + self.gutter.top + y
        if highlighted == 0:  # the first term: keep the list's title (its top border) in view with it
            height, top_y = height + top_y - self.virtual_region.y, self.virtual_region.y
        view.scroll_to_region(Region(0, top_y, 1, height), animate=False, immediate=True)


class EntryView(VerticalScroll):
    """Shows an entry. Posts `LinkFollowed` when a related term or a link is chosen."""

    BINDINGS = [
        Binding("tab", "next_link", "Next link", show=False),
        Binding("shift+tab", "previous_link", "Previous link", show=False),
        Binding("enter", "follow_link", "Follow link", show=False),
    ]

    @dataclass
    class LinkFollowed(Message):
        entry_id: str

    def __init__(self, content: Content, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = content
        self.entry: Entry | None = None
        self._body = ""
        #: (start, end, text, href) of each followable link in `_body`, in reading order
        self._links: list[tuple[int, int, str, str]] = []
        #: which of `_links` Tab has chosen (None: none)
        self.link_index: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="entry-title")
        yield Static(id="entry-summary")
        yield Markdown(id="entry-body", open_links=False)
        related = RelatedList(id="related")
        # the title is the list's top border: focusing the list shows it, not just the terms
        related.border_title = "Related terms  (Enter opens one)"
        yield related
        yield Static(id="entry-footer")

    def show(self, entry: Entry) -> None:
        self.entry = entry
        title = Text(entry.term, style="bold")
        title.append(f"   {entry.category_title}", style="dim")
        if entry.pronunciation:
            title.append(f"   {entry.pronunciation}", style="italic")
        self.query_one("#entry-title", Static).update(title)
        self.query_one("#entry-summary", Static).update(Text(entry.summary, style="italic"))
        # glossary:ID links become #ID anchors so Markdown renders them as links.
        self._body = _GLOSSARY_LINK.sub(r"](#glossary:\1)", entry.body)
        self._links = [
            (m.start(), m.end(), m.group(1), m.group(2))
            for m in _LINK.finditer(self._body)
            if m.group(2).startswith(("#glossary:", "http://", "https://"))
        ]
        self.link_index = None
        self.query_one("#entry-body", Markdown).update(self._body)
        related = self.query_one("#related", OptionList)
        options = []
        for rid in entry.related:
            other = self._content.entries.get(rid)
            if other:
                label = Text("→ ", style="bold")
                label.append(other.term)
                label.append(f"  {other.summary}", style="dim")
                options.append(Option(label, id=rid))
        related.set_options(options)
        footer = []
        if entry.aliases:
            footer.append("Also called: " + ", ".join(entry.aliases))
        if entry.simulation:
            footer.append(f"Simulation: {entry.simulation}  (press t to try it)")
        if entry.sources:
            footer.append("Sources:\n" + "\n".join(f"  • {s}" for s in entry.sources))
        self.query_one("#entry-footer", Static).update(Text("\n".join(footer), style="dim"))
        self.scroll_home(animate=False)

    # ----- links from the keyboard ---------------------------------------------
    @property
    def link_targets(self) -> list[str]:
        """The target of each followable link in the body, in reading order."""
        return [href.lstrip("#") for *_, href in self._links]

    def _own_key(self) -> None:
        """The link keys are the entry's own, not those of the related list inside it."""
        if self.screen.focused is not self:
            raise SkipAction()

    async def action_next_link(self) -> None:
        self._own_key()
        index = 0 if self.link_index is None else self.link_index + 1
        if index >= len(self._links):
            self.screen.focus_next()  # on to the related terms (the blur clears the choice)
        else:
            await self._choose(index)

    async def action_previous_link(self) -> None:
        self._own_key()
        if self.link_index is None or self.link_index == 0:
            self.screen.focus_previous()
        else:
            await self._choose(self.link_index - 1)

    def action_follow_link(self) -> None:
        self._own_key()
        if self.link_index is not None:
            self._follow(self._links[self.link_index][3])

    async def _on_blur(self, event: events.Blur) -> None:
        await self._choose(None)

    async def _choose(self, index: int | None) -> None:
        if index == self.link_index:
            return
        self.link_index = index
        body = self._body
        if index is not None:
            start, end, text, href = self._links[index]
            body = f"{body[:start]}[**{CHOSEN_MARK}{text}**]({href}){body[end:]}"  # bold, with a marker
        await self.query_one("#entry-body", Markdown).update(body)
        if index is not None:
            self._scroll_to_chosen()

    def _scroll_to_chosen(self) -> None:
        blocks = [b for b in self.query(MarkdownBlock) if CHOSEN_MARK in (b.source or "")]
        if blocks:
            blocks[-1].scroll_visible(animate=False)  # the innermost block holding it

    # ----- links and related terms chosen ---------------------------------
    def _follow(self, href: str) -> None:
        href = href.lstrip("#")
        if href.startswith("glossary:"):
            self.post_message(self.LinkFollowed(href.removeprefix("glossary:")))
        elif href.startswith(("http://", "https://")):
            self.app.open_url(href)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self._follow(event.href)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.LinkFollowed(event.option.id))

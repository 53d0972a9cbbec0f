"""One glossary entry: title, summary, the Markdown body and its related terms.

The links in the body can be followed from the keyboard: with the entry
focused, Tab and shift+Tab move between them (the chosen one is drawn
bold, as `▸ term`) and Enter follows it. Tab past the
last link goes on to the related terms, shift+Tab before the first to the
pane before.

Speed: each entry's body is a Markdown widget of its own (a "page") inside
`#entry-body`, kept after it was shown (the last `PAGES` entries) and
built ahead for the entries next to it in the list (`prefetch`), so
switching to it only swaps which page is displayed (mounting an entry's 40-70
Markdown blocks was most of the 0.2-1.1 s a switch took). The title, summary,
body, related terms and footer change together, in one update, once the new
body is ready: the new title never stands over the old entry's text.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock
from textual.geometry import Region
from textual.widgets.option_list import Option

from ...content import Content, Entry
from .._private import markdown_list_classes, take_blocks

_GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")
#: an inline Markdown link (not an image): [text](target)
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\(([^()\s]+)\)")
#: marks the chosen link in the body (also how the view finds the block to scroll to)
CHOSEN_MARK = "▸ "
#: how many entries' bodies are kept built (the shown one, the ones next to it, the last few read)
PAGES = 8

MarkdownBullet, MarkdownBulletList, MarkdownListItem = markdown_list_classes()


def entry_markdown(entry: Entry) -> str:
    """The body as the view renders it: glossary:ID links become #glossary:ID
    anchors, so Markdown draws them as links."""
    return _GLOSSARY_LINK.sub(r"](#glossary:\1)", entry.body)


class FlatBulletList(MarkdownBulletList):
    """A bullet list whose one-block items are the bullet and the block side by
    side, without Textual's column around the block: three widgets an item
    instead of four, and one level less to lay out. It looks the same; an
    entry switch at 160x48 took 47-79 ms with it and 79-98 ms without
    (benchmarks/README.md)."""

    def compose(self) -> ComposeResult:
        for item in take_blocks(self):
            if isinstance(item, MarkdownListItem):
                bullet = MarkdownBullet()
                bullet.symbol = item.bullet
                inner = take_blocks(item)
                yield Horizontal(bullet, inner[0] if len(inner) == 1 else Vertical(*inner))


class EntryPage(Markdown):
    """One entry's body (a page of EntryView), with flat bullet lists."""

    BLOCKS = {**Markdown.BLOCKS, "bullet_list_open": FlatBulletList}


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

    DEFAULT_CSS = """
    EntryView #entry-body {
        height: auto;
    }
    EntryView #entry-body > Markdown {
        margin: 0;
        padding: 0;
    }
    """

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
        #: the entry shown (title and body); None before the first is ready
        self.entry: Entry | None = None
        #: the entry asked for last (shown as soon as its body is ready)
        self.wanted: Entry | None = None
        self._body = ""
        #: (start, end, text, href) of each followable link in `_body`, in reading order
        self._links: list[tuple[int, int, str, str]] = []
        #: which of `_links` Tab has chosen (None: none)
        self.link_index: int | None = None
        #: entry id -> its body's Markdown page, least recently used first
        self._pages: OrderedDict[str, Markdown] = OrderedDict()
        #: the pages whose Markdown is rendered (mounted blocks)
        self._rendered: set[str] = set()
        #: neighbours to build once the entry asked for is on screen
        self._deferred: list[str] = []
        # the parts, kept rather than queried at each switch: a query walks the
        # pages kept built too, several hundred widgets
        self._title_part = Static(id="entry-title")
        self._summary_part = Static(id="entry-summary")
        self._pages_box = Vertical(id="entry-body")
        self._related = RelatedList(id="related")
        # the title is the list's top border: focusing the list shows it, not just the terms
        self._related.border_title = "Related terms  (Enter opens one)"
        self._footer_part = Static(id="entry-footer")

    def compose(self) -> ComposeResult:
        yield self._title_part
        yield self._summary_part
        yield self._pages_box
        yield self._related
        yield self._footer_part

    @property
    def body(self) -> Markdown | None:
        """The Markdown page of the entry shown."""
        return self._pages.get(self.entry.id) if self.entry is not None else None

    def show(self, entry: Entry) -> None:
        """Show `entry`: at once when its body is built, else as soon as it is
        (a newer `show` before then wins; the skipped bodies stay built)."""
        self.wanted = entry
        if entry.id in self._rendered:
            self._swap(entry, self._pages[entry.id])
        else:
            self._build_page(entry.id)

    def prefetch(self, entry_ids: list[str]) -> None:
        """Build the bodies of `entry_ids`, hidden, so showing them later is
        instant; after the entry asked for is on screen if it is not yet."""
        todo = [e for e in entry_ids if e in self._content.entries and e not in self._pages]
        if self.wanted is not None and self.wanted is not self.entry:
            self._deferred = todo
            return
        for entry_id in todo:
            self._build_page(entry_id)

    def _build_page(self, entry_id: str) -> None:
        """Mount the entry's page, hidden; it renders its Markdown on mount and
        then reports (`on_markdown_table_of_contents_updated`)."""
        if entry_id in self._pages:
            self._pages.move_to_end(entry_id)
            return
        box = self._pages_box
        if not box.is_attached or box._closing or box._pruning:
            return  # the screen is closing (a building ahead asked for just before): nothing to mount into
        page = EntryPage(entry_markdown(self._content.entries[entry_id]), open_links=False, classes="entry-page")
        page.display = False
        self._pages[entry_id] = page
        box.mount(page)

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        entry_id = next((k for k, v in self._pages.items() if v is event.markdown), None)
        if entry_id is None or entry_id in self._rendered:
            return  # a page shown again after a link was chosen in it, or one already dropped
        self._rendered.add(entry_id)
        wanted = self.wanted
        if wanted is not None and wanted.id == entry_id and wanted is not self.entry:
            self._swap(wanted, event.markdown)
        self._forget_old()

    def _forget_old(self) -> None:
        keep = {e.id for e in (self.entry, self.wanted) if e is not None}
        while len(self._pages) > PAGES:
            old = next((k for k in self._pages if k not in keep and k in self._rendered), None)
            if old is None:
                return
            self._rendered.discard(old)
            self._pages.pop(old).remove()

    def _swap(self, entry: Entry, page: Markdown) -> None:
        """Everything of the entry on screen at once: title, summary, body, related terms, footer."""
        previous = self.body
        if previous is not None and previous is not page and self.link_index is not None:
            previous.update(self._body)  # its plain body again, without the chosen link's mark
        self.entry = entry
        self._pages.move_to_end(entry.id)
        title = Text(entry.term, style="bold")
        title.append(f"   {entry.category_title}", style="dim")
        if entry.pronunciation:
            title.append(f"   {entry.pronunciation}", style="italic")
        self._body = entry_markdown(entry)
        self._links = [
            (m.start(), m.end(), m.group(1), m.group(2))
            for m in _LINK.finditer(self._body)
            if m.group(2).startswith(("#glossary:", "http://", "https://"))
        ]
        self.link_index = None
        options = []
        for rid in entry.related:
            other = self._content.entries.get(rid)
            if other:
                label = Text("→ ", style="bold")
                label.append(other.term)
                label.append(f"  {other.summary}", style="dim")
                options.append(Option(label, id=rid))
        footer = []
        if entry.aliases:
            footer.append("Also called: " + ", ".join(entry.aliases))
        if entry.simulation:
            footer.append(f"Simulation: {entry.simulation}  (press t to try it)")
        if entry.sources:
            footer.append("Sources:\n" + "\n".join(f"  • {s}" for s in entry.sources))
        with self.app.batch_update():
            if previous is not None and previous is not page:
                previous.display = False
            page.display = True
            self._title_part.update(title)
            self._summary_part.update(Text(entry.summary, style="italic"))
            self._related.set_options(options)
            self._footer_part.update(Text("\n".join(footer), style="dim"))
            self.scroll_home(animate=False)
        if self._deferred:
            deferred, self._deferred = self._deferred, []
            self.call_after_refresh(self.prefetch, deferred)

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
        page = self.body
        if page is None:
            return
        await page.update(body)
        if index is not None:
            self._scroll_to_chosen()

    def _scroll_to_chosen(self) -> None:
        page = self.body
        blocks = [b for b in page.query(MarkdownBlock) if CHOSEN_MARK in (b.source or "")] if page else []
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

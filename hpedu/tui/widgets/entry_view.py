"""One glossary entry: title, summary, the Markdown body and its related terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...content import Content, Entry

_GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")


class EntryView(VerticalScroll):
    """Shows an entry. Posts `LinkFollowed` when a related term or a link is chosen."""

    @dataclass
    class LinkFollowed(Message):
        entry_id: str

    def __init__(self, content: Content, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = content
        self.entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="entry-title")
        yield Static(id="entry-summary")
        yield Markdown(id="entry-body", open_links=False)
        yield Static("Related terms  (Enter opens one)", id="related-title", classes="section-title")
        yield OptionList(id="related")
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
        body = _GLOSSARY_LINK.sub(r"](#glossary:\1)", entry.body)
        self.query_one("#entry-body", Markdown).update(body)
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

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href.lstrip("#")
        if href.startswith("glossary:"):
            self.post_message(self.LinkFollowed(href.removeprefix("glossary:")))
        elif href.startswith(("http://", "https://")):
            self.app.open_url(href)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.LinkFollowed(event.option.id))

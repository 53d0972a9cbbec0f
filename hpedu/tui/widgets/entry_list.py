"""The list of glossary terms, grouped by category or ranked by a search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...content import CATEGORIES, Entry, search
from ...content.model import CATEGORY_TITLES


class EntryList(OptionList):
    """Terms to choose from. Posts `EntryHighlighted` and `EntrySelected`.

    With `on_highlight`, a moved highlight calls it at once instead of posting
    `EntryHighlighted`: the entry then changes in the same frame as the
    highlight (a message is handled after the next frame is painted, which
    made every Down wait for one more frame, about 17-25 ms).
    """

    @dataclass
    class EntryHighlighted(Message):
        entry_id: str

    @dataclass
    class EntrySelected(Message):
        entry_id: str

    def __init__(self, entries: dict[str, Entry], on_highlight: Callable[[str], None] | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._entries = entries
        self._on_highlight = on_highlight
        self._quiet = False
        self.query_text = ""
        self.category: str | None = None
        self.shown_ids: list[str] = []

    def on_mount(self) -> None:
        self.refilter()

    def refilter(self, query: str | None = None, category: str | None | type(...) = ...) -> None:
        """Show the entries matching `query` (ranked) within `category` (or all)."""
        if query is not None:
            self.query_text = query
        if category is not ...:
            self.category = category
        pool = [e for e in self._entries.values() if self.category in (None, e.category)]
        options: list[Option | None] = []
        ids: list[str] = []
        if self.query_text.strip():
            for m in search(pool, self.query_text, limit=None):
                label = Text(m.entry.term)
                if m.via not in (m.entry.term, "text"):
                    label.append(f"  ({m.via})", style="dim")
                options.append(Option(label, id=m.entry.id))
                ids.append(m.entry.id)
            if not ids:
                options.append(Option(Text("No match. Esc clears the search.", style="italic"), disabled=True))
        else:
            for cat in CATEGORIES:
                group = sorted((e for e in pool if e.category == cat), key=lambda e: e.term.lower())
                if not group:
                    continue
                options.append(Option(Text(f"── {CATEGORY_TITLES[cat]} ──", style="bold"), disabled=True))
                for e in group:
                    options.append(Option(Text(e.term), id=e.id))
                    ids.append(e.id)
        self.shown_ids = ids
        self.set_options(options)
        if ids:
            self.highlight_entry(ids[0], quiet=True)

    def highlight_entry(self, entry_id: str, quiet: bool = False) -> None:
        for index, option in enumerate(self.options):
            if option.id == entry_id:
                self._quiet = quiet
                try:
                    with self.prevent(OptionList.OptionHighlighted) if quiet else _null():
                        self.highlighted = index
                finally:
                    self._quiet = False
                return

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self._on_highlight is None or self._quiet or highlighted is None:
            return
        option = self.options[highlighted]
        if option.id and not option.disabled:
            self._on_highlight(option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and self._on_highlight is None:
            self.post_message(self.EntryHighlighted(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.EntrySelected(event.option.id))


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None

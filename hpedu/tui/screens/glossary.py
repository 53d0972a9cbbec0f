"""The glossary: search and browse terms, read entries, follow related terms."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from ...content import CATEGORIES, Content
from ...content.model import CATEGORY_TITLES
from ...content.search import MAX_QUERY_LENGTH
from ..widgets.footer import KeyFooter
from ..widgets.entry_list import EntryList
from ..widgets.entry_view import EntryView
from ..widgets.status import StatusBar

#: seconds after an entry is shown before its neighbours in the list are built:
#: the entry is drawn by then (one frame), and a key held down (30 a second)
#: builds only the entry it stops on. At 0.3 s, a learner going down the list
#: at a few keys a second always found the next entry unbuilt (about 170 ms a
#: switch at 160x48 instead of 60-90)
PREFETCH_DELAY = 0.1


class GlossaryScreen(Screen):
    """Terms on the left, the chosen entry on the right, history like a browser."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("escape", "escape", "Clear/Home", show=False),
        Binding("b,alt+left", "back", "Back"),
        Binding("f,alt+right", "forward", "Forward", show=False),
        Binding("k", "cycle_category", "Category"),  # c is Code elsewhere
        Binding("w", "focus_related", "Related"),  # r is Run again/Reset elsewhere
        Binding("t", "try_it", "Try it"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, content: Content, entry_id: str | None = None) -> None:
        super().__init__()
        self.content = content
        self.history: list[str] = []
        self.position = -1
        self._initial = entry_id
        self._prefetch_timer: Timer | None = None
        # kept, not queried: a query walks every widget of the screen, and the
        # entry pages kept built make that several hundred (5-10 ms a switch)
        self._entry_list = EntryList(self.content.entries, on_highlight=self._list_highlighted, id="entry-list")
        self._entry_view = EntryView(self.content, id="entry-view")

    def compose(self) -> ComposeResult:
        with Horizontal(id="glossary-body"):
            with Vertical(id="glossary-side"):
                yield Input(placeholder="Search terms (typos ok)", id="glossary-search", max_length=MAX_QUERY_LENGTH)
                yield Static(id="glossary-filter")
                yield self._entry_list
            yield self._entry_view
        yield StatusBar(self.content)
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 64, "-narrow")

    def on_mount(self) -> None:
        self._update_filter_label()
        entries = self._entry_list
        first = self._initial or (entries.shown_ids[0] if entries.shown_ids else None)
        if first:
            self.open_entry(first, read=self._initial is not None)  # the list's first entry is not chosen
        entries.focus()

    # ----- navigation ------------------------------------------------------
    @property
    def current_id(self) -> str | None:
        return self.history[self.position] if 0 <= self.position < len(self.history) else None

    def open_entry(self, entry_id: str, record: bool = True, read: bool = True) -> None:
        """Show an entry; `read`: it was chosen (not passed over by the list's
        highlight), so the learning path counts it as read."""
        entry = self.content.entries.get(entry_id)
        if entry is None:
            self.notify(f"No entry with id {entry_id!r}.", severity="warning")
            return
        if not self._entry_view.is_mounted:  # pushed a moment ago and not composed yet: on_mount opens it
            self._initial = entry_id
            return
        if record and entry_id != self.current_id:
            del self.history[self.position + 1 :]
            self.history.append(entry_id)
            self.position = len(self.history) - 1
        self._entry_view.show(entry)
        self._entry_list.highlight_entry(entry_id, quiet=True)
        self.sub_title = entry.term
        if read and hasattr(self.app, "mark_done"):
            self.app.mark_done("read", entry_id)
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch_around)

    def _prefetch_around(self) -> None:
        """Build the bodies of the entries before and after the current one in
        the list, so Up / Down show them at once (see EntryView)."""
        self._prefetch_timer = None
        ids = self._entry_list.shown_ids
        if self.current_id in ids:
            i = ids.index(self.current_id)
            self._entry_view.prefetch([ids[j] for j in (i + 1, i - 1) if 0 <= j < len(ids)])

    def action_back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.open_entry(self.history[self.position], record=False)
        else:
            self.notify("Nothing further back.", timeout=2)

    def action_forward(self) -> None:
        if self.position < len(self.history) - 1:
            self.position += 1
            self.open_entry(self.history[self.position], record=False)
        else:
            self.notify("Nothing further forward.", timeout=2)

    # ----- search and filter -------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#glossary-search", Input).focus()

    def focus_search_if_active(self) -> None:
        """Focus the search box, unless another screen came on top in the meantime."""
        if self.app.screen is self:
            self.action_focus_search()

    def action_escape(self) -> None:
        search = self.query_one("#glossary-search", Input)
        if search.value:
            search.value = ""
            self._entry_list.focus()
        elif self.focused is search:
            self._entry_list.focus()
        else:
            if self.app.screen is self and len(self.app.screen_stack) > 1:
                self.app.pop_screen()

    @on(Input.Changed, "#glossary-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._entry_list.refilter(event.value)
        self._update_filter_label()

    @on(Input.Submitted, "#glossary-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        entries = self._entry_list
        if entries.shown_ids:
            self.open_entry(entries.shown_ids[0])
            entries.focus()

    def action_cycle_category(self) -> None:
        entries = self._entry_list
        order: list[str | None] = [None, *CATEGORIES]
        entries.refilter(category=order[(order.index(entries.category) + 1) % len(order)])
        self._update_filter_label()

    def _update_filter_label(self) -> None:
        entries = self._entry_list
        cat = CATEGORY_TITLES.get(entries.category or "", "All categories")
        n = len(entries.shown_ids)
        self.query_one("#glossary-filter", Static).update(f"{cat} · {n} term{'s' if n != 1 else ''}")

    # ----- entry events ---------------------------------------------------
    def _list_highlighted(self, entry_id: str) -> None:
        """The list's highlight moved (called at once, see EntryList)."""
        if entry_id != self.current_id:
            self.open_entry(entry_id, read=False)  # passing over it with the highlight is not reading it

    @on(EntryList.EntrySelected)
    def _selected(self, event: EntryList.EntrySelected) -> None:
        self.open_entry(event.entry_id)
        self._entry_view.focus()

    @on(EntryView.LinkFollowed)
    def _follow(self, event: EntryView.LinkFollowed) -> None:
        self.open_entry(event.entry_id)

    def action_focus_related(self) -> None:
        related = self.query_one("#related", OptionList)
        related.focus()
        related.scroll_visible()
        if related.option_count and related.highlighted is None:
            related.highlighted = 0

    def action_try_it(self) -> None:
        entry = self.content.entries.get(self.current_id or "")
        if entry is None:
            return
        if not entry.simulation:
            self.notify(f"'{entry.term}' has no simulation yet.", timeout=3)
            return
        open_preset = getattr(self.app, "open_preset", None)
        if open_preset is None:
            self.notify("The simulator is not available in this version.", severity="warning")
        else:
            open_preset(entry.simulation)

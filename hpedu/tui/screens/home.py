"""The first screen: what hpedu is, where to start, and the keys.

The path column shows the learner's progress ("7/34 · about 2 h 52 min left",
hpedu/path_progress.py), a Continue line that opens the first step not done
yet (c or a click), and the path itself with the first step not done
highlighted. A teacher pack's title heads the welcome text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual import events
from textual.screen import Screen
from rich.text import Text
from textual.widgets import Markdown, Static

from ...content import Content
from ...content.text import printable
from ..widgets.footer import KeyFooter
from ..widgets.path_list import PathList, PathScroll, PathStep
from ..widgets.status import StatusBar
from ...path_progress import PathItem, first_unfinished, summary

WELCOME = """\
# hpedu — hyperparameters, hands on

A **hyperparameter** is a setting you choose before training: a learning rate,
a tree depth, the number of neighbours. Choosing them well is a search, and
this app lets you *watch* that search happen.

- **Glossary** — every term you meet when tuning, with examples, typical
  values and common mistakes, each linked to its neighbours.
- **Simulations** — grid, random and Bayesian search spending a budget of
  trials, on toy landscapes and on real scikit-learn models.

Start with the suggested path on the right, or press **g** and search for
any term: typos and abbreviations such as `lr` are fine.

**Keys:** `g` glossary · `/` search · `?` all keys · `ctrl+p` commands · `q` quit
"""


class HomeScreen(Screen):
    # Focus lands on the path list when the screen starts (not on the welcome
    # pane first and then here: each focus change rebuilds the footer).
    AUTO_FOCUS = "#path-list"
    DEFAULT_CSS = """
    HomeScreen #pack-title {
        text-style: bold;
        color: $text-accent;
        padding: 1 1 0 1;
    }
    HomeScreen #pack-description { color: $text-muted; padding: 0 1; }
    HomeScreen #path-progress, HomeScreen #continue {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    HomeScreen #path-progress { color: $text-muted; }
    HomeScreen #continue {
        color: $text-success;
        text-style: bold;
        &:hover { background: $boost; }
    }
    """
    BINDINGS = [
        # not in the footer (at 80 columns it would push Quit out): the Continue line and ? show it
        Binding("n", "continue_path", "Continue (next on the path)", show=False),  # c is Code elsewhere
        Binding("g", "app.open_glossary", "Glossary"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("s", "app.open_simulator", "Simulator"),
        Binding("x", "app.open_exercises", "Exercises"),
    ]

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content
        self._items: "list[PathItem]" = []  # the path's steps as last read (compose, resume)

    def compose(self) -> ComposeResult:
        pack = self.content.extras.get("pack")
        items = self._path_items()
        steps = [PathStep(i.kind, i.ref, i.label, i.done) for i in items]
        with Horizontal(id="home-body"):
            with VerticalScroll(id="home-intro"):
                if pack is not None:  # a teacher pack: say which, above the welcome
                    yield Static(Text("Teacher pack: " + printable(pack.title, 200)), id="pack-title")
                    if pack.description:
                        yield Static(Text(printable(pack.description, 1000)), id="pack-description")
                yield Markdown(WELCOME, id="welcome")
            with Vertical(id="home-path"):  # the list scrolls itself; the title stays
                yield Static("Suggested path  (Enter opens)", classes="section-title")
                yield Static(id="path-progress")
                yield Static(id="continue")
                with PathScroll(id="path-scroll"):
                    yield PathList(steps, empty="Press g to open the glossary.", id="path-list")
        yield StatusBar(self.content)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_progress(self._items)
        path = self.query_one("#path-list", PathList)
        first = first_unfinished(self._items)
        if first is not None:  # where the learner left off
            path.highlighted = first

    def _path_items(self) -> "list[PathItem]":
        self._items = self.app.path_items() if hasattr(self.app, "path_items") else []
        return self._items

    def _show_progress(self, items: "list[PathItem]") -> None:
        progress = self.query_one("#path-progress", Static)
        progress.update(summary(items))
        progress.display = bool(items)  # no path (a content folder without one): no progress, no Continue
        first = first_unfinished(items)
        if not items:
            text = ""
        elif first is None:
            text = "✔ Every step done. g opens the glossary."
        else:
            text = f"▶ Continue (n): {first + 1}. {items[first].label}"
        line = self.query_one("#continue", Static)
        line.update(Text(text))
        line.display = bool(text)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 64, "-narrow")

    def on_screen_resume(self) -> None:
        # back from an exercise, an entry or a simulation: its step may be done now
        items = self._path_items()
        self.query_one("#path-list", PathList).set_steps([PathStep(i.kind, i.ref, i.label, i.done) for i in items])
        self._show_progress(items)

    def on_path_list_selected(self, event: PathList.Selected) -> None:
        self.app.open_step(event.step.kind, event.step.ref)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue_path" and not self._items:
            return False  # nothing to continue: keep the footer's room
        return True

    def action_continue_path(self) -> None:
        self.app.continue_path()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "continue":
            self.action_continue_path()

    def action_search(self) -> None:
        self.app.action_open_glossary()
        glossary = self.app._glossary_screen()
        if glossary is not None:  # focus its search once it is shown (a key may change screens before that)
            self.app.call_after_refresh(glossary.focus_search_if_active)

"""The first screen: what hpedu is, where to start, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual import events
from textual.screen import Screen
from textual.widgets import Markdown, Static

from ...content import Content
from ..widgets.footer import KeyFooter
from ..widgets.path_list import PathList, PathScroll, PathStep
from ..widgets.status import StatusBar

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
    BINDINGS = [
        Binding("g", "app.open_glossary", "Glossary"),
        Binding("slash", "search", "Search", key_display="/"),
    ]

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-body"):
            with VerticalScroll(id="home-intro"):
                yield Markdown(WELCOME, id="welcome")
            with Vertical(id="home-path"):  # the list scrolls itself; the title stays
                yield Static("Suggested path  (Enter opens)", classes="section-title")
                with PathScroll(id="path-scroll"):
                    yield PathList(self._path_steps(), empty="Press g to open the glossary.", id="path-list")
        yield StatusBar(self.content)
        yield KeyFooter()

    def _path_steps(self) -> list[PathStep]:
        steps = self.app.learning_path() if hasattr(self.app, "learning_path") else []
        return [PathStep(*step) for step in steps]

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 64, "-narrow")

    def on_screen_resume(self) -> None:
        # back from an exercise: its step may be done now
        self.query_one("#path-list", PathList).set_steps(self._path_steps())

    def on_path_list_selected(self, event: PathList.Selected) -> None:
        self.app.open_step(event.step.kind, event.step.ref)

    def action_search(self) -> None:
        self.app.action_open_glossary()
        glossary = self.app._glossary_screen()
        if glossary is not None:  # focus its search once it is shown (a key may change screens before that)
            self.app.call_after_refresh(glossary.focus_search_if_active)

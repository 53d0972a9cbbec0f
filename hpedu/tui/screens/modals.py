"""Modal screens: the key help and the list of content problems."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...content import Problem
from ...content.text import printable


class _Modal(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss_modal", "Close")]  # F1 (the app's, priority) toggles help

    def action_dismiss_modal(self) -> None:
        if self.app.screen is self:  # Screen.dismiss pops whatever is on top
            self.dismiss(None)


class HelpModal(_Modal):
    """Every key binding active on the screen underneath, and the global ones."""

    BINDINGS = [Binding("question_mark", "dismiss_modal", "Close")]  # ? again closes it, like F1

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            yield Static("Keys  (Esc, ? or F1 closes)", classes="modal-title")
            with VerticalScroll():
                for title, rows in self.sections:
                    table = Table.grid(padding=(0, 2))
                    table.add_column(style="bold", no_wrap=True)
                    table.add_column()
                    for key, desc in rows:
                        table.add_row(key, desc)
                    yield Static(Text(title, style="bold underline"))
                    yield Static(table, classes="help-table")


class ProblemsModal(_Modal):
    """The content problems, one `path:line: message` per line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        n = len(self.problems)
        with Vertical(id="problems-box", classes="modal-box"):
            yield Static(
                f"{n} content problem{'s' if n != 1 else ''} — the other entries loaded normally. (Esc closes)",
                classes="modal-title",
            )
            with VerticalScroll():
                for p in self.problems:
                    line = Text(f"{printable(p.path)}:{p.line}: ", style="bold")  # a file name may hold escapes
                    line.append(printable(p.message))
                    yield Static(line, classes="problem")

"""The teacher's live class report: `hpedu class report`'s table, read again every few seconds.

The screen gets a loader (a function that reads the learners' files and builds
a `hpedu.class_report.ClassReport`); it runs in a worker thread, never on the
event loop, every `refresh_seconds` (and at once with `r`). A read still
running when the timer fires is not doubled. The table keeps its cursor and
scroll position across refreshes. `b` switches to one row per learner and
exercise; Escape goes back, q quits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from ...class_report import ClassReport


class ClassReportScreen(Screen):
    """Per exercise and step (or per learner): started, finished, median score, answers, wrong, hints."""

    DEFAULT_CSS = """
    ClassReportScreen #report-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    ClassReportScreen #report-table {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    ClassReportScreen .report-note {
        height: auto;
        max-height: 2;
        padding: 0 1;
    }
    ClassReportScreen #report-problems {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back"),
        # keys that mean the same as elsewhere: v switches the view, ! lists what was
        # left out (problems), F5 reads again (r is reset / run again on other screens)
        Binding("v", "next_view", "By learner"),
        Binding("f5", "reload", "Refresh"),
        Binding("exclamation_mark", "show_problems", "Left out"),
    ]

    #: seconds between two reads of the learners' files
    refresh_seconds: float = 3.0

    @dataclass
    class Read(Message):
        """A read of the sources finished: the report, or the error that stopped it."""

        report: "ClassReport | None"
        error: str = ""

    def __init__(self, loader: "Callable[[], ClassReport]", where: str, *, by_learner: bool = False,
                 refresh_seconds: float | None = None) -> None:
        super().__init__()
        self.loader = loader
        self.where = where
        self.by_learner = by_learner
        if refresh_seconds is not None:
            self.refresh_seconds = refresh_seconds
        self.report: "ClassReport | None" = None
        #: how many reads finished (tests wait on it)
        self.reads = 0
        self._reading = False
        self._shown: tuple[bool, list[list[str]]] | None = None
        self._widths: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(f"Class report · reading {self.where}…", id="report-title", markup=False)
        table: DataTable = DataTable(id="report-table", zebra_stripes=True, cursor_type="row")
        yield table
        yield Static("", id="report-worst", classes="report-note", markup=False)
        yield Static("", id="report-hints", classes="report-note", markup=False)
        yield Static("", id="report-problems", classes="report-note", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_reload()
        self.set_interval(self.refresh_seconds, self.action_reload, name="class-report-refresh")

    # ----- reading (a worker thread) -------------------------------------------
    def action_reload(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.read_report()

    @work(thread=True, exit_on_error=False, group="class-report")
    def read_report(self) -> None:
        try:
            report, error = self.loader(), ""
        except Exception as exc:  # the folder went away, a permission changed: said, and tried again later
            report, error = None, f"{exc.__class__.__name__}: {exc}"
        if not get_current_worker().is_cancelled:
            self.post_message(self.Read(report, error))

    def on_class_report_screen_read(self, event: "ClassReportScreen.Read") -> None:
        self._reading = False
        self.reads += 1
        stamp = time.strftime("%H:%M:%S")
        title = self.query_one("#report-title", Static)
        if event.report is None:
            title.update(f"Class report · {stamp} · cannot read {self.where} ({event.error})")
            return
        self.report = event.report
        n = len(event.report.learners)
        title.update(f"Class report · {stamp} · {n} learner{'s' if n != 1 else ''} · {self.where}")
        self._show(event.report)

    # ----- showing -------------------------------------------------------------
    def _show(self, report: "ClassReport") -> None:
        from ...class_report import LEARNER_COLUMNS, SUMMARY_COLUMNS, hints_note, learner_rows, most_wrong_line, summary_rows

        rows = learner_rows(report) if self.by_learner else summary_rows(report)
        k = len(report.problems)
        for name, text in (("worst", most_wrong_line(report)),
                           ("hints", hints_note(report) if report.hints_by_step_missing else ""),
                           ("problems", f"⚠ {k} note{'s' if k != 1 else ''} (n lists them): {report.problems[0]}"
                            if k else "")):
            note = self.query_one(f"#report-{name}", Static)
            note.update(text)
            note.display = bool(text)
        if self._shown == (self.by_learner, rows):
            return  # nothing changed: keep the table as it is
        table = self.query_one("#report-table", DataTable)
        header = LEARNER_COLUMNS if self.by_learner else SUMMARY_COLUMNS
        # Widths given, not measured: DataTable measures new rows when idle, and a row drawn
        # before that stays drawn with the header's widths (its render cache ignores widths).
        widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(header)]
        same_columns = self._shown is not None and self._shown[0] == self.by_learner and self._widths == widths
        cursor, scroll = (table.cursor_row, table.scroll_offset) if self._shown is not None else (0, None)
        if self._shown is not None and self._shown[0] != self.by_learner:
            cursor, scroll = 0, None
        table.clear(columns=not same_columns)
        if not same_columns:
            for label, width in zip(header, widths):
                table.add_column(label, width=width)
        for cells in rows:
            head = not self.by_learner and not cells[0].startswith(" ")
            table.add_row(*(Text(c, style="bold") if head else Text(c) for c in cells))
        self._shown, self._widths = (self.by_learner, rows), widths
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), scroll=False)
        if scroll is not None:
            self.call_after_refresh(table.scroll_to, x=scroll.x, y=scroll.y, animate=False)

    def action_next_view(self) -> None:
        self.by_learner = not self.by_learner
        if self.report is not None:
            self._show(self.report)

    def action_show_problems(self) -> None:
        problems = list(self.report.problems) if self.report is not None else []
        if not problems:
            self.notify("No notes: every file was read.", timeout=3)
            return
        self.app.push_screen(NotesModal(problems))

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class NotesModal(ModalScreen[None]):
    """Every note of the report in full: files left out and why, exercises that changed. Esc closes."""

    DEFAULT_CSS = """
    NotesModal { align: center middle; }
    NotesModal #notes-box { width: 90%; height: 80%; border: round $accent; background: $surface; padding: 0 1; }
    NotesModal #notes-title { text-style: bold; }
    """
    BINDINGS = [Binding("escape,q,exclamation_mark", "dismiss_modal", "Close")]

    def __init__(self, notes: list[str]) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-box"):
            k = len(self.notes)
            yield Static(f"{k} note{'s' if k != 1 else ''} (Esc closes)", id="notes-title", markup=False)
            with VerticalScroll():
                for note in self.notes:
                    yield Static(note, markup=False, classes="note")

    def action_dismiss_modal(self) -> None:
        self.dismiss(None)

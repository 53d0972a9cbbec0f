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

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
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
    }
    ClassReportScreen #report-notes {
        height: auto;
        max-height: 4;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("b", "toggle_by_learner", "By learner"),
        Binding("r", "reload", "Refresh"),
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

    def compose(self) -> ComposeResult:
        yield Static(f"Class report · reading {self.where}…", id="report-title", markup=False)
        table: DataTable = DataTable(id="report-table", zebra_stripes=True, cursor_type="row")
        yield table
        yield Static("", id="report-notes", markup=False)
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
            title.update(f"Class report · cannot read {self.where} ({event.error}) · tried {stamp}")
            return
        self.report = event.report
        n = len(event.report.learners)
        title.update(f"Class report · {n} learner{'s' if n != 1 else ''} · {self.where} · updated {stamp}")
        self._show(event.report)

    # ----- showing -------------------------------------------------------------
    def _show(self, report: "ClassReport") -> None:
        from ...class_report import LEARNER_COLUMNS, SUMMARY_COLUMNS, hints_note, learner_rows, most_wrong_line, summary_rows

        rows = learner_rows(report) if self.by_learner else summary_rows(report)
        notes = [most_wrong_line(report)]
        if report.hints_by_step_missing:
            notes.append(hints_note(report))
        if report.problems:
            k = len(report.problems)
            notes.append(f"{k} note{'s' if k != 1 else ''}: " + " · ".join(report.problems))
        self.query_one("#report-notes", Static).update("\n".join(notes))
        if self._shown == (self.by_learner, rows):
            return  # nothing changed: keep the table as it is
        table = self.query_one("#report-table", DataTable)
        same_columns = self._shown is not None and self._shown[0] == self.by_learner
        cursor, scroll = (table.cursor_row, table.scroll_offset) if same_columns else (0, None)
        table.clear(columns=not same_columns)
        if not same_columns:
            table.add_columns(*(LEARNER_COLUMNS if self.by_learner else SUMMARY_COLUMNS))
        for cells in rows:
            head = not self.by_learner and cells[1] == "all"
            table.add_row(*(Text(c, style="bold") if head else Text(c) for c in cells))
        self._shown = (self.by_learner, rows)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), scroll=False)
        if scroll is not None:
            self.call_after_refresh(table.scroll_to, x=scroll.x, y=scroll.y, animate=False)

    def action_toggle_by_learner(self) -> None:
        self.by_learner = not self.by_learner
        if self.report is not None:
            self._show(self.report)

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

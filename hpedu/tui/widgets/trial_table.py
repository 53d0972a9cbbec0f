"""The trials table: index, parameters, value and best so far, one row per trial."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from ...tuning.base import Trial

__all__ = ["TrialTable"]


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4g}"
    return str(value)


class TrialTable(DataTable):
    """Rows are keyed by the trial index; a new best is marked with ★.
    Moving the cursor while the table has focus posts `TrialHighlighted`."""

    class TrialHighlighted(Message):
        def __init__(self, table: "TrialTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> "TrialTable":
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, show_cursor=False, **kwargs)
        self.names: list[str] = []
        self.show_resource = False

    def setup(self, names: list[str], score_name: str, show_resource: bool = False) -> None:
        """Start over with these columns."""
        self.clear(columns=True)
        self.names = list(names)
        self.show_resource = show_resource
        self.add_column("#", key="index")
        for n in self.names:
            self.add_column(n, key=f"p-{n}")
        if show_resource:
            self.add_column("resource", key="resource")
        self.add_column(score_name, key="value")
        self.add_column("best so far", key="best")

    def add_trial(self, trial: Trial, best: float, improved: bool) -> None:
        row: list[Any] = [Text(str(trial.index + 1), justify="right")]
        for n in self.names:
            v = trial.params[n]
            row.append(Text(_cell(v), justify="left" if isinstance(v, str) else "right"))
        if self.show_resource:
            row.append(Text(f"{trial.resource:.3g}", justify="right"))
        row.append(Text(_cell(trial.value), justify="right"))
        best_text = Text(_cell(best) + (" ★" if improved else "  "), justify="right")
        if improved:
            best_text.stylize("bold")
        row.append(best_text)
        self.add_row(*row, key=str(trial.index))
        if not self.has_focus:
            self.scroll_end(animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self:
            return
        event.stop()
        if self.has_focus and event.row_key is not None and event.row_key.value is not None:
            self.post_message(self.TrialHighlighted(self, int(event.row_key.value)))

    def on_focus(self) -> None:
        self.show_cursor = True  # the cursor marks the selected trial once the learner uses the table
        if self.row_count and 0 <= self.cursor_row < self.row_count:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
            if key.value is not None:
                self.post_message(self.TrialHighlighted(self, int(key.value)))

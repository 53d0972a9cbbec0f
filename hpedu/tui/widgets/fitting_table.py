"""`FittingTable`: a Rich table that keeps every cell whole in any width.

A plain `rich.table.Table` squeezed below its natural width cuts its cells
("0.0454–…"). This one, at render time, lays its columns out in as few
stacked tables as the width needs: the first column (the row names) starts
every table, the other columns follow in order, as many as fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table

__all__ = ["Column", "FittingTable"]

#: the blank cells between two columns (padding (0, 1) on both sides)
GAP = 2


@dataclass
class Column:
    header: str
    cells: Sequence[str]
    justify: str = "right"
    #: the width the column needs: its header and every cell whole
    width: int = field(init=False)

    def __post_init__(self) -> None:
        self.width = max([cell_len(self.header), *(cell_len(c) for c in self.cells)])


class FittingTable:
    """Columns (the first names the rows) shown as one table when the width
    allows, else as several stacked tables of the same rows."""

    def __init__(self, columns: Sequence[Column]) -> None:
        if not columns:
            raise ValueError("a FittingTable needs at least one column")
        self.columns = list(columns)

    def groups(self, width: int) -> list[list[Column]]:
        """The columns of each stacked table at `width` cells (each with the first column)."""
        first, rest = self.columns[0], self.columns[1:]
        groups: list[list[Column]] = []
        used = first.width
        group: list[Column] = []
        for col in rest:
            if group and used + GAP + col.width > width:
                groups.append(group)
                group, used = [], first.width
            group.append(col)
            used += GAP + col.width
        if group or not groups:
            groups.append(group)
        return [[first, *g] for g in groups]

    def _table(self, columns: list[Column]) -> Table:
        table = Table(box=None, padding=(0, 1), header_style="bold", pad_edge=False)
        for col in columns:
            table.add_column(col.header, justify=col.justify, no_wrap=True, min_width=col.width)
        for row in zip(*(col.cells for col in columns)):
            table.add_row(*row)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for columns in self.groups(options.max_width):
            yield self._table(columns)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = sum(c.width for c in self.columns) + GAP * (len(self.columns) - 1)
        narrowest = max(self.columns[0].width + GAP + c.width for c in self.columns[1:]) if len(self.columns) > 1 \
            else self.columns[0].width
        return Measurement(min(narrowest, options.max_width), min(widest, options.max_width))

"""The trials table: index, parameters, value and best so far, one row per trial.

A small line-API widget rather than Textual's `DataTable`: trials are only
ever appended, so each row is rendered once and cached, and adding a row
costs the same at trial 30 as at trial 1 (a `DataTable` re-renders every
visible cell after each `add_row`, which was half the time of a simulator
step at 160x48; see benchmarks/simulator_step.py).

Given the run's budget, the table is as long as the budget from the start:
trials still to come show as dim numbers, so a learner sees how much of the
budget is spent, and a new trial fills a line instead of growing the table
(growing it re-lays out the whole screen, ~5 ms per simulator step).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .._private import strip_first_style
from ...tuning.base import Trial

__all__ = ["TrialTable"]

_GAP = 2  # blank cells between columns
_PAD = 1  # blank cells at the left and right edge


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4g}"
    return str(value)


class TrialTable(ScrollView, can_focus=True):
    """Rows are keyed by the trial index; a new best is marked with ★ (and bold).

    The header stays on the first line while the rows scroll. Up/Down,
    PageUp/PageDown, Home/End and mouse clicks move the cursor while the
    table has focus; every move posts `TrialHighlighted`.
    """

    DEFAULT_CSS = """
    TrialTable {
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .trial-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .trial-table--even-row { background: $surface-lighten-1 50%; }
        & > .trial-table--pending { color: $text-disabled; }
        & > .trial-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .trial-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trial-table--header",
        "trial-table--even-row",
        "trial-table--pending",
        "trial-table--cursor",
    }
    BINDINGS: ClassVar = [
        Binding("up", "cursor(-1)", "Previous trial", show=False),
        Binding("down", "cursor(1)", "Next trial", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First trial", show=False),
        Binding("end", "last", "Last trial", show=False),
    ]

    class TrialHighlighted(Message):
        def __init__(self, table: "TrialTable", index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> "TrialTable":
            return self.table

    #: the row under the cursor (an index into the rows, not a trial index)
    cursor_row: reactive[int] = reactive(0, layout=False, init=False)
    #: the cursor is drawn once the learner has used the table
    show_cursor: reactive[bool] = reactive(False, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.names: list[str] = []
        self.show_resource = False
        self._headers: list[str] = []
        self._justify: list[str] = []
        self._rows: list[list[Text]] = []
        self._keys: list[int] = []
        self._widths: list[int] = []
        self._cache: dict[tuple, Strip] = {}
        self._follow_pending = False
        self._follow_on_show = False
        self.capacity = 0  # lines kept for trials to come (the budget)

    # ----- data ---------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, row: int) -> list[Text]:
        """The cells of a row (index, parameters, [resource,] value, best so far)."""
        return list(self._rows[row])

    def setup(self, names: list[str], score_name: str, show_resource: bool = False, budget: int = 0) -> None:
        """Start over with these columns; `budget` lines are shown from the start."""
        self.capacity = max(0, int(budget))
        self.names = list(names)
        self.show_resource = show_resource
        self._headers = ["#", *self.names, *(["resource"] if show_resource else []), score_name, "best so far"]
        self._justify = ["right"] * len(self._headers)
        self._rows, self._keys = [], []
        self._widths = [len(h) for h in self._headers]
        self._widths[0] = max(self._widths[0], len(str(self.capacity)))
        self._cache.clear()
        self.cursor_row = 0
        self._resize_virtual()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def add_trial(self, trial: Trial, best: float, improved: bool) -> None:
        row: list[Text] = [Text(str(trial.index + 1))]
        for j, n in enumerate(self.names, start=1):
            v = trial.params[n]
            if isinstance(v, str) and self._justify[j] != "left":
                self._justify[j] = "left"  # words read from the left
                self._cache.clear()
            row.append(Text(_cell(v)))
        if self.show_resource:
            row.append(Text(f"{trial.resource:.3g}"))
        row.append(Text(_cell(trial.value)))
        row.append(Text(_cell(best) + (" ★" if improved else "  "), style="bold" if improved else ""))
        self._rows.append(row)
        self._keys.append(trial.index)
        widths = [max(w, c.cell_len) for w, c in zip(self._widths, row)]
        if widths != self._widths:  # a wider cell: every row is laid out again
            self._widths = widths
            self._cache.clear()
        grown = self._resize_virtual()
        if not self._focused:
            if not grown:
                self._follow()  # the height is the same: scroll at once
            elif not self._follow_pending:
                # a taller table scrolls further once the layout has caught up
                self._follow_pending = True
                self.call_after_refresh(self._follow)
        self.refresh()

    def _follow(self) -> None:
        """Scroll so the newest trial is the last line shown (lines still to
        come stay below it)."""
        self._follow_pending = False
        if self._focused:
            return
        if self.scrollable_content_region.height < 2:
            # hidden (another panel is shown): scroll as it is laid out to be shown, before its first frame
            self._follow_on_show = True
            return
        visible = self.scrollable_content_region.height - 1  # minus the header line
        top = max(0, len(self._rows) - visible)
        if top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False)

    def validate_scroll_y(self, value: float) -> float:
        # Textual validates the scroll offset as soon as a new size is laid out,
        # before anything is painted; the Resize event (on_resize) comes after
        # a first frame, which showed the table from its top when it was shown
        if self._follow_on_show and not self._focused:
            height = self.container_size.height - self.scrollbar_size_horizontal
            if height >= 2:
                self._follow_on_show = False
                value = max(0, len(self._rows) - (height - 1))
        return super().validate_scroll_y(value)

    def _resize_virtual(self) -> bool:
        """Fit the virtual size to the columns and the lines; True when it grew taller."""
        width = 2 * _PAD + sum(self._widths) + _GAP * max(0, len(self._widths) - 1)
        size = Size(width, max(len(self._rows), self.capacity) + 1)
        taller = size.height > self.virtual_size.height
        if size != self.virtual_size:
            self.virtual_size = size
        return taller

    # ----- rendering ------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _line(self, cells: list[Text], style: Style) -> Strip:
        text = Text(" " * _PAD, style=style, end="")
        for j, (cell, width) in enumerate(zip(cells, self._widths)):
            if j:
                text.append(" " * _GAP)
            pad = " " * (width - cell.cell_len)
            if self._justify[j] == "right":
                text.append(pad)
                text.append_text(cell)
            else:
                text.append_text(cell)
                text.append(pad)
        text.append(" " * _PAD)
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments, text.cell_len)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            kind, row = "header", -1
        else:
            row = scroll_y + y - 1
            if row >= max(len(self._rows), self.capacity):
                return Strip.blank(width, base)
            if row >= len(self._rows):
                kind = "pending"
            elif self.show_cursor and row == self.cursor_row:
                kind = "cursor"
            else:
                kind = "even" if row % 2 else "odd"
        key = (kind, row)
        strip = self._cache.get(key)
        if strip is None:
            if kind == "header":
                style = base + self.get_component_rich_style("trial-table--header")
                cells = [Text(h) for h in self._headers]
            elif kind == "pending":
                style = base + self.get_component_rich_style("trial-table--pending")
                cells = [Text(str(row + 1))]
            else:
                style = base
                if kind == "even":
                    style = base + self.get_component_rich_style("trial-table--even-row")
                elif kind == "cursor":
                    style = base + self.get_component_rich_style("trial-table--cursor")
                cells = self._rows[row]
            strip = self._line(cells, style)
            self._cache[key] = strip
        fill = strip_first_style(strip, base)
        return strip.extend_cell_length(scroll_x + width, fill).crop(scroll_x, scroll_x + width)

    # ----- the cursor -------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        for row in (old, new):
            self._cache.pop(("cursor", row), None)
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlight()

    def watch_show_cursor(self) -> None:
        self.refresh()

    @property
    def _focused(self) -> bool:
        # on_focus runs before Widget._on_focus sets has_focus
        return self.has_focus or (self.is_attached and self.screen.focused is self)

    def _post_highlight(self) -> None:
        if self._focused and 0 <= self.cursor_row < len(self._keys):
            self.post_message(self.TrialHighlighted(self, self._keys[self.cursor_row]))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)  # minus the header line
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def _move_to(self, row: int) -> None:
        if not self._rows:
            return
        self.show_cursor = True
        self.cursor_row = max(0, min(row, len(self._rows) - 1))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def on_resize(self, event: events.Resize) -> None:
        self._follow()  # shown again, or a new height: the newest trial stays in view

    def on_blur(self) -> None:
        self._drop_cursor_strips()

    def _drop_cursor_strips(self) -> None:
        for key in [k for k in self._cache if k[0] == "cursor"]:
            del self._cache[key]
        self.refresh()

    def on_focus(self) -> None:
        self._drop_cursor_strips()  # the focused cursor has its own colours
        if not self._rows:
            return
        # first use: start at the newest trial; the cursor stays shown from then on
        row = len(self._rows) - 1 if not self.show_cursor else min(self.cursor_row, len(self._rows) - 1)
        self.show_cursor = True
        if row != self.cursor_row:
            self.cursor_row = row  # the watcher scrolls and posts TrialHighlighted
        else:
            self._scroll_cursor_into_view()
            self._post_highlight()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        if 0 <= row < len(self._rows):
            self.focus()
            self._move_to(row)

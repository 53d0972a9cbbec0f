"""`HypergradPlot`: hypergradient descent walking along the validation curve.

Draws a `HypergradState` (hpedu/simulation/hypergrad.py) on a `CurvePlot`:

- the validation curve, drawn from a grid of points for display only (the
  legend says so: the strategy never sees it, only the slopes where it steps);
- the path: every trial (●) in order, joined by a line, so a step that
  overshoots the valley shows as a zigzag from wall to wall;
- the slope at the newest trial as a short tangent, and ✚ where the next
  step lands (drawn on the display curve; its score is computed when it runs).

Markers differ by shape as well as colour: ● trial, ◆ newest, ✚ next.
"""

from __future__ import annotations

import numpy as np

from ...simulation.hypergrad import CURVE_POINTS, HypergradState
from .curves import CurvePlot, Mark, Series
from .landscape import NEWEST_COLOR

__all__ = ["HypergradPlot"]

CURVE_COLOR = "#999999"
PATH_COLOR = "#56b4e9"
TANGENT_COLOR = "#e69f00"
NEXT_COLOR = "#cc79a7"


class HypergradPlot(CurvePlot):
    """The validation curve, the steps along it and the slope at the newest one."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(x_label="log10 alpha", y_label="", id=id, classes=classes)
        self.state: HypergradState | None = None

    def show_state(self, state: HypergradState) -> None:
        """Draw `state` (computed in a worker; drawing is cheap)."""
        self.state = state
        series: list[Series] = []
        if state.curve_x is not None and state.curve_y is not None:
            series.append(Series(f"{state.score_name} on {CURVE_POINTS} grid points (display only)",
                                 state.curve_x, state.curve_y, marker="", color=CURVE_COLOR, dash="dotted",
                                 thin=True))  # a dotted braille line, as its legend shows: not the steps' line
        if state.path_x.size:
            series.append(Series("steps", state.path_x, state.path_y, marker="", color=PATH_COLOR, dash="solid"))
        if state.tangent_x is not None and state.tangent_y is not None:
            series.append(Series("slope", state.tangent_x, state.tangent_y, marker="", color=TANGENT_COLOR,
                                 dash="dashed"))
        marks = [Mark(float(x), float(y), "●", f"bold {PATH_COLOR}", "trial")
                 for x, y in zip(state.path_x, state.path_y)]
        if state.path_x.size:
            marks.append(Mark(float(state.path_x[-1]), float(state.path_y[-1]), "◆", f"bold {NEWEST_COLOR}",
                              "newest"))
        if state.next_x is not None:
            if state.curve_x is not None and state.curve_y is not None:  # on the drawn curve
                y = float(np.interp(state.next_x, state.curve_x, state.curve_y))
            else:  # no curve: at the lowest trial
                y = float(np.nanmin(state.path_y)) if state.path_y.size else 0.0
            marks.append(Mark(state.next_x, y, "✚", f"bold {NEXT_COLOR}", "next"))
        self.set_labels(state.x_label, state.score_name)
        self.set_marks(marks)
        self.set_series(series, x_range=state.x_range, band_label=None)
        self.set_title(f"● trial ◆ newest ✚ next · {state.caption}")

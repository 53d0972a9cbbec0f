"""What the simulator draws for hypergradient descent (no UI here).

One parameter only (ridge-diabetes' alpha): the validation curve over the
search coordinate (log10 alpha), the trials the steps landed on, in order,
the slope at the newest trial as a short tangent, and where the next step
will land.

Every slope and every step is the engine's: the slope at the newest trial
and the next point come from the step the strategy has already prepared
(`Simulation.peek`, which the next trial adopts as it is); after the last
trial, when there is no next step, the slope is asked from the same gradient
the strategy follows (`HypergradientSearch.slope_at`). The curve itself is
for display only: the objective evaluated on a grid of `CURVE_POINTS`
points that no step ever used; the strategy only ever sees the slope at the
points it visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .settings import fmt

if TYPE_CHECKING:
    from .session import Simulation

__all__ = ["CURVE_POINTS", "HypergradState", "hypergrad_state"]

#: points of the display-only curve
CURVE_POINTS = 200
#: the tangent is drawn over this share of the axis on each side of the point
TANGENT_REACH = 0.08


@dataclass
class HypergradState:
    """The picture after `n_done` trials, in plot coordinates (log10 on a log scale)."""

    x_label: str  # "log10 alpha" (or the name on a linear scale)
    score_name: str
    x_range: tuple[float, float]  # the search space's bounds
    curve_x: np.ndarray | None  # the display-only curve (None when the objective has no fn_batch)
    curve_y: np.ndarray | None
    path_x: np.ndarray  # every trial, in order
    path_y: np.ndarray
    slope: float | None  # at the newest trial (None before the first)
    tangent_x: np.ndarray | None
    tangent_y: np.ndarray | None
    next_x: float | None  # where the next step lands (None when the run is over)
    clipped: bool  # the next step stopped at a bound
    lr: float  # the hyper-learning-rate in use (auto resolved)
    optimizer: str
    n_done: int

    @property
    def caption(self) -> str:
        """A short line: the slope at the newest trial and where the next step lands."""
        if not self.path_x.size:
            return f"first trial at {fmt(self.next_x)}" if self.next_x is not None else "no trial"
        text = f"slope {fmt(self.slope)} at {fmt(float(self.path_x[-1]))}"
        if self.next_x is None:
            return text + " · run over"
        return text + f" · next {fmt(self.next_x)}" + (" (at the bound)" if self.clipped else "")


def _coord(log: bool, values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.log10(values) if log else values


def hypergrad_state(sim: "Simulation") -> HypergradState | None:
    """The picture for a hypergradient run on one parameter (None otherwise)."""
    from ..tuning.hypergradient import HypergradientSearch, from_coordinate, search_coordinate

    with sim.lock:
        strategy = sim.strategy
        if not isinstance(strategy, HypergradientSearch) or len(sim.names) != 1:
            return None
        name = sim.names[0]
        dim = sim.objective.space[name]
        log = bool(dim.log)
        trials = list(sim.trace.trials)
        nxt = sim.peek()
        lo, hi = search_coordinate(dim, dim.low), search_coordinate(dim, dim.high)
        curve_x = curve_y = None
        if sim.objective.fn_batch is not None:
            curve_x = np.linspace(lo, hi, CURVE_POINTS)
            values = np.array([from_coordinate(dim, z) for z in curve_x])
            curve_y = np.asarray(sim.objective.fn_batch(values[:, None]), dtype=float)
        path_x = _coord(log, [t.params[name] for t in trials])
        path_y = np.array([t.value for t in trials], dtype=float)
        slope = next_x = None
        clipped = False
        source = nxt.source if nxt is not None else strategy
        if nxt is not None:
            next_x = float(_coord(log, [nxt.params[name]])[0])
            if trials:  # the prepared step starts at the newest trial
                step = source.steps[-1]
                slope, clipped = float(step.slope[name]), step.clipped
        elif trials:
            # the loss's slope, as the strategy takes it; shown in the objective's own direction
            slope = float(strategy.slope_at(trials[-1].params)[name])
        if slope is not None and sim.objective.direction == "maximize":
            slope = -slope
        tangent_x = tangent_y = None
        if slope is not None:
            reach = TANGENT_REACH * (hi - lo)
            x0, y0 = float(path_x[-1]), float(path_y[-1])
            tangent_x = np.array([max(lo, x0 - reach), min(hi, x0 + reach)])
            tangent_y = y0 + slope * (tangent_x - x0)
        return HypergradState(
            x_label=f"log10 {name}" if log else name,
            score_name=sim.objective.score_name,
            x_range=(lo, hi),
            curve_x=curve_x,
            curve_y=curve_y,
            path_x=path_x,
            path_y=path_y,
            slope=slope,
            tangent_x=tangent_x,
            tangent_y=tangent_y,
            next_x=next_x,
            clipped=clipped,
            lr=source.lr,
            optimizer=str(source.opts["optimizer"]),
            n_done=len(trials),
        )

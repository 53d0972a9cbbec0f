"""`Simulation`: one run of the engine, stepped one trial at a time.

It wraps the engine's `Run` (so every number shown is the engine's) and adds
what the app, the command line and the tests share: live option changes
recorded by step (so the shown code reproduces them), one narration line per
trial, the best-so-far or regret curve, and the next proposal (`peek`) that
the look-inside views draw. A lock makes steps and previews safe to call from
a worker thread; `records` is what a UI reads to draw finished trials (it is
only ever appended to, one complete record per trial).

Every step peeks first (`Strategy.peek`): the strategy computes the next point
on a private copy of itself and the `ask()` that follows adopts that copy's
state, so the point the views mark as next is exactly the next trial, the
narration tells how it was chosen, and peeking costs no second proposal.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from ..tuning.base import Trial
from .narration import narrate
from .settings import SimSettings

if TYPE_CHECKING:
    from ..tuning.objectives.base import Objective

__all__ = ["Simulation", "StepRecord", "PeekView", "peek_strategy"]


@dataclass(frozen=True)
class PeekView:
    """What the strategy will propose next (the engine's `Peek`, or the same fields)."""

    params: dict[str, Any]
    unit: np.ndarray
    source: Any  # a private copy of the strategy in the state in which it proposed `params`
    from_model: bool
    reason: str


@dataclass(frozen=True)
class StepRecord:
    """One finished trial as a UI draws it."""

    trial: Trial
    best: float  # best so far after this trial (NaN while only partial trainings were told)
    narration: str
    from_model: bool  # the strategy's model chose it (not an initial design, start-up or a plain rule)
    reason: str  # the strategy's own words on how it chose the point


def peek_strategy(strategy: Any) -> PeekView:
    """The next proposal of `strategy` without changing it (BudgetExhausted when it is finished)."""
    p = strategy.peek()
    return PeekView(dict(p.params), np.asarray(p.unit, dtype=float), p.source, bool(p.from_model), str(p.reason))


class Simulation:
    """One run of the engine, stepped one trial at a time."""

    def __init__(self, settings: SimSettings) -> None:
        self.settings = settings
        self.run = settings.prepare()
        self._steps = self.run.steps()
        self.lock = threading.RLock()
        #: live option changes: (number of trials told when changed, options)
        self.changes: list[tuple[int, dict[str, Any]]] = []
        #: one record per finished trial, appended when the trial is complete
        self.records: list[StepRecord] = []
        self._queued: dict[str, Any] = {}
        self._queue_lock = threading.Lock()
        self._peek: tuple[tuple, PeekView] | None = None

    # ----- what the run is --------------------------------------------------
    @property
    def objective(self) -> "Objective":
        return self.run.objective

    @property
    def strategy(self) -> Any:
        return self.run.strategy

    @property
    def trace(self):
        return self.run.trace

    @property
    def names(self) -> list[str]:
        return self.objective.space.names

    @property
    def n_done(self) -> int:
        return len(self.trace.trials)

    @property
    def narration(self) -> list[str]:
        return [r.narration for r in self.records]

    @property
    def finished(self) -> bool:
        return self.strategy.finished and not self.strategy._pending

    @property
    def method_title(self) -> str:
        from ..tuning.registry import METHODS

        return METHODS[self.settings.method].title

    @property
    def has_inside(self) -> bool:
        return self.settings.method in ("bayes", "tpe")

    @property
    def live_options(self) -> dict[str, Any]:
        live = {o.name: self.strategy.opts[o.name] for o in self.strategy.options if o.live}
        with self._queue_lock:
            live.update(self._queued)
        return live

    # ----- options --------------------------------------------------------------
    def _parse_live(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        parsed = {}
        for key, value in raw.items():
            opt = self.strategy.option(key)
            if not opt.live:
                raise ValueError(f"option {key!r} cannot be changed during a run; change it and reset (r)")
            parsed[key] = opt.parse(value)
        return parsed

    def queue_options(self, **raw: Any) -> dict[str, Any]:
        """Check live options now and apply them before the next step or
        preview (never blocks, even while a step runs in another thread)."""
        parsed = self._parse_live(raw)
        with self._queue_lock:
            self._queued.update(parsed)
        return parsed

    def apply_queued(self) -> dict[str, Any]:
        with self._queue_lock:
            queued, self._queued = self._queued, {}
        return self.set_options(**queued) if queued else {}

    def set_options(self, **raw: Any) -> dict[str, Any]:
        """Change live options; they apply to the next proposal. ValueError
        (the option's own message) for unknown, fixed or invalid values."""
        with self.lock:
            parsed = self._parse_live(raw)
            changed = {k: v for k, v in parsed.items() if self.strategy.opts.get(k) != v}
            if not changed:
                return {}
            self.strategy.set_options(**changed)
            n = self.n_done
            if self.changes and self.changes[-1][0] == n:
                self.changes[-1][1].update(changed)
            else:
                self.changes.append((n, dict(changed)))
            return changed

    # ----- the next point ---------------------------------------------------------
    def _peek_key(self) -> tuple:
        return self.n_done, tuple(sorted((k, repr(v)) for k, v in self.strategy.opts.items()))

    def peek(self) -> PeekView | None:
        """The next proposal (None when the run is over); queued options apply first."""
        with self.lock:
            self.apply_queued()
            if self.finished:
                return None
            key = self._peek_key()
            if self._peek is None or self._peek[0] != key:
                self._peek = (key, peek_strategy(self.strategy))
            return self._peek[1]

    # ----- stepping -----------------------------------------------------------
    def step(self) -> Trial | None:
        """Run one trial; None when the run is over. An exception from the
        objective or the strategy propagates (the caller shows it)."""
        with self.lock:
            self.apply_queued()
            if self.finished:
                return None
            nxt = self.peek()  # the strategy's next ask() adopts this very proposal: no extra work
            try:
                trial = next(self._steps)
            except StopIteration:
                return None
            self._peek = None
            best = self.trace.best_so_far
            line = narrate(self.settings.method, self.strategy, self.objective.score_name, self.names, trial, best,
                           nxt.from_model, nxt.reason)
            self.records.append(StepRecord(trial, float(best[-1]), line, nxt.from_model, nxt.reason))
            return trial

    # ----- curves ---------------------------------------------------------------------
    def best_curve(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """Trial numbers (1-based), best so far (or regret when the optimum is
        known) and whether it is regret; NaN steps (partial training) left out."""
        trace = self.trace
        regret = trace.regret
        y = trace.best_so_far if regret is None else regret
        x = np.arange(1, y.size + 1, dtype=float)
        keep = np.isfinite(y)
        return x[keep], y[keep], regret is not None

    def slice_point(self) -> dict[str, Any]:
        """Where to slice an objective with more than two parameters: the best so far."""
        best = self.trace.best
        return dict(best.params) if best is not None else {}

    # ----- looking inside (see views.py) ---------------------------------------------
    def inside_1d(self, axis: str | None = None, size: int = 160):
        from .views import inside_1d

        return inside_1d(self, axis, size)

    def inside_2d(self, x_name: str, y_name: str, size: int = 48):
        from .views import inside_2d

        return inside_2d(self, x_name, y_name, size)

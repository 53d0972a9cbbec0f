"""Hypergradient descent: follow the slope of the validation loss, one step per trial.

Each trial is one step on the hyperparameters, in their search coordinates
(log10 of the value on a log dimension, the value itself otherwise). The
slope comes from the objective's exact gradient (`Objective.gradient`; the
runner hands it over and refuses objectives without one before anything runs):

- `optimizer=gd`, plain gradient descent: z ← z − hyper_lr · slope;
- `optimizer=adam` (Kingma & Ba 2015, β1 = 0.9, β2 = 0.999, ε = 1e-8): the
  slope is averaged over the steps and divided by its running size, so a
  step moves about hyper_lr whatever the units of the loss.

A step that would leave the search space stops at its bound (clipped), and
the next slope is taken there. The path is a pure function of the start, the
hyper-learning-rate and the gradient: the seed changes nothing (it is still
validated, as for every method). The slope is taken at the point just
proposed, so points asked but not yet told still move the path on.

`steps` records every step: where it started, the slope there, the step
size used and where it landed (before and after clipping), for the narration
and the simulator's view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping

from .base import Option, Strategy
from .space import Real, Space

__all__ = ["HypergradientSearch", "HyperStep", "AUTO_LR", "search_coordinate", "from_coordinate"]

#: the hyper-learning-rate that hyper_lr=0 (auto) stands for, per optimizer.
#: gd: tuned on ridge-diabetes, whose slopes are hundreds of MSE units per
#: unit of log10 alpha (15 steps from alpha = 1 reach within 1% of the best of
#: a 30-point grid on splits 0..39); adam: about 0.3 in log10 per step.
AUTO_LR = {"gd": 0.0012, "adam": 0.3}
_BETA1, _BETA2, _EPS = 0.9, 0.999, 1e-8

Gradient = Callable[[Mapping[str, Any]], Mapping[str, float]]


def search_coordinate(dim: Real, value: float) -> float:
    """Where `value` sits in the coordinate the steps move in (log10 on a log dimension)."""
    return math.log10(float(value)) if dim.log else float(value)


def from_coordinate(dim: Real, z: float) -> float:
    """The value at coordinate `z`, kept inside the dimension's bounds."""
    v = 10.0 ** z if dim.log else z
    return min(max(float(v), dim.low), dim.high)


@dataclass(frozen=True)
class HyperStep:
    """One step: from `start` (coordinates) with `slope` there, by `lr`, to `end`.
    `wanted` is where the step would have gone without the bounds."""

    start: dict[str, float]
    slope: dict[str, float]
    lr: float
    wanted: dict[str, float]
    end: dict[str, float]

    @property
    def clipped(self) -> bool:
        return any(self.wanted[k] != self.end[k] for k in self.end)


class HypergradientSearch(Strategy):
    """Gradient descent (or Adam) on the validation loss; see the module docstring."""

    name: ClassVar[str] = "hypergradient"
    #: needs `gradient=`: the derivative of the loss along each search coordinate
    needs_gradient: ClassVar[bool] = True
    #: the seed does not change the path
    uses_seed: ClassVar[bool] = False
    options: ClassVar[tuple[Option, ...]] = (
        Option("optimizer", "gd", "gd: plain gradient descent, each step is -hyper_lr x slope; adam: steps of "
               "about hyper_lr, the slope averaged and scaled by its running size", type=str, choices=("gd", "adam")),
        Option("hyper_lr", 0.0, "hyper-learning-rate: how far each step goes (gd: per unit of slope; adam: about "
               f"this far in log10 units); 0 = auto ({AUTO_LR['gd']:g} for gd, {AUTO_LR['adam']:g} for adam); "
               "too large and the steps overshoot the valley and bounce", low=0.0, high=100.0, live=True),
        Option("start", 0.0, "the value of every parameter at the first trial (alpha on ridge-diabetes); "
               "0 = the middle of its range on its own scale (alpha = 1 on ridge-diabetes)", low=0.0),
    )

    def __init__(self, space: Any, budget: int = 30, seed: int = 0, *, gradient: Gradient | None = None,
                 **options: Any) -> None:
        if gradient is None or not callable(gradient):
            raise ValueError("method 'hypergradient' follows the gradient of the loss and needs an objective "
                             "that provides one (gradient=...); objectives with a gradient: ridge-diabetes")
        self.gradient = gradient
        super().__init__(space, budget=budget, seed=seed, **options)

    def _setup(self) -> None:
        space: Space = self.space
        wrong = [f"{n} ({d.describe()})" for n, d in space.items() if not isinstance(d, Real)]
        if wrong:
            raise ValueError("method 'hypergradient' moves continuous parameters only (a gradient needs real "
                             f"values); this space also has: {', '.join(wrong)}")
        start = self.opts["start"]
        point: dict[str, float] = {}
        for n, d in space.items():
            if start == 0.0:  # the middle on the dimension's own scale (exactly 1 for 1e-4..1e4 on a log scale)
                point[n] = from_coordinate(d, (search_coordinate(d, d.low) + search_coordinate(d, d.high)) / 2)
            elif not d.contains(start):
                raise ValueError(f"option 'start': {start!r} is outside {n}'s range [{d.low:g}, {d.high:g}]; "
                                 "give a value inside it, or 0 for the middle")
            else:
                point[n] = float(start)
        self.start_point = point
        self.steps: list[HyperStep] = []
        self._m = {n: 0.0 for n in space.names}
        self._v = {n: 0.0 for n in space.names}
        self._last: dict[str, float] | None = None  # the last point proposed

    @property
    def lr(self) -> float:
        """The hyper-learning-rate in use (auto resolved)."""
        return float(self.opts["hyper_lr"]) or AUTO_LR[self.opts["optimizer"]]

    def slope_at(self, params: Mapping[str, Any]) -> dict[str, float]:
        """The gradient of the loss at `params`, one finite number per parameter."""
        raw = self.gradient(dict(params))
        out = {}
        for n in self.space.names:
            try:
                g = float(raw[n])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"the gradient at {dict(params)!r} has no number for {n!r}: {raw!r}") from None
            if not math.isfinite(g):
                raise ValueError(f"the gradient at {dict(params)!r} is not finite for {n!r}: {g!r}")
            out[n] = g
        return out

    def _propose(self) -> dict[str, Any]:
        if self._last is None:
            self._last = dict(self.start_point)
            how = "the start value" if self.opts["start"] else "the middle of the range"
            self._explain(False, f"hypergradient starts at {how}")
            return dict(self._last)
        space, lr = self.space, self.lr
        slope = self.slope_at(self._last)
        t = len(self.steps) + 1
        start, wanted, end, params = {}, {}, {}, {}
        for n, d in space.items():
            z = search_coordinate(d, self._last[n])
            g = slope[n]
            if self.opts["optimizer"] == "adam":
                self._m[n] = _BETA1 * self._m[n] + (1 - _BETA1) * g
                self._v[n] = _BETA2 * self._v[n] + (1 - _BETA2) * g * g
                m_hat, v_hat = self._m[n] / (1 - _BETA1**t), self._v[n] / (1 - _BETA2**t)
                move = lr * m_hat / (math.sqrt(v_hat) + _EPS)
            else:
                move = lr * g
            lo, hi = search_coordinate(d, d.low), search_coordinate(d, d.high)
            start[n], wanted[n] = z, z - move
            end[n] = min(max(wanted[n], lo), hi)
            params[n] = from_coordinate(d, end[n])
        step = HyperStep(start, slope, lr, wanted, end)
        self.steps.append(step)
        self._last = params
        self._explain(True, f"step {t}: {'Adam' if self.opts['optimizer'] == 'adam' else 'gradient'} step "
                      f"against the slope" + (", stopped at the bound" if step.clipped else ""))
        return dict(params)

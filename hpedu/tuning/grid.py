"""Grid search that adapts its resolution to the budget.

How the grid is sized (budget B):

1. Categorical parameters get all their choices when the product of their
   sizes fits in B. Otherwise they share B among themselves by the rule in
   step 2 (a reduced categorical keeps evenly spaced choices) and every
   numeric parameter gets a single value, the centre of its range.
2. The numeric parameters (d of them) share what remains, B' = floor(B /
   product of the categorical sizes): each gets n = floor(B' ** (1/d)) evenly
   spaced values (at least 1; log-spaced on log dimensions, see
   `Dimension.grid`). An integer parameter with fewer than n values gets all of
   them, and the others share the rest by the same rule.

So the grid never has more points than the budget: budget 9 in 2-D gives a
3 x 3 grid, budget 10 gives the same 3 x 3 grid and the run ends after 9
trials. One value per axis (n = 1) is the centre of the range.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, ClassVar

import numpy as np

from .base import Option, Strategy
from .space import Categorical, Dimension

__all__ = ["GridSearch", "grid_axes"]


def _int_root(budget: int, d: int) -> int:
    """The largest n >= 1 with n ** d <= budget (exact, no float rounding)."""
    if d <= 0 or budget <= 1:
        return 1
    n = max(1, int(round(budget ** (1.0 / d))))
    while n > 1 and n**d > budget:
        n -= 1
    while (n + 1) ** d <= budget:
        n += 1
    return n


def _share(caps: dict[str, float], budget: int) -> dict[str, int]:
    """Split `budget` among axes: n = floor(B ** (1/d)) each; an axis whose
    `cap` (number of distinct values) is <= n takes all of them and the rest
    share what remains."""
    counts: dict[str, int] = {}
    free = list(caps)
    while free:
        used = math.prod(counts.values())
        n = _int_root(budget // used, len(free))
        small = [k for k in free if caps[k] <= n]
        if not small:
            counts.update({k: n for k in free})
            break
        for k in small:
            counts[k] = int(caps[k])
            free.remove(k)
    return counts


def _axis(dim: Dimension, n: int) -> list[Any]:
    if isinstance(dim, Categorical):
        k = len(dim.choices)
        if n >= k:
            return list(dim.choices)
        if n == 1:
            return [dim.from_unit(0.5)]
        idx = np.unique(np.round(np.linspace(0, k - 1, n)).astype(int))
        return [dim.choices[i] for i in idx]
    return dim.grid(n)


def grid_axes(space: Any, budget: int) -> dict[str, list[Any]]:
    """The values each parameter takes on the grid for `budget` (see module doc)."""
    cats = {k: d.size for k, d in space.items() if isinstance(d, Categorical)}
    nums = {k: d.size for k, d in space.items() if not isinstance(d, Categorical)}
    if math.prod(cats.values()) <= budget:
        counts = {k: int(v) for k, v in cats.items()}
        counts.update(_share(nums, budget // math.prod(counts.values())))
    else:
        counts = _share(cats, budget)
        counts.update({k: 1 for k in nums})
    return {k: _axis(d, counts[k]) for k, d in space.items()}


class GridSearch(Strategy):
    """Every combination of a few evenly spaced values per parameter.

    Sizing rule: numeric parameters get floor(B' ** (1/d)) values each, where
    B' is the budget left after giving every categorical parameter all its
    choices (if they fit; see the module docstring for the details). Log
    dimensions are spaced evenly in log space. The grid never exceeds the
    budget and the run finishes when the grid is exhausted.

    Order: like scikit-learn's `ParameterGrid` (odometer order, the last
    parameter changes fastest) except that parameters keep the order of the
    space instead of being sorted by name. With `shuffle=true` the points are
    visited in a random order drawn from the seed.
    """

    name: ClassVar[str] = "grid"
    options: ClassVar[tuple[Option, ...]] = (
        Option("shuffle", False, "visit the grid points in a random order", type=bool),
    )

    def _setup(self) -> None:
        self.axes: dict[str, list[Any]] = grid_axes(self.space, self.budget)
        names = list(self.axes)
        self.points: list[dict[str, Any]] = [
            dict(zip(names, combo)) for combo in itertools.product(*self.axes.values())
        ]
        if self.opts["shuffle"]:
            order = self.rng.permutation(len(self.points))
            self.points = [self.points[i] for i in order]
        self._next = 0

    @property
    def grid_shape(self) -> tuple[int, ...]:
        """Number of values on each axis, in the order of the space."""
        return tuple(len(v) for v in self.axes.values())

    @property
    def finished(self) -> bool:
        return self._next >= len(self.points) or super().finished

    def _propose(self) -> dict[str, Any]:
        point = self.points[self._next]
        self._next += 1
        order = "shuffled order" if self.opts["shuffle"] else "in order, last parameter fastest"
        self._explain(False, f"grid point {self._next} of {len(self.points)} ({order})")
        return dict(point)

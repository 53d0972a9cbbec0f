"""Sobol search: a scrambled Sobol' low-discrepancy sequence.

Quasi-random points fill the unit cube more evenly than independent random
draws (no clumps, no big holes) while still trying a new value of every
parameter at each step. The points come from `scipy.stats.qmc.Sobol` with
Owen scrambling seeded from the strategy's generator, and are mapped to the
space with `Space.from_unit` (so log dimensions are covered evenly in log
space).
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np

from .base import Option, Strategy

__all__ = ["SobolSearch"]


class SobolSearch(Strategy):
    """Scrambled Sobol' points in the unit cube, drawn one at a time.

    Sobol' points are best balanced in blocks of a power of two (8, 16, 32 ...);
    a budget in between still gives evenly spread points, just without the
    exact balance guarantee, so scipy's warning about that is silenced.
    """

    name: ClassVar[str] = "sobol"
    options: ClassVar[tuple[Option, ...]] = ()

    def _setup(self) -> None:
        from scipy.stats import qmc

        seed = int(self.rng.integers(2**31 - 1))
        self._engine = qmc.Sobol(len(self.space), scramble=True, rng=np.random.default_rng(seed))

    def _propose(self) -> dict[str, Any]:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*balance properties.*")
            u = self._engine.random(1)[0]
        n = len(self.trials) + len(self._pending) + 1
        self._explain(False, f"point {n} of a scrambled Sobol sequence (quasi-random)")
        return self.space.from_unit(u)

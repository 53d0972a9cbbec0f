"""Random search: independent draws from the search space.

Each point is drawn on its own, uniformly on linear dimensions and
log-uniformly on log dimensions (scikit-learn's `ParameterSampler` with
`loguniform` distributions does the same). Bergstra and Bengio (2012) showed
why this often beats a grid: when only a few parameters matter, every random
point tries a new value of each of them, whereas a grid repeats the same few.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .base import Option, Strategy

__all__ = ["RandomSearch"]


class RandomSearch(Strategy):
    """Independent uniform draws (log-uniform on log scales) from `self.rng`."""

    name: ClassVar[str] = "random"
    options: ClassVar[tuple[Option, ...]] = ()

    def _propose(self) -> dict[str, Any]:
        self._explain(False, "independent random draw (uniform; log-uniform on log scales)")
        return self.space.sample(self.rng)

"""A simple evolutionary (genetic) search in the unit cube.

* Generation 0: `population` random points.
* Each later generation: `population` children of the current population,
  the best `population` trials told so far (elitist "mu + lambda" survival:
  a good point stays a parent until better ones replace it).
* A child: pick a parent by binary tournament (the better of two random
  members); with probability `crossover` pick a second parent the same way
  and take each gene from one of the two at random (uniform crossover); then
  mutate: every numeric gene moves by a Gaussian step of width `mutation`
  (in unit-cube coordinates, reflected at the edges) and every categorical
  gene is redrawn at random with probability `mutation`.

Genes are unit-cube coordinates (`Space.to_unit`), so log scales mutate in
log space. Every child is one evaluation of the budget; the last generation
may be cut short by the budget.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .base import Option, Strategy
from .space import Categorical

__all__ = ["EvolutionSearch"]


class EvolutionSearch(Strategy):
    """Population, tournament selection, uniform crossover and Gaussian mutation.

    `mutation`, `crossover` and `population` may change during a run: the next
    child follows the new rates; a new population size applies from the next
    generation. `generations` holds the generation of each told trial.
    """

    name: ClassVar[str] = "evolution"
    options: ClassVar[tuple[Option, ...]] = (
        Option("population", 8, "points per generation, and parents kept", type=int, low=2, high=1000, live=True),
        Option("mutation", 0.15, "mutation step (unit-cube width); chance to redraw a categorical", low=0.0, high=1.0, live=True),
        Option("crossover", 0.5, "chance that a child mixes two parents", low=0.0, high=1.0, live=True),
    )

    def _setup(self) -> None:
        self.generation = -1
        self._left = 0  # children still to ask in this generation
        self._parents = np.empty((0, len(self.space)))
        self._parent_losses = np.empty(0)
        self._categorical = np.array([isinstance(d, Categorical) for d in self.space.values()])
        #: generation of each told trial, aligned with `trials`
        self.generations: list[int] = []
        self._pending_gen: list[tuple[dict[str, Any], int]] = []

    def parents(self) -> tuple[np.ndarray, np.ndarray]:
        """The current generation's parents in the unit cube (k, d) and their losses."""
        return self._parents.copy(), self._parent_losses.copy()

    def _start_generation(self) -> None:
        self.generation += 1
        size = self.opts["population"]
        self._left = size
        if self.n_told == 0:
            self._parents = np.empty((0, len(self.space)))
            self._parent_losses = np.empty(0)
            return
        X, y = self.observed_unit()
        keep = np.argsort(y, kind="stable")[:size]
        self._parents, self._parent_losses = X[keep], y[keep]

    def _tournament(self) -> np.ndarray:
        i, j = self.rng.integers(len(self._parents), size=2)
        return self._parents[i if self._parent_losses[i] <= self._parent_losses[j] else j]

    def _child(self) -> np.ndarray:
        d = len(self.space)
        if len(self._parents) == 0:
            return self.rng.random(d)
        child = self._tournament().copy()
        if self.rng.random() < self.opts["crossover"]:
            other = self._tournament()
            mask = self.rng.random(d) < 0.5
            child[mask] = other[mask]
        sigma = self.opts["mutation"]
        step = self.rng.normal(0.0, 1.0, d) * sigma
        child = np.where(self._categorical, child, child + step)
        child = 1.0 - np.abs(1.0 - np.abs(child))  # reflect into [0, 1]
        redraw = self._categorical & (self.rng.random(d) < sigma)
        child = np.where(redraw, self.rng.random(d), child)
        return np.clip(child, 0.0, 1.0)

    def _propose(self) -> dict[str, Any]:
        if self._left <= 0:
            self._start_generation()
        self._left -= 1
        if len(self._parents) == 0:
            self._explain(False, f"generation {self.generation}: random point (no parents yet)")
        else:
            self._explain(False, f"generation {self.generation}: child of tournament-chosen parents "
                                 "(crossover, then mutation)")
        params = self.space.from_unit(self._child())
        self._pending_gen.append((dict(params), self.generation))
        return params

    def _observe(self, params: dict[str, Any], loss: float) -> None:
        for i, (p, gen) in enumerate(self._pending_gen):
            if p == params:
                del self._pending_gen[i]
                self.generations.append(gen)
                return
        self.generations.append(self.generation)

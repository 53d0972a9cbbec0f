"""Successive halving (Jamieson & Talwalkar, 2016).

Try many configurations cheaply, then spend more on the promising ones. The
objective must accept a resource: a fraction in (0, 1] of the full training
budget (training-set size, number of iterations ...).

The plan for budget B, `eta` and `min_resource` r0:

* rung resources r0, r0*eta, r0*eta^2, ... capped at 1.0; the last rung is
  always at the full resource 1.0 (r0 = 1/9, eta = 3 gives 1/9, 1/3, 1);
* rung i has n_i = max(1, floor(n0 / eta^i)) configurations: each rung keeps
  the best 1/eta of the previous one;
* n0, the number of random configurations in the first rung, is the largest
  that keeps n_0 + n_1 + ... <= B. If B is smaller than the number of rungs,
  the lowest rungs are dropped (budget 1 is one configuration at full resource).

Every evaluation counts as one trial of the budget whatever its resource, so
the run may end a few trials before the budget when the plan does not fill it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .base import Option, Strategy

__all__ = ["SuccessiveHalving", "halving_plan"]


def halving_plan(budget: int, eta: int, min_resource: float) -> list[tuple[int, float]]:
    """The rungs as (number of configurations, resource); see the module doc."""
    resources: list[float] = []
    r = float(min_resource)
    while r < 1.0 - 1e-9:
        resources.append(r)
        r *= eta
    resources.append(1.0)
    resources = resources[-budget:]  # drop the cheapest rungs if the budget is tiny

    def counts(n0: int) -> list[int]:
        return [max(1, n0 // eta**i) for i in range(len(resources))]

    lo, hi = 1, budget  # sum(counts(n0)) grows with n0: the largest n0 that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if sum(counts(mid)) <= budget else (lo, mid - 1)
    n0 = lo
    return list(zip(counts(n0), resources))


class SuccessiveHalving(Strategy):
    """Many random configurations on a small resource; the best 1/eta of each
    rung are promoted to eta times more, up to the full resource.

    `plan()` gives the rungs. `best` is the best trial at the highest resource
    reached so far (losses at a smaller resource are not comparable).
    """

    name: ClassVar[str] = "halving"
    uses_resource: ClassVar[bool] = True
    options: ClassVar[tuple[Option, ...]] = (
        Option("eta", 3, "keep the best 1/eta of each rung and give them eta times more resource", type=int, low=2, high=100),
        Option("min_resource", 1.0 / 9.0, "resource of the first rung (fraction of the full budget)", low=0.001, high=1.0),
    )

    def _setup(self) -> None:
        self._plan = halving_plan(self.budget, self.opts["eta"], self.opts["min_resource"])
        self.rung = 0  # the rung being asked
        self._queue: list[dict[str, Any]] = [self.space.sample(self.rng) for _ in range(self._plan[0][0])]
        self._results: list[tuple[dict[str, Any], float]] = []  # told in the current rung
        self._asked = 0
        #: rung of each told trial, aligned with `trials`
        self.rungs: list[int] = []
        self._pending_rungs: list[tuple[dict[str, Any], int]] = []

    def plan(self) -> list[tuple[int, float]]:
        """The rungs as (number of configurations, resource), cheapest first."""
        return list(self._plan)

    @property
    def finished(self) -> bool:
        return self._asked >= sum(n for n, _ in self._plan) or super().finished

    def _propose(self) -> dict[str, Any]:
        if not self._queue:
            raise RuntimeError(
                f"successive halving needs every result of rung {self.rung} before promoting; "
                "tell() the pending trials first"
            )
        params = self._queue.pop(0)
        self.resource = self._plan[self.rung][1]
        n_rung = self._plan[self.rung][0]
        j = n_rung - len(self._queue)
        if self.rung == 0:
            how = f"random configuration {j} of {n_rung} in rung 0"
        else:
            how = f"configuration {j} of {n_rung} in rung {self.rung}, promoted as one of the best of rung {self.rung - 1}"
        self._explain(False, f"{how}, at resource {self.resource:.3g}")
        self._asked += 1
        self._pending_rungs.append((dict(params), self.rung))
        return params

    def _observe(self, params: dict[str, Any], loss: float) -> None:
        for i, (p, rung) in enumerate(self._pending_rungs):
            if p == params:
                del self._pending_rungs[i]
                break
        self.rungs.append(rung)
        if rung != self.rung:
            return
        self._results.append((params, loss))
        n_rung = self._plan[self.rung][0]
        if len(self._results) == n_rung and self.rung + 1 < len(self._plan):
            keep = self._plan[self.rung + 1][0]
            order = sorted(range(n_rung), key=lambda i: self._results[i][1])  # stable: ties keep ask order
            self._queue = [dict(self._results[i][0]) for i in order[:keep]]
            self._results = []
            self.rung += 1

"""Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar, JMLR 2018).

Successive halving makes one bet: many configurations on a tiny resource, or
few on a large one. Hyperband runs several successive-halving *brackets*
that cover the range, from "very many, very cheap" to "few, fully trained"
(the last is plain random search). The objective must accept a resource: a
fraction in (0, 1] of the full training budget, as for successive halving
(for hpedu's real-model objectives, the fraction of each fold's training rows).

The plan, for `eta` and `min_resource` r_min (halving's convention: the
smallest resource as a fraction of the full one). In the paper's units the
maximum resource is R = 1 / r_min minimum resources, and

* s_max = floor(log_eta R): the largest s with eta^-s >= r_min;
* bracket s (s = s_max, ..., 0) starts n = ceil((s_max + 1) / (s + 1) * eta^s)
  random configurations at resource eta^-s (R * eta^-s in the paper's units,
  so r_min is rounded up to a power of 1/eta) and runs successive halving:
  rung i holds floor(n / eta^i) configurations at resource eta^(i - s), the
  best floor(n_i / eta) of rung i (lowest loss; ties keep the order asked)
  go on to rung i + 1, and rung s is at the full resource 1.0.
  With r_min = 1/27, eta = 3: brackets of 27, 12, 6 and 4 configurations.

Budget: every evaluation is one trial of the budget, whatever its resource
(as for successive halving). Brackets run whole, never cut: they are visited
in the order s_max, s_max - 1, ..., 0, then again (a new Hyperband iteration,
new configurations) as long as trials remain; a bracket that needs more
trials than remain is skipped, and the run ends when fewer trials remain than
the cheapest bracket (s = 0, s_max + 1 trials) needs, so up to s_max trials
may be left unused. A budget below s_max + 1 runs one smaller bracket s = 0:
`budget` random configurations at the full resource.
With the defaults (r_min = 1/9, eta = 3: brackets of 13, 6 and 3 trials) a
budget of 30 runs s = 2, 1, 0 (22 trials), skips s = 2, runs s = 1 again
(28) and leaves 2 trials unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Option, Strategy, Trial
from .trace import StagedTrial

__all__ = ["Bracket", "HyperbandSearch", "bracket_of", "hyperband_brackets", "hyperband_plan", "max_s"]

_EPS = 1e-9


@dataclass(frozen=True)
class Bracket:
    """One successive-halving run of a Hyperband plan.

    `index` is its position in the run (what `StagedTrial.bracket` holds),
    `iteration` the pass through s_max..0 it belongs to (from 0), `s` the
    number of halvings, `rungs` the (configurations, resource) of each rung,
    cheapest first."""

    index: int
    iteration: int
    s: int
    rungs: tuple[tuple[int, float], ...]

    @property
    def evaluations(self) -> int:
        return sum(n for n, _ in self.rungs)

    @property
    def resource(self) -> float:
        """Total resource in full trainings (sum of the rungs' n * resource)."""
        return sum(n * r for n, r in self.rungs)


def max_s(eta: int, min_resource: float) -> int:
    """s_max: the largest s with eta^-s >= min_resource (floor(log_eta R))."""
    s = 0
    while 1.0 / eta ** (s + 1) >= min_resource * (1.0 - _EPS):
        s += 1
    return s


def _rungs(n: int, s: int, eta: int) -> tuple[tuple[int, float], ...]:
    return tuple((n // eta**i, 1.0 / eta ** (s - i)) for i in range(s + 1))


def hyperband_brackets(eta: int, min_resource: float) -> list[tuple[int, tuple[tuple[int, float], ...]]]:
    """One Hyperband iteration: (s, rungs) for s = s_max, ..., 0 (see the module doc)."""
    s_max = max_s(eta, min_resource)
    out = []
    for s in range(s_max, -1, -1):
        n = -(-(s_max + 1) * eta**s // (s + 1))  # ceil in whole numbers
        out.append((s, _rungs(n, s, eta)))
    return out


def hyperband_plan(budget: int, eta: int, min_resource: float) -> list[Bracket]:
    """The brackets a run with this budget makes, in order (see the module doc)."""
    cycle = hyperband_brackets(eta, min_resource)
    cheapest = cycle[-1][1][0][0]  # bracket s = 0: s_max + 1 configurations
    if budget < cheapest:
        return [Bracket(0, 0, 0, ((budget, 1.0),))]
    plan: list[Bracket] = []
    left, iteration = budget, 0
    while left >= cheapest:
        for s, rungs in cycle:
            cost = sum(n for n, _ in rungs)
            if cost <= left:
                plan.append(Bracket(len(plan), iteration, s, rungs))
                left -= cost
        iteration += 1
    return plan


class HyperbandSearch(Strategy):
    """Brackets of successive halving, from many cheap configurations to few
    fully trained ones (see the module doc for the plan and the budget).

    `plan()` gives the brackets; every told trial is a `StagedTrial` (bracket,
    rung, configuration); `promotions` says which configurations each
    finished rung sent on to the next. `best` is the best trial at the highest resource
    reached so far (losses at a smaller resource are not comparable)."""

    name: ClassVar[str] = "hyperband"
    uses_resource: ClassVar[bool] = True
    options: ClassVar[tuple[Option, ...]] = (
        Option("eta", 3, "each rung keeps the best 1/eta and gives them eta times more resource; "
               "brackets differ by a factor eta in their starting resource", type=int, low=2, high=100),
        Option("min_resource", 1.0 / 9.0,
               "smallest resource, as a fraction of the full training (as for halving; R = 1/min_resource in the "
               "paper's units): brackets start at 1, 1/eta, 1/eta^2, ... down to the last power of 1/eta not "
               "below it; for the real models it is the share of each fold's training rows", low=0.001, high=1.0),
    )

    def _setup(self) -> None:
        self._plan = hyperband_plan(self.budget, self.opts["eta"], self.opts["min_resource"])
        self.bracket = 0  # position in the plan of the bracket being asked
        self.rung = 0
        self._configs = 0  # configurations drawn so far (their numbers)
        self._queue: list[tuple[int, dict[str, Any]]] = []
        self._results: list[tuple[int, dict[str, Any], float]] = []  # told in the current rung
        self._pending_stages: list[tuple[dict[str, Any], int, int, int]] = []  # (params, bracket, rung, config)
        self._told_stage: tuple[int, int, int] = (0, 0, 0)
        self._asked = 0
        #: (bracket, rung) -> the configurations promoted from that rung to the next, best first,
        #: recorded when the rung's last result is told
        self.promotions: dict[tuple[int, int], tuple[int, ...]] = {}
        self._draw_bracket()

    @classmethod
    def planned_resource(cls, budget: int, **options: Any) -> float:
        """Total resource (in full trainings) that a run with this budget spends."""
        opts = {o.name: o.default for o in cls.options}
        opts.update(cls.check_options(options))
        return sum(b.resource for b in hyperband_plan(budget, opts["eta"], opts["min_resource"]))

    def plan(self) -> list[Bracket]:
        """The brackets of this run, in the order they run."""
        return list(self._plan)

    def _draw_bracket(self) -> None:
        n = self._plan[self.bracket].rungs[0][0]
        self._queue = []
        for _ in range(n):
            self._queue.append((self._configs, self.space.sample(self.rng)))
            self._configs += 1

    @property
    def finished(self) -> bool:
        return self._asked >= sum(b.evaluations for b in self._plan) or super().finished

    def _propose(self) -> dict[str, Any]:
        if not self._queue:
            raise RuntimeError(
                f"hyperband needs every result of rung {self.rung} of bracket {self.bracket} before promoting; "
                "tell() the pending trials first"
            )
        config, params = self._queue.pop(0)
        b = self._plan[self.bracket]
        n_rung, self.resource = b.rungs[self.rung]
        j = n_rung - len(self._queue)
        where = f"bracket {self.bracket + 1} of {len(self._plan)} (s={b.s})"
        if self.rung == 0:
            how = f"{where}: random configuration {j} of {n_rung} in rung 0"
        else:
            how = (f"{where}: configuration {j} of {n_rung} in rung {self.rung}, promoted as one of the best "
                   f"{n_rung} of rung {self.rung - 1}")
        self._explain(False, f"{how}, at resource {self.resource:.3g}")
        self._asked += 1
        self._pending_stages.append((dict(params), self.bracket, self.rung, config))
        return params

    def _observe(self, params: dict[str, Any], loss: float) -> None:
        for i, (p, bracket, rung, config) in enumerate(self._pending_stages):
            if p == params:
                del self._pending_stages[i]
                break
        self._told_stage = (bracket, rung, config)
        if (bracket, rung) != (self.bracket, self.rung):
            return
        self._results.append((config, params, loss))
        rungs = self._plan[self.bracket].rungs
        n_rung = rungs[self.rung][0]
        if len(self._results) < n_rung:
            return
        if self.rung + 1 < len(rungs):  # promote the best floor(n / eta)
            keep = rungs[self.rung + 1][0]
            order = sorted(range(n_rung), key=lambda k: self._results[k][2])  # stable: ties keep ask order
            self._queue = [(self._results[k][0], dict(self._results[k][1])) for k in order[:keep]]
            self.promotions[(self.bracket, self.rung)] = tuple(config for config, _ in self._queue)
            self.rung += 1
        elif self.bracket + 1 < len(self._plan):  # the next bracket, with new configurations
            self.bracket += 1
            self.rung = 0
            self._draw_bracket()
        self._results = []

    def tell(self, params: Any, loss: float, seconds: float = 0.0, value: float | None = None) -> Trial:
        trial = super().tell(params, loss, seconds=seconds, value=value)
        bracket, rung, config = self._told_stage
        staged = StagedTrial(trial.index, trial.params, trial.value, trial.seconds, trial.resource,
                             bracket=bracket, rung=rung, config=config)
        self.trials[-1] = staged
        return staged


def bracket_of(trace: Any, trial: StagedTrial) -> Bracket:
    """The bracket of the plan that `trial` of a hyperband `trace` ran in
    (the plan is rebuilt from the trace's budget and options)."""
    opts = {o.name: o.default for o in HyperbandSearch.options}
    opts.update(HyperbandSearch.check_options({k: v for k, v in trace.options.items() if k in opts}))
    return hyperband_plan(trace.budget, opts["eta"], opts["min_resource"])[trial.bracket]

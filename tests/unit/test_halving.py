"""SuccessiveHalving: the rung plan, resources per rung, and promotion of the best."""

from __future__ import annotations

import math

import pytest

from hpedu.tuning.base import BudgetExhausted
from hpedu.tuning.halving import SuccessiveHalving, halving_plan
from hpedu.tuning.space import Categorical, Real, Space

SPACE = Space({"x": Real(0.0, 1.0), "k": Categorical(["a", "b"])})


def fn(p: dict, resource: float) -> float:
    # the ranking at low resource is the true ranking plus a resource penalty
    return (p["x"] - 0.7) ** 2 + (0.0 if p["k"] == "b" else 0.05) + (1.0 - resource)


def run(budget: int = 30, seed: int = 0, **options) -> SuccessiveHalving:
    s = SuccessiveHalving(SPACE, budget=budget, seed=seed, **options)
    while not s.finished:
        p = s.ask()
        s.tell(p, fn(p, s.resource))
    return s


def test_default_plan_for_budget_30() -> None:
    # n0 = 21 is the largest first rung with 21 + 7 + 2 <= 30
    assert SuccessiveHalving(SPACE, budget=30).plan() == [(21, pytest.approx(1 / 9)), (7, pytest.approx(1 / 3)), (2, 1.0)]


@pytest.mark.parametrize("budget", [1, 2, 3, 4, 5, 9, 10, 27, 30, 81, 100, 1000])
@pytest.mark.parametrize("eta, r0", [(3, 1 / 9), (2, 0.1), (4, 0.05), (3, 1.0), (2, 0.5)])
def test_plan_respects_the_budget(budget: int, eta: int, r0: float) -> None:
    plan = halving_plan(budget, eta, r0)
    counts = [n for n, _ in plan]
    resources = [r for _, r in plan]
    assert 1 <= sum(counts) <= budget
    assert resources[-1] == 1.0
    assert all(a < b for a, b in zip(resources, resources[1:]))  # resources increase per rung
    assert all(b == pytest.approx(a * eta) for a, b in zip(resources, resources[1:-1]))
    assert all(c >= 1 for c in counts)
    assert all(b == max(1, counts[0] // eta ** (i + 1)) for i, b in enumerate(counts[1:]))
    if len(plan) > 1 and budget >= len(halving_plan(10**6, eta, r0)):
        assert resources[0] == pytest.approx(r0)
    # the first rung is as large as it can be
    bigger = [max(1, (counts[0] + 1) // eta**i) for i in range(len(plan))]
    assert sum(bigger) > budget


def test_run_follows_the_plan() -> None:
    s = run(budget=30)
    assert len(s.trials) == 30
    plan = s.plan()
    expected = [r for n, r in plan for _ in range(n)]
    assert [t.resource for t in s.trials] == expected
    assert s.rungs == [i for i, (n, _) in enumerate(plan) for _ in range(n)]


def test_best_configs_are_promoted() -> None:
    s = run(budget=30)
    start = 0
    for i, (n, _) in enumerate(s.plan()[:-1]):
        rung = s.trials[start : start + n]
        nxt = s.trials[start + n : start + n + s.plan()[i + 1][0]]
        ranked = sorted(rung, key=lambda t: (t.value, t.index))
        assert [t.params for t in nxt] == [t.params for t in ranked[: len(nxt)]]
        start += n
    # the final rung holds the best configurations of the first one
    first = s.trials[: s.plan()[0][0]]
    true_best = min(first, key=lambda t: fn(t.params, 1.0))
    assert s.best.params == true_best.params
    assert s.best.resource == 1.0


def test_best_ignores_cheaper_rungs() -> None:
    s = SuccessiveHalving(SPACE, budget=5, seed=0)  # plan 3, 1, 1
    values = iter([0.1, 5.0, 6.0, 2.0, 3.0])
    while not s.finished:
        p = s.ask()
        s.tell(p, next(values))
    assert s.best.index == 4 and s.best.value == 3.0  # not the 0.1 at resource 1/9


def test_budget_smaller_than_the_rungs_drops_the_cheap_ones() -> None:
    s = run(budget=1)
    assert [t.resource for t in s.trials] == [1.0]
    s = run(budget=2)
    assert [t.resource for t in s.trials] == [pytest.approx(1 / 3), 1.0]


def test_unused_budget_ends_the_run() -> None:
    s = run(budget=29)  # the plan uses 20 + 6 + 2 = 28
    assert sum(n for n, _ in s.plan()) == 28
    assert len(s.trials) == 28 and s.finished
    with pytest.raises(BudgetExhausted):
        s.ask()


def test_asking_before_a_rung_is_told_raises() -> None:
    s = SuccessiveHalving(SPACE, budget=5, seed=0)  # plan 3, 1, 1
    asked = [s.ask() for _ in range(3)]
    with pytest.raises(RuntimeError, match="tell"):
        s.ask()
    for p in asked[::-1]:  # out of order is fine
        s.tell(p, fn(p, 1 / 9))
    nxt = s.ask()
    assert s.resource == pytest.approx(1 / 3)
    assert nxt == min(asked, key=lambda p: fn(p, 1 / 9))


def test_min_resource_one_is_random_search_at_full_resource() -> None:
    s = run(budget=7, min_resource=1.0)
    assert s.plan() == [(7, 1.0)]
    assert all(t.resource == 1.0 for t in s.trials)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="'eta'"):
        SuccessiveHalving(SPACE, budget=9, eta=1)
    with pytest.raises(ValueError, match="'min_resource'"):
        SuccessiveHalving(SPACE, budget=9, min_resource=0.0)
    assert math.isclose(SuccessiveHalving(SPACE, budget=9, eta="2", min_resource="0.25").plan()[0][1], 0.25)

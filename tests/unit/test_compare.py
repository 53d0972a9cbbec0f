"""compare() and iter_compare(): statistics recomputed here from the per-seed traces."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hpedu.tuning import Real, Trace, Trial, compare, iter_compare, minimize
from hpedu.tuning.compare import summarize
from hpedu.tuning.objectives import get_objective
from hpedu.tuning.objectives.base import Objective
from hpedu.tuning.space import Space

METHODS = ["random", "grid"]
BUDGET = 9
SEEDS = 4


@pytest.fixture(scope="module")
def comparison():
    return compare("branin", METHODS, BUDGET, SEEDS)


def test_each_method_has_one_reproducible_trace_per_seed(comparison) -> None:
    assert list(comparison.methods) == METHODS and comparison.seeds == list(range(SEEDS))
    for method, result in comparison.methods.items():
        assert len(result.traces) == SEEDS
        for seed, trace in zip(range(SEEDS), result.traces):
            assert trace.method == method and trace.seed == seed
            assert trace.same_trials(minimize("branin", method=method, budget=BUDGET, seed=seed))


def test_medians_and_quartiles_match_numpy(comparison) -> None:
    for result in comparison.methods.values():
        curves = np.full((SEEDS, BUDGET), np.nan)
        for i, trace in enumerate(result.traces):
            running = np.minimum.accumulate([t.value for t in trace.trials])
            curves[i, : len(running)] = running
            curves[i, len(running) :] = running[-1]
        np.testing.assert_array_equal(result.median, np.median(curves, axis=0))
        np.testing.assert_array_equal(result.q25, np.percentile(curves, 25, axis=0))
        np.testing.assert_array_equal(result.q75, np.percentile(curves, 75, axis=0))
        assert result.median_final == np.median(curves[:, -1])
        assert np.all(result.q25 <= result.median) and np.all(result.median <= result.q75)


def test_final_regret_uses_the_known_optimum(comparison) -> None:
    optimum = get_objective("branin").optimum
    assert comparison.optimum == optimum is not None
    for result in comparison.methods.values():
        finals = np.array([min(t.value for t in tr.trials) for tr in result.traces])
        np.testing.assert_allclose(result.final_regret, np.maximum(finals - optimum, 0.0), rtol=0, atol=0)
        assert result.median_regret == pytest.approx(float(np.median(finals - optimum)), abs=1e-15)


def test_wins_go_to_the_best_final_value_per_seed(comparison) -> None:
    expected = {m: 0.0 for m in METHODS}
    for seed in range(SEEDS):
        finals = {m: min(t.value for t in comparison.methods[m].traces[seed].trials) for m in METHODS}
        best = min(finals.values())
        winners = [m for m, v in finals.items() if abs(v - best) <= 1e-9 * max(1.0, abs(best))]
        for m in winners:
            expected[m] += 1.0 / len(winners)
    assert {m: r.wins for m, r in comparison.methods.items()} == pytest.approx(expected)
    assert sum(r.wins for r in comparison.methods.values()) == pytest.approx(SEEDS)


def _trace(method: str, seed: int, values: list[float], resource: list[float] | None = None) -> Trace:
    resource = resource or [1.0] * len(values)
    trials = [Trial(i, {"x": 0.1 * i}, v, resource=r) for i, (v, r) in enumerate(zip(values, resource))]
    return Trace(None, method, 4, seed, direction="maximize", trials=trials)


def test_ties_share_a_win_and_short_runs_keep_their_best() -> None:
    obj = Objective("acc", "Acc", "", Space({"x": Real(0.0, 1.0)}), lambda p: p["x"], direction="maximize",
                    score_name="accuracy", optimum=1.0)
    traces = {
        "a": [_trace("a", 0, [0.5, 0.9, 0.7, 0.8]), _trace("a", 1, [0.2, 0.3, 0.1, 0.4])],
        "b": [_trace("b", 0, [0.9, 0.1]), _trace("b", 1, [0.6, 0.1, 0.1, 0.1], [0.5, 1.0, 1.0, 1.0])],
    }
    comp = summarize(traces, 4, [0, 1], obj, "acc")
    a, b = comp.methods["a"], comp.methods["b"]
    assert b.best_so_far[0].tolist() == [0.9, 0.9, 0.9, 0.9]  # stopped after 2 trials: best carried on
    assert math.isnan(b.best_so_far[1][0]) and b.best_so_far[1][1:].tolist() == [0.1, 0.1, 0.1]
    assert a.wins == 1.5 and b.wins == 0.5  # seed 0 tied at 0.9, seed 1 won by a
    assert a.ties == 1 and b.ties == 1
    assert a.final_regret.tolist() == pytest.approx([0.1, 0.6])
    assert b.median[0] == 0.9 and b.q25[0] == 0.9  # NaN seeds are left out of a step's median
    data = json.loads(comp.to_json())
    assert data["methods"]["a"]["wins"] == 1.5 and data["methods"]["b"]["median"][0] == 0.9


def test_iter_compare_reports_progress_and_the_comparison_last(comparison) -> None:
    steps = list(iter_compare("branin", METHODS, BUDGET, SEEDS))
    total = len(METHODS) * SEEDS
    assert [s.done for s in steps] == list(range(1, total + 1)) and all(s.total == total for s in steps)
    assert [(s.method, s.seed) for s in steps] == [(m, k) for m in METHODS for k in range(SEEDS)]
    assert all(s.comparison is None for s in steps[:-1])
    last = steps[-1].comparison
    for m in METHODS:
        np.testing.assert_array_equal(last.methods[m].median, comparison.methods[m].median)


def test_iter_compare_can_stop_early() -> None:
    steps = iter_compare("branin", METHODS, BUDGET, SEEDS)
    first = next(steps)
    steps.close()
    assert first.done == 1 and first.comparison is None


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"methods": ["random", "nope"]}, "grid"),
        ({"methods": []}, "methods"),
        ({"methods": ["random", "random"]}, "once"),
        ({"budget": 0}, "budget"),
        ({"seeds": 0}, "seeds"),
        ({"seeds": [1, 1]}, "seeds"),
        ({"objective": "nope"}, "branin"),
        ({"options": {"bayes": {"xi": 0.1}}}, "bayes"),
        ({"options": {"random": {"nope": 1}}}, "option"),
        ({"n_jobs": 0}, "n_jobs"),
    ],
)
def test_bad_arguments_fail_before_any_run(kwargs: dict, needle: str) -> None:
    args = {"objective": "branin", "methods": METHODS, "budget": 3, "seeds": 2, **kwargs}
    with pytest.raises(ValueError, match=needle):
        iter_compare(**args)  # no next(): checked on the call


def test_comma_separated_methods_and_seed_lists() -> None:
    comp = compare("branin", "random,grid", 3, [5, 9])
    assert list(comp.methods) == ["random", "grid"] and comp.seeds == [5, 9]
    assert [t.seed for t in comp.methods["random"].traces] == [5, 9]


@pytest.mark.slow
def test_parallel_runs_give_identical_results(comparison) -> None:
    parallel = compare("branin", METHODS, BUDGET, SEEDS, n_jobs=2)
    for m in METHODS:
        a, b = comparison.methods[m], parallel.methods[m]
        assert all(x.same_trials(y) for x, y in zip(a.traces, b.traces))
        np.testing.assert_array_equal(a.median, b.median)
        np.testing.assert_array_equal(a.q25, b.q25)
        np.testing.assert_array_equal(a.q75, b.q75)
        assert a.wins == b.wins
    assert comparison.to_json(traces=False) == parallel.to_json(traces=False)


# ----- stopping, limits, the median seed ---------------------------------------------------
def _counting_objective() -> tuple[Objective, list[int]]:
    calls: list[int] = []

    def f(p):
        calls.append(1)
        return (p["x"] - 0.3) ** 2

    return Objective("f", "F", "", Space({"x": Real(0.0, 1.0)}), f), calls


def test_stop_is_asked_between_trials_and_ends_the_iteration() -> None:
    obj, calls = _counting_objective()
    asked: list[int] = []

    def stop() -> bool:
        asked.append(len(calls))
        return len(calls) >= 5

    steps = list(iter_compare(obj, ["random"], 400, 3, stop=stop))
    assert steps == []  # the first run (400 trials) never finished
    assert len(calls) == 5  # stopped right after the fifth trial, not after the run
    assert asked[:5] == [1, 2, 3, 4, 5]


def test_stop_after_some_runs_gives_no_comparison() -> None:
    obj, calls = _counting_objective()
    steps = list(iter_compare(obj, ["random", "grid"], 4, 3, stop=lambda: len(calls) >= 10))
    assert [s.done for s in steps] == [1, 2] and all(s.comparison is None for s in steps)
    assert len(calls) == 10


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"budget": 501}, "from 1 to 500"),
        ({"seeds": 101}, "from 1 to 100"),
        ({"seeds": list(range(101))}, "1 to 100"),
        ({"n_jobs": -5}, "n_jobs"),
        ({"n_jobs": 10_000}, "cores"),
    ],
)
def test_counts_have_a_maximum(kwargs: dict, needle: str) -> None:
    args = {"objective": "branin", "methods": METHODS, "budget": 3, "seeds": 2, **kwargs}
    with pytest.raises(ValueError, match=needle):
        iter_compare(**args)


def test_median_position_is_the_run_with_the_median_final_value() -> None:
    obj = Objective("f", "F", "", Space({"x": Real(0.0, 1.0)}), lambda p: p["x"])
    finals = {0: 0.5, 1: 0.1, 2: 0.9, 3: 0.3, 4: 0.7}  # seed -> final best (minimize)
    traces = {"a": [Trace(None, "a", 1, s, trials=[Trial(0, {"x": v}, v)]) for s, v in finals.items()]}
    r = summarize(traces, 1, list(finals), obj, "f").methods["a"]
    assert r.median_position("minimize") == 0  # 0.5 is the median of the five
    assert r.median_final == 0.5
    even = {"a": traces["a"][1:]}  # 0.1, 0.9, 0.3, 0.7: the middle two are 0.3 and 0.7
    r = summarize(even, 1, [1, 2, 3, 4], obj, "f").methods["a"]
    assert r.median_position("minimize") == 2  # seed 3 (0.3), the better of the two
    assert r.median_position("maximize") == 3  # seed 4 (0.7) is the better one when higher wins


def test_the_json_records_the_class_code() -> None:
    comp = compare("branin", ["random"], 2, [7, 9], class_code="week3-lab")
    data = json.loads(comp.to_json(traces=False))
    assert data["class_code"] == "week3-lab" and data["seeds"] == [7, 9]
    assert json.loads(compare("branin", ["random"], 2, 1).to_json(traces=False))["class_code"] is None

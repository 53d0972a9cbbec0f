"""Trace: derived arrays, JSON and CSV round trips, the documented JSON schema."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hpedu.tuning.base import Trial
from hpedu.tuning.trace import Trace

TRICKY = [0.1 + 0.2, 1e-300, 2.5, -0.0, 1 / 3, 123456789.123456789]


def make_trace(direction: str = "minimize", optimum: float | None = None) -> Trace:
    params = [
        {"C": 0.1 + 0.2, "k": 3, "kernel": "rbf", "shrink": True, "extra": None},
        {"C": 1e-300, "k": 1, "kernel": "1", "shrink": False, "extra": None},
        {"C": 1 / 3, "k": 7, "kernel": "poly", "shrink": True, "extra": None},
        {"C": -0.0, "k": 2, "kernel": "a,b \"quoted\"", "shrink": False, "extra": None},
    ]
    values = [2.0, 0.5 + 1e-16, 3.25, 0.5 + 1e-16]
    trials = [Trial(i, p, v, seconds=0.001 * (i + 1) / 3) for i, (p, v) in enumerate(zip(params, values))]
    return Trace(
        objective="demo", method="random", budget=4, seed=7, options={"xi": 0.01, "n": 3, "acq": "ei"},
        direction=direction, score_name="accuracy" if direction == "maximize" else "value", optimum=optimum,
        objective_options={"weight": 0.25}, trials=trials,
    )


def test_best_so_far_minimize_and_maximize_follow_a_running_extreme() -> None:
    values = [3.0, 1.0, 2.0, 0.5, 4.0]
    for direction, pick in (("minimize", min), ("maximize", max)):
        trace = Trace(None, "m", 5, 0, direction=direction, trials=[Trial(i, {"x": i}, v) for i, v in enumerate(values)])
        expected = [pick(values[: i + 1]) for i in range(len(values))]
        assert trace.best_so_far.tolist() == expected
        assert trace.values.tolist() == values
        assert trace.best.value == pick(values)


def test_best_is_the_first_of_equal_values() -> None:
    trace = make_trace()
    assert trace.best.index == 1  # trials 1 and 3 tie


def test_partial_resource_trials_do_not_count_as_best() -> None:
    trials = [Trial(0, {"x": 0}, 0.1, resource=0.25), Trial(1, {"x": 1}, 0.9), Trial(2, {"x": 2}, 0.05, resource=0.5),
              Trial(3, {"x": 3}, 0.7)]
    trace = Trace(None, "halving", 4, 0, trials=trials)
    b = trace.best_so_far
    assert math.isnan(b[0])
    assert b[1:].tolist() == [0.9, 0.9, 0.7]
    assert trace.best.index == 3
    assert Trace(None, "halving", 1, 0, trials=trials[:1]).best is None


def test_regret_is_distance_to_the_optimum() -> None:
    assert make_trace().regret is None
    t = make_trace("maximize", optimum=4.0)
    assert t.regret.tolist() == [2.0, 2.0, 0.75, 0.75]
    t = make_trace("minimize", optimum=0.25)
    assert np.allclose(t.regret, [1.75, 0.25, 0.25, 0.25])


def test_empty_trace() -> None:
    t = Trace(None, "grid", 3, 0)
    assert t.best is None and t.best_so_far.size == 0
    assert json.loads(t.to_json())["best"] is None
    assert Trace.from_csv(t.to_csv()) == t


def assert_exact(a: Trace, b: Trace) -> None:
    assert a == b
    for ta, tb in zip(a.trials, b.trials):
        for name in ta.params:
            assert type(ta.params[name]) is type(tb.params[name]), name
            assert repr(ta.params[name]) == repr(tb.params[name])
        assert repr(ta.value) == repr(tb.value) and repr(ta.seconds) == repr(tb.seconds)
    assert list(a.trials[0].params) == list(b.trials[0].params)


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_json_round_trip_is_exact(direction: str) -> None:
    trace = make_trace(direction, optimum=0.125)
    back = Trace.from_json(trace.to_json())
    assert_exact(trace, back)
    assert back.same_trials(trace)


def test_csv_round_trip_is_exact() -> None:
    trace = make_trace("maximize", optimum=3.5)
    trace.trials.append(Trial(4, {"C": 2.0, "k": 5, "kernel": "x", "shrink": True, "extra": None}, math.inf, resource=0.5))
    back = Trace.from_csv(trace.to_csv())
    assert_exact(trace, back)


def test_csv_columns_and_plain_table() -> None:
    trace = make_trace()
    plain = trace.to_csv(metadata=False)
    lines = plain.splitlines()
    assert lines[0] == "index,C,k,kernel,shrink,extra,value,seconds,resource"
    assert len(lines) == 1 + len(trace.trials)
    back = Trace.from_csv(plain, method="random")
    assert back.method == "random" and back.seed is None and back.objective is None
    # without type information, a string that looks like a number is read as a number
    assert back.trials[1].params["kernel"] == 1 and back.trials[0].params["kernel"] == "rbf"
    assert [t.params["C"] for t in back.trials] == [t.params["C"] for t in trace.trials]
    assert [t.value for t in back.trials] == [t.value for t in trace.trials]


def test_save_and_load_by_suffix(tmp_path) -> None:
    trace = make_trace("maximize", optimum=1.0)
    for name in ("t.json", "t.csv"):
        back = Trace.load(trace.save(tmp_path / name))
        assert_exact(trace, back)
    with pytest.raises(ValueError, match="json or .csv"):
        trace.save(tmp_path / "t.txt")


def test_json_follows_the_documented_schema() -> None:
    data = json.loads(make_trace("maximize", optimum=4.0).to_json())
    required = ["objective", "method", "budget", "seed", "options", "trials", "best"]
    assert list(data)[: len(required)] == required
    assert set(data) - set(required) <= {"direction", "score_name", "optimum", "objective_options", "hpedu_version"}
    assert isinstance(data["budget"], int) and isinstance(data["seed"], int)
    assert isinstance(data["options"], dict)
    for i, t in enumerate(data["trials"]):
        assert set(t) == {"index", "params", "value", "seconds"}
        assert t["index"] == i and isinstance(t["value"], float) and isinstance(t["seconds"], float)
    assert data["trials"][0]["params"] == {"C": 0.1 + 0.2, "k": 3, "kernel": "rbf", "shrink": True, "extra": None}
    assert data["best"] == {"index": 2, "params": data["trials"][2]["params"], "value": 3.25}
    assert data["direction"] == "maximize" and data["score_name"] == "accuracy" and data["optimum"] == 4.0


def test_same_trials_ignores_seconds_but_not_types_or_values() -> None:
    a = make_trace()
    b = make_trace()
    b.trials = [Trial(t.index, t.params, t.value, seconds=t.seconds + 1.0) for t in b.trials]
    assert a.same_trials(b) and a != b
    c = make_trace()
    c.trials[0] = Trial(0, {**c.trials[0].params, "k": 3.0}, c.trials[0].value)
    assert not a.same_trials(c)  # 3 and 3.0 are different points for reproducibility
    d = make_trace()
    d.trials[2] = Trial(2, d.trials[2].params, float(np.nextafter(3.25, 4.0)))
    assert not a.same_trials(d)
    assert not a.same_trials(Trace(None, "random", 4, 7, trials=a.trials[:3]))


def test_numpy_scalars_are_written_as_plain_json() -> None:
    t = Trace(None, "m", 1, 0, trials=[Trial(0, {"a": np.int64(3), "b": np.float64(0.5), "c": np.bool_(True)}, 1.0)])
    data = json.loads(t.to_json())
    assert data["trials"][0]["params"] == {"a": 3, "b": 0.5, "c": True}


@pytest.mark.parametrize(
    "text, message",
    [("[]", "JSON object"), ("{", "not valid JSON"), ('{"method": "m", "budget": 1, "seed": 0}', "trials"),
     ('{"method": "m", "budget": 1, "seed": 0, "trials": [{"index": 0}]}', "trial 0")],
)
def test_from_json_rejects_malformed_input(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Trace.from_json(text)


def test_bad_direction_is_rejected() -> None:
    with pytest.raises(ValueError, match="direction"):
        Trace(None, "m", 1, 0, direction="up")

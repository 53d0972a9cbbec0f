"""bayes' min_distance rule: no proposal closer than min_distance (unit cube) to
an earlier trial, and the narration says when the rule moved a point."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from hpedu.simulation import SimSettings, Simulation
from hpedu.tuning.bayes import BayesianSearch
from hpedu.tuning.objectives import get_objective
from hpedu.tuning.space import Categorical, Integer, Real


def near_duplicates(trials: list[dict], lows: dict, highs: dict, limit: float) -> list[tuple[int, int, float]]:
    """(trial, earlier trial, distance), numbered from 1, for each trial within `limit` of an
    earlier one: distance over the real parameters scaled to [0, 1] by their bounds, the
    other values equal. Written here from the bounds, not with Space.to_unit."""
    out = []
    for i, p in enumerate(trials):
        for j in range(i):
            q = trials[j]
            if any(p[k] != q[k] for k in p if k not in lows):
                continue
            d = math.sqrt(sum(((p[k] - q[k]) / (highs[k] - lows[k])) ** 2 for k in lows))
            if d < limit:
                out.append((i + 1, j + 1, d))
                break
    return out


def run(objective: str, budget: int, seed: int, **options) -> list[dict]:
    obj = get_objective(objective)
    s = BayesianSearch(obj.space, budget=budget, seed=seed, **options)
    while not s.finished:
        p = s.ask()
        s.tell(p, obj.loss(obj(p)))
    return [t.params for t in s.trials]


def bounds(objective: str) -> tuple[dict, dict]:
    space = get_objective(objective).space
    return {n: d.low for n, d in space.items()}, {n: d.high for n, d in space.items()}


@pytest.mark.parametrize("objective,seeds", [("wave-1d", (0, 1, 2)), ("branin", (0, 1)), ("hartmann3", (0,))])
def test_no_trial_is_within_min_distance_of_an_earlier_one(objective: str, seeds: tuple[int, ...]) -> None:
    lows, highs = bounds(objective)
    for seed in seeds:
        assert near_duplicates(run(objective, 30, seed), lows, highs, 0.003) == []  # the default, 0.003
        assert near_duplicates(run(objective, 30, seed, min_distance=0.01), lows, highs, 0.01) == []
        if len(lows) > 1:  # on a line, 20 trials 0.05 apart can fill it: then a random point is taken
            assert near_duplicates(run(objective, 20, seed, min_distance=0.05), lows, highs, 0.05) == []


def test_without_the_rule_wave_1d_crowds_its_trials() -> None:
    """The measurement behind the rule: 30 trials on wave-1d, seed 0, min_distance=0."""
    lows, highs = bounds("wave-1d")
    assert len(near_duplicates(run("wave-1d", 30, 0, min_distance=0.0), lows, highs, 0.01)) >= 10


def test_the_rule_counts_only_real_parameters_and_only_with_the_others_equal() -> None:
    space = {"x": Real(0.0, 1.0), "n": Integer(1, 400), "c": Categorical(["a", "b"])}
    s = BayesianSearch(space, budget=10, seed=0, n_initial=3, min_distance=0.1)
    for p in ({"x": 0.5, "n": 10, "c": "a"}, {"x": 0.9, "n": 200, "c": "b"}):
        s._pending.append((dict(p), 1.0))  # as if ask() had proposed it
        s.tell(p, 1.0)
    assert s._too_close({"x": 0.55, "n": 10, "c": "a"}) == (pytest.approx(0.05), "trial 1")
    assert s._too_close({"x": 0.55, "n": 11, "c": "a"}) is None  # another integer: a different point
    assert s._too_close({"x": 0.5, "n": 10, "c": "b"}) is None  # another choice
    assert s._too_close({"x": 0.61, "n": 10, "c": "a"}) is None
    s.set_options(min_distance=0.0)
    assert s._too_close({"x": 0.5, "n": 10, "c": "a"}) is None  # 0: only the no-repeat rule is left


@pytest.mark.parametrize("bad", [-0.01, 0.6, "near", math.nan])
def test_bad_min_distance_is_refused_naming_the_option(bad: object) -> None:
    with pytest.raises(ValueError, match="min_distance"):
        BayesianSearch({"x": Real(0.0, 1.0)}, min_distance=bad)


_SAID = re.compile(r"Bayesian optimization chose x=\S+: the best point at least 0\.003 from every trial "
                   r"\(the acquisition's top point was (?:([0-9.e-]+) from trial (\d+)|trial (\d+) itself, already tried)\)")


def test_narration_says_which_trial_was_too_close_and_what_was_done() -> None:
    sim = Simulation(SimSettings("wave-1d", "bayes", 30, 0))
    while sim.step() is not None:
        pass
    xs = [t.params["x"] / 6.0 for t in sim.trace.trials]
    said = 0
    for i, line in enumerate(sim.narration):
        m = _SAID.search(line)
        if not m:
            assert "min_distance" not in line
            continue
        said += 1
        j, dist = (int(m.group(2)), float(m.group(1))) if m.group(2) else (int(m.group(3)), 0.0)
        assert 1 <= j <= i and dist < 0.003
        # the trial it names is one the new point keeps its distance from
        assert abs(xs[i] - xs[j - 1]) >= 0.003
    assert said >= 3  # measured: 21 of the 30 lines, in the tests' fresh learner environment


def test_the_peeked_reason_is_the_one_the_narration_reports() -> None:
    sim = Simulation(SimSettings("wave-1d", "bayes", 30, 0))
    seen = 0
    while not sim.finished:
        reason = sim.strategy.peek().reason
        sim.step()
        if reason.startswith("min_distance rule: "):
            seen += 1
            assert reason.removeprefix("min_distance rule: ") in sim.narration[-1]
    assert seen >= 3


def test_the_look_inside_note_says_min_distance_when_the_rule_moved_the_point() -> None:
    from hpedu.simulation.views import inside_1d

    sim = Simulation(SimSettings("wave-1d", "bayes", 16, 0))
    notes = []
    while not sim.finished:
        view = inside_1d(sim)
        reason = sim.strategy.peek().reason
        if view is not None and reason.startswith("min_distance rule: ") and view.note:
            notes.append(view.note)
        sim.step()
    assert notes and all(n == "the brightest spot is closer than min_distance to a trial" for n in notes)

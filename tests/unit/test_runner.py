"""The runner: run_steps, minimize, simulate, make_strategy and their checks."""

from __future__ import annotations

import math
import time
from typing import Any, ClassVar

import numpy as np
import pytest

from hpedu.tuning import Categorical, Integer, Real, Strategy, Trace, Trial, minimize, run_steps, simulate
from hpedu.tuning.base import Option
from hpedu.tuning.objectives import OBJECTIVES, get_objective
from hpedu.tuning.objectives.base import Objective
from hpedu.tuning.registry import METHODS
from hpedu.tuning.runner import make_strategy, prepare, resource_objectives
from hpedu.tuning.space import Space


class Diagonal(Strategy):
    """Walks the diagonal of the unit cube; records the losses it is told."""

    name: ClassVar[str] = "diagonal"
    options: ClassVar[tuple[Option, ...]] = (Option("fraction", 1.0, "resource to ask for", low=0.01, high=1.0),)

    def _setup(self) -> None:
        self.told: list[float] = []

    def _propose(self) -> dict[str, Any]:
        self.resource = self.opts["fraction"]
        u = (len(self.trials) + 0.5) / self.budget
        return self.space.from_unit(np.full(len(self.space), u))

    def _observe(self, params: dict[str, Any], loss: float) -> None:
        self.told.append(loss)


class Halves(Diagonal):
    name: ClassVar[str] = "halves"
    uses_resource: ClassVar[bool] = True


SPACE = {"x": Real(-5.0, 5.0), "lr": Real(1e-4, 1.0, log=True), "depth": Integer(1, 8), "kind": Categorical(["a", "b"])}


def user_fn(p: dict[str, Any]) -> float:
    return (p["x"] - 1.5) ** 2 + math.log10(p["lr"] / 0.01) ** 2 + abs(p["depth"] - 3) + (0.0 if p["kind"] == "b" else 1.0)


def test_run_steps_yields_one_trial_per_budget_step() -> None:
    steps = run_steps("branin", method="random", budget=7, seed=1)
    trials = []
    for trial in steps:
        assert isinstance(trial, Trial)
        trials.append(trial)
    assert [t.index for t in trials] == list(range(7))
    obj = get_objective("branin")
    for t in trials:
        assert obj.space.contains(t.params)
        assert t.value == obj(t.params)  # the value is the objective's own value


def test_run_steps_checks_its_arguments_before_the_first_step() -> None:
    with pytest.raises(ValueError, match="random"):
        run_steps("branin", method="nope", budget=3)  # no next() needed
    with pytest.raises(ValueError, match="branin"):
        run_steps("no-such-objective", method="random")


def test_maximized_values_are_stored_and_their_negatives_told() -> None:
    calls: list[dict] = []

    def score(p: dict[str, Any]) -> float:
        calls.append(p)
        return 1.0 - (p["x"] - 0.3) ** 2

    run = prepare(score, {"x": Real(0.0, 1.0)}, strategy=Diagonal({"x": Real(0.0, 1.0)}, budget=5), direction="maximize")
    trials = list(run.steps())
    expected = [1.0 - ((i + 0.5) / 5 - 0.3) ** 2 for i in range(5)]
    assert [t.value for t in trials] == pytest.approx(expected, rel=1e-12)
    assert run.strategy.told == [-v for v in (t.value for t in trials)]
    assert run.trace.best.value == max(t.value for t in trials)
    assert run.trace.direction == "maximize"
    assert len(calls) == 5


@pytest.mark.slow
def test_model_objective_values_are_scores_and_losses_their_negatives() -> None:
    names = [n for n, info in OBJECTIVES.items() if info.kind == "model"]
    assert names, "no model objective registered"
    run = prepare(names[0], method="random", budget=3, seed=0)
    assert run.objective.direction == "maximize" and run.trace.score_name != "value"
    trials = list(run.steps())
    assert all(0.0 <= t.value <= 1.0 for t in trials)
    assert run.strategy.losses == [-t.value for t in trials]
    assert run.trace.best.value == max(t.value for t in trials)


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_best_so_far_is_monotone(direction: str) -> None:
    trace = minimize(user_fn, SPACE, method="random", budget=25, seed=4, direction=direction)
    b = trace.best_so_far
    steps = np.diff(b)
    assert np.all(steps <= 0) if direction == "minimize" else np.all(steps >= 0)
    pick = min if direction == "minimize" else max
    assert b.tolist() == [pick(trace.values[: i + 1]) for i in range(len(b))]


@pytest.mark.parametrize("method", ["random", "grid"])
def test_same_seed_gives_identical_traces(method: str) -> None:
    a = minimize("branin", method=method, budget=12, seed=5)
    b = minimize("branin", method=method, budget=12, seed=5)
    assert a.same_trials(b)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert a.options == b.options


def test_different_seeds_give_different_random_traces() -> None:
    a = minimize("branin", method="random", budget=5, seed=0)
    b = minimize("branin", method="random", budget=5, seed=1)
    assert not a.same_trials(b)


def test_minimize_a_user_function_over_a_user_space() -> None:
    trace = minimize(user_fn, SPACE, method="random", budget=60, seed=0)
    assert isinstance(trace, Trace)
    assert trace.objective is None and trace.method == "random" and trace.budget == 60 and trace.seed == 0
    assert len(trace.trials) == 60
    for t in trace.trials:
        assert Space(SPACE).contains(t.params)
        assert type(t.params["x"]) is float and type(t.params["depth"]) is int and t.params["kind"] in ("a", "b")
        assert t.value == user_fn(t.params)
    assert trace.best.value == min(user_fn(t.params) for t in trace.trials)
    # random search with 60 points finds something clearly better than a typical point
    assert trace.best.value < np.median(trace.values)


def test_trial_seconds_time_the_call() -> None:
    def slow(p: dict[str, Any]) -> float:
        time.sleep(0.02)
        return p["x"]

    trace = minimize(slow, {"x": Real(0.0, 1.0)}, method="random", budget=2)
    assert all(0.02 <= t.seconds < 1.0 for t in trace.trials)


def test_resource_reaches_objectives_that_accept_it() -> None:
    seen: list[float] = []

    def fn(p: dict[str, Any], resource: float = 1.0) -> float:
        seen.append(resource)
        return p["x"] * resource

    obj = Objective("r", "R", "", Space({"x": Real(0.0, 1.0)}), fn, supports_resource=True)
    run = prepare(obj, strategy=Halves(obj.space, budget=3, fraction=0.5))
    trials = list(run.steps())
    assert seen == [0.5, 0.5, 0.5]
    assert [t.resource for t in trials] == [0.5, 0.5, 0.5]
    assert run.trace.best is None  # partial-resource trials are not full models


def test_resource_methods_refuse_objectives_without_a_resource() -> None:
    with pytest.raises(ValueError) as info:
        prepare("branin", strategy=Halves(get_objective("branin").space, budget=3))
    message = str(info.value)
    assert "branin" in message and "resource" in message
    for name in resource_objectives():
        assert name in message
    if "halving" in METHODS and resource_objectives():
        with pytest.raises(ValueError, match=resource_objectives()[0]):
            simulate("branin", "halving", 10, 0, {})


def test_make_strategy_parses_options_and_rejects_unknown_names() -> None:
    s = make_strategy("random", {"x": Real(0, 1)}, budget=3, seed=2)
    assert s.name == "random" and s.budget == 3 and s.seed == 2
    with pytest.raises(ValueError) as info:
        make_strategy("simplex", {"x": Real(0, 1)}, budget=3, seed=0)
    for name in METHODS:
        assert name in str(info.value)
    with pytest.raises(ValueError, match="no option"):
        make_strategy("random", {"x": Real(0, 1)}, budget=3, seed=0, not_an_option=1)


def test_bayes_options_from_strings_are_parsed() -> None:
    s = make_strategy("bayes", {"x": Real(0, 1)}, budget=3, seed=0, xi="0.05")
    assert s.opts["xi"] == 0.05
    with pytest.raises(ValueError, match="xi"):
        make_strategy("bayes", {"x": Real(0, 1)}, budget=3, seed=0, xi="lots")


def test_plain_function_needs_a_space_and_a_known_direction() -> None:
    with pytest.raises(ValueError, match="space"):
        minimize(user_fn, method="random")
    with pytest.raises(ValueError, match="direction"):
        minimize(user_fn, SPACE, method="random", direction="up")
    with pytest.raises(ValueError, match="direction"):
        minimize("branin", method="random", direction="maximize")


def test_an_objective_space_can_be_narrowed_but_not_renamed() -> None:
    narrow = {"x1": Real(0.0, 1.0), "x2": Real(0.0, 1.0)}
    assert set(get_objective("branin").space) == set(narrow), "branin's parameters are named x1, x2"
    trace = minimize("branin", narrow, method="random", budget=5)
    assert all(0 <= t.params["x1"] <= 1 and 0 <= t.params["x2"] <= 1 for t in trace.trials)
    with pytest.raises(ValueError, match="x1"):
        minimize("branin", {"a": Real(0.0, 1.0)}, method="random")


def test_nan_from_the_objective_is_an_error() -> None:
    with pytest.raises(ValueError, match="NaN"):
        minimize(lambda p: math.nan, {"x": Real(0, 1)}, method="random", budget=2)


def test_strategy_argument_excludes_options() -> None:
    with pytest.raises(ValueError, match="options"):
        prepare(user_fn, SPACE, strategy=Diagonal(SPACE, budget=2), fraction=0.5)


def test_simulate_checks_everything_first() -> None:
    for args, needle in [
        (("nope", "random", 5, 0, {}), "branin"),
        (("branin", "nope", 5, 0, {}), "random"),
        (("branin", "random", 0, 0, {}), "budget"),
        (("branin", "random", 5, -1, {}), "seed"),
        (("branin", "random", 5, 0, {"nope": 1}), "option"),
        (("branin", "random", 5, 0, {}, {"nope": 1}), "option"),
    ]:
        with pytest.raises(ValueError, match=needle):
            simulate(*args)


def test_simulate_equals_minimize_on_the_same_settings() -> None:
    a = simulate("branin", "random", 6, 3, {})
    b = minimize("branin", method="random", budget=6, seed=3)
    assert a.same_trials(b) and a.objective == "branin" and a.optimum == get_objective("branin").optimum

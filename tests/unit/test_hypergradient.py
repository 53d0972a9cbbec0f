"""Hypergradient descent: the step rules written out again, the acceptance on
ridge-diabetes, refusals before anything runs, and the narration."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hpedu.tuning.hypergradient import AUTO_LR, HypergradientSearch
from hpedu.tuning.objectives import get_objective
from hpedu.tuning.objectives.base import Objective
from hpedu.tuning.runner import prepare, simulate
from hpedu.tuning.space import Categorical, Integer, Real, Space


def log_path(trace) -> list[float]:
    return [math.log10(t.params["alpha"]) for t in trace.trials]


def slope(split: int, z: float) -> float:
    return get_objective("ridge-diabetes", split=split).gradient({"alpha": 10.0**z})["alpha"]


# ----- the step rules -------------------------------------------------------------------------------
def test_plain_steps_are_minus_lr_times_the_slope_from_alpha_1() -> None:
    trace = simulate("ridge-diabetes", "hypergradient", 6, 0, options={"hyper_lr": 0.001})
    path = log_path(trace)
    assert path[0] == 0.0  # alpha = 1, the middle of 1e-4..1e4 on the log scale
    z = 0.0
    for got in path[1:]:
        z = z - 0.001 * slope(0, z)
        assert got == pytest.approx(z, abs=1e-12)


def test_auto_lr_is_the_documented_value() -> None:
    auto = log_path(simulate("ridge-diabetes", "hypergradient", 4, 0))
    given = log_path(simulate("ridge-diabetes", "hypergradient", 4, 0, options={"hyper_lr": AUTO_LR["gd"]}))
    assert auto == given and AUTO_LR["gd"] == 0.0012


def test_adam_steps_follow_kingma_and_ba() -> None:
    lr, b1, b2, eps = 0.3, 0.9, 0.999, 1e-8
    trace = simulate("ridge-diabetes", "hypergradient", 8, 0, options={"optimizer": "adam", "hyper_lr": lr},
                     objective_options={"split": 4})
    z, m, v = 0.0, 0.0, 0.0
    for t, got in enumerate(log_path(trace)[1:], start=1):
        g = slope(4, z)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        z = z - lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
        assert got == pytest.approx(z, abs=1e-12)
    # the first Adam step moves by lr whatever the size of the slope
    assert log_path(trace)[1] == pytest.approx(lr, rel=1e-6)


def test_steps_stop_at_the_bounds() -> None:
    run = prepare("ridge-diabetes", method="hypergradient", budget=12, seed=0, hyper_lr=0.02)
    trace = run.run()
    path = log_path(trace)
    assert all(-4.0 - 1e-12 <= z <= 4.0 + 1e-12 for z in path)
    clipped = [s for s in run.strategy.steps if s.clipped]
    assert clipped, path
    for s in clipped:
        assert s.end["alpha"] in (-4.0, 4.0) and abs(s.wanted["alpha"]) > 4.0


def test_a_too_large_rate_bounces_across_the_valley() -> None:
    def turns(path: list[float]) -> int:
        moves = np.diff(path)
        return int(np.sum(np.sign(moves[1:]) * np.sign(moves[:-1]) < 0))

    calm = log_path(simulate("ridge-diabetes", "hypergradient", 15, 0))
    wild = log_path(simulate("ridge-diabetes", "hypergradient", 15, 0, options={"hyper_lr": 0.004}))
    assert max(abs(d) for d in np.diff(calm)[:5]) < 0.5 and turns(calm[:6]) == 0
    assert turns(wild) >= 5 and max(wild) - min(wild) > 3.0


# ----- acceptance ------------------------------------------------------------------------------------
@pytest.mark.parametrize("split", range(10))
def test_15_default_steps_reach_within_1_percent_of_a_30_point_grid(split: int) -> None:
    options = {"split": split}
    hyper = simulate("ridge-diabetes", "hypergradient", 15, 0, objective_options=options)
    grid = simulate("ridge-diabetes", "grid", 30, 0, objective_options=options)
    assert len(hyper.trials) == 15 and len(grid.trials) == 30
    assert hyper.best.value <= 1.01 * grid.best.value, (split, hyper.best.value, grid.best.value)


def test_the_seed_changes_nothing_and_the_run_repeats_exactly() -> None:
    a = simulate("ridge-diabetes", "hypergradient", 15, 0)
    b = simulate("ridge-diabetes", "hypergradient", 15, 7)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert [t.value for t in a.trials] == [t.value for t in b.trials]


# ----- refusals -----------------------------------------------------------------------------------------
def test_an_objective_without_a_gradient_is_refused_before_anything_runs() -> None:
    calls = []

    def fn(params):
        calls.append(params)
        return params["x"] ** 2

    with pytest.raises(ValueError, match="needs an objective with an exact gradient.*ridge-diabetes"):
        prepare("wave-1d", method="hypergradient")
    with pytest.raises(ValueError, match="this function has none"):
        prepare(fn, {"x": Real(-1.0, 1.0)}, method="hypergradient")
    assert calls == []


def test_the_strategy_itself_refuses_a_missing_gradient_and_discrete_parameters() -> None:
    with pytest.raises(ValueError, match="gradient"):
        HypergradientSearch(Space({"x": Real(0.0, 1.0)}), budget=3)
    grad = lambda p: {k: 0.0 for k in p}  # noqa: E731
    for dim in (Integer(1, 5), Categorical(["a", "b"])):
        with pytest.raises(ValueError, match=r"continuous parameters only.*y \("):
            HypergradientSearch(Space({"x": Real(0.0, 1.0), "y": dim}), budget=3, gradient=grad)


def test_a_start_outside_the_range_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match=r"'start': 20000.0 is outside alpha's range \[0.0001, 10000\]"):
        prepare("ridge-diabetes", method="hypergradient", start=2e4)
    trace = simulate("ridge-diabetes", "hypergradient", 2, 0, options={"start": 0.01})
    assert trace.trials[0].params["alpha"] == 0.01


def test_a_maximised_objective_is_climbed() -> None:
    """The loss is the negated value, so its gradient is negated too: the steps go uphill."""
    def fn(p):
        return -((p["x"] - 2.0) ** 2)

    obj = Objective("hill", "Hill", "", Space({"x": Real(-5.0, 5.0)}), fn, direction="maximize",
                    gradient=lambda p: {"x": -2.0 * (p["x"] - 2.0)})
    trace = prepare(obj, method="hypergradient", budget=30, seed=0, hyper_lr=0.2).run()
    assert trace.trials[0].params["x"] == 0.0
    assert trace.best.params["x"] == pytest.approx(2.0, abs=1e-3)


def test_cli_simulate_json(capsys) -> None:
    from hpedu.cli import main

    code = main(["simulate", "--method", "hypergradient", "--objective", "ridge-diabetes", "--budget", "15",
                 "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["method"] == "hypergradient" and len(data["trials"]) == 15
    expected = simulate("ridge-diabetes", "hypergradient", 15, 0)
    assert [t["value"] for t in data["trials"]] == [t.value for t in expected.trials]


def test_cli_refuses_the_pair_with_exit_code_2(capsys) -> None:
    from hpedu.cli import main

    assert main(["simulate", "--method", "hypergradient", "--objective", "branin", "--budget", "3"]) == 2
    assert "exact gradient" in capsys.readouterr().err


# ----- narration -------------------------------------------------------------------------------------
def test_narration_says_the_slope_and_the_move() -> None:
    from hpedu.simulation import SimSettings, Simulation

    sim = Simulation(SimSettings("ridge-diabetes", "hypergradient", 4, 0, options={"hyper_lr": 0.001}))
    while sim.step():
        pass
    lines = sim.narration
    assert lines[0].startswith("trial 1: hypergradient started at alpha=1 ")
    z1 = -0.001 * slope(0, 0.0)
    z2 = z1 - 0.001 * slope(0, z1)
    assert lines[2].startswith(f"trial 3: hypergradient step 2: slope {slope(0, z1):.4g} at log10 alpha = "
                               f"{z1:.4g}, moved to {z2:.4g} → mse ")
    sim = Simulation(SimSettings("ridge-diabetes", "hypergradient", 3, 0, options={"hyper_lr": 0.05}))
    while sim.step():
        pass
    assert "moved to 4 (stopped at the bound; the step aimed at" in sim.narration[1]  # 0.05 x 401: far past 4
    assert "moved to -4 (stopped at the bound; the step aimed at" in sim.narration[2]

"""The simulator's controller: same trials as the engine, live options, narration, code."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from hpedu.simulation import (METHOD_TERMS, SimSettings, Simulation, distinct_values, fmt, python_code,
                              sklearn_code)
from hpedu.tuning import simulate
from hpedu.tuning.compare import compare


def _run(sim: Simulation, previews: bool = False) -> None:
    while True:
        if previews and sim.has_inside and sim.n_done:
            if len(sim.names) == 1:
                sim.inside_1d()
            else:
                sim.inside_2d(sim.names[0], sim.names[1])
        if sim.step() is None:
            break


def test_controller_does_not_import_textual() -> None:
    assert "hpedu.simulation" in sys.modules
    import subprocess

    code = "import sys, hpedu.simulation; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("objective,method,budget", [
    ("branin", "random", 15), ("multimodal-2d", "grid", 25), ("wave-1d", "bayes", 12),
    ("branin", "bayes", 14), ("multimodal-2d", "tpe", 14), ("hartmann3", "bayes", 12),
])
def test_previews_do_not_change_the_run(objective: str, method: str, budget: int) -> None:
    """Looking inside after every step gives exactly the engine's trace."""
    sim = Simulation(SimSettings(objective, method, budget, seed=1))
    _run(sim, previews=True)
    ref = simulate(objective, method, budget, 1)
    assert sim.trace.same_trials(ref)
    assert sim.finished and sim.step() is None
    assert len(sim.narration) == len(ref.trials)


def test_narration_says_what_happened() -> None:
    sim = Simulation(SimSettings("low-effective-dim", "random", 5, 0, objective_options={"weight": 0.2}))
    _run(sim)
    best = sim.trace.best_so_far
    for i, (line, t) in enumerate(zip(sim.narration, sim.trace.trials)):
        assert line.startswith(f"trial {i + 1}: random search sampled x={fmt(t.params['x'])}, y={fmt(t.params['y'])}")
        assert f"value {fmt(t.value)}" in line
        improved = i == 0 or best[i] != best[i - 1]
        assert ("new best" in line) == improved


def test_bayes_narration_tells_design_from_model() -> None:
    sim = Simulation(SimSettings("wave-1d", "bayes", 7, 0))
    _run(sim)
    n0 = sim.strategy.n_initial
    assert all("initial design" in line for line in sim.narration[:n0])
    assert all("highest EI" in line for line in sim.narration[n0:])


def test_live_option_applies_to_the_next_proposal() -> None:
    base = Simulation(SimSettings("wave-1d", "bayes", 10, 0))
    changed = Simulation(SimSettings("wave-1d", "bayes", 10, 0))
    for _ in range(7):
        base.step(), changed.step()
    before = changed.inside_1d()
    changed.queue_options(acq="ucb", kappa="8")
    assert changed.strategy.opts["acq"] == "ei"  # queued, not applied yet
    changed.apply_queued()
    after = changed.inside_1d()
    assert after.acq_label.startswith("−LCB") and not np.allclose(after.acquisition, before.acquisition)
    a, b = base.step(), changed.step()
    assert a.params != b.params
    assert changed.changes == [(7, {"acq": "ucb", "kappa": 8.0})]
    # the preview's peak is where the strategy then looked (on a 160-point line)
    assert abs(b.params["x"] - after.next_x) < 6 / 159 * 1.5


def test_live_change_refuses_fixed_and_bad_values() -> None:
    sim = Simulation(SimSettings("branin", "bayes", 10, 0))
    with pytest.raises(ValueError, match="cannot be changed during a run"):
        sim.queue_options(n_initial=3)
    with pytest.raises(ValueError, match="out of range"):
        sim.queue_options(kappa=-1)
    with pytest.raises(ValueError, match="not allowed"):
        sim.queue_options(acq="xx")
    assert sim.changes == []


def test_python_code_reproduces_a_run_with_live_changes() -> None:
    sim = Simulation(SimSettings("wave-1d", "bayes", 9, 3, options={"xi": 0.0}))
    for _ in range(6):
        sim.step()
    sim.set_options(acq="pi")
    sim.step()
    sim.set_options(acq="ucb", kappa=4.0)
    _run(sim)
    code = python_code(sim.settings, sim.changes)
    namespace: dict = {}
    exec(compile(code, "<show code>", "exec"), namespace)  # noqa: S102 - our own generated code
    assert namespace["trace"].same_trials(sim.trace)


def test_python_code_without_changes_uses_minimize() -> None:
    settings = SimSettings("low-effective-dim", "random", 6, 2, objective_options={"weight": 0.3})
    code = python_code(settings)
    assert "minimize(objective, method='random', budget=6, seed=2)" in code
    assert "get_objective('low-effective-dim', weight=0.3)" in code
    namespace: dict = {}
    exec(compile(code, "<show code>", "exec"), namespace)  # noqa: S102
    assert namespace["trace"].same_trials(simulate("low-effective-dim", "random", 6, 2, objective_options={"weight": 0.3}))


def test_sklearn_code_for_grid_and_random_on_models() -> None:
    assert sklearn_code(SimSettings("branin", "grid", 9)) is None
    assert sklearn_code(SimSettings("svc-digits", "bayes", 9)) is None
    grid = sklearn_code(SimSettings("knn-wine", "grid", 20))
    assert "GridSearchCV" in grid and "'kneighborsclassifier__weights': ['uniform', 'distance']" in grid
    compile(grid, "<grid>", "exec")
    rnd = sklearn_code(SimSettings("svc-digits", "random", 12, 5))
    assert "RandomizedSearchCV" in rnd and "loguniform(0.01, 1000.0)" in rnd and "random_state=5" in rnd
    compile(rnd, "<random>", "exec")


@pytest.mark.slow
def test_sklearn_grid_search_finds_hpedus_best() -> None:
    """GridSearchCV on the code shown scores the same grid with the same folds."""
    settings = SimSettings("tree-depth", "grid", 6, 0)
    namespace: dict = {}
    exec(compile(sklearn_code(settings), "<grid>", "exec"), namespace)  # noqa: S102
    search = namespace["search"]
    trace = simulate("tree-depth", "grid", 6, 0)
    assert search.best_score_ == pytest.approx(trace.best.value, abs=1e-12)


def test_best_curve_is_regret_when_the_optimum_is_known() -> None:
    sim = Simulation(SimSettings("branin", "random", 8, 0))
    _run(sim)
    x, y, is_regret = sim.best_curve()
    assert is_regret and list(x) == list(range(1, 9))
    assert np.allclose(y, sim.trace.best_so_far - sim.objective.optimum)


def test_distinct_values_grid_vs_random() -> None:
    comp = compare("low-effective-dim", ["grid", "random"], 9, 1)
    assert distinct_values(comp.methods["grid"].traces[0].trials, "x") == 3
    assert distinct_values(comp.methods["random"].traces[0].trials, "x") == 9


def test_every_method_has_a_glossary_term() -> None:
    from hpedu.tuning.registry import METHODS

    assert set(METHOD_TERMS) == set(METHODS)


def test_bad_settings_are_refused_before_anything_runs() -> None:
    with pytest.raises(ValueError, match="needs an objective that accepts one"):
        Simulation(SimSettings("branin", "halving", 9))
    with pytest.raises(ValueError, match="budget"):
        Simulation(SimSettings("branin", "random", 0))


@pytest.mark.parametrize("objective", ["wave-1d", "branin", "hartmann3"])
@pytest.mark.parametrize("method", ["bayes", "tpe"])
def test_the_marked_next_point_is_the_trial_that_follows(objective: str, method: str) -> None:
    """Every step, the look inside marks exactly the point the next trial tries
    (the others held where the slice is drawn are that point too); the marker
    used to be the argmax of a drawn grid, often far from the real next trial."""
    budget = 14 if method == "bayes" else 16
    for seed in (0, 1, 2):
        options = {"n_startup": 5} if method == "tpe" else {}
        sim = Simulation(SimSettings(objective, method, budget, seed, options=options))
        sim.step()
        names = sim.names
        while not sim.finished:
            if len(names) == 1:
                marked = {names[0]: sim.inside_1d().next_x}
            else:
                heat = sim.inside_2d(names[0], names[1])
                marked = {names[0]: heat.next_point[0], names[1]: heat.next_point[1], **heat.fixed}
            trial = sim.step()
            assert marked == trial.params, f"{objective} {method} seed {seed} trial {trial.index + 1}"
        assert sim.trace.same_trials(simulate(objective, method, budget, seed, options=options))


def test_the_note_says_why_the_next_point_is_not_the_brightest_drawn_one() -> None:
    """wave-1d, bayes, seed 0: the drawn EI peaks on trials already made or
    between grid points; whenever the proposal is away from the drawn peak,
    the note gives a reason, and it is empty when the marker sits on the peak."""
    sim = Simulation(SimSettings("wave-1d", "bayes", 20, 0))
    reasons = set()
    while not sim.finished:
        view = sim.inside_1d()
        if view is not None and sim.strategy.model_ready:
            peak = float(view.x[int(np.argmax(view.acquisition))])
            cell = (view.x[-1] - view.x[0]) / (len(view.x) - 1)
            away = abs(peak - view.next_x) > cell + 1e-12
            assert bool(view.note) == away, (sim.n_done, view.note)
            if away:
                reasons.add(view.note)
        sim.step()
    assert reasons  # this run has such steps


def test_tpe_note_says_it_samples_candidates() -> None:
    sim = Simulation(SimSettings("branin", "tpe", 14, 0, options={"n_startup": 4}))
    notes = []
    while not sim.finished:
        if sim.n_done >= 4:
            notes.append(sim.inside_2d("x1", "x2").note)
        sim.step()
    assert any("TPE keeps the best l/g of 24 points drawn from l(x)" in n for n in notes)


def test_compute_views_after_a_step_and_a_failing_look_inside(monkeypatch) -> None:
    import hpedu.simulation.views as views_module
    from hpedu.simulation import compute_views

    sim = Simulation(SimSettings("hartmann3", "bayes", 8, 0))
    for _ in range(3):
        sim.step()
    views = compute_views(sim, inside=True)
    assert views.n_done == 3 and views.error == "" and views.inside is None
    assert views.heat is not None and views.heat.fixed["x3"] == sim.peek().params["x3"]
    assert views.landscape is not None and views.landscape.fixed == {"x3": sim.slice_point()["x3"]}
    assert compute_views(sim, inside=False).heat is None

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("not positive definite")

    monkeypatch.setattr(views_module, "inside_2d", broken)
    views = compute_views(sim, inside=True)
    assert views.error == "the look inside failed: LinAlgError: not positive definite"
    assert sim.step() is not None  # the run goes on

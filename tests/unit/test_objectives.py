"""The objectives registry and the synthetic functions: known optima, options, errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar
from scipy.stats import qmc

from hpedu.tuning.objectives import OBJECTIVES, Objective, get_objective, objective_names

SYNTHETIC = [n for n, info in OBJECTIVES.items() if info.kind == "synthetic"]
REQUIRED = ["wave-1d", "bowl-2d", "multimodal-2d", "branin", "six-hump-camel", "hartmann3", "hartmann6",
            "low-effective-dim"]

# Minimisers and minima as published (Surjanovic & Bingham, sfu.ca/~ssurjano), not taken from the code.
LITERATURE = {
    "branin": (0.397887, [(-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)]),
    "six-hump-camel": (-1.031628, [(0.0898, -0.7126), (-0.0898, 0.7126)]),
    "hartmann3": (-3.86278, [(0.114614, 0.555649, 0.852547)]),
    "hartmann6": (-3.32237, [(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)]),
}


def bounds(obj: Objective) -> np.ndarray:
    return np.array([(dim.low, dim.high) for dim in obj.space.values()], dtype=float)


def as_params(obj: Objective, x: np.ndarray) -> dict[str, float]:
    return dict(zip(obj.space.names, map(float, x)))


# ----- registry ---------------------------------------------------------------------
def test_registry_lists_synthetic_functions_first_then_models() -> None:
    names = objective_names()
    assert names == list(OBJECTIVES)
    for name in REQUIRED:
        assert name in names
    kinds = [OBJECTIVES[n].kind for n in names]
    assert kinds == sorted(kinds, key=lambda k: k != "synthetic")
    assert "model" in kinds


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_each_entry_builds_an_objective_that_matches_it(name: str) -> None:
    info = OBJECTIVES[name]
    obj = get_objective(name)
    assert isinstance(obj, Objective)
    assert (obj.name, obj.title, obj.description, obj.kind) == (name, info.title, info.description, info.kind)
    assert len(obj.space) == info.dims
    assert obj.supports_resource == info.supports_resource
    assert info.description and "\n" not in info.description
    assert set(obj.options) == {o.name for o in info.options}


def test_unknown_objective_names_every_valid_one() -> None:
    with pytest.raises(ValueError) as err:
        get_objective("rosenbrock")
    assert "rosenbrock" in str(err.value)
    for name in OBJECTIVES:
        assert name in str(err.value)
    with pytest.raises(ValueError):
        get_objective(None)  # type: ignore[arg-type]


def test_unknown_options_name_the_allowed_ones() -> None:
    with pytest.raises(ValueError) as err:
        get_objective("low-effective-dim", wieght=0.1)
    assert "wieght" in str(err.value) and "weight" in str(err.value)
    with pytest.raises(ValueError, match="none"):
        get_objective("branin", weight=0.1)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "lots", math.nan, True, "2"])
def test_invalid_weights_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="weight"):
        get_objective("low-effective-dim", weight=bad)
    with pytest.raises(ValueError, match="weight"):
        OBJECTIVES["low-effective-dim"].build(weight=bad)  # what the content loader calls


def test_options_are_parsed_and_defaults_recorded() -> None:
    assert get_objective("low-effective-dim").options == {"weight": 0.05}
    assert get_objective("low-effective-dim", weight="0.25").options == {"weight": 0.25}
    assert get_objective("low-effective-dim", weight=1).options == {"weight": 1.0}
    assert get_objective("branin").options == {}


def test_importing_and_building_objectives_does_not_import_scikit_learn() -> None:
    code = (
        "import json, sys\n"
        "from hpedu.tuning.objectives import OBJECTIVES, get_objective\n"
        "objs = [get_objective(n) for n in OBJECTIVES]\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    modules = json.loads(out.stdout)
    heavy = [m for m in modules if m.split(".")[0] in ("sklearn", "joblib", "threadpoolctl")
             or m.startswith(("scipy.optimize", "scipy.stats"))]
    assert heavy == []


# ----- known optima -------------------------------------------------------------------
@pytest.mark.parametrize("name", list(LITERATURE))
def test_benchmarks_reach_their_published_minima(name: str) -> None:
    obj = get_objective(name)
    minimum, points = LITERATURE[name]
    for x in points:
        assert obj(as_params(obj, np.array(x))) == pytest.approx(minimum, abs=1e-4)
    assert obj.optimum == pytest.approx(minimum, abs=1e-5)
    assert len(obj.optimum_params) == len(points)


def test_branin_minimum_is_five_over_four_pi() -> None:
    # at x1 = pi the square vanishes and cos(pi) = -1: 10 - 10 (1 - 1/(8 pi)) = 5 / (4 pi)
    assert get_objective("branin").optimum == pytest.approx(5 / (4 * math.pi), abs=1e-12)


def test_wave_minimum_from_a_dense_grid_and_refinement() -> None:
    obj = get_objective("wave-1d")
    x = np.linspace(0.0, 6.0, 600_001)
    values = 2 * (x - 3) * np.sin(x - 3) + 2 + 0.5 * x  # the published formula, written out again
    np.testing.assert_allclose(obj.fn_batch(x[:, None]), values, rtol=0, atol=1e-12)
    i = int(np.argmin(values))
    lo, hi = x[max(i - 1, 0)], x[min(i + 1, len(x) - 1)]
    refined = minimize_scalar(lambda v: obj({"x": v}), bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-12})
    best = min(values[i], refined.fun)
    assert obj.optimum == pytest.approx(best, abs=1e-9)
    assert obj.optimum_params[0]["x"] == pytest.approx(x[i], abs=1e-4)
    # the dip in the middle is a local minimum only, clearly worse than the edge
    inner = minimize_scalar(lambda v: obj({"x": v}), bounds=(2.0, 4.0), method="bounded")
    assert inner.fun > obj.optimum + 0.5


@pytest.mark.parametrize("name", SYNTHETIC)
def test_stored_optimum_is_reached_at_its_params(name: str) -> None:
    obj = get_objective(name)
    assert obj.optimum is not None and obj.optimum_params
    for p in obj.optimum_params:
        assert obj.space.contains(p)
        assert obj(p) == pytest.approx(obj.optimum, abs=1e-9)


@pytest.mark.parametrize("name", [n for n in SYNTHETIC if n != "wave-1d"])
def test_nothing_beats_the_stored_optimum(name: str) -> None:
    """Quasi-random points refined by L-BFGS-B find the stored optimum and nothing lower."""
    obj = get_objective(name)
    box = bounds(obj)
    u = qmc.Sobol(len(box), scramble=True, seed=0).random(4096)
    X = box[:, 0] + u * (box[:, 1] - box[:, 0])
    values = obj.fn_batch(X)
    assert values.min() >= obj.optimum - 1e-12
    found = []
    for x0 in X[np.argsort(values)[:8]]:
        res = minimize(lambda x: obj.fn_batch(x[None, :])[0], x0, method="L-BFGS-B", bounds=box,
                       options={"ftol": 1e-15, "gtol": 1e-10})
        found.append(res.fun)
    assert min(found) >= obj.optimum - 1e-9
    assert min(found) == pytest.approx(obj.optimum, abs=1e-6)


@pytest.mark.parametrize("name", SYNTHETIC)
def test_fn_batch_agrees_with_fn(name: str) -> None:
    obj = get_objective(name)
    rng = np.random.default_rng(3)
    points = [obj.space.sample(rng) for _ in range(50)]
    X = np.array([[p[k] for k in obj.space.names] for p in points])
    batch = obj.fn_batch(X)
    assert batch.shape == (50,)
    np.testing.assert_allclose(batch, [obj(p) for p in points], rtol=1e-13, atol=1e-13)
    with pytest.raises(ValueError, match="shape"):
        obj.fn_batch(np.zeros((3, len(obj.space) + 1)))


def test_multimodal_has_several_local_minima_and_one_global() -> None:
    obj = get_objective("multimodal-2d")
    box = bounds(obj)
    minima = []
    for x0 in np.array(np.meshgrid(np.linspace(-2.75, 2.75, 12), np.linspace(-2.75, 2.75, 12))).reshape(2, -1).T:
        res = minimize(lambda x: obj.fn_batch(x[None, :])[0], x0, method="L-BFGS-B", bounds=box)
        if not any(np.linalg.norm(res.x - m[0]) < 1e-3 for m in minima):
            minima.append((res.x, res.fun))
    values = sorted(v for _, v in minima)
    assert len(values) >= 4
    assert values[0] == pytest.approx(obj.optimum, abs=1e-6)
    assert values[1] > obj.optimum + 0.3  # the global minimum stands out


def test_bowl_is_a_single_smooth_minimum() -> None:
    obj = get_objective("bowl-2d")
    rng = np.random.default_rng(0)
    box = bounds(obj)
    for x0 in box[:, 0] + rng.random((10, 2)) * (box[:, 1] - box[:, 0]):
        res = minimize(lambda x: obj.fn_batch(x[None, :])[0], x0, method="L-BFGS-B", bounds=box,
                       options={"gtol": 1e-12})
        assert res.x == pytest.approx(list(obj.optimum_params[0].values()), abs=1e-4)


# ----- low effective dimension ---------------------------------------------------------
def test_a_3x3_grid_misses_the_important_dimension() -> None:
    obj = get_objective("low-effective-dim")
    axis = [0.0, 0.5, 1.0]  # what a 3 x 3 grid tries on [0, 1]
    grid_best = min(obj({"x": x, "y": y}) for x in axis for y in axis)
    assert grid_best > obj.optimum + 0.3
    assert obj.optimum_params[0]["x"] not in axis
    rng = np.random.default_rng(12345)
    random_best = [obj.fn_batch(rng.random((9, 2))).min() for _ in range(400)]
    assert np.median(random_best) < grid_best - 0.3  # nine random points usually do far better
    assert np.mean(np.array(random_best) < grid_best) > 0.8


def test_weight_sets_how_much_y_matters() -> None:
    flat = get_objective("low-effective-dim", weight=0.0)
    light = get_objective("low-effective-dim")
    heavy = get_objective("low-effective-dim", weight=1.0)
    ys = np.linspace(0.0, 1.0, 101)
    X = np.column_stack([np.full_like(ys, 0.37), ys])
    spread = {w: np.ptp(o.fn_batch(X)) for w, o in ((0.0, flat), (0.05, light), (1.0, heavy))}
    assert spread[0.0] == 0.0
    assert 0.0 < spread[0.05] < 0.1 < spread[1.0]
    assert spread[1.0] == pytest.approx(20 * spread[0.05], rel=1e-9)  # linear in the weight
    # the optimum moves with the weight and is never beaten on a fine grid
    assert flat.optimum == 0.0 < light.optimum < heavy.optimum
    g = np.linspace(0.0, 1.0, 801)
    G = np.array(np.meshgrid(g, g)).reshape(2, -1).T
    for obj in (flat, light, heavy):
        assert obj.fn_batch(G).min() >= obj.optimum - 1e-12
        assert obj.fn_batch(G).min() == pytest.approx(obj.optimum, abs=1e-4)

"""Landscapes: values on a grid, the slice of a >2-D objective, the disk cache."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from hpedu.tuning.landscape import LandscapeCancelled, axis_values, evaluate_landscape
from hpedu.tuning.objectives import get_objective
from hpedu.tuning.objectives.base import Objective
from hpedu.tuning.space import Categorical, Integer, Real, Space


def test_synthetic_grid_matches_the_scalar_function() -> None:
    obj = get_objective("branin")
    land = evaluate_landscape(obj, "x1", "x2", size=9)
    assert land.z.shape == (9, 9)
    assert land.x[0] == -5.0 and land.x[-1] == 10.0 and land.y[-1] == 15.0
    for j in (0, 4, 8):
        for i in (0, 3, 8):
            assert land.z[j, i] == pytest.approx(obj({"x1": land.x[i], "x2": land.y[j]}))
    assert not land.from_cache


def test_slice_of_a_6d_objective_holds_the_others_fixed() -> None:
    obj = get_objective("hartmann6")
    fixed = {"x3": 0.1, "x4": 0.2, "x5": 0.3, "x6": 0.4}
    land = evaluate_landscape(obj, "x1", "x2", size=5, fixed=fixed)
    assert land.fixed == fixed
    p = {"x1": land.x[2], "x2": land.y[3], **fixed}
    assert land.z[3, 2] == pytest.approx(obj(p))
    centre = evaluate_landscape(obj, "x1", "x2", size=5)
    assert centre.fixed == {"x3": 0.5, "x4": 0.5, "x5": 0.5, "x6": 0.5}


def test_one_axis_gives_a_curve() -> None:
    land = evaluate_landscape(get_objective("wave-1d"), "x", size=50)
    assert land.z.shape == (50,) and land.y is None and not land.is_2d
    assert land.best_value == pytest.approx(get_objective("wave-1d").optimum, abs=1e-9)


def test_axis_values_integer_log_and_categorical() -> None:
    values, c = axis_values(Integer(1, 5), 12)
    assert values == [1, 2, 3, 4, 5]
    values, c = axis_values(Real(1e-3, 1e3, log=True), 7)
    assert values[0] == pytest.approx(1e-3) and values[3] == pytest.approx(1.0)
    values, c = axis_values(Categorical(["a", "b", "c"]), 12)
    assert values == ["a", "b", "c"] and list(c) == [0.0, 1.0, 2.0]


def test_unknown_axis_is_refused() -> None:
    with pytest.raises(ValueError, match="not a parameter"):
        evaluate_landscape(get_objective("branin"), "x1", "nope")


def _counting_objective(calls: list[dict]) -> Objective:
    """A 'model' objective (no fn_batch) that records each evaluation."""

    def fn(p: dict) -> float:
        calls.append(dict(p))
        return float(p["a"] + 10 * p["b"] + (p["c"] == "y"))

    space = Space({"a": Real(0.0, 1.0), "b": Integer(1, 3), "c": Categorical(["x", "y"])})
    return Objective(name="counting", title="t", description="d", space=space, fn=fn, direction="maximize", kind="model")


def test_model_landscape_is_cached_and_round_trips(tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_objective(calls)
    seen = []
    land = evaluate_landscape(obj, "a", "b", size=4, directory=tmp_path, progress=lambda d, t: seen.append((d, t)))
    # once before the first point (so a progress line shows at once), then after each
    assert len(calls) == 4 * 3 and seen == [(d, 12) for d in range(13)]
    assert all(p["c"] == "y" for p in calls)  # held at the centre choice
    files = list(tmp_path.glob("counting-*.npz"))
    assert len(files) == 1
    assert not list(tmp_path.glob("*.tmp*"))  # written atomically, nothing left behind
    again = evaluate_landscape(obj, "a", "b", size=4, directory=tmp_path)
    assert len(calls) == 12  # nothing recomputed
    assert again.from_cache and np.array_equal(again.z, land.z)
    # another grid size or fixed value is another cache entry
    evaluate_landscape(obj, "a", "b", size=4, fixed={"c": "x"}, directory=tmp_path)
    assert len(calls) == 24 and len(list(tmp_path.glob("counting-*.npz"))) == 2


def test_corrupt_cache_file_is_moved_aside_and_recomputed(tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_objective(calls)
    first = evaluate_landscape(obj, "a", "c", size=3, directory=tmp_path)
    (path,) = tmp_path.glob("counting-*.npz")
    path.write_bytes(b"this is not an npz file")
    again = evaluate_landscape(obj, "a", "c", size=3, directory=tmp_path)
    assert not again.from_cache and np.array_equal(again.z, first.z)
    assert path.with_suffix(".corrupt").exists() and path.exists()
    third = evaluate_landscape(obj, "a", "c", size=3, directory=tmp_path)
    assert third.from_cache


def test_cache_with_a_wrong_shape_is_not_trusted(tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_objective(calls)
    evaluate_landscape(obj, "a", "b", size=3, directory=tmp_path)
    (path,) = tmp_path.glob("counting-*.npz")
    with np.load(path) as data:
        key = str(data["key"])
    np.savez(path, key=np.array(key), z=np.zeros((2, 2)))
    land = evaluate_landscape(obj, "a", "b", size=3, directory=tmp_path)
    assert not land.from_cache and land.z.shape == (3, 3)


def test_cancel_stops_between_points(tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_objective(calls)
    with pytest.raises(LandscapeCancelled):
        evaluate_landscape(obj, "a", "b", size=4, directory=tmp_path, cancelled=lambda: len(calls) >= 5)
    assert len(calls) == 5
    assert not list(tmp_path.glob("*.npz"))


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hpedu.tuning.landscape import cache_dir

    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path / "landscapes"
    calls: list[dict] = []
    evaluate_landscape(_counting_objective(calls), "a", "b", size=3)
    assert len(list((tmp_path / "landscapes").glob("*.npz"))) == 1


@pytest.mark.slow
def test_real_model_landscape(tmp_path: Path) -> None:
    obj = get_objective("knn-wine")
    land = evaluate_landscape(obj, "n_neighbors", "weights", size=4, directory=tmp_path)
    assert land.z.shape == (2, 4) and land.y_choices == ("uniform", "distance")
    assert land.z[0, 0] == pytest.approx(obj({"n_neighbors": int(land.x[0]), "weights": "uniform"}))
    assert all(0.5 < v <= 1.0 for v in land.z.ravel()) and not math.isnan(land.best_value)

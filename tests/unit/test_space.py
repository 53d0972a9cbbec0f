"""Search-space dimensions and Space: validation, unit-cube mapping, sampling, grids."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hpedu.tuning.space import Categorical, Integer, Real, Space, as_space


# ----- validation ----------------------------------------------------------
@pytest.mark.parametrize(
    "build, words",
    [
        (lambda: Real(1.0, 1.0, name="lr"), ["'lr'", "low", "high"]),
        (lambda: Real(2.0, 1.0, name="lr"), ["'lr'", "less than"]),
        (lambda: Real(0.0, 1.0, log=True, name="lr"), ["'lr'", "log", "low > 0"]),
        (lambda: Real(-1.0, 1.0, log=True, name="lr"), ["'lr'", "log"]),
        (lambda: Real(0.0, math.inf, name="lr"), ["'lr'", "finite"]),
        (lambda: Real(math.nan, 1.0, name="lr"), ["'lr'", "finite"]),
        (lambda: Real("0", 1.0, name="lr"), ["'lr'", "number"]),
        (lambda: Real(True, 2.0, name="lr"), ["'lr'", "number"]),
        (lambda: Integer(3, 3, name="depth"), ["'depth'", "less than"]),
        (lambda: Integer(5, 1, name="depth"), ["'depth'", "less than"]),
        (lambda: Integer(0, 10, log=True, name="depth"), ["'depth'", "log"]),
        (lambda: Integer(1.5, 10, name="depth"), ["'depth'", "whole number"]),
        (lambda: Categorical([], name="kernel"), ["'kernel'", "empty"]),
        (lambda: Categorical(["rbf", "rbf"], name="kernel"), ["'kernel'", "distinct"]),
        (lambda: Categorical("rbf", name="kernel"), ["'kernel'", "list"]),
    ],
)
def test_bad_dimensions_raise_naming_the_parameter(build, words) -> None:
    with pytest.raises(ValueError) as err:
        build()
    for word in words:
        assert word in str(err.value)


def test_unnamed_dimension_error_names_the_type() -> None:
    with pytest.raises(ValueError, match="Real"):
        Real(1.0, 0.0)


def test_space_rejects_bad_entries_naming_them() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        Space({})
    with pytest.raises(ValueError, match="'depth'"):
        Space({"depth": (1, 10)})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="names"):
        Space({"": Real(0, 1)})


def test_space_names_its_dimensions_and_keeps_order() -> None:
    space = Space({"b": Real(0, 1), "a": Integer(1, 3), "c": Categorical(["x", "y"])})
    assert space.names == ["b", "a", "c"]
    assert [d.name for d in space.values()] == ["b", "a", "c"]
    assert as_space(space) is space
    assert Space(space).names == space.names
    # the renamed dimension compares equal to the original (name is not part of equality)
    assert space["b"] == Real(0, 1)


def test_validate_names_the_offending_parameter() -> None:
    space = Space({"lr": Real(1e-3, 1.0, log=True), "depth": Integer(1, 5)})
    space.validate({"lr": 0.01, "depth": 3})
    with pytest.raises(ValueError, match="'depth'.*outside"):
        space.validate({"lr": 0.01, "depth": 6})
    with pytest.raises(ValueError, match="'depth'.*missing"):
        space.validate({"lr": 0.01})
    with pytest.raises(ValueError, match="unknown parameter 'extra'"):
        space.validate({"lr": 0.01, "depth": 3, "extra": 1})


def test_contains() -> None:
    space = Space({"x": Real(-1, 1), "n": Integer(1, 5), "k": Categorical(["a", "b"])})
    assert space.contains({"x": 0.0, "n": 5, "k": "b"})
    assert not space.contains({"x": 1.5, "n": 5, "k": "b"})
    assert not space.contains({"x": 0.0, "n": 2.5, "k": "b"})
    assert not space.contains({"x": 0.0, "n": True, "k": "b"})
    assert not space.contains({"x": 0.0, "n": 2, "k": "c"})
    assert not space.contains({"x": 0.0, "n": 2})
    assert not space.contains({"x": 0.0, "n": 2, "k": "a", "y": 1})


# ----- unit-cube mapping ---------------------------------------------------
def test_real_maps_linearly_and_log_maps_geometrically() -> None:
    lin = Real(-2.0, 6.0)
    assert lin.from_unit(0.0) == -2.0 and lin.from_unit(1.0) == 6.0
    assert lin.from_unit(0.25) == pytest.approx(0.0)
    assert lin.to_unit(4.0) == pytest.approx(0.75)
    log = Real(1e-4, 1.0, log=True)
    assert log.from_unit(0.5) == pytest.approx(1e-2)  # geometric mean of the bounds
    assert log.from_unit(0.25) == pytest.approx(1e-3)
    assert log.to_unit(1e-3) == pytest.approx(0.25)


def test_from_unit_clips_to_the_bounds() -> None:
    assert Real(0.0, 1.0).from_unit(1.7) == 1.0
    assert Real(0.5, 2.0, log=True).from_unit(-3.0) == 0.5
    assert Integer(1, 4).from_unit(9.0) == 4
    assert Categorical(["a", "b"]).from_unit(-1.0) == "a"


def test_integer_slices_are_fair() -> None:
    dim = Integer(1, 3)
    assert [dim.from_unit(u) for u in (0.0, 0.32, 0.34, 0.65, 0.67, 1.0)] == [1, 1, 2, 2, 3, 3]
    assert all(dim.from_unit(dim.to_unit(v)) == v for v in (1, 2, 3))
    counts = np.bincount([dim.sample(np.random.default_rng(s)) for s in range(3000)], minlength=4)[1:]
    assert np.all(np.abs(counts / 3000 - 1 / 3) < 0.03)


def test_categorical_round_trip_and_type_aware_index() -> None:
    dim = Categorical([1, True, "1", None])
    for i, c in enumerate(dim.choices):
        assert dim.index(c) == i
        assert dim.from_unit(dim.to_unit(c)) is c or dim.from_unit(dim.to_unit(c)) == c
    assert dim.index(True) == 1 and dim.index(1) == 0
    with pytest.raises(ValueError, match="not one of"):
        dim.index("x")


def test_space_round_trip() -> None:
    space = Space({"lr": Real(1e-4, 1.0, log=True), "depth": Integer(2, 9), "kind": Categorical(["a", "b", "c"])})
    params = {"lr": 0.003, "depth": 7, "kind": "c"}
    u = space.to_unit(params)
    assert u.shape == (3,) and np.all((u >= 0) & (u <= 1))
    back = space.from_unit(u)
    assert list(back) == ["lr", "depth", "kind"]
    assert back["lr"] == pytest.approx(0.003, rel=1e-12) and back["depth"] == 7 and back["kind"] == "c"


# ----- sampling ------------------------------------------------------------
def test_samples_stay_inside_and_follow_the_scale() -> None:
    space = Space({"lr": Real(1e-6, 1.0, log=True), "x": Real(0.0, 10.0), "n": Integer(1, 1000, log=True)})
    rng = np.random.default_rng(0)
    draws = [space.sample(rng) for _ in range(2000)]
    assert all(space.contains(p) for p in draws)
    lr = np.array([p["lr"] for p in draws])
    x = np.array([p["x"] for p in draws])
    # log-uniform: about half the draws below the geometric mean 1e-3, a sixth below 1e-5
    assert abs(np.mean(lr < 1e-3) - 0.5) < 0.04
    assert abs(np.mean(lr < 1e-5) - 1 / 6) < 0.03
    assert abs(np.mean(x < 5.0) - 0.5) < 0.04
    n = np.array([p["n"] for p in draws])
    assert np.median(n) < 100  # log scale favours small integers (linear median would be ~500)


def test_sampling_is_reproducible_from_the_generator() -> None:
    space = Space({"lr": Real(1e-4, 1.0, log=True), "k": Categorical(["a", "b", "c"])})
    a = [space.sample(np.random.default_rng(7)) for _ in range(3)]
    b = [space.sample(np.random.default_rng(7)) for _ in range(3)]
    assert a == b


# ----- grids ---------------------------------------------------------------
def test_real_grid_is_even_and_includes_the_bounds() -> None:
    assert Real(0.0, 1.0).grid(5) == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    assert Real(0.0, 4.0).grid(1) == [2.0]


def test_log_grid_is_geometric() -> None:
    values = Real(1e-4, 1.0, log=True).grid(5)
    assert values == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0], rel=1e-9)
    ratios = np.array(values[1:]) / np.array(values[:-1])
    assert np.allclose(ratios, 10.0, rtol=1e-9)


def test_integer_grid() -> None:
    assert Integer(1, 9).grid(5) == [1, 3, 5, 7, 9]
    assert Integer(1, 3).grid(10) == [1, 2, 3]  # never more values than the range has
    assert Integer(1, 1000, log=True).grid(4) == [1, 10, 100, 1000]


def test_categorical_grid_is_all_choices() -> None:
    assert Categorical(["a", "b", "c"]).grid(1) == ["a", "b", "c"]


def test_sizes_and_descriptions() -> None:
    assert Real(0, 1).size == math.inf
    assert Integer(2, 5).size == 4
    assert Categorical(["a", "b"]).size == 2
    assert "log" in Real(1e-3, 1, log=True).describe()
    assert "integer" in Integer(1, 5).describe()
    assert "a, b" in Categorical(["a", "b"]).describe()

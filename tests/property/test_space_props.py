"""Hypothesis properties of search spaces: bounds, round trips, grids."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hpedu.tuning.grid import GridSearch
from hpedu.tuning.space import Categorical, Integer, Real, Space

units = st.floats(0.0, 1.0)
seeds = st.integers(0, 2**32 - 1)


@st.composite
def linear_reals(draw) -> Real:
    low = draw(st.floats(-1e6, 1e6))
    # widths relative to the magnitude, so 1e-9 is above float rounding
    width = max(abs(low), 1.0) * 10.0 ** draw(st.floats(-3, 3))
    return Real(low, low + width)


@st.composite
def log_reals(draw) -> Real:
    low = 10.0 ** draw(st.floats(-8, 3))
    return Real(low, low * 10.0 ** draw(st.floats(0.01, 8)), log=True)


@st.composite
def integers(draw) -> Integer:
    log = draw(st.booleans())
    low = draw(st.integers(1, 1000)) if log else draw(st.integers(-1000, 1000))
    return Integer(low, low + draw(st.integers(1, 5000)), log=log)


@st.composite
def categoricals(draw) -> Categorical:
    return Categorical(draw(st.lists(st.text(max_size=4), min_size=1, max_size=6, unique=True)))


reals = st.one_of(linear_reals(), log_reals())
dimensions = st.one_of(reals, integers(), categoricals())


@given(reals, units)
def test_real_unit_round_trip(dim: Real, u: float) -> None:
    x = dim.from_unit(u)
    assert dim.low <= x <= dim.high and dim.contains(x)
    assert abs(dim.to_unit(x) - u) < 1e-9


@given(reals, units)
def test_real_value_round_trip(dim: Real, u: float) -> None:
    x = dim.low + u * (dim.high - dim.low)
    x = min(max(x, dim.low), dim.high)
    assert math.isclose(dim.from_unit(dim.to_unit(x)), x, rel_tol=1e-9, abs_tol=1e-9 * (dim.high - dim.low))


@given(integers(), st.data())
def test_integer_values_round_trip(dim: Integer, data) -> None:
    v = data.draw(st.integers(dim.low, dim.high))
    u = dim.to_unit(v)
    assert 0.0 <= u <= 1.0
    assert dim.from_unit(u) == v


@given(integers(), units)
def test_integer_from_unit_is_inside(dim: Integer, u: float) -> None:
    v = dim.from_unit(u)
    assert isinstance(v, int) and dim.contains(v)


@given(categoricals(), units)
def test_categorical_from_unit_round_trips(dim: Categorical, u: float) -> None:
    c = dim.from_unit(u)
    assert dim.contains(c)
    assert dim.from_unit(dim.to_unit(c)) == c


@given(st.lists(dimensions, min_size=1, max_size=4), seeds)
@settings(max_examples=60)
def test_samples_inside_bounds(dims, seed: int) -> None:
    space = Space({f"p{i}": d for i, d in enumerate(dims)})
    rng = np.random.default_rng(seed)
    for _ in range(5):
        params = space.sample(rng)
        assert space.contains(params)
        u = space.to_unit(params)
        assert np.all((u >= 0) & (u <= 1))


@given(reals, st.integers(1, 40))
def test_real_grid_has_n_values_in_order(dim: Real, n: int) -> None:
    values = dim.grid(n)
    assert len(values) == n
    assert all(dim.contains(v) for v in values)
    assert all(a < b for a, b in zip(values, values[1:]))


@given(log_reals(), st.integers(3, 30))
def test_log_grid_is_geometric(dim: Real, n: int) -> None:
    values = np.array(dim.grid(n))
    ratios = values[1:] / values[:-1]
    assert np.allclose(ratios, ratios[0], rtol=1e-6)
    assert math.isclose(values[0], dim.low, rel_tol=1e-9) and math.isclose(values[-1], dim.high, rel_tol=1e-9)


@given(integers(), st.integers(1, 60))
def test_integer_grid_sizes(dim: Integer, n: int) -> None:
    values = dim.grid(n)
    assert len(set(values)) == len(values)
    assert all(dim.contains(v) for v in values)
    if dim.log:
        assert 1 <= len(values) <= min(n, dim.size)
    else:
        assert len(values) == min(n, dim.size)


@given(st.lists(dimensions, min_size=1, max_size=4), st.integers(1, 300))
@settings(max_examples=80)
def test_grid_size_is_the_product_of_the_axes(dims, budget: int) -> None:
    space = Space({f"p{i}": d for i, d in enumerate(dims)})
    grid = GridSearch(space, budget=budget)
    assert len(grid.points) == math.prod(len(v) for v in grid.axes.values()) <= budget
    expected = {tuple(map(repr, combo)) for combo in itertools.product(*grid.axes.values())}
    assert {tuple(repr(p[k]) for k in space) for p in grid.points} == expected
    assert all(space.contains(p) for p in grid.points)


@given(st.integers(1, 4), st.integers(1, 2000))
def test_grid_uses_floor_of_the_dth_root_per_real_axis(d: int, budget: int) -> None:
    space = Space({f"x{i}": Real(0.0, 1.0) for i in range(d)})
    shape = GridSearch(space, budget=budget).grid_shape
    n = shape[0]
    assert shape == (n,) * d
    assert n**d <= budget < (n + 1) ** d  # exactly floor(budget ** (1/d))

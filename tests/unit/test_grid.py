"""GridSearch: the grid adapts to the budget and is covered exactly."""

from __future__ import annotations

import itertools

import pytest

from hpedu.tuning.base import BudgetExhausted
from hpedu.tuning.grid import GridSearch, grid_axes
from hpedu.tuning.space import Categorical, Integer, Real, Space


def run_all(g: GridSearch) -> list[dict]:
    out = []
    while not g.finished:
        p = g.ask()
        g.tell(p, 0.0)
        out.append(p)
    return out


def test_budget_9_in_2d_is_3_by_3_and_covers_it_exactly() -> None:
    space = Space({"x": Real(0.0, 1.0), "y": Real(10.0, 20.0)})
    g = GridSearch(space, budget=9)
    assert g.grid_shape == (3, 3)
    asked = run_all(g)
    assert len(asked) == 9
    expected = {(x, y) for x in (0.0, 0.5, 1.0) for y in (10.0, 15.0, 20.0)}
    assert {(p["x"], p["y"]) for p in asked} == expected


def test_budget_10_gives_3_by_3_and_finishes_early() -> None:
    space = Space({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)})
    g = GridSearch(space, budget=10)
    asked = run_all(g)
    assert len(asked) == 9 and g.finished
    with pytest.raises(BudgetExhausted):
        g.ask()


@pytest.mark.parametrize("budget, n", [(1, 1), (7, 1), (8, 2), (26, 2), (27, 3), (64, 4), (124, 4), (125, 5)])
def test_points_per_axis_is_the_floor_of_the_cube_root(budget: int, n: int) -> None:
    space = Space({"a": Real(0, 1), "b": Real(0, 1), "c": Real(0, 1)})
    assert GridSearch(space, budget=budget).grid_shape == (n, n, n)


def test_one_point_per_axis_is_the_centre() -> None:
    g = GridSearch({"x": Real(0.0, 4.0), "lr": Real(1e-4, 1.0, log=True)}, budget=3)
    assert g.points == [{"x": 2.0, "lr": pytest.approx(1e-2)}]


def test_log_axes_are_log_spaced() -> None:
    g = GridSearch({"C": Real(1e-3, 1e3, log=True)}, budget=7)
    assert g.axes["C"] == pytest.approx([1e-3, 1e-2, 1e-1, 1.0, 1e1, 1e2, 1e3], rel=1e-9)


def test_order_is_odometer_in_space_order() -> None:
    g = GridSearch({"b": Categorical(["p", "q"]), "a": Integer(1, 3)}, budget=6)
    assert [(p["b"], p["a"]) for p in g.points] == [("p", 1), ("p", 2), ("p", 3), ("q", 1), ("q", 2), ("q", 3)]
    assert all(list(p) == ["b", "a"] for p in g.points)


def test_categoricals_take_all_choices_and_numerics_share_the_rest() -> None:
    space = Space({"kind": Categorical(["a", "b", "c"]), "x": Real(0, 1), "y": Real(0, 1)})
    g = GridSearch(space, budget=30)  # 30 / 3 = 10 left for 2 numeric axes: 3 x 3
    assert g.axes["kind"] == ["a", "b", "c"]
    assert g.grid_shape == (3, 3, 3)
    asked = run_all(g)
    assert len(asked) == 27
    assert {(p["kind"], p["x"], p["y"]) for p in asked} == set(
        itertools.product(["a", "b", "c"], [0.0, 0.5, 1.0], [0.0, 0.5, 1.0])
    )


def test_categoricals_that_do_not_fit_are_thinned() -> None:
    space = Space({"kind": Categorical(list("abcdef")), "x": Real(0, 1)})
    axes = grid_axes(space, 4)
    assert axes["x"] == [0.5]
    assert len(axes["kind"]) == 4 and axes["kind"][0] == "a" and axes["kind"][-1] == "f"
    assert len(set(axes["kind"])) == 4


def test_small_integer_axes_give_their_budget_to_others() -> None:
    space = Space({"flag": Integer(0, 1), "x": Real(0, 1)})
    g = GridSearch(space, budget=10)  # flag has only 2 values, so x gets floor(10 / 2) = 5
    assert g.axes["flag"] == [0, 1]
    assert g.grid_shape == (2, 5)


def test_grid_ignores_the_seed_unless_shuffled() -> None:
    space = {"x": Real(0, 1), "y": Integer(1, 4)}
    a, b = GridSearch(space, budget=16, seed=1), GridSearch(space, budget=16, seed=2)
    assert a.points == b.points
    s1 = GridSearch(space, budget=16, seed=1, shuffle=True)
    s1b = GridSearch(space, budget=16, seed=1, shuffle="true")
    s2 = GridSearch(space, budget=16, seed=2, shuffle=True)
    assert s1.points == s1b.points != s2.points
    key = lambda p: (p["x"], p["y"])  # noqa: E731
    assert sorted(s1.points, key=key) == sorted(a.points, key=key)


def test_best_is_the_grid_point_nearest_the_optimum() -> None:
    g = GridSearch({"x": Real(-2.0, 2.0)}, budget=5)
    while not g.finished:
        p = g.ask()
        g.tell(p, (p["x"] - 0.9) ** 2)
    assert g.best.params == {"x": 1.0}

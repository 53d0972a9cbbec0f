"""EvolutionSearch: generations, elitism, mutation and crossover."""

from __future__ import annotations

import math

import numpy as np

from hpedu.tuning.evolution import EvolutionSearch
from hpedu.tuning.random import RandomSearch
from hpedu.tuning.space import Categorical, Integer, Real, Space

SPACE = Space({"x": Real(-5.0, 5.0), "y": Real(-5.0, 5.0)})


def bowl(p: dict) -> float:
    return (p["x"] - 1.3) ** 2 + (p["y"] + 2.1) ** 2


def run(cls=EvolutionSearch, budget: int = 40, seed: int = 0, space: Space = SPACE, fn=bowl, **options):
    s = cls(space, budget=budget, seed=seed, **options)
    while not s.finished:
        p = s.ask()
        s.tell(p, fn(p))
    return s


def test_generations_have_population_size() -> None:
    s = run(budget=20, population=6)
    assert s.generations == [0] * 6 + [1] * 6 + [2] * 6 + [3] * 2
    assert len(s.trials) == 20


def test_parents_are_the_best_so_far() -> None:
    s = EvolutionSearch(SPACE, budget=30, seed=1, population=5)
    for _ in range(10):
        p = s.ask()
        s.tell(p, bowl(p))
    s.ask()  # starts generation 2
    X, y = s.parents()
    assert len(y) == 5
    assert sorted(y) == sorted(s.losses)[:5]
    assert np.allclose(X, [SPACE.to_unit(s.trials[int(np.argmin(np.abs(np.array(s.losses) - v)))].params) for v in y])


def test_children_stay_near_parents_without_crossover() -> None:
    s = EvolutionSearch(SPACE, budget=16, seed=2, population=8, mutation=0.02, crossover=0.0)
    for _ in range(8):
        p = s.ask()
        s.tell(p, bowl(p))
    parents = np.array([SPACE.to_unit(t.params) for t in s.trials])
    for _ in range(8):
        child = SPACE.to_unit(s.ask())
        dist = np.min(np.linalg.norm(parents - child, axis=1))
        assert dist < 0.1


def test_zero_mutation_without_crossover_clones_parents() -> None:
    s = run(budget=16, population=8, mutation=0.0, crossover=0.0)
    first = [t.params for t in s.trials[:8]]
    assert all(t.params in first for t in s.trials[8:])


def test_crossover_mixes_genes_of_two_parents() -> None:
    s = run(budget=24, population=8, mutation=0.0, crossover=1.0, seed=5)
    genes_x = {t.params["x"] for t in s.trials[:8]}
    genes_y = {t.params["y"] for t in s.trials[:8]}
    children = [t.params for t in s.trials[8:16]]
    assert all(c["x"] in genes_x and c["y"] in genes_y for c in children)
    pairs = {(t.params["x"], t.params["y"]) for t in s.trials[:8]}
    assert any((c["x"], c["y"]) not in pairs for c in children)  # some are new combinations


def test_beats_random_search_on_a_bowl() -> None:
    evo = [min(run(seed=s).losses) for s in range(5)]
    rnd = [min(run(RandomSearch, seed=s).losses) for s in range(5)]
    assert np.mean(evo) < 0.5 * np.mean(rnd)


def test_mixed_space_and_categorical_mutation() -> None:
    space = Space({"k": Categorical(["a", "b", "c"]), "n": Integer(1, 20, log=True), "lr": Real(1e-4, 1.0, log=True)})
    fn = lambda p: (p["k"] != "c") + abs(p["n"] - 4) / 4 + abs(math.log10(p["lr"]) + 2)  # noqa: E731
    s = run(budget=60, seed=3, space=space, fn=fn, population=6)
    assert all(space.contains(t.params) for t in s.trials)
    late = [t.params["k"] for t in s.trials[30:]]
    assert late.count("c") / len(late) > 0.5
    # categorical redraws happen: with mutation=1 every child gets a fresh random category
    s = run(budget=40, seed=3, space=space, fn=fn, population=4, mutation=1.0, crossover=0.0)
    assert len({t.params["k"] for t in s.trials[4:]}) == 3


def test_live_options_take_effect() -> None:
    s = EvolutionSearch(SPACE, budget=30, seed=0, population=4)
    for _ in range(4):
        p = s.ask()
        s.tell(p, bowl(p))
    s.set_options(population=6, mutation=0.0, crossover=0.0)
    kids = []
    for _ in range(6):
        p = s.ask()
        kids.append(p)
        s.tell(p, bowl(p))
    assert all(k in [t.params for t in s.trials[:4]] for k in kids)  # clones: mutation 0
    assert s.generations[4:10] == [1] * 6

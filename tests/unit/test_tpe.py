"""TPESearch: the good/bad split, the Parzen densities, and that it beats random search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hpedu.tuning.random import RandomSearch
from hpedu.tuning.space import Categorical, Integer, Real, Space
from hpedu.tuning.tpe import TPESearch

BOWL = Space({"x": Real(-5.0, 5.0), "y": Real(-5.0, 5.0)})
OPT = (1.3, -2.1)


def bowl(p: dict) -> float:
    return (p["x"] - OPT[0]) ** 2 + (p["y"] - OPT[1]) ** 2


def run(cls, seed: int, budget: int = 40, space: Space = BOWL, fn=bowl, **options):
    s = cls(space, budget=budget, seed=seed, **options)
    while not s.finished:
        p = s.ask()
        s.tell(p, fn(p))
    return s


def test_startup_trials_are_random_search() -> None:
    tpe = run(TPESearch, seed=3, budget=15, n_startup=10)
    rnd = run(RandomSearch, seed=3, budget=10)
    assert [t.params for t in tpe.trials[:10]] == [t.params for t in rnd.trials]
    # with n_startup >= budget the whole run is random search
    assert [t.params for t in run(TPESearch, seed=3, budget=12, n_startup=12).trials] == [
        t.params for t in run(RandomSearch, seed=3, budget=12).trials
    ]


def test_split_takes_the_best_gamma_fraction() -> None:
    s = TPESearch(BOWL, budget=50, seed=0, gamma=0.25)
    losses = [5.0, 1.0, 3.0, 1.0, 9.0, 0.5, 7.0, 2.0]
    for v in losses:
        s.tell(s.ask(), v)
    good, bad = s.split()
    assert s.n_good() == 2  # ceil(0.25 * 8)
    assert list(good) == [3 - 2, 5]  # 0.5 and the first of the two 1.0s
    assert sorted(np.concatenate([good, bad])) == list(range(8))
    assert max(losses[i] for i in good) <= min(losses[i] for i in bad)
    assert s.n_good(1000) == 25  # capped like Optuna
    assert s.n_good(1) == 1


def test_densities_shapes_and_positivity() -> None:
    s = TPESearch({"lr": Real(1e-4, 1, log=True), "n": Integer(1, 9), "k": Categorical(["a", "b"])}, budget=30, seed=1)
    U = np.random.default_rng(0).random((17, 3))
    l0, g0 = s.densities(U)  # before any trial: the prior only
    assert l0.shape == g0.shape == (17,)
    np.testing.assert_allclose(l0, g0)
    for _ in range(12):
        p = s.ask()
        s.tell(p, abs(math.log10(p["lr"]) + 2) + (p["k"] == "a"))
    l, g = s.densities(U)
    assert l.shape == g.shape == (17,)
    assert np.all(np.isfinite(l)) and np.all(l > 0) and np.all(np.isfinite(g)) and np.all(g > 0)
    l1, g1 = s.densities(U[0])  # a single point is accepted too
    assert l1.shape == (1,) and l1[0] == pytest.approx(l[0])
    with pytest.raises(ValueError, match="columns"):
        s.densities(np.zeros((4, 2)))


def test_densities_integrate_to_one_over_the_unit_cube() -> None:
    s = run(TPESearch, seed=2, budget=14, space=Space({"x": Real(0.0, 1.0)}), fn=lambda p: (p["x"] - 0.3) ** 2)
    u = np.linspace(0.0, 1.0, 4001)[:, None]
    l, g = s.densities(u)
    assert np.trapezoid(l, u[:, 0]) == pytest.approx(1.0, abs=2e-3)
    assert np.trapezoid(g, u[:, 0]) == pytest.approx(1.0, abs=2e-3)
    cat = Space({"k": Categorical(["a", "b", "c"])})
    s = run(TPESearch, seed=2, budget=14, space=cat, fn=lambda p: float(p["k"] != "c"))
    l, g = s.densities(np.array([[1 / 6], [3 / 6], [5 / 6]]))
    assert np.mean(l) == pytest.approx(1.0) and np.mean(g) == pytest.approx(1.0)
    assert l[2] > l[0] and g[2] < g[0]  # 'c' is good


def test_good_density_peaks_near_the_good_trials() -> None:
    s = run(TPESearch, seed=4, budget=30)
    opt_u = BOWL.to_unit({"x": OPT[0], "y": OPT[1]})
    far_u = BOWL.to_unit({"x": -5.0, "y": 5.0})
    l, g = s.densities(np.array([opt_u, far_u]))
    assert l[0] > 100 * l[1]  # good trials sit near the optimum
    assert l[0] / g[0] > 3 * (l[1] / g[1])


def test_concentrates_near_the_optimum_better_than_random() -> None:
    seeds = range(5)
    tpe = [run(TPESearch, seed=s) for s in seeds]
    rnd = [run(RandomSearch, seed=s) for s in seeds]
    assert np.mean([min(s.losses) for s in tpe]) < 0.5 * np.mean([min(s.losses) for s in rnd])

    def late_distance(s) -> float:  # mean distance of the proposals after startup
        return float(np.mean([math.sqrt(bowl(t.params)) for t in s.trials[10:]]))

    assert np.mean([late_distance(s) for s in tpe]) < 0.6 * np.mean([late_distance(s) for s in rnd])


def test_learns_the_best_category() -> None:
    space = Space({"k": Categorical(["a", "b", "c", "d"]), "x": Real(0.0, 1.0)})
    fn = lambda p: (0.0 if p["k"] == "b" else 1.0) + p["x"]  # noqa: E731
    picks = [t.params["k"] for seed in range(3) for t in run(TPESearch, seed=seed, budget=30, space=space, fn=fn).trials[10:]]
    assert picks.count("b") / len(picks) > 0.5  # random would give 0.25


def test_options_are_live() -> None:
    s = TPESearch(BOWL, budget=30, seed=0)
    s.set_options(gamma=0.5, n_candidates=5, prior_weight=2.0, n_startup=3)
    for _ in range(4):
        s.tell(s.ask(), 1.0)
    assert s.n_good() == 2


def test_peek_source_holds_the_densities_and_candidates_that_chose_the_point() -> None:
    """Checked after the run has gone on: each peek's source still holds the
    l(x), g(x) and the candidates of its own step, and the peeked point is the
    candidate with the highest l/g among them."""
    space = Space({"x": Real(-5.0, 5.0), "n": Integer(1, 9), "c": Categorical(["a", "b", "c"])})

    def fn(p: dict) -> float:
        return (p["x"] - 1.0) ** 2 + abs(p["n"] - 4) + (0.0 if p["c"] == "b" else 2.0)

    s = TPESearch(space, budget=22, seed=5, n_startup=6, n_candidates=16)
    peeks = []
    while not s.finished:
        peeks.append(s.peek())
        p = s.ask()
        s.tell(p, fn(p))
    for i, p in enumerate(peeks):
        src = p.source
        assert src.n_told == i
        if i < 6:
            assert not p.from_model and src.candidates is None
            assert p.reason == f"start-up: random point {i + 1} of 6 before the densities are used"
            continue
        assert p.from_model and p.reason == "best l/g among 16 candidates drawn from l(x)"
        assert src.candidates.shape == (16, 3)
        good, bad = src.densities(src.candidates)
        winner = src.candidates[int(np.argmax(np.log(good) - np.log(bad)))]
        assert space.from_unit(winner) == p.params

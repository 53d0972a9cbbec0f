"""Bayesian optimisation: the GP internals, the acquisition maximiser, live options."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr

from hpedu.tuning.acquisition import TailWarp, acq_score, face_candidates, log_h, neg_log_marginal_likelihood
from hpedu.tuning.bayes import BayesianSearch
from hpedu.tuning.space import Categorical, Integer, Real

BRANIN_MIN = 0.397887357729738  # Dixon & Szego (1978); three global minima


def branin(p: dict) -> float:
    x1, x2 = p["x1"], p["x2"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


BRANIN_SPACE = {"x1": Real(-5, 10), "x2": Real(0, 15)}


def wave(p: dict) -> float:
    x = p["x"]
    return 2 * (x - 3) * math.sin(x - 3) + 2 + 0.5 * x


def run(strategy: BayesianSearch, fn) -> BayesianSearch:
    while not strategy.finished:
        params = strategy.ask()
        strategy.tell(params, fn(params))
    return strategy


def told(fn, space, xs: list[dict], **options) -> BayesianSearch:
    """A strategy whose history is exactly the points `xs`: each is registered
    as pending (as if `ask` had proposed it), then told."""
    s = BayesianSearch(space, budget=len(xs) + 5, seed=0, n_initial=len(xs), **options)
    for x in xs:
        s._pending.append((dict(x), 1.0))  # as if ask() had proposed it
        s.tell(x, fn(x))
    return s


# ----- the pieces checked against independent formulas ---------------------------------
def test_log_marginal_likelihood_matches_scikit_learn() -> None:
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    rng = np.random.default_rng(1)
    X, y = rng.random((15, 3)), rng.standard_normal(15)
    for fixed in (0.0, 0.3):
        ls = np.full(3, fixed or 0.5)
        matern = Matern(ls, "fixed" if fixed else (1e-2, 1e2), nu=2.5)
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * matern + WhiteKernel(1e-4, (1e-6, 1.0))
        gpr = GaussianProcessRegressor(kernel, optimizer=None).fit(X, y)
        for _ in range(3):
            theta = rng.uniform(-2.0, 1.0, size=gpr.kernel_.theta.shape)
            lml, grad = gpr.log_marginal_likelihood(theta, eval_gradient=True)
            value, ours = neg_log_marginal_likelihood(theta, X, y, fixed)
            assert value == pytest.approx(-lml, rel=1e-10)
            np.testing.assert_allclose(ours, -grad, rtol=1e-7, atol=1e-9)


def test_log_h_is_log_of_the_ei_kernel_and_stays_finite() -> None:
    z = np.linspace(-8.0, 6.0, 57)
    direct = np.log(z * ndtr(z) + np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi))
    np.testing.assert_allclose(log_h(z), direct, rtol=1e-9, atol=1e-12)
    far = log_h(np.array([-40.0, -1e3, -1e9]))
    assert np.all(np.isfinite(far)) and np.all(np.diff(far) < 0)
    # asymptotically h(z) ~ phi(z) / z^2
    assert far[1] == pytest.approx(-0.5 * 1e6 - 0.5 * math.log(2 * math.pi) - 2 * math.log(1e3), rel=1e-6)


@pytest.mark.parametrize("kind", ["ei", "pi", "ucb"])
def test_acquisition_gradient_matches_finite_differences(kind: str) -> None:
    points = [(-4, 2), (0, 5), (3, 1), (8, 12), (2, 9), (9, 3)]
    s = told(branin, BRANIN_SPACE, [{"x1": a, "x2": b} for a, b in points])
    post = s._fit()
    F = np.random.default_rng(2).random((4, 2))

    def score(F):
        mu, sigma, dmu, dsig = post.predict_grad(F)
        return acq_score(mu, sigma, post.best, kind, 0.01, 1.5, dmu, dsig)

    _, grad = score(F)
    eps = 1e-6
    for j in range(2):
        Fp, Fm = F.copy(), F.copy()
        Fp[:, j] += eps
        Fm[:, j] -= eps
        fd = (score(Fp)[0] - score(Fm)[0]) / (2 * eps)
        np.testing.assert_allclose(grad[:, j], fd, rtol=1e-4, atol=1e-6)


def test_tail_warp_is_affine_below_the_median_and_invertible() -> None:
    y = np.array([1.0, 2.0, 3.0, 50.0, 400.0])
    warp = TailWarp(y)
    w = warp(y)
    assert list(np.argsort(w)) == list(np.argsort(y))
    np.testing.assert_allclose(w[:3], (y[:3] - 3.0) / 2.0)  # median 3, median - min = 2
    assert w[4] < 400.0 / 10
    np.testing.assert_allclose(warp.inverse(w), y)


# ----- the posterior and the acquisition, as the UI sees them ---------------------------
def test_posterior_passes_near_observed_points_and_widens_away_from_them() -> None:
    space = {"x": Real(0.0, 6.0)}
    xs = [{"x": v} for v in (0.3, 1.1, 2.0, 2.7, 3.6, 4.4, 5.5)]
    s = told(wave, space, xs)
    mean, std = s.posterior(xs)
    ys = np.array([wave(x) for x in xs])
    span = ys.max() - ys.min()
    np.testing.assert_allclose(mean, ys, atol=0.02 * span)
    assert np.all(std < 0.05 * span)
    # a unit-cube array gives the same answer as the dicts
    U = np.array([[x["x"] / 6.0] for x in xs])
    np.testing.assert_allclose(s.posterior(U)[0], mean)
    # half-way between two far-apart points the model is less sure
    _, gap_std = s.posterior([{"x": 4.95}])
    assert gap_std[0] > 3 * std.max()


def test_expected_improvement_vanishes_at_the_observed_best() -> None:
    space = {"x": Real(0.0, 6.0)}
    xs = [{"x": v} for v in (0.2, 1.0, 1.9, 2.8, 3.7, 4.6, 5.6)]
    s = told(wave, space, xs)
    best = min(xs, key=wave)
    span = max(map(wave, xs)) - wave(best)
    ei_best = s.acquisition([best])[0]
    ei_all = s.acquisition(np.linspace(0, 1, 201)[:, None])
    # deterministic data: the fitted noise is tiny, so the best point is certain
    assert 0.0 <= ei_best < 1e-3 * span
    assert ei_best < 0.05 * ei_all.max()  # elsewhere (near x = 0) there is room to improve


@pytest.mark.parametrize("acq", ["ei", "pi", "ucb"])
def test_acquisition_maximiser_beats_random_candidates(acq: str) -> None:
    s = BayesianSearch(BRANIN_SPACE, budget=12, seed=3, acq=acq, n_initial=6)
    for _ in range(6):
        p = s.ask()
        s.tell(p, branin(p))
    assert s.model_ready
    s.ask()  # proposed from the model; no tell, so the same model answers below
    chosen = s.acquisition(s.next_point[None, :])[0]
    random = s.acquisition(np.random.default_rng(0).random((1000, 2)))
    assert chosen >= random.max() - 1e-9 * abs(random.max())


def test_model_ready_and_errors_before_any_data() -> None:
    s = BayesianSearch(BRANIN_SPACE, budget=10, seed=0, n_initial=3)
    assert not s.model_ready
    with pytest.raises(RuntimeError, match="at least one"):
        s.posterior([{"x1": 0.0, "x2": 0.0}])
    for _ in range(3):
        p = s.ask()
        assert not s.model_ready
        s.tell(p, branin(p))
    assert s.model_ready
    with pytest.raises(ValueError, match="2 columns"):
        s.posterior(np.zeros((4, 3)))


def test_fixed_length_scale_is_used() -> None:
    s = told(wave, {"x": Real(0.0, 6.0)}, [{"x": v} for v in (0.5, 2.0, 4.0, 5.5)], length_scale=0.25)
    assert s._fit().length_scale == pytest.approx([0.25])
    s.set_options(length_scale=0.0)  # live: back to a fitted length-scale
    assert s._fit().length_scale[0] != pytest.approx(0.25)


# ----- live control, reproducibility, discrete spaces ----------------------------------
def _history(seed: int = 5) -> list[tuple[dict, float]]:
    s = run(BayesianSearch(BRANIN_SPACE, budget=8, seed=seed), branin)
    return [(t.params, t.value) for t in s.trials]


def _after(history, **live) -> np.ndarray:
    s = BayesianSearch(BRANIN_SPACE, budget=len(history) + 1, seed=11, n_initial=len(history))
    for params, value in history:
        s._pending.append((dict(params), 1.0))
        s.tell(params, value)
    if live:
        s.set_options(**live)
    s.ask()
    return s.next_point


def test_changing_acq_or_kappa_between_steps_changes_the_next_proposal() -> None:
    h = _history()
    base = _after(h)
    np.testing.assert_array_equal(base, _after(h))  # same state, same proposal
    assert not np.allclose(base, _after(h, acq="ucb", kappa=8.0))
    assert not np.allclose(_after(h, acq="ucb", kappa=0.0), _after(h, acq="ucb", kappa=8.0))
    assert not np.allclose(base, _after(h, acq="pi", xi=1.0))


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="acq"):
        BayesianSearch(BRANIN_SPACE, acq="greedy")
    with pytest.raises(ValueError, match="kappa"):
        BayesianSearch(BRANIN_SPACE, kappa=-1.0)
    s = BayesianSearch(BRANIN_SPACE)
    with pytest.raises(ValueError, match="n_initial"):
        s.set_options(n_initial=3)  # not live


def test_same_seed_same_trace_and_different_seed_differs() -> None:
    a = run(BayesianSearch(BRANIN_SPACE, budget=12, seed=7), branin)
    b = run(BayesianSearch(BRANIN_SPACE, budget=12, seed=7), branin)
    c = run(BayesianSearch(BRANIN_SPACE, budget=12, seed=8), branin)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert [t.params for t in a.trials] != [t.params for t in c.trials]


def test_branin_regret_is_small_within_30_trials() -> None:
    s = run(BayesianSearch(BRANIN_SPACE, budget=30, seed=0), branin)
    # random search's median regret at this budget is about 1.7
    assert min(s.losses) - BRANIN_MIN < 0.05


def test_mixed_space_stays_valid_and_never_repeats_a_point() -> None:
    space = {"n": Integer(1, 4), "kind": Categorical(["a", "b"]), "x": Real(0.0, 1.0)}

    def f(p: dict) -> float:
        return (p["n"] - 3) ** 2 + (0.0 if p["kind"] == "b" else 1.0) + (p["x"] - 0.3) ** 2

    s = run(BayesianSearch(space, budget=14, seed=2), f)
    keys = [(t.params["n"], t.params["kind"], t.params["x"]) for t in s.trials]
    assert len(set(keys)) == len(keys)
    assert all(type(t.params["n"]) is int and t.params["kind"] in ("a", "b") for t in s.trials)
    assert s.best.params["n"] == 3 and s.best.params["kind"] == "b"


def test_a_small_discrete_space_is_covered_without_repeats() -> None:
    space = {"n": Integer(0, 3), "kind": Categorical(["a", "b"])}
    s = run(BayesianSearch(space, budget=8, seed=0), lambda p: p["n"] + (p["kind"] == "a"))
    assert len({(t.params["n"], t.params["kind"]) for t in s.trials}) == 8


# ----- peek: the point shown is the point chosen, and the reason says how -------------------
def _peek_run(space, fn, budget: int, seed: int, acq: str):
    """Every peek of a run with the unit-cube sample used to check it."""
    s = BayesianSearch(space, budget=budget, seed=seed, acq=acq)
    out = []
    while not s.finished:
        p = s.peek()
        out.append((len(s.trials), p))
        params = s.ask()
        s.tell(params, fn(params))
    return s, out


HARTMANN3_SPACE = {f"x{i}": Real(0.0, 1.0) for i in range(3)}


def hartmann3(p: dict) -> float:
    a = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
    c = np.array([1.0, 1.2, 3.0, 3.2])
    P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
    x = np.array([p["x0"], p["x1"], p["x2"]])
    return float(-np.sum(c * np.exp(-np.sum(a * (x - P) ** 2, axis=1))))


@pytest.mark.parametrize(
    "space,fn,acq,seeds",
    [
        ({"x": Real(0.0, 6.0)}, wave, "ei", (0, 1)),
        (BRANIN_SPACE, branin, "ei", (0, 1, 2, 3)),
        (BRANIN_SPACE, branin, "ucb", (0, 3)),
        (BRANIN_SPACE, branin, "pi", (0,)),
        (HARTMANN3_SPACE, hartmann3, "ei", (0, 3)),
    ],
    ids=["wave-ei", "branin-ei", "branin-ucb", "branin-pi", "hartmann3-ei"],
)
def test_peek_is_the_acquisition_maximum_unless_a_rule_chose_it(space, fn, acq: str, seeds) -> None:
    """The peeked point maximises its source's acquisition over a dense random
    sample of the cube, its faces and its corners, within 0.1% of the
    acquisition's range there (measured: at most 0.04%, where tried points
    crowd within 2e-4 of each other and the GP is nearly singular); when a
    rule chose it instead, the reason says which rule and that the rule was
    needed (no-repeat: a tried point scores as high; min_distance: the
    higher-scoring points all lie too close to a trial, and the point beats
    the sampled points that keep the distance)."""
    d = len(space)
    rules = 0
    for seed in seeds:
        s, peeks = _peek_run(space, fn, 18, seed, acq)
        rng = np.random.default_rng(seed)
        U = rng.random((20000, d))
        faces = np.repeat(rng.random((2000, d))[None], 2 * d, axis=0)  # 2000 on each face ...
        for f in range(2 * d):
            faces[f, :, f // 2] = f % 2
        corners = np.array(np.meshgrid(*[[0.0, 1.0]] * d)).reshape(d, -1).T  # ... and the corners
        U = np.vstack([U, faces.reshape(-1, d), corners])
        for n, p in peeks:
            src = p.source
            assert src.n_told == n and np.array_equal(p.unit, src.next_point)
            if n < s.n_initial:
                assert not p.from_model and p.reason.startswith("initial design"), p.reason
                continue
            assert p.from_model, p.reason
            a = src.acquisition(U)
            here = src.acquisition(p.unit[None])[0]
            X, _ = src.observed_unit()
            if "no-repeat rule" in p.reason:
                rules += 1  # a tried point scored at least as high: the rule was needed
                assert src.acquisition(X).max() >= here, (seed, n, p.reason)
                continue
            if p.reason.startswith("min_distance rule"):
                rules += 1  # points that score as high lie too close to a trial ...
                md = src.opts["min_distance"]
                step = rng.standard_normal((len(X), 500, d))
                step *= md * rng.random((len(X), 500, 1)) ** (1 / d) / np.linalg.norm(step, axis=2, keepdims=True)
                balls = np.clip(X[:, None, :] + step, 0.0, 1.0).reshape(-1, d)  # points within md of a trial
                # (as high, up to 1e-6 of the range: a peak just inside the distance leaves its
                # best allowed value on the rim, where the point may be)
                assert src.acquisition(balls).max() >= here - 1e-6 * (a.max() - a.min()), (seed, n, p.reason)
                near = np.sqrt(((U[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)).min(axis=1) < md
                # ... and the point keeps the distance and beats the others that keep it
                assert np.sqrt(((X - p.unit) ** 2).sum(axis=1)).min() >= md
                assert here >= a[~near].max() - 1e-3 * (a.max() - a.min()), (seed, n, p.reason)
                continue
            assert p.reason.startswith("highest ") and "rounded" not in p.reason, p.reason
            assert here >= a.max() - 1e-3 * (a.max() - a.min()), (seed, n, here, a.max(), p.reason)
    if fn is wave:
        assert rules > 0  # on wave-1d the best point sits on the edge x = 0 and is tried early


def test_peek_reasons_name_the_acquisition() -> None:
    s = BayesianSearch(BRANIN_SPACE, budget=8, seed=0, n_initial=3)
    reasons = []
    while not s.finished:
        reasons.append(s.peek().reason)
        if len(s.trials) == 4:
            s.set_options(acq="ucb", kappa=3.0)
            reasons[-1] = s.peek().reason
        params = s.ask()
        s.tell(params, branin(params))
    assert reasons[:3] == [f"initial design: quasi-random (Sobol) point {i} of 3" for i in (1, 2, 3)]
    assert reasons[3].startswith("highest expected improvement among ")
    assert reasons[4].startswith("highest lower confidence bound (kappa=3) among ")


def test_peek_reason_says_when_an_integer_was_rounded() -> None:
    space = {"n": Integer(1, 1000), "x": Real(0.0, 1.0)}
    s = BayesianSearch(space, budget=12, seed=1, n_initial=4)
    model_reasons = []
    while not s.finished:
        p = s.peek()
        if p.from_model:
            model_reasons.append(p.reason)
        params = s.ask()
        s.tell(params, (params["n"] - 333.3) ** 2 / 1e4 + (params["x"] - 0.4) ** 2)
    assert len(model_reasons) == 8
    assert any(r.endswith(", rounded to whole numbers") for r in model_reasons), model_reasons


@pytest.mark.parametrize("d", [1, 2, 3, 6])
def test_face_candidates_cover_every_face_evenly(d: int) -> None:
    from scipy.stats import qmc

    sobol = qmc.Sobol(d, scramble=True, seed=3).random_base2(11)
    points, group = face_candidates(sobol, with_corners=d <= 3)
    faces = 2 * d + (1 if d <= 3 else 0)
    assert sorted(set(group.tolist())) == list(range(faces))
    for f in range(2 * d):
        on = points[group == f]
        assert len(on) >= 64 and np.all(on[:, f // 2] == f % 2)
        for j in range(d):  # the other coordinates spread over all of [0, 1]
            if j != f // 2:
                assert np.all(np.histogram(on[:, j], bins=8, range=(0, 1))[0] > 0), (f, j)
    if d <= 3:
        corners = points[group == 2 * d]
        assert len(corners) == 2**d and set(map(tuple, corners)) == set(np.ndindex(*[2] * d))

"""hpedu's own Gaussian process (hpedu/tuning/gp.py) against scikit-learn's,
and the Bayesian path without scikit-learn."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy.optimize import minimize

from hpedu.tuning.acquisition import Posterior, TailWarp
from hpedu.tuning.gp import fit_gp, log_prior, theta_bounds


def _data(n: int = 14, d: int = 3, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = np.sin(6 * X[:, 0]) + X[:, 1] ** 2 - 0.5 * X[:, 2] + 3.0
    return X, y


@pytest.mark.parametrize("fixed", [0.0, 0.3])
def test_posterior_equals_scikit_learn_at_the_fitted_hyperparameters(fixed: float) -> None:
    X, y = _data()
    fit = fit_gp(X, y, fixed_length_scale=fixed)
    gpr = fit.to_sklearn()  # scikit-learn's regressor, kernel fixed at these values
    np.testing.assert_allclose(fit.L, gpr.L_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fit.alpha, np.ravel(gpr.alpha_), rtol=1e-10, atol=1e-12)
    F = np.random.default_rng(5).random((40, 3))
    mean, std = gpr.predict(F, return_std=True)  # in y's units, the noise included in std
    mu, sigma = Posterior(fit, TailWarp(y, enabled=False)).predict(F)  # standardised, latent
    np.testing.assert_allclose(fit.y_mean + fit.y_std * mu, mean, rtol=1e-10)
    np.testing.assert_allclose(fit.y_std**2 * (sigma**2 + fit.noise), std**2, rtol=1e-7)
    assert np.mean(y) == pytest.approx(fit.y_mean) and np.std(y) == pytest.approx(fit.y_std)


def test_hyperparameters_are_the_maximum_of_scikit_learns_likelihood_plus_the_prior() -> None:
    X, y = _data()
    fit = fit_gp(X, y)
    gpr = fit.to_sklearn()

    def neg_post(theta: np.ndarray) -> tuple[float, np.ndarray]:
        lml, grad = gpr.log_marginal_likelihood(theta, eval_gradient=True)  # scikit-learn's own
        lp, lp_grad = log_prior(theta, False)
        return -(lml + lp), -(grad + lp_grad)

    bounds = theta_bounds(3)
    best = min((minimize(neg_post, start, jac=True, method="L-BFGS-B", bounds=bounds) for start in
                (np.zeros(5), np.log([1.0, 0.5, 0.5, 0.5, 1e-4]), np.log([2.0, 0.2, 1.0, 3.0, 1e-3]))),
               key=lambda r: r.fun)
    assert neg_post(fit.theta)[0] == pytest.approx(best.fun, abs=1e-6)
    np.testing.assert_allclose(fit.theta, best.x, atol=1e-3)


def test_warm_start_is_used_and_constant_targets_do_not_break_the_fit() -> None:
    X, y = _data()
    first = fit_gp(X, y)
    again = fit_gp(X, y, warm_theta=first.theta)
    np.testing.assert_allclose(again.theta, first.theta, atol=1e-4)  # the same maximum, to L-BFGS-B's tolerance
    flat = fit_gp(X, np.full(len(X), 2.5))
    assert flat.y_std == 1.0 and np.all(flat.y == 0.0) and np.all(np.isfinite(flat.alpha))


def test_the_bayesian_path_does_not_import_scikit_learn() -> None:
    code = (
        "import json, sys\n"
        "from hpedu.tuning.bayes import BayesianSearch\n"
        "from hpedu.tuning.space import Real\n"
        "s = BayesianSearch({'x': Real(0, 1), 'y': Real(-2, 2)}, budget=9, seed=3, n_initial=4)\n"
        "for _ in range(8):\n"
        "    p = s.ask(); s.tell(p, (p['x'] - 0.3) ** 2 + p['y'] ** 2)\n"
        "s.posterior([{'x': 0.5, 'y': 0.0}]); s.acquisition([{'x': 0.5, 'y': 0.0}]); s.peek()\n"
        "print(json.dumps([s.model_ready, sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [True, []]


@pytest.mark.parametrize("fixed", [False, True])
def test_log_prior_is_the_documented_one_and_its_gradient_matches_finite_differences(fixed: bool) -> None:
    theta = np.array([0.3, -0.7, 1.1, -5.0]) if not fixed else np.array([0.3, -5.0])
    value, grad = log_prior(theta, fixed)
    scale, noise, ls = np.exp(theta[0]), np.exp(theta[-1]), np.exp(theta[1:-1])
    # log-densities of the values, constants left out: Gamma(2, 1) on the variance (v e^-v),
    # exponential with rate 30 on the noise (e^-30n), -(0.1 l^2 + 0.1 / l^2) on each length-scale
    expected = np.log(scale) - scale - 30 * noise
    if not fixed:
        expected -= np.sum(0.1 * ls**2 + 0.1 / ls**2)
    assert value == pytest.approx(expected, rel=1e-12)
    eps = 1e-6
    numeric = [(log_prior(theta + eps * e, fixed)[0] - log_prior(theta - eps * e, fixed)[0]) / (2 * eps)
               for e in np.eye(len(theta))]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)

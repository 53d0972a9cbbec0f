"""The Gaussian process behind `bayes`, in numpy and scipy alone.

Model: ``scale * Matern(nu=2.5, one length-scale per feature) + noise * I``
on standardised targets (mean 0, standard deviation 1, as scikit-learn's
``GaussianProcessRegressor(normalize_y=True)``; in scikit-learn's words the
kernel is ``ConstantKernel * Matern(nu=2.5) + WhiteKernel``, and `GPFit.to_sklearn`
builds that very model for anyone who wants to check or reuse it).

`fit_gp` finds the hyperparameters theta = log [scale, length-scales..., noise]
by maximising the log marginal likelihood (`neg_log_marginal_likelihood`,
checked against scikit-learn's in the tests) plus weak log-priors
(`log_prior`), with L-BFGS-B from a warm start and from the default values,
keeping the better; then it factors the kernel matrix once for the posterior
(`acquisition.Posterior`).

Why not scikit-learn's regressor (used until this module existed): the
engine read its private attributes (`_y_train_mean`, `_y_train_std`) and
reached into its optimizer hook; hpedu already computed the likelihood, its
gradient and the posterior itself, so scikit-learn only standardised the
targets and factored one matrix. Its public API alone would have done
(standardise the targets ourselves, `normalize_y=False`, read `kernel_`,
`L_`, `alpha_`); both were measured (benchmarks/gp_fit.py, a shared 2-core
machine under load): the same hyperparameters; one fit 1.1-1.6 times faster
here (30 points in 2-D: 37 against 52 ms, 60 points: 104 against 162 ms);
`import sklearn.gaussian_process`, 0.14-0.34 s by `python -X importtime`,
no longer on the Bayesian path; and, since this module repeats
scikit-learn's operations in its order, seeded runs give bit for bit the
trials they gave with scikit-learn (35 runs on 8 functions compared), so
no benchmark figure moved. Owning ~100 lines was the better trade.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import cho_solve, cholesky
from scipy.optimize import minimize as scipy_minimize

from .acquisition import matern52, neg_log_marginal_likelihood

__all__ = ["GPFit", "LS_BOUNDS", "NOISE_BOUNDS", "SCALE_BOUNDS", "default_theta", "fit_gp", "log_prior",
           "theta_bounds"]

LS_BOUNDS = (1e-2, 1e2)
SCALE_BOUNDS = (1e-3, 1e3)
NOISE_BOUNDS = (1e-6, 1.0)
_JITTER = 1e-10  # added to the diagonal on top of the fitted noise (scikit-learn's default `alpha`)
_DEFAULT_LS = 0.5
_DEFAULT_NOISE = 1e-4


def default_theta(n_features: int, fixed_length_scale: float = 0.0) -> np.ndarray:
    """The starting hyperparameters: log [1, 0.5 per feature (unless fixed), 1e-4]."""
    ls = [] if fixed_length_scale > 0 else [_DEFAULT_LS] * n_features
    return np.log(np.array([1.0, *ls, _DEFAULT_NOISE]))


def theta_bounds(n_features: int, fixed_length_scale: float = 0.0) -> np.ndarray:
    """Bounds (k, 2) of the log-hyperparameters, in the order of `default_theta`."""
    ls = [] if fixed_length_scale > 0 else [LS_BOUNDS] * n_features
    return np.log(np.array([SCALE_BOUNDS, *ls, NOISE_BOUNDS], dtype=float))


def log_prior(theta: np.ndarray, fixed_ls: bool) -> tuple[float, np.ndarray]:
    """Log-prior on the kernel's log-hyperparameters [scale, length-scales..., noise]
    and its gradient: Gamma(2, 1) on the signal variance and -(0.1 l^2 + 0.1 / l^2)
    on each length-scale (as Optuna's GP sampler), and an exponential prior
    with rate 30 on the noise variance. Optuna's Gamma(1.1, 30) has its mode at
    0.0033, so smooth deterministic data kept a noise floor and the posterior
    did not pass through the observed points; the exponential's mode is 0, and
    the benchmark regrets did not change beyond seed noise."""
    grad = np.zeros_like(theta)
    s, n = theta[0], theta[-1]
    lp = s - math.exp(s) - 30.0 * math.exp(n)
    grad[0] = 1.0 - math.exp(s)
    grad[-1] = -30.0 * math.exp(n)
    if not fixed_ls:
        ls = theta[1:-1]
        up, down = np.exp(2.0 * ls), np.exp(-2.0 * ls)
        lp -= 0.1 * float(np.sum(up + down))
        grad[1:-1] = -0.2 * up + 0.2 * down
    return lp, grad


@dataclass(frozen=True)
class GPFit:
    """A fitted GP: training inputs `X` (n, D), the standardised targets `y`
    and how they were standardised (`y_mean`, `y_std`), the hyperparameters,
    the Cholesky factor `L` of K + (noise + jitter) I and `alpha` = K^-1 y."""

    X: np.ndarray
    y: np.ndarray
    y_mean: float
    y_std: float
    theta: np.ndarray
    scale: float
    length_scale: np.ndarray
    noise: float
    L: np.ndarray
    alpha: np.ndarray

    def to_sklearn(self) -> Any:
        """The same model as a fitted scikit-learn `GaussianProcessRegressor`
        (kernel fixed at these hyperparameters, `normalize_y=True`); imports
        scikit-learn. `y_mean + y_std * y` are the targets it is fitted to."""
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        kernel = (ConstantKernel(self.scale) * Matern(self.length_scale.copy(), nu=2.5)
                  + WhiteKernel(self.noise))
        gpr = GaussianProcessRegressor(kernel, alpha=_JITTER, optimizer=None, normalize_y=True)
        return gpr.fit(self.X, self.y_mean + self.y_std * self.y)


def _standardise(y: np.ndarray) -> tuple[np.ndarray, float, float]:
    mean = float(np.mean(y))
    std = float(np.std(y))
    if std < 10 * np.finfo(float).eps:  # constant targets: leave the scale alone (as scikit-learn does)
        std = 1.0
    return (y - mean) / std, mean, std


def fit_gp(X: np.ndarray, y: np.ndarray, warm_theta: np.ndarray | None = None,
           fixed_length_scale: float = 0.0) -> GPFit:
    """MAP fit of the hyperparameters to (X, y) and the factors of the posterior.

    `warm_theta` (e.g. the previous fit's) is the first start, clipped into
    the bounds; the default hyperparameters are the second (when different).
    A fixed length-scale (> 0) is not fitted.
    """
    X = np.asarray(X, dtype=float)
    ys, y_mean, y_std = _standardise(np.asarray(y, dtype=float).ravel())
    D = X.shape[1]
    fixed = float(fixed_length_scale)
    bounds = theta_bounds(D, fixed)
    default = default_theta(D, fixed)

    def neg_log_post(theta: np.ndarray) -> tuple[float, np.ndarray]:
        nll, grad = neg_log_marginal_likelihood(theta, X, ys, fixed, _JITTER)
        lp, lp_grad = log_prior(theta, fixed > 0)
        return nll - lp, grad - lp_grad

    starts = [default]
    if warm_theta is not None and len(warm_theta) == len(default):
        warm = np.clip(np.asarray(warm_theta, dtype=float), bounds[:, 0], bounds[:, 1])
        warm = np.log(np.exp(warm))  # stored as values and read back as logs, as scikit-learn's kernel.theta
        starts = [warm] if np.allclose(warm, default) else [warm, default]
    best_theta, best_val = starts[0], math.inf
    for theta0 in starts:
        res = scipy_minimize(neg_log_post, theta0, jac=True, method="L-BFGS-B",
                             bounds=bounds, options={"maxiter": 200})
        if np.isfinite(res.fun) and res.fun < best_val:
            best_theta, best_val = np.asarray(res.x, dtype=float), float(res.fun)
    values = np.exp(best_theta)
    scale, noise = float(values[0]), float(values[-1])
    ls = np.full(D, fixed) if fixed > 0 else values[1:-1]
    # the same operations in the same order as scikit-learn's regressor, so a
    # run gives the very trials it gave when that regressor was used
    K = scale * matern52(X, X, ls)
    K[np.diag_indices_from(K)] += noise
    K[np.diag_indices_from(K)] += _JITTER
    L = cholesky(K, lower=True, check_finite=False)
    alpha = cho_solve((L, True), ys, check_finite=False)
    theta = np.log(np.hstack([scale, [] if fixed > 0 else ls, noise]))  # logs of the values, as kernel.theta
    return GPFit(X=X, y=ys, y_mean=y_mean, y_std=y_std, theta=theta, scale=scale,
                 length_scale=ls, noise=noise, L=L, alpha=alpha)

"""Gaussian-process posterior and acquisition functions, with gradients.

`BayesianSearch` fits a Gaussian process (`gp.fit_gp`: kernel
scale * Matern(nu=2.5) + noise, in scikit-learn's words ConstantKernel *
Matern(nu=2.5) + WhiteKernel) and hands the fit to `Posterior`, which
evaluates the *latent* function's mean and standard deviation (without the
fitted noise) and their gradients in closed form. Everything here works on
standardised targets: the losses pass through `TailWarp` and are then
standardised, so `xi` and `kappa` are scale-free; `Posterior.to_loss` maps
results back to loss units. `neg_log_marginal_likelihood` is the objective
scikit-learn's `GaussianProcessRegressor` would minimise for this kernel,
written out in numpy (the tests check that both agree).

Acquisition functions are *scores to maximise*:

- ``ei``:  log of the expected improvement below the incumbent (the lowest
  posterior mean at an observed point) minus `xi` (the log keeps gradients alive far from the data; the log-h
  formula follows Ament et al., "Unexpected Improvements to Expected
  Improvement", NeurIPS 2023);
- ``pi``:  log of the probability of improving on the best value by `xi`;
- ``ucb``: ``kappa * sigma - mu``, the negated lower confidence bound (we
  minimise, so the optimistic bound is ``mu - kappa * sigma``).

`maximize` runs a batch of L-BFGS-B searches in the unit cube at once;
`face_candidates` gives starting points on the cube's faces and corners.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Callable

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import minimize as scipy_minimize
from scipy.spatial.distance import cdist
from scipy.special import erfcx, log_ndtr, ndtr

if TYPE_CHECKING:
    from .gp import GPFit

__all__ = [
    "Posterior", "TailWarp", "ACQUISITIONS", "acq_score", "face_candidates", "log_h", "matern52", "maximize",
    "neg_log_marginal_likelihood",
]

ACQUISITIONS = ("ei", "pi", "ucb")

_SQRT5 = math.sqrt(5.0)
_LOG_2PI_HALF = 0.5 * math.log(2.0 * math.pi)
_LOG_PI_2_HALF = 0.5 * math.log(math.pi / 2.0)
_INV_SQRT_EPS = 1.0 / math.sqrt(np.finfo(float).eps)
_MIN_VAR = 1e-12


def matern52(A: np.ndarray, B: np.ndarray, length_scale: np.ndarray) -> np.ndarray:
    """The Matern(nu=2.5) correlation (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r) between
    the rows of A (n, D) and B (m, D), r the distance scaled by `length_scale`
    (computed as scikit-learn's `Matern` does, to the last bit)."""
    K = cdist(A / length_scale, B / length_scale, metric="euclidean") * _SQRT5
    return (1.0 + K + K**2 / 3.0) * np.exp(-K)


def neg_log_marginal_likelihood(
    theta: np.ndarray, X: np.ndarray, y: np.ndarray, fixed_length_scale: float = 0.0, jitter: float = 1e-10
) -> tuple[float, np.ndarray]:
    """-log p(y | X, theta) and its gradient for ConstantKernel*Matern(2.5)+White.

    `theta` holds the logs of [constant, length-scales (unless fixed), noise],
    in scikit-learn's order, so this equals the objective that
    `GaussianProcessRegressor` minimises (its `alpha` is the `jitter`), in a
    fraction of the time. `y` are the standardised targets.
    """
    n, D = X.shape
    scale, noise = math.exp(theta[0]), math.exp(theta[-1])
    ls = np.full(D, fixed_length_scale) if fixed_length_scale > 0 else np.exp(theta[1:-1])
    diff = (X[:, None, :] - X[None, :, :]) / ls
    S = diff * diff
    r = np.sqrt(S.sum(axis=2))
    e = np.exp(-_SQRT5 * r)
    M = (1.0 + _SQRT5 * r + (5.0 / 3.0) * r * r) * e
    K = scale * M
    K[np.diag_indices(n)] += noise + jitter
    try:
        L = np.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        return math.inf, np.zeros_like(theta)
    Linv = solve_triangular(L, np.eye(n), lower=True, check_finite=False)
    Kinv = Linv.T @ Linv
    alpha = Kinv @ y
    nll = 0.5 * float(y @ alpha) + float(np.log(np.diag(L)).sum()) + 0.5 * n * math.log(2.0 * math.pi)
    W = np.outer(alpha, alpha) - Kinv  # d lml / d theta_j = 0.5 tr(W dK/dtheta_j)
    grad = np.empty_like(theta)
    grad[0] = 0.5 * float(np.sum(W * K)) - 0.5 * (noise + jitter) * float(np.trace(W))
    grad[-1] = 0.5 * noise * float(np.trace(W))
    if fixed_length_scale <= 0:
        g = (scale * 5.0 / 3.0) * (1.0 + _SQRT5 * r) * e
        grad[1:-1] = 0.5 * np.einsum("ij,ijd->d", W * g, S)
    return nll, -grad


class TailWarp:
    """Monotone target transform that tames a long tail of bad losses.

    With m the median loss and s = m - min(loss): z = (y - m) / s is kept as
    it is below the median (where the good points are) and becomes
    log(1 + z) above it. Everything at or below the median is an affine map
    of the loss, so improvements over the best point (EI, PI) keep their
    meaning in loss units; only the worst half is compressed, which stops a
    few huge values (branin's corners, the camel's walls) from flattening the
    model where the optimum is.
    """

    def __init__(self, y: np.ndarray, enabled: bool = True) -> None:
        y = np.asarray(y, dtype=float)
        self.enabled = enabled
        self.m = float(np.median(y)) if enabled else 0.0
        s = self.m - float(np.min(y)) if enabled else 1.0
        if not s > 0:
            s = float(np.std(y)) or 1.0
        self.s = s

    def __call__(self, y: np.ndarray) -> np.ndarray:
        z = (np.asarray(y, dtype=float) - self.m) / self.s
        return np.where(z > 0, np.log1p(np.maximum(z, 0.0)), z) if self.enabled else z

    def inverse(self, w: np.ndarray) -> np.ndarray:
        w = np.asarray(w, dtype=float)
        if self.enabled:
            w = np.where(w > 0, np.expm1(np.minimum(np.maximum(w, 0.0), 700.0)), w)
        return self.m + self.s * w


class Posterior:
    """The latent GP posterior of a fitted scale*Matern(2.5)+noise model (`gp.fit_gp`).

    `X` are the training inputs (n, D) in feature space, `alpha` = K^-1 y,
    `Linv` the inverse of the Cholesky factor of K (noise included), `scale`
    the constant kernel's value and `length_scale` the Matern length-scales.
    Means and standard deviations are in standardised units.
    """

    def __init__(self, fit: "GPFit", warp: TailWarp) -> None:
        self.warp = warp
        self.scale = float(fit.scale)
        self.length_scale = np.asarray(fit.length_scale, dtype=float).copy()
        self.noise = float(fit.noise)
        self.X = np.asarray(fit.X, dtype=float)
        self.y = np.asarray(fit.y, dtype=float).ravel()
        self.alpha = np.asarray(fit.alpha, dtype=float).ravel()
        self.y_mean = float(fit.y_mean)
        self.y_std = float(fit.y_std)
        n = self.X.shape[0]
        self.Linv = solve_triangular(fit.L, np.eye(n), lower=True, check_finite=False)
        self.Kinv = self.Linv.T @ self.Linv
        self._Xs = self.X / self.length_scale
        # the incumbent: the lowest posterior mean at an observed point (the
        # plug-in value; with fitted noise it sits a little above min(y), so EI
        # does not mistake the noise for room to improve near the best point)
        self.best = float(self.predict(self.X)[0].min())

    def to_loss(self, mu: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardised (mean, std) -> loss units: the mean maps through the
        inverse warp (it is the posterior median of the loss); the std is half
        the width of the mapped mean +- one std band (exact where the warp is
        linear, i.e. at and below the median loss)."""
        w = self.y_mean + self.y_std * mu
        half = self.y_std * sigma
        lo, hi = self.warp.inverse(w - half), self.warp.inverse(w + half)
        return self.warp.inverse(w), 0.5 * (hi - lo)

    def loss_quantile(self, mu: np.ndarray, sigma: np.ndarray, k: float) -> np.ndarray:
        """The loss value mu + k*sigma (standardised units) mapped to loss units."""
        return self.warp.inverse(self.y_mean + self.y_std * (mu + k * sigma))

    @property
    def loss_per_unit(self) -> float:
        """Loss units per standardised unit below the median (where EI lives)."""
        return self.y_std * self.warp.s

    def _k(self, F: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cross-covariances k(F, X) (m, n) plus the scaled differences and distances."""
        diff = F[:, None, :] / self.length_scale - self._Xs[None, :, :]
        r = np.sqrt(np.einsum("mnd,mnd->mn", diff, diff))
        e = np.exp(-_SQRT5 * r)
        k = self.scale * (1.0 + _SQRT5 * r + (5.0 / 3.0) * r * r) * e
        return k, diff, (1.0 + _SQRT5 * r) * e

    def predict(self, F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardised mean and std of the latent function at features F (m, D)."""
        F = np.atleast_2d(np.asarray(F, dtype=float))
        k, _, _ = self._k(F)
        mu = k @ self.alpha
        v = k @ self.Linv.T
        var = np.maximum(self.scale - np.einsum("mn,mn->m", v, v), _MIN_VAR)
        return mu, np.sqrt(var)

    def predict_grad(self, F: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Mean, std and their gradients (m, D) with respect to the features."""
        F = np.atleast_2d(np.asarray(F, dtype=float))
        k, diff, g = self._k(F)
        # dk/dF = -scale * 5/3 * (1 + sqrt5 r) exp(-sqrt5 r) * (F - X) / l^2
        dk = (-self.scale * 5.0 / 3.0) * g[:, :, None] * diff / self.length_scale
        mu = k @ self.alpha
        w = k @ self.Kinv
        var_raw = self.scale - np.einsum("mn,mn->m", w, k)
        var = np.maximum(var_raw, _MIN_VAR)
        sigma = np.sqrt(var)
        dmu = np.einsum("n,mnd->md", self.alpha, dk)
        dvar = -2.0 * np.einsum("mn,mnd->md", w, dk)
        dvar[var_raw <= _MIN_VAR] = 0.0
        dsigma = dvar / (2.0 * sigma[:, None])
        return mu, sigma, dmu, dsigma


def _log1mexp(t: np.ndarray) -> np.ndarray:
    """log(1 - exp(t)) for t < 0, accurate near 0 and far below it."""
    return np.where(t > -math.log(2.0), np.log(-np.expm1(t)), np.log1p(-np.exp(t)))


def log_h(z: np.ndarray) -> np.ndarray:
    """log(z * Phi(z) + phi(z)), accurate for very negative z (EI = sigma * h(z))."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    hi = z > -1.0
    zh = z[hi]
    out[hi] = np.log(zh * ndtr(zh) + np.exp(-0.5 * zh * zh - _LOG_2PI_HALF))
    mid = ~hi & (z > -_INV_SQRT_EPS)
    zm = z[mid]
    t = np.log(erfcx(-zm / math.sqrt(2.0)) * np.abs(zm)) + _LOG_PI_2_HALF
    out[mid] = -0.5 * zm * zm - _LOG_2PI_HALF + _log1mexp(np.minimum(t, -1e-300))
    lo = ~hi & ~mid
    zl = z[lo]
    out[lo] = -0.5 * zl * zl - _LOG_2PI_HALF - 2.0 * np.log(np.abs(zl))
    return out


def acq_score(
    mu: np.ndarray,
    sigma: np.ndarray,
    best: float,
    kind: str,
    xi: float,
    kappa: float,
    dmu: np.ndarray | None = None,
    dsigma: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The score to maximise (log EI, log PI or kappa*sigma - mu) and, when
    gradients of mu and sigma are given, its gradient."""
    if kind == "ucb":
        score = kappa * sigma - mu
        grad = None if dmu is None else kappa * dsigma - dmu
        return score, grad
    z = (best - xi - mu) / sigma
    if kind == "ei":
        lh = log_h(z)
        score = lh + np.log(sigma)
        if dmu is None:
            return score, None
        dz_coef = np.exp(log_ndtr(z) - lh)  # d log h / dz = Phi(z) / h(z)
    elif kind == "pi":
        score = log_ndtr(z)
        if dmu is None:
            return score, None
        dz_coef = np.exp(-0.5 * z * z - _LOG_2PI_HALF - score)  # phi / Phi
    else:
        raise ValueError(f"acq must be one of {', '.join(ACQUISITIONS)}, got {kind!r}")
    dz = (-dmu - z[:, None] * dsigma) / sigma[:, None]
    grad = dz_coef[:, None] * dz
    if kind == "ei":
        grad = grad + dsigma / sigma[:, None]
    return score, grad


def maximize(
    fun: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    starts: np.ndarray,
    free: np.ndarray,
    maxiter: int = 60,
) -> np.ndarray:
    """Refine each row of `starts` (k, D) by L-BFGS-B on `fun`, in the unit cube.

    `fun(F) -> (scores (k,), grads (k, D))` is vectorised; `free` is a boolean
    mask of the columns that may move (the one-hot columns stay fixed). The
    k searches run as one problem whose objective is the sum of the k
    independent scores, so one scipy call does them all. Rows whose search
    made them worse are returned unchanged.
    """
    starts = np.array(starts, dtype=float)
    k = starts.shape[0]
    idx = np.flatnonzero(free)
    if k == 0 or idx.size == 0:
        return starts
    F = starts.copy()

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        F[:, idx] = flat.reshape(k, idx.size)
        s, g = fun(F)
        s = np.where(np.isfinite(s), s, -1e300)
        return -float(s.sum()), -np.nan_to_num(g[:, idx], nan=0.0, posinf=0.0, neginf=0.0).ravel()

    x0 = starts[:, idx].ravel()
    res = scipy_minimize(
        objective, x0, jac=True, method="L-BFGS-B",
        bounds=[(0.0, 1.0)] * x0.size, options={"maxiter": maxiter},
    )
    xs = res.x
    out = starts.copy()
    out[:, idx] = np.clip(np.reshape(xs, (k, idx.size)), 0.0, 1.0)
    before, _ = fun(starts)
    after, _ = fun(out)
    worse = ~(after >= before)
    out[worse] = starts[worse]
    return out


def face_candidates(sobol: np.ndarray, with_corners: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Points on the faces of the unit cube, where the uncertainty (and so the
    acquisition) often peaks and few interior candidates reach, and the group
    of each point (its face; the corners, when asked for, are the last group).

    Face k (coordinate k // 2 set to k % 2) gets its own aligned block of 2**m
    of the Sobol points `sobol` (n, d): such a block is itself spread evenly,
    whereas every other point of a Sobol set is not (its index and its
    coordinates are tied). No random draws.
    """
    sobol = np.atleast_2d(np.asarray(sobol, dtype=float))
    d = sobol.shape[1]
    size = 2 ** int(math.log2(max(1, len(sobol) // (2 * d))))
    blocks = []
    for face in range(2 * d):
        block = sobol[face * size : (face + 1) * size].copy()
        block[:, face // 2] = float(face % 2)
        blocks.append(block)
    if with_corners:
        blocks.append(np.array(list(itertools.product((0.0, 1.0), repeat=d))))
    group = np.concatenate([np.full(len(b), g) for g, b in enumerate(blocks)])
    return np.vstack(blocks), group

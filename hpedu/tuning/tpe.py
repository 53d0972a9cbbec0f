"""Tree-structured Parzen Estimator (Bergstra et al., 2011).

After `n_startup` random trials the told trials are split by loss into a
"good" group (the best `gamma` fraction) and a "bad" group. Each group gets a
density over the space, l(x) for good and g(x) for bad, built one parameter at
a time (Parzen mixtures, as in Optuna's default independent TPE):

* numeric parameters, in unit-cube coordinates (so log scales are modelled in
  log space): one Gaussian per observation, truncated to [0, 1], plus a broad
  prior Gaussian (centre 0.5, width 1, weight `prior_weight`). The width of
  each Gaussian is the larger gap to its neighbouring observations, clipped
  to [1 / min(100, n + 2), 1], Optuna's rule;
* categorical parameters: weighted counts of the observed choices plus
  `prior_weight` spread evenly over all choices.

`n_candidates` points are drawn from l and the one with the highest
l(x) / g(x) wins: a point common among good trials and rare among bad ones.
As in Optuna, the densities ignore correlations between parameters (each is
a product over parameters) but the winner is chosen among whole points.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from scipy.special import logsumexp, ndtr, ndtri

from .base import Option, Strategy
from .space import Categorical

__all__ = ["TPESearch"]

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _ramp_weights(n: int) -> np.ndarray:
    """Optuna's default weights: equal up to 25 points, then older points fade."""
    if n == 0:
        return np.empty(0)
    if n < 25:
        return np.ones(n)
    return np.concatenate([np.linspace(1.0 / n, 1.0, n - 25), np.ones(25)])


class _Numeric:
    """A mixture of Gaussians truncated to [0, 1] (unit-cube coordinates)."""

    def __init__(self, obs: np.ndarray, weights: np.ndarray, prior_weight: float) -> None:
        n = len(obs)
        sigmas = np.empty(n)
        if n:
            order = np.argsort(obs, kind="stable")
            ends = np.concatenate([[0.0], obs[order], [1.0]])
            gaps = np.maximum(ends[1:-1] - ends[:-2], ends[2:] - ends[1:-1])
            if n >= 2:  # Optuna's consider_endpoints=False
                gaps[0] = ends[2] - ends[1]
                gaps[-1] = ends[-2] - ends[-3]
            sigmas[order] = np.clip(gaps, 1.0 / min(100.0, n + 2.0), 1.0)
        mus = np.append(obs, 0.5)  # plus the prior: centre 0.5, width 1
        sigmas = np.append(sigmas, 1.0)
        w = np.append(weights, prior_weight)
        self.mus, self.sigmas = mus, sigmas
        self.log_w = np.log(w / w.sum())
        self.w = w / w.sum()
        self.lo = ndtr((0.0 - mus) / sigmas)
        self.hi = ndtr((1.0 - mus) / sigmas)
        self.log_z = np.log(self.hi - self.lo)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        k = rng.choice(len(self.mus), size=size, p=self.w)
        p = self.lo[k] + rng.random(size) * (self.hi[k] - self.lo[k])
        x = self.mus[k] + self.sigmas[k] * ndtri(np.clip(p, 1e-12, 1 - 1e-12))
        return np.clip(x, 0.0, 1.0)

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        z = (x[:, None] - self.mus) / self.sigmas
        comp = -0.5 * z**2 - _LOG_SQRT_2PI - np.log(self.sigmas) - self.log_z
        return logsumexp(comp + self.log_w, axis=1)


class _Choice:
    """Weighted counts over the choices of a categorical parameter."""

    def __init__(self, idx: np.ndarray, weights: np.ndarray, prior_weight: float, k: int) -> None:
        counts = np.full(k, prior_weight / k)
        np.add.at(counts, idx.astype(int), weights)
        self.p = counts / counts.sum()
        self.k = k

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(self.k, size=size, p=self.p)

    def log_pdf(self, idx: np.ndarray) -> np.ndarray:
        # density in unit-cube coordinates: each choice owns a slice of width 1/k
        return np.log(self.p[idx.astype(int)] * self.k)


class TPESearch(Strategy):
    """Tree-structured Parzen Estimator: sample where good/bad density ratio is high."""

    name: ClassVar[str] = "tpe"
    options: ClassVar[tuple[Option, ...]] = (
        Option("n_startup", 10, "random trials before the densities are used", type=int, low=1, high=10_000, live=True),
        Option("gamma", 0.25, "fraction of the told trials counted as good (at most 25)", low=0.01, high=0.99, live=True),
        Option("n_candidates", 24, "candidates drawn from the good density per step", type=int, low=1, high=10_000, live=True),
        Option("prior_weight", 1.0, "weight of the broad prior in both densities", low=0.0001, high=100.0, live=True),
    )

    # ----- the model ---------------------------------------------------------
    def n_good(self, n: int | None = None) -> int:
        """Size of the good group among `n` told trials: ceil(gamma * n), 1..25."""
        n = self.n_told if n is None else n
        if n == 0:
            return 0
        return int(min(max(math.ceil(self.opts["gamma"] * n), 1), 25, n))

    def split(self) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the good and the bad trials (good = lowest losses; ties
        go to the earlier trial)."""
        order = np.argsort(np.asarray(self.losses, dtype=float), kind="stable")
        k = self.n_good()
        return np.sort(order[:k]), np.sort(order[k:])

    def _models(self) -> tuple[list[Any], list[Any]]:
        X, _ = self.observed_unit()
        good, bad = self.split()
        pw = self.opts["prior_weight"]
        out: tuple[list[Any], list[Any]] = ([], [])
        for j, dim in enumerate(self.space.values()):
            for models, rows in zip(out, (good, bad)):
                # weights fade with age (Optuna's ramp); rows are in trial order
                w = _ramp_weights(len(rows))
                col = X[rows, j]
                if isinstance(dim, Categorical):
                    k = len(dim.choices)
                    idx = np.minimum((col * k).astype(int), k - 1)
                    models.append(_Choice(idx, w, pw, k))
                else:
                    models.append(_Numeric(col, w, pw))
        return out

    def _log_densities(self, models: list[Any], U: np.ndarray) -> np.ndarray:
        total = np.zeros(len(U))
        for j, (dim, m) in enumerate(zip(self.space.values(), models)):
            col = U[:, j]
            if isinstance(dim, Categorical):
                k = len(dim.choices)
                col = np.minimum((np.clip(col, 0, 1) * k).astype(int), k - 1)
            total += m.log_pdf(col)
        return total

    def densities(self, points_unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The good density l and the bad density g (products over parameters,
        per unit of the unit cube) at `points_unit` (n, d); each of shape (n,)."""
        U = np.atleast_2d(np.asarray(points_unit, dtype=float))
        if U.shape[1] != len(self.space):
            raise ValueError(f"points_unit must have {len(self.space)} columns, got shape {U.shape}")
        good, bad = self._models()
        return np.exp(self._log_densities(good, U)), np.exp(self._log_densities(bad, U))

    # ----- the strategy ------------------------------------------------------
    def _setup(self) -> None:
        #: the candidates of the last model-based proposal in the unit cube
        #: (m, d), the winner among them; None during the start-up
        self.candidates: np.ndarray | None = None

    def _to_unit_columns(self, cand: np.ndarray) -> np.ndarray:
        """Sampled candidates (choice indices in categorical columns) -> unit cube."""
        U = np.array(cand, dtype=float)
        for j, dim in enumerate(self.space.values()):
            if isinstance(dim, Categorical):
                U[:, j] = (U[:, j] + 0.5) / len(dim.choices)
        return U

    def _propose(self) -> dict[str, Any]:
        if self.n_told < self.opts["n_startup"]:
            self.candidates = None
            self._explain(False, f"start-up: random point {self.n_told + 1} of {self.opts['n_startup']} "
                                 "before the densities are used")
            return self.space.sample(self.rng)
        good, bad = self._models()
        m = self.opts["n_candidates"]
        # m candidate points drawn from l (parameter by parameter); keep the one
        # with the highest l(x) / g(x), summing log densities over parameters
        cand = np.column_stack([lm.sample(self.rng, m) for lm in good])
        score = np.zeros(m)
        for j, (lm, gm) in enumerate(zip(good, bad)):
            score += lm.log_pdf(cand[:, j]) - gm.log_pdf(cand[:, j])
        best = cand[int(np.argmax(score))]
        self.candidates = self._to_unit_columns(cand)
        self._explain(True, f"best l/g among {m} candidate{'s' if m != 1 else ''} drawn from l(x)")
        params: dict[str, Any] = {}
        for (name, dim), x in zip(self.space.items(), best):
            if isinstance(dim, Categorical):
                params[name] = dim.choices[int(x)]
            else:
                params[name] = dim.from_unit(float(x))
        return params

"""Bayesian optimisation with a Gaussian process (numpy and scipy only).

How a point is chosen:

1. **Initial design.** The first `n_initial` points come from a scrambled
   Sobol sequence (scipy.stats.qmc, seeded from the strategy's generator).
2. **Surrogate.** After that, a Gaussian process with kernel
   ``scale * Matern(nu=2.5, one length-scale per feature) + noise`` (in
   scikit-learn's words ``ConstantKernel * Matern(nu=2.5) + WhiteKernel``)
   is fitted to the losses by `gp.fit_gp`. Targets: the worse half of the
   losses is compressed by a log (`TailWarp`: affine below the median,
   log(1 + z) above it; switch off with ``warp=false``), then standardised.
   Inputs live in the unit cube (`Space.to_unit`, so
   log dimensions are uniform in log space); a Categorical parameter becomes
   one-hot features (one column per choice, each with its own length-scale)
   so the model does not pretend its choices are ordered. Kernel
   hyperparameters are fitted by maximising the marginal likelihood plus
   weak log-priors (length-scales pulled towards 1 and a unit signal variance
   as in Optuna's GP sampler, an exponential prior pulling the noise towards
   0; see `gp.log_prior`), warm-started from the
   previous fit, with one extra start from the default values. Length-scale
   bounds are 0.01..100, noise variance 1e-6..1 (in standardised units).
   The GP is hpedu's own (gp.py says why and what was measured): the
   Bayesian path does not import scikit-learn.
3. **Acquisition.** `acq` is ``ei`` (expected improvement, default), ``pi``
   (probability of improvement) or ``ucb`` (for minimisation the lower
   confidence bound ``mu - kappa * sigma``, so the score maximised is
   ``kappa * sigma - mu``). Improvement is measured against the lowest
   posterior mean at an observed point; `xi` is a margin in standardised
   units (default 0: any positive margin made every benchmark worse). It is
   maximised over 2048 Sobol points plus perturbations
   of the best observed points, then refined by L-BFGS-B (analytic
   gradients) from the best few; a second L-BFGS-B search starts from the
   best points on the cube's faces and corners (far from the data, where the
   acquisition often peaks and interior candidates rarely reach) and wins
   only when clearly better. Integers are rounded and categoricals decoded
   afterwards, and an already tried point is never proposed again (the
   no-repeat rule: the next best refined point, else the best untried
   candidate).
4. **Minimum distance.** Nor is a point closer than `min_distance` (default
   0.003; distance in the unit cube over the real-valued parameters, the
   integer and categorical values equal) to an earlier trial: EI's peak
   often sits right next to the best trial, and a 30-trial run on wave-1d
   spent 16 trials within 0.01 of earlier ones, learning nothing new. The
   best point that keeps the distance is taken instead, from the refined
   points, points refined from the candidates that keep it, and points
   just outside the distance around the trials that blocked the peak; the
   reason (and so the narration) names the trial that was too close.
   Why 0.003 (bench_bayes.py, seeds 0..9, benchmarks/README.md): it left
   every benchmark's median regret as it was or lower, while 0.01 made
   branin, six-hump camel and hartmann3 3 to 10 times worse (no trial may
   refine the best point closer than 0.01, and their minima need that);
   on wave-1d (5 seeds) it leaves 2-3 trials within 0.01 of an earlier one
   instead of 13-24, none within 0.003. 0 switches the rule off; 0.01
   removes every near-duplicate at 0.01.

For the UI: `posterior(points)` and `acquisition(points)` accept a list of
parameter dicts or an (n, d) array of unit-cube coordinates (one column per
parameter, in the space's order, as `Space.to_unit` makes them; this is what
a heatmap grid uses). `next_point` holds the unit coordinates of the last
proposal, `model_ready` tells whether proposals come from the model yet.
`peek()` (see `Strategy.peek`) gives the next proposal ahead of `ask()`,
with a copy of the strategy whose `posterior` and `acquisition` are the very
ones that chose it and a reason naming the rule or the acquisition.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np
from scipy.stats import qmc

from ._threads import one_blas_thread
from .acquisition import (
    ACQUISITIONS, Posterior, TailWarp, acq_score, face_candidates, maximize,
)
from .base import Option, Strategy
from .gp import GPFit, fit_gp
from .space import Categorical, Real
from .spacing import distances, far_mask, ring_points

__all__ = ["BayesianSearch"]

_N_SOBOL = 2048  # quasi-random acquisition candidates per proposal
_N_LOCAL = 6  # perturb this many of the best observed points ...
_N_PER_LOCAL = 64  # ... this many times each
_N_STARTS = 5  # L-BFGS-B refinements from the best candidates
_N_BOUNDARY_STARTS = 3  # ... and from the best points on the cube's faces
_MAX_CORNER_DIMS = 8  # the cube's 2**d corners are face candidates up to this many parameters
_N_RING = 32  # min_distance rule: points just outside the distance around a blocking trial ...
_N_RING_CENTRES = 4  # ... and around its neighbours within three times the distance
_BOUNDARY_MARGIN = 1e-6  # a boundary point must beat the interior one by this much (score units)


class BayesianSearch(Strategy):
    """Gaussian-process Bayesian optimisation (see the module docstring)."""

    name: ClassVar[str] = "bayes"
    options: ClassVar[tuple[Option, ...]] = (
        Option("acq", "ei", "the acquisition function: ei = expected improvement, pi = probability of improvement, "
               "ucb = lower confidence bound mu - kappa*sigma (hpedu minimises, so the bound is the lower one)",
               type=str, choices=ACQUISITIONS, live=True),
        Option("xi", 0.0, "ei / pi: improvement margin in standard deviations of the (warped) losses",
               low=0.0, high=10.0, live=True),
        Option("kappa", 2.0, "ucb (lower confidence bound): how many standard deviations of optimism (mu - kappa*sigma)",
               low=0.0, high=100.0, live=True),
        Option("n_initial", 0, "quasi-random (Sobol) points before the model takes over; 0 = automatic, chosen from the dimension",
               type=int, low=0, high=10_000),
        Option("length_scale", 0.0, "fix the kernel length-scale (unit-cube units); 0 = automatic, fitted to the trials",
               low=0.0, high=100.0, live=True),
        Option("warp", True, "compress the worst half of the losses with a log before fitting",
               type=bool),
        Option("min_distance", 0.003, "a proposal closer than this to an earlier trial (distance in the unit cube "
               "over the real-valued parameters, the others equal) is replaced by the best point of the acquisition "
               "that keeps this distance; 0 = only exact repeats are refused",
               low=0.0, high=0.5, live=True),
    )

    # ----- setup -----------------------------------------------------------
    def _setup(self) -> None:
        d = len(self.space)
        n0 = int(self.opts["n_initial"]) or self.auto_initial(d)
        self.n_initial = max(1, min(n0, self.budget))
        m = max(1, math.ceil(math.log2(self.n_initial)))
        sobol = qmc.Sobol(d, scramble=True, seed=int(self.rng.integers(2**31 - 1)))
        self._design = sobol.random_base2(m)[: self.n_initial]
        # feature columns: one per Real/Integer, one-hot block per Categorical
        self._blocks: list[tuple[int, int]] = []  # (first column, number of columns; 0 = continuous)
        col = 0
        for dim in self.space.values():
            k = len(dim.choices) if isinstance(dim, Categorical) else 0
            self._blocks.append((col, k))
            col += max(k, 1)
        self._n_features = col
        self._real = np.array([isinstance(dim, Real) for dim in self.space.values()], dtype=bool)
        self._free = np.ones(col, dtype=bool)
        for start, k in self._blocks:
            if k:
                self._free[start : start + k] = False
        self._gp: GPFit | None = None
        self._theta: np.ndarray | None = None
        self._post: Posterior | None = None
        self._fitted_n = -1
        self._fitted_ls = -1.0
        self.next_point: np.ndarray | None = None

    @staticmethod
    def auto_initial(d: int) -> int:
        """Default size of the initial design for `d` parameters."""
        return int(min(max(5, d), 10))

    @property
    def gp(self) -> GPFit | None:
        """The last fitted Gaussian process (None before the first fit):
        `gp.scale`, `gp.length_scale` and `gp.noise` are the fitted
        hyperparameters, `gp.to_sklearn()` the same model in scikit-learn."""
        return self._gp

    @property
    def model_ready(self) -> bool:
        """True once proposals come from the Gaussian process (after the initial design)."""
        return len(self.trials) >= self.n_initial

    # ----- encoding ----------------------------------------------------------
    def encode(self, U: np.ndarray) -> np.ndarray:
        """Unit-cube coordinates (n, d) -> model features (n, D) (one-hot categoricals)."""
        U = np.atleast_2d(np.asarray(U, dtype=float))
        if U.shape[1] != len(self.space):
            raise ValueError(f"points must have {len(self.space)} columns (one per parameter), got {U.shape[1]}")
        F = np.zeros((U.shape[0], self._n_features))
        for j, (start, k) in enumerate(self._blocks):
            u = np.clip(U[:, j], 0.0, 1.0)
            if k:
                F[np.arange(U.shape[0]), start + np.minimum((u * k).astype(int), k - 1)] = 1.0
            else:
                F[:, start] = u
        return F

    def decode(self, F: np.ndarray) -> np.ndarray:
        """Model features (n, D) -> unit-cube coordinates (n, d)."""
        F = np.atleast_2d(F)
        U = np.empty((F.shape[0], len(self.space)))
        for j, (start, k) in enumerate(self._blocks):
            if k:
                U[:, j] = (np.argmax(F[:, start : start + k], axis=1) + 0.5) / k
            else:
                U[:, j] = np.clip(F[:, start], 0.0, 1.0)
        return U

    def _as_unit(self, points: Sequence[Mapping[str, Any]] | np.ndarray) -> np.ndarray:
        if isinstance(points, np.ndarray):
            return np.atleast_2d(points.astype(float))
        pts = list(points)
        if pts and isinstance(pts[0], Mapping):
            return np.array([self.space.to_unit(p) for p in pts], dtype=float).reshape(len(pts), -1)
        return np.atleast_2d(np.asarray(pts, dtype=float))

    # ----- the model -----------------------------------------------------------
    def warm_up(self) -> None:
        with one_blas_thread():  # looks up the BLAS libraries once
            pass

    def _fit(self) -> Posterior:
        """Fit (or reuse) the Gaussian process on all told points."""
        fixed = float(self.opts["length_scale"])
        if self._post is not None and (self._fitted_n, self._fitted_ls) == (len(self.trials), fixed):
            return self._post
        if not self.trials:
            raise RuntimeError("the model needs at least one observed point; tell() a result first")
        X, y = self.observed_unit()
        finite = np.isfinite(y)
        if not finite.all():  # failed trials count as the worst finite loss
            y = np.where(finite, y, y[finite].max() if finite.any() else 0.0)
        warp = TailWarp(y, enabled=bool(self.opts["warp"]))
        warm = self._theta if self._fitted_ls == fixed else None
        fit = fit_gp(self.encode(X), warp(y), warm, fixed)
        self._gp = fit
        self._theta = fit.theta.copy()
        self._post = Posterior(fit, warp)
        self._fitted_n, self._fitted_ls = len(self.trials), fixed
        return self._post

    # ----- for the UI --------------------------------------------------------
    def posterior(self, points: Sequence[Mapping[str, Any]] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and standard deviation of the loss, in the loss's own
        units and without the fitted noise, at parameter dicts or unit-cube rows
        (n, d). Where the warp compresses (losses above the median) the mean is
        the posterior median and the std half the width of the 68% band."""
        with one_blas_thread():
            post = self._fit()
            mu, sigma = post.predict(self.encode(self._as_unit(points)))
        return post.to_loss(mu, sigma)

    def acquisition(self, points: Sequence[Mapping[str, Any]] | np.ndarray) -> np.ndarray:
        """Acquisition values (higher = more attractive; the next proposal
        maximises them) at parameter dicts or unit-cube rows: for ei the
        expected improvement in loss units, for pi a probability, for ucb the
        negated lower confidence bound -(mu - kappa*sigma) in loss units."""
        with one_blas_thread():
            post = self._fit()
            mu, sigma = post.predict(self.encode(self._as_unit(points)))
        kind, kappa = self.opts["acq"], self.opts["kappa"]
        score, _ = acq_score(mu, sigma, post.best, kind, self.opts["xi"], kappa)
        if kind == "ei":
            return np.exp(score) * post.loss_per_unit
        if kind == "pi":
            return np.exp(score)
        return -post.loss_quantile(mu, sigma, -kappa)

    # ----- proposing -------------------------------------------------------------
    def _seen(self) -> set[tuple]:
        seen = {self._key(t.params) for t in self.trials}
        seen.update(self._key(p) for p, _ in self._pending)
        return seen

    def _key(self, params: Mapping[str, Any]) -> tuple:
        return tuple(repr(params[n]) for n in self.space.names)

    def _model_token(self) -> Any:
        return (self._fitted_n, self._fitted_ls)

    def _propose(self) -> dict[str, Any]:
        i = len(self.trials) + len(self._pending)
        seen = self._seen()
        if i < self.n_initial or not self.trials:
            params = self.space.from_unit(self._design[min(i, self.n_initial - 1)])
            self._explain(False, f"initial design: quasi-random (Sobol) point {min(i, self.n_initial - 1) + 1} of {self.n_initial}")
            if self._key(params) in seen:
                params = self._random_unseen(seen)
                self._explain(False, "initial design point already tried; no-repeat rule: a random untried point instead")
            elif (close := self._too_close(params)) is not None:
                params = self._random_unseen(seen)
                self._explain(False, f"min_distance rule: a random point (initial design point "
                                     f"{min(i, self.n_initial - 1) + 1} was {close[0]:.2g} from {close[1]}, inside "
                                     f"min_distance {self.opts['min_distance']:g})")
        else:
            with one_blas_thread():
                params = self._maximize_acquisition(seen)
        self.next_point = self.space.to_unit(params)
        return params

    def _random_unseen(self, seen: set[tuple]) -> dict[str, Any]:
        """A random point not tried yet and, if one is found in 200 draws, at
        least `min_distance` from every trial."""
        fallback = None
        for _ in range(200):
            params = self.space.sample(self.rng)
            if self._key(params) not in seen:
                if self._too_close(params) is None:
                    return params
                fallback = fallback or params
        return fallback or params

    def _points_unit(self) -> np.ndarray:
        """The trials and pending points in the unit cube (n, d), cached until they change."""
        pts = [t.params for t in self.trials] + [p for p, _ in self._pending]
        cached = getattr(self, "_unit_cache", None)
        if cached is None or cached[0] != pts:
            U = np.array([self.space.to_unit(p) for p in pts], dtype=float).reshape(len(pts), len(self.space))
            cached = self._unit_cache = (pts, U)
        return cached[1]

    def _far_mask(self, U: np.ndarray) -> np.ndarray:
        """For unit-cube rows U (m, d): True where the row keeps `min_distance` from every trial."""
        return far_mask(U, self._points_unit(), self._real, float(self.opts["min_distance"]))

    def _too_close(self, params: Mapping[str, Any]) -> tuple[float, str] | None:
        """(distance, which trial) when `params` is closer than `min_distance`
        to an earlier trial (or a pending point), as `spacing` measures it; else None."""
        md = float(self.opts["min_distance"])
        P = self._points_unit()
        if md <= 0 or not self._real.any() or not len(P):
            return None
        dist = distances(np.asarray(self.space.to_unit(params), dtype=float), P, self._real)
        j = int(np.argmin(dist))
        if not dist[j] < md:
            return None
        return float(dist[j]), (f"trial {j + 1}" if j < len(self.trials) else "a point still being evaluated")

    def _candidates(self) -> np.ndarray:
        """Unit-cube candidates: Sobol points plus perturbations of the best points."""
        d = len(self.space)
        sobol = qmc.Sobol(d, scramble=True, seed=int(self.rng.integers(2**31 - 1)))
        parts = [sobol.random_base2(int(math.log2(_N_SOBOL)))]
        X, y = self.observed_unit()
        top = X[np.argsort(y, kind="stable")[:_N_LOCAL]]
        n_each = _N_PER_LOCAL
        base = np.repeat(top, n_each, axis=0)
        scale = np.exp(self.rng.uniform(math.log(0.002), math.log(0.2), size=(base.shape[0], 1)))
        local = base + scale * self.rng.standard_normal(base.shape)
        for j, (_, k) in enumerate(self._blocks):
            if k:  # categorical: keep the choice mostly, sometimes resample
                swap = self.rng.random(base.shape[0]) < 0.2
                local[swap, j] = self.rng.random(int(swap.sum()))
        parts.append(np.clip(local, 0.0, 1.0))
        return np.vstack(parts)

    def acquisition_label(self) -> str:
        """The acquisition function in plain words, with its parameter."""
        kind = self.opts["acq"]
        if kind == "ucb":
            return f"lower confidence bound (kappa={self.opts['kappa']:g})"
        label = {"ei": "expected improvement", "pi": "probability of improvement"}[kind]
        return label + (f" (xi={self.opts['xi']:g})" if self.opts["xi"] else "")

    def _maximize_acquisition(self, seen: set[tuple]) -> dict[str, Any]:
        post = self._fit()
        kind, xi, kappa = self.opts["acq"], self.opts["xi"], self.opts["kappa"]

        def fun(F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            mu, sigma, dmu, dsigma = post.predict_grad(F)
            return acq_score(mu, sigma, post.best, kind, xi, kappa, dmu, dsigma)

        U = self._candidates()
        F = self.encode(U)
        mu, sigma = post.predict(F)
        scores, _ = acq_score(mu, sigma, post.best, kind, xi, kappa)
        order = np.argsort(-scores, kind="stable")

        rounded: set[tuple] = set()  # points an integer rounding moved

        def refine(starts: np.ndarray) -> tuple[list[dict[str, Any]], np.ndarray]:
            # L-BFGS-B, then snap to valid values (integers, one-hot) and rescore
            Ur = self.decode(maximize(fun, starts, self._free))
            snapped = [self.space.from_unit(u) for u in Ur]
            Us = np.array([self.space.to_unit(p) for p in snapped])
            rounded.update(self._key(p) for p, moved in zip(snapped, np.abs(Us - Ur).max(axis=1) > 1e-9) if moved)
            return snapped, acq_score(*post.predict(self.encode(Us)), post.best, kind, xi, kappa)[0]

        snapped, s_ref = refine(F[order[:_N_STARTS]])
        ranked = [snapped[r] for r in np.argsort(-s_ref, kind="stable")]
        # a second search from the faces of the cube; it wins only when clearly
        # better, so a tie (the same maximum, found twice) keeps the first answer
        Ub, group = face_candidates(U[:_N_SOBOL], with_corners=len(self.space) <= _MAX_CORNER_DIMS)
        Fb = self.encode(Ub)
        sb, _ = acq_score(*post.predict(Fb), post.best, kind, xi, kappa)
        # the best point of each face (and of the corners), the best few of those
        heads = [int(np.flatnonzero(group == g)[np.argmax(sb[group == g])]) for g in np.unique(group)]
        heads.sort(key=lambda r: -sb[r])
        on_face, s_face = refine(Fb[heads[:_N_BOUNDARY_STARTS]])
        better = [r for r in np.argsort(-s_face, kind="stable") if s_face[r] > s_ref.max() + _BOUNDARY_MARGIN]
        ranked = [on_face[r] for r in better] + ranked
        n_cand = len(F) + len(Fb)
        first_close: tuple[float, str] | None = None  # why the acquisition's best point was refused

        def refused(params: dict[str, Any]) -> bool:
            nonlocal first_close
            close = self._too_close(params)
            if close is not None and first_close is None:
                first_close = close
            return close is not None or self._key(params) in seen

        def too_close_why() -> str:
            """Why the acquisition's top point was refused, for the reason said (short: at 80
            columns the narration has three rows for the whole trial's line)."""
            assert first_close is not None
            dist, which = first_close
            where = f"{which} itself, already tried" if dist == 0 else f"{dist:.2g} from {which}"
            return f"the acquisition's top point was {where}"

        for n, params in enumerate(ranked):
            if refused(params):
                continue
            if first_close is not None:
                break
            if n:
                why = (f"no-repeat rule: the best point was already tried; the next best of "
                       f"{len(ranked)} refined points by {self.acquisition_label()}")
            else:
                why = f"highest {self.acquisition_label()} among {n_cand} candidates after local refinement"
            if self._key(params) in rounded:
                why += ", rounded to whole numbers"
            self._explain(True, why)
            return params
        if first_close is not None:
            return self._best_far_point(post, ranked, F, order, refine, refused, too_close_why(), seen)
        for r in order[_N_STARTS:]:
            params = self.space.from_unit(self.decode(F[r : r + 1])[0])
            if not refused(params):
                self._explain(True, f"no-repeat rule: the refined points were all tried already; the best "
                                    f"untried of {len(F)} candidates by {self.acquisition_label()}")
                return params
        self._explain(False, "no-repeat rule: every candidate was tried already; a random untried point")
        return self._random_unseen(seen)

    def _best_far_point(self, post: Posterior, ranked: list[dict[str, Any]], F: np.ndarray, order: np.ndarray,
                        refine: Any, refused: Any, why: str, seen: set[tuple]) -> dict[str, Any]:
        """The min_distance rule: the best point of the acquisition among those at
        least `min_distance` from every trial. Pool: the refined points that keep
        the distance, points refined from the best candidates that keep it, those
        candidates themselves, and points just outside the distance around the
        trials the best points were too close to (where a peak next to a trial
        leaves its highest allowed values)."""
        md = float(self.opts["min_distance"])
        far = order[self._far_mask(self.decode(F[order]))][:_N_STARTS]
        far_refined, _ = refine(F[far]) if len(far) else ([], None)
        pool = [p for p in ranked + far_refined if not refused(p)]
        pool += [p for p in (self.space.from_unit(u) for u in self.decode(F[far])) if not refused(p)]
        P = self._points_unit()
        for params in ranked[:_N_STARTS]:  # rings around the trials that blocked the best points
            ring = ring_points(np.asarray(self.space.to_unit(params), dtype=float), P, self._real, md, self.rng,
                               _N_RING, _N_RING_CENTRES)
            pool += [p for p in (self.space.from_unit(r) for r in ring[self._far_mask(ring)]) if not refused(p)]
        if not pool:
            params = self._random_unseen(seen)
            if self._too_close(params) is None:
                self._explain(False, f"min_distance rule: a random point at least {md:g} from every trial ({why}; "
                                     "no candidate kept that distance)")
            else:
                self._explain(False, f"min_distance rule: a random untried point ({why}; no point found keeps "
                                     f"{md:g} from every trial: the trials fill the space that densely)")
            return params
        U = np.array([self.space.to_unit(p) for p in pool], dtype=float)
        scores, _ = acq_score(*post.predict(self.encode(U)), post.best, self.opts["acq"], self.opts["xi"],
                              self.opts["kappa"])
        self._explain(True, f"min_distance rule: the best point at least {md:g} from every trial ({why})")
        return pool[int(np.argmax(scores))]

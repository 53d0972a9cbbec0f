"""Ridge regression on scikit-learn's diabetes data, with its exact hypergradient.

The objective `ridge-diabetes` tunes one hyperparameter, the penalty `alpha`
of ridge regression (searched on a log scale, 1e-4 to 1e4), and scores it by
the mean squared error on a validation part of the data (lower is better).

The data: scikit-learn's bundled `load_diabetes` (442 patients, 10 features,
nothing downloaded). To make the penalty matter, the features are expanded to
their squares and pairwise products (65 columns in all): with the 10 plain
columns the validation error is nearly flat for every alpha below 10, and on
half of the splits its lowest value sits at the lower end of the range. The
rows are split in two halves, train and validation, by a permutation drawn
from the objective option `split` (a seed; 0 unless given). The run's own
seed does not change the data, so every method and every seed of a
comparison tunes the same problem, as with the other model objectives.
Each column is standardised with the mean and standard deviation of the
train half only, and the target is centred with the train mean.

The fit is closed form (`numpy.linalg.solve`); the intercept is the train
mean of the target, which centring leaves out of the penalty:

    w(alpha) = (XᵀX + alpha·I)⁻¹ Xᵀy          (X, y: the centred train half)
    L(alpha) = mean((X_val w(alpha) − y_val)²)

Its derivative is exact, through the solution:

    dw/dalpha   = −(XᵀX + alpha·I)⁻¹ w
    dL/dalpha   = (2 / n_val) (X_val w − y_val)ᵀ X_val dw/dalpha
    dL/dlog10 alpha = alpha · ln 10 · dL/dalpha

`Objective.gradient` returns that last number: the slope of the validation
error along log10(alpha), the coordinate the search moves in.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..base import Option
from ..space import Real, Space
from .base import Objective, ObjectiveInfo

__all__ = ["RIDGE_INFO", "RidgeData", "SPLIT_OPTION", "TRAIN_FRACTION", "ridge_data", "ridge_objective",
           "validation_mse", "validation_mse_and_slope"]

NAME = "ridge-diabetes"
#: share of the rows in the train half (the rest is the validation half)
TRAIN_FRACTION = 0.5
MAX_SPLIT = 99_999
SPLIT_OPTION = Option("split", 0, "seed of the train/validation split of the rows (another number, another split)",
                      type=int, low=0, high=MAX_SPLIT)
SPACE = {"alpha": Real(1e-4, 1e4, log=True)}
LN10 = math.log(10.0)


@dataclass(frozen=True)
class RidgeData:
    """One split, standardised on its train half (targets centred by the train mean)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    gram: np.ndarray  # X_trainᵀ X_train
    xty: np.ndarray  # X_trainᵀ y_train
    intercept: float  # the train mean of the target


_RAW: list[tuple[np.ndarray, np.ndarray]] = []
_SPLITS: dict[int, RidgeData] = {}
_LOCK = threading.Lock()


def _expanded(X: np.ndarray) -> np.ndarray:
    """The columns, then every product of two columns (squares included)."""
    d = X.shape[1]
    pairs = [X[:, i] * X[:, j] for i in range(d) for j in range(i, d)]
    return np.column_stack([X, *pairs])


def _raw() -> tuple[np.ndarray, np.ndarray]:
    if not _RAW:
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True)
        _RAW.append((_expanded(np.asarray(X, dtype=float)), np.asarray(y, dtype=float)))
    return _RAW[0]


def ridge_data(split: int = 0) -> RidgeData:
    """The data of split `split` (loaded once, about 1 s the first time: scikit-learn)."""
    if isinstance(split, bool) or not isinstance(split, (int, np.integer)) or not 0 <= split <= MAX_SPLIT:
        raise ValueError(f"split must be a whole number from 0 to {MAX_SPLIT}, got {split!r}")
    split = int(split)
    with _LOCK:
        if split not in _SPLITS:
            X, y = _raw()
            order = np.random.default_rng(split).permutation(len(y))
            n_train = int(round(TRAIN_FRACTION * len(y)))
            tr, va = order[:n_train], order[n_train:]
            mean, std = X[tr].mean(axis=0), X[tr].std(axis=0)
            Xt, Xv = (X[tr] - mean) / std, (X[va] - mean) / std
            intercept = float(y[tr].mean())
            yt, yv = y[tr] - intercept, y[va] - intercept
            _SPLITS[split] = RidgeData(Xt, yt, Xv, yv, Xt.T @ Xt, Xt.T @ yt, intercept)
        return _SPLITS[split]


def _check_alpha(alpha: Any) -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"alpha must be a number > 0, got {alpha!r}") from None
    if not (math.isfinite(a) and a > 0.0):
        raise ValueError(f"alpha must be a finite number > 0, got {alpha!r}")
    return a


def _solve(data: RidgeData, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(XᵀX + alpha I) and the weights w(alpha)."""
    system = data.gram + alpha * np.eye(data.gram.shape[0])
    return system, np.linalg.solve(system, data.xty)


def validation_mse(data: RidgeData, alpha: float) -> float:
    """Validation mean squared error of ridge with penalty `alpha`."""
    _, w = _solve(data, _check_alpha(alpha))
    r = data.X_val @ w - data.y_val
    return float(np.mean(r * r))


def validation_mse_and_slope(data: RidgeData, alpha: float) -> tuple[float, float]:
    """The validation MSE and its exact derivative with respect to log10(alpha)."""
    alpha = _check_alpha(alpha)
    system, w = _solve(data, alpha)
    r = data.X_val @ w - data.y_val
    dw = -np.linalg.solve(system, w)
    d_alpha = 2.0 / r.size * float(r @ (data.X_val @ dw))
    return float(np.mean(r * r)), alpha * LN10 * d_alpha


def ridge_objective(meta: dict[str, Any], split: int = 0) -> Objective:
    """The Objective for one split (cheap: the data loads on the first evaluation)."""

    def fn(params: dict[str, Any]) -> float:
        return validation_mse(ridge_data(split), params["alpha"])

    def fn_batch(X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 1:
            raise ValueError(f"fn_batch: expected an array of shape (n, 1) with the column ['alpha'], got {X.shape}")
        data = ridge_data(split)
        return np.array([validation_mse(data, a) for a in X[:, 0]], dtype=float)

    def gradient(params: dict[str, Any]) -> dict[str, float]:
        return {"alpha": validation_mse_and_slope(ridge_data(split), params["alpha"])[1]}

    return Objective(
        **meta,
        space=Space(SPACE),
        fn=fn,
        fn_batch=fn_batch,
        gradient=gradient,
        direction="minimize",
        score_name="mse",
        kind="model",
        supports_resource=False,
        options={"split": split},
        dataset="load_diabetes",
    )


def _build(**raw: Any) -> Objective:
    from . import parse_options  # the registry's own option checks

    return ridge_objective(dict(name=NAME, title=RIDGE_INFO.title, description=RIDGE_INFO.description),
                           **parse_options(NAME, RIDGE_INFO.options, raw))


RIDGE_INFO = ObjectiveInfo(
    name=NAME,
    title="Ridge regression on diabetes",
    description="ridge regression (penalty alpha) on the diabetes data with pairwise products of the features, "
    "validation mean squared error on a fixed half of the rows (option split); exact gradient in log10 alpha",
    kind="model",
    build=_build,
    options=(SPLIT_OPTION,),
    dims=1,
    supports_resource=False,
)

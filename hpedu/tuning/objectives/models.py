"""Real models to tune: scikit-learn estimators scored by k-fold cross-validation.

Only datasets that ship with scikit-learn are used (nothing is downloaded).
scikit-learn is imported on the first evaluation, never when this module is
imported. Loaded datasets and fold splits are cached at module level.

Each model is described once, as a `ModelSpec`: the estimator is a Python
expression over the parameter names (`estimator_code`), and that very string
is what the evaluation runs, so the code shown to a learner
(`model_code(name, params)`) is the code that produced the score.

Scores are deterministic: the folds come from
`StratifiedKFold(n_splits, shuffle=True, random_state=0)`, every estimator
with randomness has `random_state=0`, and fits run on one thread.

Resource (successive halving): `resource` in (0, 1] is the fraction of each
fold's training rows used to fit; the test rows never change. The subsets are
nested (a larger resource adds rows) and stratified, and never smaller than
`MIN_ROWS_PER_CLASS` rows per class, so fractions below about 0.1 all train on
that floor. Below 0.1 the scores say little; 1/9 (the default first rung of
successive halving) is the smallest fraction worth using.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..space import Categorical, Dimension, Integer, Real, Space
from .base import Objective

__all__ = ["ModelSpec", "MODEL_SPECS", "MIN_ROWS_PER_CLASS", "model_objective", "model_code", "cross_validate",
           "preload"]

#: The smallest training subset used at a partial resource, per class.
MIN_ROWS_PER_CLASS = 3


@dataclass(frozen=True)
class ModelSpec:
    """What a model objective trains, on what, and how it is scored."""

    space: dict[str, Dimension]
    estimator_code: str  # a Python expression over the parameter names
    imports: tuple[tuple[str, str], ...]  # (module, name) needed by estimator_code
    dataset: str  # a loader in sklearn.datasets
    n_folds: int = 5
    subsample: int | None = None  # rows kept from the dataset (stratified, random_state=0)
    score_name: str = "accuracy"
    cap_neighbors: bool = False  # n_neighbors is capped at the number of training rows
    openmp: bool = False  # limit OpenMP to one thread while fitting


MODEL_SPECS: dict[str, ModelSpec] = {
    "svc-digits": ModelSpec(
        space={"C": Real(1e-2, 1e3, log=True), "gamma": Real(1e-5, 1e-1, log=True)},
        estimator_code="SVC(C=C, gamma=gamma)",
        imports=(("sklearn.svm", "SVC"),),
        dataset="load_digits",  # raw pixel values 0..16: good gammas sit near 1e-3, mid-range
        n_folds=3,
        subsample=1200,
    ),
    "knn-wine": ModelSpec(
        space={"n_neighbors": Integer(1, 50), "weights": Categorical(["uniform", "distance"])},
        estimator_code="make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights))",
        imports=(("sklearn.pipeline", "make_pipeline"), ("sklearn.preprocessing", "StandardScaler"),
                 ("sklearn.neighbors", "KNeighborsClassifier")),
        dataset="load_wine",
        cap_neighbors=True,
    ),
    "tree-depth": ModelSpec(
        space={"max_depth": Integer(1, 20), "min_samples_leaf": Integer(1, 50, log=True)},
        estimator_code="DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=0)",
        imports=(("sklearn.tree", "DecisionTreeClassifier"),),
        dataset="load_breast_cancer",
    ),
    "logreg-c": ModelSpec(
        space={"C": Real(1e-4, 1e4, log=True)},
        estimator_code="make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))",
        imports=(("sklearn.pipeline", "make_pipeline"), ("sklearn.preprocessing", "StandardScaler"),
                 ("sklearn.linear_model", "LogisticRegression")),
        dataset="load_breast_cancer",
    ),
    "gbm": ModelSpec(
        space={"learning_rate": Real(1e-3, 1.0, log=True), "max_depth": Integer(1, 8),
               "max_iter": Integer(10, 150, log=True)},
        estimator_code=("HistGradientBoostingClassifier(learning_rate=learning_rate, max_depth=max_depth, "
                        "max_iter=max_iter, max_bins=32, early_stopping=False, random_state=0)"),
        imports=(("sklearn.ensemble", "HistGradientBoostingClassifier"),),
        dataset="load_breast_cancer",
        n_folds=3,
        openmp=True,
    ),
}


def model_objective(name: str, meta: dict[str, Any]) -> Objective:
    """The Objective for `MODEL_SPECS[name]` (cheap: nothing is loaded yet)."""
    spec = MODEL_SPECS[name]

    def fn(params: dict[str, Any], resource: float = 1.0) -> float:
        return cross_validate(name, params, resource)

    return Objective(
        **meta,
        space=Space(spec.space),
        fn=fn,
        direction="maximize",
        score_name=spec.score_name,
        optimum=None,
        kind="model",
        supports_resource=True,
        estimator_code=spec.estimator_code,
        dataset=spec.dataset,
    )


# ----- evaluation ----------------------------------------------------------------
_DATA: dict[str, tuple[np.ndarray, np.ndarray]] = {}
_FOLDS: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
_CODE: dict[str, tuple[Any, dict[str, Any]]] = {}


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The (possibly subsampled) dataset of objective `name`, loaded once."""
    if name not in _DATA:
        import sklearn.datasets
        from sklearn.model_selection import train_test_split

        spec = MODEL_SPECS[name]
        X, y = getattr(sklearn.datasets, spec.dataset)(return_X_y=True)
        if spec.subsample is not None:
            X, _, y, _ = train_test_split(X, y, train_size=spec.subsample, stratify=y, random_state=0)
        _DATA[name] = (np.ascontiguousarray(X, dtype=float), np.asarray(y))
    return _DATA[name]


def _stratified_order(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A permutation of range(len(y)) whose every prefix holds the classes in
    about their overall proportions (so prefixes are nested, stratified subsets)."""
    keys = np.empty(len(y))
    for label in np.unique(y):
        idx = np.flatnonzero(y == label)
        keys[rng.permutation(idx)] = (np.arange(len(idx)) + rng.uniform(0.0, 1.0, len(idx))) / len(idx)
    return np.argsort(keys, kind="stable")


def _folds(name: str) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per fold: train indices, test indices, and the train indices in stratified order."""
    if name not in _FOLDS:
        from sklearn.model_selection import StratifiedKFold

        X, y = _data(name)
        rng = np.random.default_rng(0)
        cv = StratifiedKFold(n_splits=MODEL_SPECS[name].n_folds, shuffle=True, random_state=0)
        _FOLDS[name] = [(tr, te, tr[_stratified_order(y[tr], rng)]) for tr, te in cv.split(X, y)]
    return _FOLDS[name]


def _compiled(name: str) -> tuple[Any, dict[str, Any]]:
    """estimator_code compiled once, with the names it imports."""
    if name not in _CODE:
        spec = MODEL_SPECS[name]
        namespace = {n: getattr(importlib.import_module(m), n) for m, n in spec.imports}
        _CODE[name] = (compile(spec.estimator_code, f"<{name} estimator>", "eval"), namespace)
    return _CODE[name]


def preload(name: str) -> None:
    """Import scikit-learn and load the data and folds of objective `name` now
    (about 1 s the first time), so the first trial's time is only training."""
    if name not in MODEL_SPECS:
        raise ValueError(f"no model objective {name!r}; choose one of: {', '.join(MODEL_SPECS)}")
    _folds(name)
    _compiled(name)


def _check_resource(resource: float) -> float:
    try:
        r = float(resource)
    except (TypeError, ValueError):
        raise ValueError(f"resource must be a number in (0, 1], got {resource!r}") from None
    if not (0.0 < r <= 1.0):
        raise ValueError(f"resource must be a fraction in (0, 1], got {resource!r}")
    return r


def cross_validate(name: str, params: Mapping[str, Any], resource: float = 1.0) -> float:
    """Mean test score over the folds of objective `name` at `params`, each
    fold trained on a `resource` fraction of its training rows."""
    spec = MODEL_SPECS[name]
    resource = _check_resource(resource)
    Space(spec.space).validate(params)
    X, y = _data(name)
    code, namespace = _compiled(name)
    n_classes = len(np.unique(y))
    scores = []
    with _one_thread() if spec.openmp else contextlib.nullcontext():
        for train, test, ordered in _folds(name):
            if resource < 1.0:
                rows = min(len(train), max(math.ceil(resource * len(train)), MIN_ROWS_PER_CLASS * n_classes))
                train = np.sort(ordered[:rows])
            values = dict(params)
            if spec.cap_neighbors:
                values["n_neighbors"] = min(int(values["n_neighbors"]), len(train))
            estimator = eval(code, dict(namespace), values)  # our constant estimator_code, never user text
            estimator.fit(X[train], y[train])
            scores.append(estimator.score(X[test], y[test]))
    return float(np.mean(scores))


def _one_thread() -> contextlib.AbstractContextManager[Any]:
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


# ----- show code -------------------------------------------------------------------
def model_code(name: str, params: Mapping[str, Any]) -> str:
    """A self-contained script that computes the score of objective `name` at
    `params` (full resource) with plain scikit-learn; it prints the same number."""
    if name not in MODEL_SPECS:
        raise ValueError(f"no model objective {name!r}; choose one of: {', '.join(MODEL_SPECS)}")
    spec = MODEL_SPECS[name]
    Space(spec.space).validate(params)
    selection = ["StratifiedKFold", "cross_val_score"] + (["train_test_split"] if spec.subsample else [])
    imports = {"sklearn.datasets": [spec.dataset], "sklearn.model_selection": selection}
    for module, item in spec.imports:
        imports.setdefault(module, []).append(item)
    lines = [f"from {m} import {', '.join(sorted(set(names)))}" for m, names in sorted(imports.items())]
    lines.append("")
    lines += [f"{k} = {_literal(params[k])!r}" for k in spec.space]
    lines += ["", f"X, y = {spec.dataset}(return_X_y=True)"]
    if spec.subsample:
        lines.append(f"# a fixed stratified subsample of {spec.subsample} rows keeps each trial fast")
        lines.append(f"X, _, y, _ = train_test_split(X, y, train_size={spec.subsample}, stratify=y, random_state=0)")
    lines += [
        f"model = {spec.estimator_code}",
        f"cv = StratifiedKFold(n_splits={spec.n_folds}, shuffle=True, random_state=0)",
        f'scores = cross_val_score(model, X, y, cv=cv, scoring="{spec.score_name}")',
        f'print(f"{spec.score_name}: {{scores.mean():.4f}}")',
    ]
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> Any:
    """numpy scalars as plain Python values, so their repr is valid source."""
    return value.item() if isinstance(value, np.generic) else value

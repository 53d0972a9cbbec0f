"""The registry of objectives: synthetic functions first, then real models.

`OBJECTIVES` maps each name to an `ObjectiveInfo` (title, one-line
description, options); `get_objective(name, **options)` builds it. Importing
this package is cheap: the model objectives import scikit-learn only when
they are first evaluated.

>>> obj = get_objective("low-effective-dim", weight="0.2")
>>> obj.options
{'weight': 0.2}
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from ..base import Option
from . import synthetic
from .base import Objective, ObjectiveInfo
from .models import MIN_ROWS_PER_CLASS, MODEL_SPECS, model_code, model_objective
from .ridge import RIDGE_INFO

__all__ = ["OBJECTIVES", "Objective", "ObjectiveInfo", "get_objective", "objective_names", "model_code",
           "MIN_ROWS_PER_CLASS"]

_WEIGHT = Option("weight", 0.05, "how much the minor dimension y matters (0: not at all)", low=0.0, high=1.0)


def parse_options(name: str, allowed: tuple[Option, ...], options: dict[str, Any]) -> dict[str, Any]:
    """Every declared option of objective `name`, defaults filled in; unknown
    keys and bad values raise ValueError saying what is allowed."""
    known = {o.name: o for o in allowed}
    for key in options:
        if key not in known:
            names = ", ".join(known) or "none"
            raise ValueError(f"objective {name!r} has no option {key!r}; its options are: {names}")
    return {key: opt.parse(options[key]) if key in options else opt.default for key, opt in known.items()}


def _entry(name: str, title: str, description: str, factory: Callable[..., Objective], dims: int,
           options: tuple[Option, ...] = (), kind: Literal["synthetic", "model"] = "synthetic") -> ObjectiveInfo:
    meta = {"name": name, "title": title, "description": description}

    def build(**raw: Any) -> Objective:
        return factory(meta, **parse_options(name, options, raw))

    return ObjectiveInfo(name=name, title=title, description=description, kind=kind,
                         build=build, options=options, dims=dims, supports_resource=kind == "model")


def _model(name: str, title: str, description: str) -> ObjectiveInfo:
    def factory(meta: dict[str, Any]) -> Objective:
        return model_objective(name, meta)

    return _entry(name, title, description, factory, len(MODEL_SPECS[name].space), kind="model")


_ENTRIES = [
    _entry("wave-1d", "A wavy 1-D curve",
           "f(x) = 2(x-3)sin(x-3) + 2 + 0.5x on [0, 6]: one dip in the middle, the lowest point at the edge x = 0",
           synthetic.wave_1d, 1),
    _entry("bowl-2d", "A tilted bowl",
           "a smooth stretched, rotated quadratic bowl on [-3, 3]^2; single minimum 0 at (1, -0.5)",
           synthetic.bowl_2d, 2),
    _entry("multimodal-2d", "Five wells",
           "five Gaussian wells on a gentle bowl over [-3, 3]^2; the deepest, narrowest one is the global minimum",
           synthetic.multimodal_2d, 2),
    _entry("branin", "Branin",
           "Branin-Hoo benchmark on x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points",
           synthetic.branin, 2),
    _entry("six-hump-camel", "Six-hump camel",
           "six-hump camel benchmark on x1 in [-3, 3], x2 in [-2, 2]; six local minima, two global (-1.031628)",
           synthetic.six_hump_camel, 2),
    _entry("hartmann3", "Hartmann 3-D",
           "Hartmann benchmark on the unit cube in 3-D; four local minima, global minimum -3.86278",
           synthetic.hartmann3, 3),
    _entry("hartmann6", "Hartmann 6-D",
           "Hartmann benchmark on the unit cube in 6-D; global minimum -3.32237",
           synthetic.hartmann6, 6),
    _entry("rosenbrock-2d", "Rosenbrock's valley",
           "Rosenbrock on [-2.048, 2.048]^2: a narrow curved valley; minimum 0 at (1, 1)",
           synthetic.rosenbrock, 2),
    _entry("ackley-2d", "Ackley",
           "Ackley on [-32.768, 32.768]^2: a dented plain around one deep funnel; minimum 0 at (0, 0)",
           synthetic.ackley, 2),
    _entry("styblinski-tang4", "Styblinski-Tang 4-D",
           "Styblinski-Tang on [-5, 5]^4: 16 local minima; global minimum -156.664663 at x_i = -2.903534",
           synthetic.styblinski_tang4, 4),
    _entry("low-effective-dim", "One dimension barely matters",
           "Bergstra & Bengio's case for random search: x matters, y barely (option weight); "
           "the best x, 0.37, falls between grid points",
           synthetic.low_effective_dim, 2, options=(_WEIGHT,)),
    _model("svc-digits", "SVC on digits",
           "SVC (RBF kernel; C, gamma) on 1,200 digits images, 3-fold stratified CV accuracy"),
    _model("knn-wine", "k-nearest neighbours on wine",
           "KNeighborsClassifier (n_neighbors, weights) after StandardScaler on wine, 5-fold stratified CV accuracy"),
    _model("tree-depth", "Decision tree on breast cancer",
           "DecisionTreeClassifier (max_depth, min_samples_leaf) on breast cancer, 5-fold stratified CV accuracy"),
    _model("logreg-c", "Logistic regression on breast cancer",
           "LogisticRegression (regularization C) after StandardScaler on breast cancer, 5-fold stratified CV accuracy"),
    _model("gbm", "Gradient boosting on breast cancer",
           "HistGradientBoostingClassifier (learning_rate, max_depth, max_iter) on breast cancer, "
           "3-fold stratified CV accuracy"),
    RIDGE_INFO,
]

OBJECTIVES: dict[str, ObjectiveInfo] = {info.name: info for info in _ENTRIES}


def objective_names() -> list[str]:
    """Registered names, synthetic functions first."""
    return list(OBJECTIVES)


def get_objective(name: str, **options: Any) -> Objective:
    """Build the objective registered as `name` with its options (strings from
    the CLI are converted); ValueError lists the valid names or options."""
    if not isinstance(name, str) or name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}; choose one of: {', '.join(OBJECTIVES)}")
    return OBJECTIVES[name].build(**options)

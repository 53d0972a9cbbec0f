"""hpedu's tuning engine: search spaces, strategies, objectives and runners.

Pure Python + numpy + scipy + scikit-learn; never imports a UI library.
Strategy classes and objectives are loaded on first use, so
`import hpedu.tuning` stays fast (scikit-learn is imported only when a
method or an objective that needs it is used).

>>> from hpedu.tuning import minimize, Real
>>> trace = minimize(lambda p: (p["x"] - 2) ** 2, {"x": Real(-5, 5)}, method="random", budget=20)
"""

from __future__ import annotations

from typing import Any

from .base import BudgetExhausted, Option, Strategy, Trial
from .compare import Comparison, CompareProgress, MethodResult, compare, iter_compare
from .registry import METHODS, MethodInfo, get_method, method_names
from .runner import Run, make_strategy, minimize, prepare, run_steps, simulate
from .space import Categorical, Dimension, Integer, Real, Space
from .trace import Trace

_STRATEGY_CLASSES = {info.cls: name for name, info in METHODS.items()}
_OBJECTIVE_NAMES = ("OBJECTIVES", "get_objective", "objective_names")
_OBJECTIVE_TYPES = ("Objective", "ObjectiveInfo")

__all__ = [
    "BudgetExhausted", "Categorical", "Comparison", "CompareProgress", "Dimension", "Integer", "METHODS",
    "MethodInfo", "MethodResult", "Option", "Real", "Run", "Space", "Strategy", "Trace", "Trial", "compare",
    "get_method", "iter_compare", "make_strategy", "method_names", "minimize", "prepare", "run_steps", "simulate",
    *_STRATEGY_CLASSES, *_OBJECTIVE_NAMES, *_OBJECTIVE_TYPES,
]


def __getattr__(name: str) -> Any:
    """Load strategy classes (GridSearch, BayesianSearch, ...) and the
    objectives registry on first access."""
    if name in _STRATEGY_CLASSES:
        value = METHODS[_STRATEGY_CLASSES[name]].load()
    elif name in _OBJECTIVE_NAMES:
        from . import objectives

        value = getattr(objectives, name)
    elif name in _OBJECTIVE_TYPES:
        from .objectives import base

        value = getattr(base, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

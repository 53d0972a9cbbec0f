"""What an objective is: a named function over a search space, with its direction."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

import numpy as np

from ..base import Option
from ..space import Space

__all__ = ["Objective", "ObjectiveInfo"]

Direction = Literal["minimize", "maximize"]


@dataclass(frozen=True)
class Objective:
    """A function to optimise.

    `fn(params)` returns the score; when `supports_resource` is true it also
    accepts `resource=` (a fraction in (0, 1] of the full training budget, used
    by successive halving). `optimum` is the best achievable value where known
    (the minimum for "minimize", the maximum for "maximize").
    """

    name: str
    title: str
    description: str
    space: Space
    fn: Callable[..., float]
    direction: Direction = "minimize"
    score_name: str = "value"
    optimum: float | None = None
    optimum_params: tuple[dict[str, Any], ...] = ()
    kind: Literal["synthetic", "model"] = "synthetic"
    supports_resource: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    #: Vectorised form for drawing: an (n, d) array in parameter space (columns
    #: in space order) -> (n,) values. Synthetic objectives only.
    fn_batch: Callable[[np.ndarray], np.ndarray] | None = None
    #: For "show code" (model objectives): the estimator as a Python expression
    #: over the parameter names, and the scikit-learn dataset loader.
    estimator_code: str = ""
    dataset: str = ""
    #: The exact gradient, where the objective has one (ridge-diabetes):
    #: `gradient(params)` -> {name: derivative of the value}, taken along each
    #: parameter's search coordinate (log10 of the value on a log dimension,
    #: the value itself otherwise). Gradient methods (hypergradient) need it.
    gradient: Callable[[Mapping[str, Any]], dict[str, float]] | None = None

    def __post_init__(self) -> None:
        if self.direction not in ("minimize", "maximize"):
            raise ValueError(f"direction must be 'minimize' or 'maximize', got {self.direction!r}")
        if not isinstance(self.space, Space):
            object.__setattr__(self, "space", Space(self.space))

    def __call__(self, params: Mapping[str, Any], resource: float = 1.0) -> float:
        if self.supports_resource and resource != 1.0:
            return float(self.fn(dict(params), resource=resource))
        return float(self.fn(dict(params)))

    def loss(self, value: float) -> float:
        """The value turned into a loss (lower is better) for the strategies."""
        return value if self.direction == "minimize" else -value

    def is_better(self, a: float, b: float) -> bool:
        return a < b if self.direction == "minimize" else a > b

    def regret(self, value: float) -> float | None:
        """Distance of `value` from the known optimum (>= 0), or None if unknown."""
        if self.optimum is None or not math.isfinite(value):
            return None
        return max(0.0, value - self.optimum if self.direction == "minimize" else self.optimum - value)


@dataclass(frozen=True)
class ObjectiveInfo:
    """A registry entry: builds the objective lazily (models import scikit-learn)."""

    name: str
    title: str
    description: str
    kind: Literal["synthetic", "model"]
    build: Callable[..., Objective]
    options: tuple[Option, ...] = ()
    dims: int = 2
    supports_resource: bool = False

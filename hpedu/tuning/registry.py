"""Names of the search strategies, imported lazily.

The Bayesian strategy imports scikit-learn, which is slow to import; the
registry keeps a one-line description here so listing methods costs nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .base import Strategy

__all__ = ["MethodInfo", "METHODS", "get_method", "method_names"]


@dataclass(frozen=True)
class MethodInfo:
    name: str
    title: str
    description: str
    module: str
    cls: str

    def load(self) -> type[Strategy]:
        return getattr(importlib.import_module(self.module, __package__), self.cls)


METHODS: dict[str, MethodInfo] = {
    m.name: m
    for m in (
        MethodInfo("grid", "Grid search", "every combination of a few evenly spaced values per parameter", ".grid", "GridSearch"),
        MethodInfo("random", "Random search", "independent uniform draws (log-uniform on log scales)", ".random", "RandomSearch"),
        MethodInfo("sobol", "Sobol sequence", "quasi-random points that fill the space evenly", ".sobol", "SobolSearch"),
        MethodInfo("bayes", "Bayesian optimization", "a Gaussian-process surrogate and an acquisition function pick each point", ".bayes", "BayesianSearch"),
        MethodInfo("tpe", "Tree-structured Parzen Estimator", "models good and bad points with two densities and samples where good/bad is high", ".tpe", "TPESearch"),
        MethodInfo("halving", "Successive halving", "many candidates on a small resource; the best 1/eta promoted to eta times more", ".halving", "SuccessiveHalving"),
        MethodInfo("evolution", "Evolutionary search", "a population evolved by selection, crossover and mutation", ".evolution", "EvolutionSearch"),
    )
}


def method_names() -> list[str]:
    return list(METHODS)


def get_method(name: str) -> type[Strategy]:
    """The strategy class for `name`; ValueError lists the valid names."""
    try:
        info = METHODS[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r}; choose one of: {', '.join(METHODS)}") from None
    return info.load()

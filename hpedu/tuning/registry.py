"""Names of the search strategies, imported lazily, and the words shown for options.

Each method is one `MethodInfo` line: name, title, one-line description,
module and class. This is the only place a method's title and description
are written: `Strategy.title` and `Strategy.description` read them from here
(a strategy module sets neither), so listing methods imports no strategy
module (and so not scikit-learn) and the words cannot drift apart.

`OPTION_WORDS` gives each option a label that says what it does, the text
shown for each of its choices and whether 0 means "automatic". The one-line
explanation stays in the option itself (`Option.help`), which `hpedu methods`
prints and the app shows under the focused field: one place for each text.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from .base import Strategy

__all__ = ["MethodInfo", "METHODS", "OptionWords", "OPTION_WORDS", "get_method", "method_names", "option_words"]


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
        MethodInfo("hyperband", "Hyperband", "successive-halving brackets from many cheap configurations to few fully trained ones", ".hyperband", "HyperbandSearch"),
        MethodInfo("evolution", "Evolutionary search", "a population evolved by selection, crossover and mutation", ".evolution", "EvolutionSearch"),
        MethodInfo("hypergradient", "Hypergradient descent", "one step per trial against the exact slope of the validation loss (objectives with a gradient only)", ".hypergradient", "HypergradientSearch"),
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


@dataclass(frozen=True)
class OptionWords:
    """How an option is shown: `label` says what it does, `choices` maps a
    value to its shown text (the value itself stays the same), `auto` is the
    word shown for 0 when 0 means automatic / fitted ("" when 0 is a number)."""

    label: str
    choices: dict[Any, str] = field(default_factory=dict)
    auto: str = ""

    def show_choice(self, value: Any) -> str:
        return self.choices.get(value, str(value))


#: keyed by option name (method and objective option names do not clash)
OPTION_WORDS: dict[str, OptionWords] = {
    # bayes
    "acq": OptionWords("acquisition — how the next trial is chosen", {
        "ei": "expected improvement (EI)",
        "pi": "probability of improvement (PI)",
        "ucb": "lower confidence bound (LCB)",  # the value stays "ucb" for old presets and scripts
    }),
    "xi": OptionWords("xi — margin an improvement must beat"),
    "kappa": OptionWords("kappa — optimism of the LCB"),
    "n_initial": OptionWords("n_initial — start-up points", auto="auto"),
    "length_scale": OptionWords("length_scale — kernel smoothness", auto="auto"),
    "warp": OptionWords("warp — squash the worst losses"),
    "min_distance": OptionWords("min_distance — keep new trials this far apart"),
    # grid
    "shuffle": OptionWords("shuffle — visit the grid in random order"),
    # halving, hyperband
    "eta": OptionWords("eta — keep 1 in eta per rung"),
    "min_resource": OptionWords("min_resource — first rung's share"),
    # tpe
    "n_startup": OptionWords("n_startup — random trials first"),
    "gamma": OptionWords("gamma — share counted as good"),
    "n_candidates": OptionWords("n_candidates — draws per step"),
    "prior_weight": OptionWords("prior_weight — pull to the prior"),
    # evolution
    "population": OptionWords("population — points per generation"),
    "mutation": OptionWords("mutation — size of random changes"),
    "crossover": OptionWords("crossover — chance to mix parents"),
    # hypergradient
    "optimizer": OptionWords("optimizer — how a slope becomes a step", {
        "gd": "plain gradient descent", "adam": "Adam"}),
    "hyper_lr": OptionWords("hyper_lr — hyper-learning-rate", auto="auto"),
    "start": OptionWords("start — value at the first trial", auto="middle"),
    # objectives
    "weight": OptionWords("weight — how much y matters"),
    "split": OptionWords("split — seed of the train/validation split"),
}


def option_words(name: str) -> OptionWords:
    """The words for option `name` (its name as label when none are written)."""
    return OPTION_WORDS.get(name) or OptionWords(name)

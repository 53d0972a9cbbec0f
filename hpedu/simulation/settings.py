"""What defines one simulator run, and the small text helpers every view shares."""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from ..tuning.trace import plain

if TYPE_CHECKING:
    from ..content.model import Preset
    from ..tuning.runner import Run

__all__ = ["SimSettings", "METHOD_TERMS", "ACQ_TERMS", "ACQ_LABELS", "fmt", "format_params"]

#: glossary entry of each method and acquisition function
METHOD_TERMS = {
    "grid": "grid-search", "random": "random-search", "sobol": "quasi-random-sequence",
    "bayes": "bayesian-optimization", "tpe": "tpe", "halving": "successive-halving", "hyperband": "hyperband",
    "evolution": "evolutionary-algorithms", "hypergradient": "gradient-based-optimization",
}
ACQ_TERMS = {"ei": "expected-improvement", "pi": "probability-of-improvement", "ucb": "upper-confidence-bound"}
ACQ_LABELS = {"ei": "EI", "pi": "PI", "ucb": "−LCB"}  # ucb is the negated lower confidence bound (higher = try here)


def fmt(value: Any, digits: int = 4) -> str:
    """A short, readable number (4 significant digits); other values as text."""
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}g}"
    return str(value)


def format_params(params: Mapping[str, Any], names: list[str] | None = None) -> str:
    return ", ".join(f"{n}={fmt(params[n])}" for n in (names or list(params)))


@dataclass
class SimSettings:
    """Everything that defines one run.

    `seed` is the seed a learner picks (or the preset's); with a `class_code`
    the run uses `run_seed`, derived from both, so a whole class sees the same
    runs and each learner still chooses among them by `seed`.
    """

    objective: str
    method: str
    budget: int
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    objective_options: dict[str, Any] = field(default_factory=dict)
    class_code: str | None = None

    @classmethod
    def from_preset(cls, preset: "Preset", class_code: str | None = None) -> "SimSettings":
        """The preset's settings, under `class_code` when one is set."""
        return cls(preset.objective, preset.method, preset.budget, preset.seed,
                   dict(preset.options), dict(preset.objective_options), class_code or None)

    @property
    def run_seed(self) -> int:
        """The seed the engine runs with: `seed`, or the one the class code derives from it."""
        from ..classroom import class_seed

        return class_seed(self.class_code, self.seed)

    def replace(self, **changes: Any) -> "SimSettings":
        """A copy with `changes` (its option dicts are copies too)."""
        return dataclasses.replace(copy.deepcopy(self), **changes)

    def prepare(self) -> "Run":
        """The engine's checked Run; ValueError says what is wrong."""
        from ..tuning.runner import prepare_simulation

        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")
        return prepare_simulation(self.objective, self.method, self.budget, self.run_seed,
                                  self.options, self.objective_options)

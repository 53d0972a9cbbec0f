"""Search-space dimensions: Real, Integer and Categorical.

Every dimension maps its values to and from the unit interval, so strategies
can work in the unit cube (`to_unit` / `from_unit`) whatever the scale. Log
dimensions are uniform in log space: a value of 0.5 in the unit interval is
the geometric mean of the bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

__all__ = ["Dimension", "Real", "Integer", "Categorical", "Space", "as_space"]


class Dimension:
    """Base class: one axis of a search space."""

    name: str | None

    def to_unit(self, value: Any) -> float:
        raise NotImplementedError

    def from_unit(self, u: float) -> Any:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator) -> Any:
        """One value drawn uniformly (log-uniformly on log dimensions)."""
        return self.from_unit(float(rng.random()))

    def grid(self, n: int) -> list[Any]:
        """`n` evenly spaced values (in log space on log dimensions)."""
        raise NotImplementedError

    def contains(self, value: Any) -> bool:
        raise NotImplementedError

    @property
    def size(self) -> float:
        """Number of distinct values (infinite for Real)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def _label(self) -> str:
        return f"parameter {self.name!r}" if self.name else type(self).__name__


def _check_number(dim: str, what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{dim}: {what} must be a number, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{dim}: {what} must be finite, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Real(Dimension):
    """A continuous range [low, high]; `log=True` samples it log-uniformly."""

    low: float
    high: float
    log: bool = False
    name: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        label = self._label()
        low = _check_number(label, "low", self.low)
        high = _check_number(label, "high", self.high)
        if low >= high:
            raise ValueError(f"{label}: low ({self.low}) must be less than high ({self.high})")
        if self.log and low <= 0:
            raise ValueError(f"{label}: a log scale needs low > 0, got low={self.low}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def to_unit(self, value: Any) -> float:
        v = float(value)
        if self.log:
            return (math.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (v - self.low) / (self.high - self.low)

    def from_unit(self, u: float) -> float:
        u = min(max(float(u), 0.0), 1.0)
        if self.log:
            lo, hi = math.log(self.low), math.log(self.high)
            v = math.exp(lo + u * (hi - lo))
        else:
            v = self.low + u * (self.high - self.low)
        return min(max(v, self.low), self.high)

    def grid(self, n: int) -> list[float]:
        if n <= 1:
            return [self.from_unit(0.5)]
        return [self.from_unit(u) for u in np.linspace(0.0, 1.0, n)]

    def contains(self, value: Any) -> bool:
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        return self.low <= v <= self.high

    @property
    def size(self) -> float:
        return math.inf

    def describe(self) -> str:
        return f"real in [{self.low:g}, {self.high:g}]" + (" (log scale)" if self.log else "")


@dataclass(frozen=True)
class Integer(Dimension):
    """Whole numbers low..high inclusive; `log=True` favours small values."""

    low: int
    high: int
    log: bool = False
    name: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        label = self._label()
        for what, v in (("low", self.low), ("high", self.high)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ValueError(f"{label}: {what} must be a whole number, got {v!r}")
        if self.low >= self.high:
            raise ValueError(f"{label}: low ({self.low}) must be less than high ({self.high})")
        if self.log and self.low <= 0:
            raise ValueError(f"{label}: a log scale needs low > 0, got low={self.low}")
        object.__setattr__(self, "low", int(self.low))
        object.__setattr__(self, "high", int(self.high))

    def _edges(self) -> tuple[float, float]:
        # Each integer owns an equal slice of the unit interval (in log space
        # on log dimensions), so uniform sampling is fair to the end points.
        lo, hi = self.low - 0.5, self.high + 0.5
        if self.log:
            return math.log(max(lo, self.low * 0.5)), math.log(hi)
        return lo, hi

    def to_unit(self, value: Any) -> float:
        v = float(value)
        lo, hi = self._edges()
        x = math.log(v) if self.log else v
        return min(max((x - lo) / (hi - lo), 0.0), 1.0)

    def from_unit(self, u: float) -> int:
        u = min(max(float(u), 0.0), 1.0)
        lo, hi = self._edges()
        x = lo + u * (hi - lo)
        v = math.exp(x) if self.log else x
        return int(min(max(round(v), self.low), self.high))

    def grid(self, n: int) -> list[int]:
        if n <= 1:
            return [self.from_unit(0.5)]
        if self.log:
            raw = np.exp(np.linspace(math.log(self.low), math.log(self.high), n))
        else:
            raw = np.linspace(self.low, self.high, n)
        values: list[int] = []
        for v in raw:
            iv = int(round(float(v)))
            if iv not in values:
                values.append(iv)
        return values

    def contains(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        return v == int(v) and self.low <= v <= self.high

    @property
    def size(self) -> float:
        return float(self.high - self.low + 1)

    def describe(self) -> str:
        return f"integer in [{self.low}, {self.high}]" + (" (log scale)" if self.log else "")


@dataclass(frozen=True)
class Categorical(Dimension):
    """One of a fixed list of choices (strings, numbers, booleans or None)."""

    choices: tuple[Any, ...]
    name: str | None = field(default=None, compare=False)

    def __init__(self, choices: Sequence[Any], name: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        label = self._label()
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Sequence):
            raise ValueError(f"{label}: choices must be a list, got {choices!r}")
        choices = tuple(choices)
        if not choices:
            raise ValueError(f"{label}: choices must not be empty")
        if len(set(map(repr, choices))) != len(choices):
            raise ValueError(f"{label}: choices must be distinct, got {list(choices)!r}")
        object.__setattr__(self, "choices", choices)

    def index(self, value: Any) -> int:
        for i, c in enumerate(self.choices):
            if c == value and type(c) is type(value):
                return i
        for i, c in enumerate(self.choices):
            if c == value:
                return i
        raise ValueError(f"{self._label()}: {value!r} is not one of {list(self.choices)!r}")

    def to_unit(self, value: Any) -> float:
        return (self.index(value) + 0.5) / len(self.choices)

    def from_unit(self, u: float) -> Any:
        k = len(self.choices)
        i = min(int(min(max(float(u), 0.0), 1.0) * k), k - 1)
        return self.choices[i]

    def sample(self, rng: np.random.Generator) -> Any:
        return self.choices[int(rng.integers(len(self.choices)))]

    def grid(self, n: int) -> list[Any]:
        return list(self.choices)

    def contains(self, value: Any) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    @property
    def size(self) -> float:
        return float(len(self.choices))

    def describe(self) -> str:
        return "one of " + ", ".join(map(str, self.choices))


class Space(Mapping[str, Dimension]):
    """An ordered mapping from parameter names to dimensions.

    Converts between parameter dicts and points in the unit cube, the common
    coordinate system that every strategy works in.
    """

    def __init__(self, dims: Mapping[str, Dimension]) -> None:
        if isinstance(dims, Space):
            dims = dims._dims
        if not isinstance(dims, Mapping) or not dims:
            raise ValueError("a search space must be a non-empty mapping from names to dimensions")
        out: dict[str, Dimension] = {}
        for name, dim in dims.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"search space: parameter names must be non-empty strings, got {name!r}")
            if not isinstance(dim, Dimension):
                raise ValueError(
                    f"parameter {name!r}: expected Real, Integer or Categorical, got {type(dim).__name__}"
                )
            if dim.name != name:
                dim = _renamed(dim, name)
            out[name] = dim
        self._dims = out

    def __getitem__(self, key: str) -> Dimension:
        return self._dims[key]

    def __iter__(self):
        return iter(self._dims)

    def __len__(self) -> int:
        return len(self._dims)

    def __repr__(self) -> str:
        return f"Space({self._dims!r})"

    @property
    def names(self) -> list[str]:
        return list(self._dims)

    def to_unit(self, params: Mapping[str, Any]) -> np.ndarray:
        return np.array([dim.to_unit(params[name]) for name, dim in self._dims.items()], dtype=float)

    def from_unit(self, u: Sequence[float] | np.ndarray) -> dict[str, Any]:
        return {name: dim.from_unit(float(x)) for (name, dim), x in zip(self._dims.items(), u)}

    def sample(self, rng: np.random.Generator) -> dict[str, Any]:
        return {name: dim.sample(rng) for name, dim in self._dims.items()}

    def contains(self, params: Mapping[str, Any]) -> bool:
        return set(params) == set(self._dims) and all(
            dim.contains(params[name]) for name, dim in self._dims.items()
        )

    def validate(self, params: Mapping[str, Any]) -> None:
        """Raise ValueError naming the first parameter that is missing, unknown or out of range."""
        for name in params:
            if name not in self._dims:
                raise ValueError(f"unknown parameter {name!r}; the space has {self.names}")
        for name, dim in self._dims.items():
            if name not in params:
                raise ValueError(f"parameter {name!r} is missing")
            if not dim.contains(params[name]):
                raise ValueError(f"parameter {name!r}={params[name]!r} is outside {dim.describe()}")


def _renamed(dim: Dimension, name: str) -> Dimension:
    if isinstance(dim, Categorical):
        return Categorical(dim.choices, name=name)
    return type(dim)(dim.low, dim.high, dim.log, name=name)  # type: ignore[attr-defined]


def as_space(space: Mapping[str, Dimension] | Space) -> Space:
    return space if isinstance(space, Space) else Space(space)

"""The ask/tell contract shared by every search strategy.

`Strategy` owns the bookkeeping (history, best so far, budget, validating
`tell`, option parsing); a subclass writes one hook, `_propose`, that returns
the next point to try. The runner (and the TUI through it) only ever calls
`ask`, `tell` and `set_options`.

`peek()` tells what the next `ask()` will return, and why, without changing
the run: it asks a private copy of the strategy (same random state) and
keeps the copy's state, which the following `ask()` adopts instead of
proposing again (see `Peek`).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

import numpy as np

from .space import Dimension, Space, as_space

__all__ = ["Option", "Trial", "Peek", "Strategy", "BudgetExhausted"]


class BudgetExhausted(RuntimeError):
    """Raised by `ask()` once the strategy has used its whole budget."""


_MISSING = object()


@dataclass(frozen=True)
class Option:
    """A documented, validated strategy option (shown in the CLI and the TUI)."""

    name: str
    default: Any
    help: str
    type: type = float
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] | None = None
    live: bool = False  # may be changed between steps

    def parse(self, raw: Any) -> Any:
        """Convert and check a value (strings come from the CLI); ValueError says what is allowed."""
        value = raw
        if isinstance(raw, str) and self.type is not str:
            text = raw.strip()
            try:
                if self.type is bool:
                    low = text.lower()
                    if low not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
                        raise ValueError
                    value = low in ("true", "yes", "1", "on")
                elif self.type is int:
                    value = int(text)
                else:
                    value = float(text)
            except ValueError:
                raise ValueError(
                    f"option {self.name!r}: {raw!r} is not a {self.type.__name__}; {self.allowed()}"
                ) from None
        if self.type is float and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            value = float(value)
        if self.type is not object and not isinstance(value, self.type) or (
            self.type in (int, float) and isinstance(value, bool)
        ):
            raise ValueError(f"option {self.name!r}: {raw!r} is not a {self.type.__name__}; {self.allowed()}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"option {self.name!r}: {raw!r} is not allowed; {self.allowed()}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"option {self.name!r}: {raw!r} must be finite; {self.allowed()}")
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            raise ValueError(f"option {self.name!r}: {raw!r} is out of range; {self.allowed()}")
        return value

    def allowed(self) -> str:
        if self.choices is not None:
            return "choose one of " + ", ".join(map(str, self.choices))
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        if self.type is bool:
            return "use true or false"
        kind = {int: "a whole number", float: "a number"}.get(self.type, f"a {self.type.__name__}")
        return f"allowed: {kind} from {lo} to {hi}"


@dataclass(frozen=True)
class Trial:
    """One finished evaluation. `value` is what the objective returned (in its own
    direction); `resource` is the fraction of the full training budget used
    (1.0 unless a strategy such as successive halving asked for less)."""

    index: int
    params: dict[str, Any]
    value: float
    seconds: float = 0.0
    resource: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        out = {"index": self.index, "params": dict(self.params), "value": self.value, "seconds": self.seconds}
        if self.resource != 1.0:
            out["resource"] = self.resource
        return out


@dataclass(frozen=True, eq=False)
class Peek:
    """The next proposal, computed ahead of `ask()` (see `Strategy.peek`).

    `params` is exactly what the next `ask()` returns and `unit` the same
    point in the unit cube (`Space.to_unit`). `source` is a private copy of
    the strategy in the state in which it proposed `params`: a Bayesian
    source's `posterior(U)` / `acquisition(U)` are the very Gaussian process
    and acquisition that chose the point, a TPE source's `densities(U)` the
    very l(x) and g(x). Read it, never `ask()` or `tell()` it. `from_model` is
    False for an initial design, a start-up phase and for methods without a
    model; `reason` says in a few plain words how the point was chosen.
    """

    params: dict[str, Any]
    unit: np.ndarray
    source: "Strategy"
    from_model: bool
    reason: str


@dataclass
class _PeekCache:
    key: tuple
    tokens: tuple[Any, Any]  # model token of the strategy before and of the copy after the proposal
    state: dict[str, Any]  # the copy's state right after its ask, for `ask()` to adopt
    source: "Strategy"
    params: dict[str, Any]
    unit: np.ndarray
    from_model: bool
    reason: str


class _RegistryText:
    """`Strategy.title` / `Strategy.description`, read from the method's entry
    in `registry.METHODS` (the one place these words are written); a strategy
    that is not registered shows its `name` and no description."""

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, obj: Any, owner: type) -> str:
        from .registry import METHODS  # lazy: the registry imports this module

        info = METHODS.get(getattr(owner, "name", ""))
        if info is not None and info.cls == owner.__name__:
            return getattr(info, self.attr)
        return owner.name if self.attr == "title" else ""


class Strategy:
    """Base class for search strategies. Subclasses set `name`, `options`
    and implement `_propose()`; they may override `_observe()` to update
    their model after a `tell`. Their title and description are written once,
    in their `registry.METHODS` entry, and read from there.

    All strategies minimise `loss`; the runner negates maximised objectives.
    Every strategy owns its own `numpy.random.Generator` seeded from `seed`.
    """

    name: ClassVar[str] = "base"
    title = _RegistryText()
    description = _RegistryText()
    options: ClassVar[tuple[Option, ...]] = ()
    #: True when the strategy asks for a partial training resource (halving).
    uses_resource: ClassVar[bool] = False

    def __init__(self, space: Mapping[str, Dimension] | Space, budget: int = 30, seed: int = 0, **options: Any):
        self.space: Space = as_space(space)
        if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 1:
            raise ValueError(f"budget must be a whole number of trials >= 1, got {budget!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
        self.budget = int(budget)
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.opts: dict[str, Any] = {o.name: o.default for o in self.options}
        self._apply_options(options, initial=True)
        self.trials: list[Trial] = []
        self.losses: list[float] = []
        self._pending: list[tuple[dict[str, Any], float]] = []
        self.resource: float = 1.0  # resource of the last ask
        self._why: tuple[bool, str] | None = None  # (from_model, reason) of the last proposal
        self._peek: _PeekCache | None = None
        self._setup()

    def __deepcopy__(self, memo: dict[int, Any]) -> "Strategy":
        """An independent copy (nothing mutable shared) without the peek cache."""
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            new.__dict__[key] = None if key == "_peek" else copy.deepcopy(value, memo)
        return new

    # ----- options -------------------------------------------------------
    @classmethod
    def option(cls, name: str) -> Option:
        for o in cls.options:
            if o.name == name:
                return o
        names = ", ".join(o.name for o in cls.options) or "none"
        raise ValueError(f"method {cls.name!r} has no option {name!r}; its options are: {names}")

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """Parse and validate options without building a strategy."""
        return {k: cls.option(k).parse(v) for k, v in options.items()}

    def _apply_options(self, options: Mapping[str, Any], initial: bool) -> None:
        parsed = self.check_options(options)
        if not initial:
            fixed = [k for k in parsed if not self.option(k).live]
            if fixed:
                raise ValueError(f"option(s) {', '.join(fixed)} cannot be changed during a run")
        self.opts.update(parsed)

    def set_options(self, **options: Any) -> None:
        """Change live options between steps; the next proposal follows them."""
        self._apply_options(options, initial=False)
        self._peek = None

    # ----- hooks -------------------------------------------------------
    def _setup(self) -> None:
        """Called once at the end of __init__."""

    def _propose(self) -> dict[str, Any]:
        raise NotImplementedError

    def _observe(self, params: dict[str, Any], loss: float) -> None:
        """Called after each tell with the loss (lower is better)."""

    def _explain(self, from_model: bool, reason: str) -> None:
        """Called by `_propose` to say how it chose its point (shown by `peek`)."""
        self._why = (bool(from_model), reason)

    def _model_token(self) -> Any:
        """What, besides trials and options, may change between a `peek` and
        the next `ask` and make the peeked state stale (a model fitted by a
        preview, for example); None when nothing does."""
        return None

    def warm_up(self) -> None:
        """Load what the first model-based proposal needs (modules, mostly), so
        that proposal is not slower than the rest. A UI calls it in a
        background thread while the initial design runs; calling it is never
        required."""

    # ----- ask / tell ----------------------------------------------------
    @property
    def n_told(self) -> int:
        return len(self.trials)

    @property
    def finished(self) -> bool:
        return len(self.trials) + len(self._pending) >= self.budget

    def ask(self) -> dict[str, Any]:
        if self.finished:
            raise BudgetExhausted(f"the budget of {self.budget} trials is used up")
        cached = self._valid_peek()
        self._peek = None
        if cached is not None:  # become the copy that proposed the peeked point
            self.__dict__.clear()
            self.__dict__.update(cached.state)
            return dict(cached.params)
        self.resource = 1.0
        self._why = None
        params = self._propose()
        self._pending.append((dict(params), self.resource))
        return dict(params)

    def peek(self) -> Peek:
        """What the next `ask()` will return and why, without changing the run.

        The proposal is made by a deep copy of the strategy (same random
        state); the next `ask()` adopts the copy's state instead of proposing
        again, so a peek costs two copies and no second proposal. `tell` and
        `set_options` drop the peeked proposal (the next peek or ask makes a
        new one), and so does a model fitted on the strategy in between when
        the copy did not fit the same one (`_model_token`). Raises
        `BudgetExhausted` once the budget is used, like `ask`, and whatever
        else the next `ask` would raise (halving waiting for results).

        The adopting `ask` replaces the strategy's attributes with the copy's:
        keep the strategy, not references to its lists or models. Peek and
        ask must not run at the same time; the returned `source` is private
        and may be read from another thread while the run goes on.
        """
        if self.finished:
            raise BudgetExhausted(f"the budget of {self.budget} trials is used up")
        c = self._valid_peek()
        if c is None:
            before = self._model_token()
            probe = copy.deepcopy(self)
            params = probe.ask()
            from_model, reason = probe._why or (False, f"{self.title}: the next point")
            # the state to adopt is copied now, so whatever a caller does with
            # `source` later cannot leak into the run; references to the copy
            # itself (bound methods) become references to self
            state = copy.deepcopy(probe.__dict__, {id(probe): self})
            unit = np.asarray(self.space.to_unit(params), dtype=float)
            c = _PeekCache(self._peek_key(), (before, probe._model_token()), state, probe,
                           dict(params), unit, from_model, reason)
            self._peek = c
        unit = c.unit.copy()
        unit.setflags(write=False)
        return Peek(dict(c.params), unit, c.source, c.from_model, c.reason)

    def _peek_key(self) -> tuple:
        return (len(self.trials), len(self._pending), tuple(self.opts.items()))

    def _valid_peek(self) -> _PeekCache | None:
        c = self._peek
        if c is None or c.key != self._peek_key() or self._model_token() not in c.tokens:
            return None
        return c

    def tell(self, params: Mapping[str, Any], loss: float, seconds: float = 0.0, value: float | None = None) -> Trial:
        """Record the loss of a point returned by `ask`. `value` is the
        objective's own value to store in the trial (defaults to `loss`)."""
        params = dict(params)
        self._peek = None
        for i, (p, res) in enumerate(self._pending):
            if p == params:
                del self._pending[i]
                break
        else:
            raise ValueError(f"tell() got parameters that ask() did not propose: {params!r}")
        try:
            loss = float(loss)
        except (TypeError, ValueError):
            raise ValueError(f"tell() needs a number, got {loss!r}") from None
        if math.isnan(loss):
            raise ValueError("tell() got NaN; return a large finite value for failed trials")
        trial = Trial(
            index=len(self.trials),
            params=params,
            value=float(loss if value is None else value),
            seconds=float(seconds),
            resource=res,
        )
        self.trials.append(trial)
        self.losses.append(loss)
        self._observe(params, loss)
        return trial

    @property
    def best(self) -> Trial | None:
        """The trial with the lowest loss (first one on ties) among those at the
        highest resource reached: losses at a smaller resource (successive
        halving, Hyperband) are not comparable. Every trial of a method without
        resources is at the full resource, so there it is the lowest loss of all."""
        if not self.trials:
            return None
        top = max(t.resource for t in self.trials)
        at_top = [i for i, t in enumerate(self.trials) if t.resource == top]
        return self.trials[min(at_top, key=lambda i: self.losses[i])]

    # ----- helpers for subclasses ----------------------------------------
    def observed_unit(self) -> tuple[np.ndarray, np.ndarray]:
        """Told points in the unit cube (n, d) and their losses (n,)."""
        if not self.trials:
            return np.empty((0, len(self.space))), np.empty(0)
        X = np.array([self.space.to_unit(t.params) for t in self.trials])
        return X, np.asarray(self.losses, dtype=float)

    @classmethod
    def describe_options(cls) -> list[str]:
        return [f"{o.name}={o.default!r}: {o.help} ({o.allowed()})" for o in cls.options]

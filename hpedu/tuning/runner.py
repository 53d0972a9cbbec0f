"""Running a strategy on an objective: `minimize()`, `run_steps()` and `simulate()`.

Everything is checked before the first trial runs (`prepare()`); the run
itself is a generator that yields one finished trial at a time, so a caller
(the TUI, a notebook) can animate, pause or stop between trials. Strategies
always minimise a loss; the runner tells them `objective.loss(value)` and
stores the objective's own value (accuracy stays accuracy) in the trial.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from .base import Strategy, Trial
from .registry import get_method
from .space import Dimension, Space
from .trace import Trace, plain

if TYPE_CHECKING:  # the objectives package is imported lazily (model objectives are heavy)
    from .objectives.base import Objective, ObjectiveInfo

    ObjectiveLike = Objective | str | Callable[[dict[str, Any]], float]

__all__ = ["Run", "make_strategy", "prepare", "run_steps", "minimize", "simulate", "resolve_objective"]

def make_strategy(method: str, space: Mapping[str, Dimension] | Space, budget: int, seed: int, *,
                  gradient: Callable[[dict[str, Any]], Mapping[str, float]] | None = None, **options: Any) -> Strategy:
    """Build the strategy registered as `method`. Unknown names and bad
    options raise ValueError listing what is allowed; nothing is evaluated.
    `gradient` (of the loss) goes to methods that need one (hypergradient)."""
    cls = get_method(method)
    parsed = cls.check_options(options)
    if getattr(cls, "needs_gradient", False):
        return cls(space, budget=budget, seed=seed, gradient=gradient, **parsed)
    return cls(space, budget=budget, seed=seed, **parsed)


def gradient_objectives() -> list[str]:
    """Names of the registered objectives that provide an exact gradient."""
    from .objectives import OBJECTIVES

    out = []
    for name, info in OBJECTIVES.items():
        try:
            if info.build().gradient is not None:
                out.append(name)
        except Exception:  # a broken entry is reported elsewhere
            pass
    return out


def _loss_gradient(obj: "Objective") -> Callable[[dict[str, Any]], dict[str, float]] | None:
    """The gradient of the loss the strategies minimise (the value's, negated when maximised)."""
    grad = obj.gradient
    if grad is None or obj.direction == "minimize":
        return grad
    return lambda params: {k: -float(v) for k, v in grad(params).items()}


def _objective_info(name: str) -> "ObjectiveInfo":
    from .objectives import OBJECTIVES

    if not isinstance(name, str) or name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}; choose one of: {', '.join(OBJECTIVES)}")
    return OBJECTIVES[name]


def parse_objective_options(name: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check `options` against the objective's declared options (strings from
    the CLI are converted); ValueError names the allowed keys or values."""
    info = _objective_info(name)
    known = {o.name: o for o in info.options}
    out = {}
    for key, raw in (options or {}).items():
        if key not in known:
            names = ", ".join(known) or "none"
            raise ValueError(f"objective {name!r} has no option {key!r}; its options are: {names}")
        out[key] = known[key].parse(raw)
    return out


def resolve_objective(
    objective: ObjectiveLike,
    space: Mapping[str, Dimension] | Space | None = None,
    direction: str | None = None,
    objective_options: Mapping[str, Any] | None = None,
) -> tuple[Objective, str | None]:
    """An `Objective` for a registered name, an Objective or a plain function,
    and the name to record in the trace (None for a plain function)."""
    from .objectives.base import Objective

    if direction is not None and direction not in ("minimize", "maximize"):
        raise ValueError(f"direction must be 'minimize' or 'maximize', got {direction!r}")
    if objective_options and not isinstance(objective, str):
        raise ValueError("objective_options: only a registered objective name takes options")
    if isinstance(objective, str):
        from .objectives import get_objective

        parsed = parse_objective_options(objective, objective_options)
        obj, name = get_objective(objective, **parsed), objective
    elif isinstance(objective, Objective):
        obj, name = objective, objective.name
    elif callable(objective):
        if space is None:
            raise ValueError("space: a plain function needs a search space, e.g. {'x': Real(0.0, 1.0)}")
        fname = getattr(objective, "__name__", "function")
        obj = Objective(
            name=fname, title=fname, description="a user-defined function", space=Space(space), fn=objective,
            direction=direction or "minimize",
        )
        return obj, None
    else:
        raise ValueError(f"objective: expected a registered name, an Objective or a function, got {objective!r}")
    if direction is not None and direction != obj.direction:
        raise ValueError(f"direction: objective {name!r} is to {obj.direction}; leave direction out")
    if space is not None:
        space = Space(space)
        if set(space) != set(obj.space):
            raise ValueError(f"space: objective {name!r} needs the parameters {obj.space.names}, got {space.names}")
        obj = dataclasses.replace(obj, space=space)
    return obj, name


def resource_objectives() -> list[str]:
    """Names of the registered objectives that accept a partial resource."""
    from .objectives import OBJECTIVES

    out = []
    for name, info in OBJECTIVES.items():
        flag = getattr(info, "supports_resource", None)
        if flag is None:
            try:
                flag = info.build().supports_resource
            except Exception:  # a broken entry is reported elsewhere
                flag = False
        if flag:
            out.append(name)
    return out


@dataclass
class Run:
    """A checked, ready-to-run pairing of an objective and a strategy.

    `steps()` runs it one trial at a time and appends each trial to `trace`;
    the strategy stays reachable for views that draw its internals.
    """

    objective: Objective
    strategy: Strategy
    trace: Trace

    def steps(self) -> Iterator[Trial]:
        s, obj = self.strategy, self.objective
        while not s.finished:
            params = {k: plain(v) for k, v in s.ask().items()}
            resource = float(s.resource)
            start = time.perf_counter()
            value = obj(params, resource)
            seconds = time.perf_counter() - start
            if math.isnan(value):
                raise ValueError(f"the objective returned NaN at {params!r}; return a large finite value for failures")
            trial = s.tell(params, obj.loss(value), seconds=seconds, value=value)
            self.trace.trials.append(trial)
            yield trial

    def run(self) -> Trace:
        for _ in self.steps():
            pass
        return self.trace


def prepare(
    objective: ObjectiveLike,
    space: Mapping[str, Dimension] | Space | None = None,
    method: str = "bayes",
    budget: int = 30,
    seed: int = 0,
    direction: str | None = None,
    strategy: Strategy | None = None,
    *,
    objective_options: Mapping[str, Any] | None = None,
    **options: Any,
) -> Run:
    """Check everything and build a `Run`; no trial is evaluated."""
    obj, name = resolve_objective(objective, space, direction, objective_options)
    if strategy is None:
        if getattr(get_method(method), "needs_gradient", False) and obj.gradient is None:
            which = ", ".join(gradient_objectives()) or "none"
            raise ValueError(
                f"method {method!r} follows the gradient of the loss and needs an objective with an exact gradient; "
                f"{('objective ' + repr(name)) if name else 'this function'} has none. Objectives that have one: {which}"
            )
        strategy = make_strategy(method, obj.space, budget, seed, gradient=_loss_gradient(obj), **options)
    else:
        if options:
            raise ValueError("options: pass options to the strategy you built, not with strategy=")
        if set(strategy.space) != set(obj.space):
            raise ValueError(f"strategy: its space has {strategy.space.names}, the objective needs {obj.space.names}")
    if strategy.uses_resource and not obj.supports_resource:
        which = ", ".join(resource_objectives()) or "none"
        raise ValueError(
            f"method {strategy.name!r} trains on a fraction of the data or iterations (a resource) and needs an "
            f"objective that accepts one; {('objective ' + repr(name)) if name else 'this function'} does not. "
            f"Objectives that do: {which}"
        )
    trace = Trace(
        objective=name,
        method=strategy.name,
        budget=strategy.budget,
        seed=strategy.seed,
        options={k: plain(v) for k, v in strategy.opts.items()},
        direction=obj.direction,
        score_name=obj.score_name,
        optimum=obj.optimum,
        objective_options={k: plain(v) for k, v in (obj.options if name else {}).items()},
        trials=list(strategy.trials),
    )
    return Run(obj, strategy, trace)


def run_steps(
    objective: ObjectiveLike,
    space: Mapping[str, Dimension] | Space | None = None,
    method: str = "bayes",
    budget: int = 30,
    seed: int = 0,
    direction: str | None = None,
    strategy: Strategy | None = None,
    **options: Any,
) -> Iterator[Trial]:
    """Yield one finished trial at a time. Arguments are checked at once
    (before the first `next`), so errors surface where the call is made.

    `objective` is a registered name, an `Objective` (its direction and space
    are used; `space` may narrow the ranges) or a function `fn(params) ->
    float` with a `space` (`direction` defaults to "minimize")."""
    return prepare(objective, space, method, budget, seed, direction, strategy, **options).steps()


def minimize(
    fn: ObjectiveLike,
    space: Mapping[str, Dimension] | Space | None = None,
    method: str = "bayes",
    budget: int = 30,
    seed: int = 0,
    direction: str | None = None,
    **options: Any,
) -> Trace:
    """Tune `fn` with `method` for `budget` trials and return the `Trace`.

    >>> from hpedu.tuning import minimize, Real
    >>> trace = minimize(lambda p: (p["x"] - 2) ** 2, {"x": Real(-5, 5)}, method="random", budget=20)
    >>> round(trace.best.params["x"])
    2
    """
    return prepare(fn, space, method, budget, seed, direction, **options).run()


def simulate(
    objective: str,
    method: str,
    budget: int,
    seed: int,
    options: Mapping[str, Any] | None = None,
    objective_options: Mapping[str, Any] | None = None,
) -> Trace:
    """Run a registered method on a registered objective (what `hpedu simulate` does)."""
    return prepare_simulation(objective, method, budget, seed, options, objective_options).run()


def prepare_simulation(
    objective: str,
    method: str,
    budget: int,
    seed: int,
    options: Mapping[str, Any] | None = None,
    objective_options: Mapping[str, Any] | None = None,
) -> Run:
    """Check names, budget, seed and options of a simulation, in the order a
    learner would fix them, and build its `Run`."""
    _objective_info(objective)
    get_method(method)
    check_count("budget", budget, MAX_BUDGET)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return prepare(objective, None, method, budget, seed, objective_options=objective_options, **dict(options or {}))


# ----- limits on counts ---------------------------------------------------------
# The one place for the largest counts hpedu accepts from a learner: the
# command line (`hpedu simulate`, `hpedu compare`) and the app's settings
# refuse anything above them before a run starts. A budget of 500 trials is
# far past where any method here stops improving on the bundled objectives
# (and a Gaussian process on 500 points still answers in about a second);
# 100 seeds give medians and quartiles that no longer move; both keep a
# comparison's memory and time bounded (an unbounded --seeds once grew to 24 GB).
MAX_BUDGET = 500
MAX_SEEDS = 100


def max_jobs() -> int:
    """The most worker processes a comparison may use: this machine's cores."""
    import os

    return os.cpu_count() or 1


def check_count(what: str, value: Any, maximum: int | None = None) -> int:
    """`value` if it is a whole number from 1 to `maximum` (no upper limit
    when None); ValueError naming `what` and the allowed range otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (maximum is not None and value > maximum):
        allowed = f"from 1 to {maximum}" if maximum is not None else ">= 1"
        raise ValueError(f"{what} must be a whole number {allowed}, got {value!r}")
    return value


def check_jobs(n_jobs: Any) -> int:
    """The number of worker processes for `n_jobs`: 1..max_jobs(), or -1 for
    every core; ValueError naming the allowed values otherwise."""
    high = max_jobs()
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or not (n_jobs == -1 or 1 <= n_jobs <= high):
        raise ValueError(f"n_jobs must be a whole number from 1 to {high} (this machine's cores) or -1 for all of them; "
                         f"got {n_jobs!r}")
    return high if n_jobs == -1 else n_jobs

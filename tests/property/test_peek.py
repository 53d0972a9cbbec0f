"""`Strategy.peek()`: the point it shows is the point the next `ask()` returns,
and peeking never changes a run.

Every registered strategy, on a 1-D, a 2-D and a 3-D landscape, a mixed space
(log Real, Real, Integer, Categorical) and a real model (k-nearest neighbours
on wine: an Integer and a Categorical), over several seeds: a run with a peek
(or several) before every ask gives exactly the trials of a run without, and
each peek's `params` equal the following ask's, exactly.
"""

from __future__ import annotations

import copy
import enum
import math
import types
from typing import Any, Callable

import numpy as np
import pytest

from hpedu.tuning.base import BudgetExhausted, Peek, Strategy
from hpedu.tuning.objectives import get_objective
from hpedu.tuning.registry import METHODS, get_method
from hpedu.tuning.space import Categorical, Integer, Real, Space

NAMES = list(METHODS)
MIXED = Space(
    {
        "lr": Real(1e-4, 1.0, log=True),
        "x": Real(-3.0, 3.0),
        "depth": Integer(1, 12),
        "kind": Categorical(["linear", "rbf", "poly"]),
    }
)


def mixed_loss(p: dict[str, Any], resource: float = 1.0) -> float:
    return (
        (math.log10(p["lr"]) + 2.0) ** 2
        + (p["x"] - 1.0) ** 2
        + 0.1 * abs(p["depth"] - 5)
        + (0.0 if p["kind"] == "rbf" else 1.0)
        + 2.0 * (1.0 - resource)
    )


def problem(name: str) -> tuple[Space, Callable[..., float]]:
    """The space and a loss(params, resource) function for a named problem."""
    if name == "mixed":
        return MIXED, mixed_loss
    obj = get_objective(name)
    memo: dict[tuple, float] = {}  # the two runs of a test ask the same points

    def loss(p: dict[str, Any], resource: float = 1.0) -> float:
        key = (tuple(repr(p[n]) for n in obj.space.names), resource)
        if key not in memo:
            memo[key] = obj.loss(obj(p, resource))
        return memo[key]

    return obj.space, loss


def slope_of(space: Space, loss: Callable[..., float]) -> Callable[[dict[str, Any]], dict[str, float]]:
    """For methods that follow a gradient (hypergradient): the slope of `loss` along each
    search coordinate (log10 on log scales), by central differences (the peek contract
    needs a gradient, not the exact one)."""
    from hpedu.tuning.hypergradient import from_coordinate, search_coordinate

    def grad(p: dict[str, Any]) -> dict[str, float]:
        out = {}
        for n, d in space.items():
            z, h = search_coordinate(d, p[n]), 1e-4
            up, down = dict(p), dict(p)
            up[n], down[n] = from_coordinate(d, z + h), from_coordinate(d, z - h)
            out[n] = (loss(up) - loss(down)) / (2 * h)
        return out

    return grad


def needs_gradient(name: str) -> bool:
    return bool(getattr(get_method(name), "needs_gradient", False))


def continuous(space: Space) -> bool:
    return all(isinstance(d, Real) for d in space.values())


def make(name: str, space: Space, loss: Callable[..., float], **options: Any) -> Strategy:
    """The strategy, given the slope of `loss` when it follows a gradient."""
    if needs_gradient(name):
        options["gradient"] = slope_of(space, loss)
    return get_method(name)(space, **options)


def play(
    name: str,
    space: Space,
    loss: Callable[..., float],
    budget: int,
    seed: int,
    before_ask: Callable[[Strategy, int], Peek | None] | None = None,
    **options: Any,
) -> list[tuple[dict[str, Any], float]]:
    """A whole run. `before_ask(strategy, step)` runs before every ask; when
    it returns a peek, the ask must return exactly the peek's params."""
    s = make(name, space, loss, budget=budget, seed=seed, **options)
    step = 0
    while not s.finished:
        peek = before_ask(s, step) if before_ask is not None else None
        params = s.ask()
        if peek is not None:
            assert params == peek.params, (name, seed, step, params, peek.params)
        s.tell(params, loss(params, s.resource))
        step += 1
    with pytest.raises(BudgetExhausted):
        s.peek()
    return [(t.params, t.resource) for t in s.trials]


def peeking(times: int = 1) -> tuple[Callable[[Strategy, int], Peek], list[Peek]]:
    """A `before_ask` that peeks `times` times (all the same) and keeps the peeks."""
    seen: list[Peek] = []

    def before(s: Strategy, step: int) -> Peek:
        peeks = [s.peek() for _ in range(times)]
        for p in peeks[1:]:
            assert p.params == peeks[0].params
        seen.append(peeks[0])
        return peeks[0]

    return before, seen


CASES = [
    ("wave-1d", 14, (0, 1, 2)),
    ("branin", 14, (0, 1, 2)),
    ("hartmann3", 12, (0, 1)),
    ("mixed", 14, (0, 1, 2)),
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("problem_name,budget,seeds", CASES, ids=[c[0] for c in CASES])
def test_peek_is_the_next_ask_and_changes_nothing(name: str, problem_name: str, budget: int, seeds) -> None:
    space, loss = problem(problem_name)
    if needs_gradient(name) and not continuous(space):
        with pytest.raises(ValueError, match="continuous parameters only"):  # refused, not skipped
            play(name, space, loss, budget, 0)
        return
    for seed in seeds:
        plain = play(name, space, loss, budget, seed)
        before, peeks = peeking(times=1 + seed % 3)
        with_peeks = play(name, space, loss, budget, seed, before)
        assert with_peeks == plain, (name, problem_name, seed)
        assert [p.params for p in peeks] == [t[0] for t in plain]
        for p in peeks:
            assert np.array_equal(p.unit, space.to_unit(p.params))
            assert p.reason and isinstance(p.from_model, bool)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_peek_on_a_real_model(name: str) -> None:
    space, loss = problem("knn-wine")
    if needs_gradient(name):
        with pytest.raises(ValueError, match="continuous parameters only"):  # an Integer and a Categorical
            play(name, space, loss, 9, 4)
        return
    plain = play(name, space, loss, 9, 4)
    before, peeks = peeking()
    assert play(name, space, loss, 9, 4, before) == plain
    assert [p.params for p in peeks] == [t[0] for t in plain]


LIVE = {
    "bayes": [{"acq": "ucb", "kappa": 0.5}, {"acq": "pi", "xi": 0.1}, {"length_scale": 0.3}],
    "tpe": [{"n_startup": 4}, {"gamma": 0.5, "n_candidates": 5}, {"prior_weight": 3.0}],
    "evolution": [{"population": 3}, {"mutation": 0.5, "crossover": 0.9}, {"population": 5}],
}


@pytest.mark.parametrize("name", sorted(LIVE))
@pytest.mark.parametrize("problem_name", ["branin", "mixed"])
def test_peeks_around_live_option_changes_change_nothing(name: str, problem_name: str) -> None:
    space, loss = problem(problem_name)
    changes = {3: LIVE[name][0], 6: LIVE[name][1], 8: LIVE[name][2]}

    def change(s: Strategy, step: int) -> None:
        if step in changes:
            s.set_options(**changes[step])

    def peek_change_peek(s: Strategy, step: int) -> Peek:
        first = s.peek()
        change(s, step)
        second = s.peek()
        if step in changes:
            assert second.source is not first.source  # the change dropped the old proposal
        return s.peek()

    def peek_then_change(s: Strategy, step: int) -> None:
        s.peek()  # the ask that follows must not use this stale proposal
        change(s, step)

    plain = play(name, space, loss, 12, 5, change)
    assert play(name, space, loss, 12, 5, peek_change_peek) == plain
    assert play(name, space, loss, 12, 5, peek_then_change) == plain


@pytest.mark.parametrize("name", NAMES)
def test_using_the_source_leaks_nothing_into_the_run(name: str) -> None:
    """The UI draws from `peek().source` (fitting a model on it even during
    the initial design); the run must not notice, and the source must keep
    the state that proposed its point while the run goes on."""
    space, loss = problem("branin")
    U = np.random.default_rng(0).random((50, 2))
    kept: list[tuple[Peek, Any]] = []

    def draw(src: Strategy) -> np.ndarray | None:
        if not src.trials:
            return None
        if hasattr(src, "posterior"):
            return np.concatenate([*src.posterior(U), src.acquisition(U)])
        if hasattr(src, "densities"):
            return np.concatenate(src.densities(U))
        return None

    def look(s: Strategy, step: int) -> Peek:
        p = s.peek()
        kept.append((p, draw(p.source)))
        return p

    plain = play(name, space, loss, 12, 3)
    assert play(name, space, loss, 12, 3, look) == plain
    for step, (p, drawn) in enumerate(kept):
        assert p.source.n_told == step  # the run went on; the source did not
        if drawn is not None:
            np.testing.assert_array_equal(draw(p.source), drawn)


#: functions, modules and enum members are shared by every copy (deepcopy keeps them)
_SHARED_OK = (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, enum.Enum)


def _mutable_ids(root: Any) -> dict[int, str]:
    """ids of the mutable objects reachable from `root` (lists, dicts, sets,
    writeable arrays, generators, plain objects), with a path for messages;
    not through a strategy's peek cache, which holds the source on purpose."""
    out: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(root, "s")]
    visited: set[int] = set()
    while stack:
        obj, path = stack.pop()
        if id(obj) in visited or isinstance(obj, _SHARED_OK):
            continue
        visited.add(id(obj))
        if isinstance(obj, np.ndarray):
            if obj.flags.writeable:
                out[id(obj)] = path
            if obj.dtype == object:
                stack.extend((v, f"{path}[{i}]") for i, v in enumerate(obj.ravel()))
            continue
        if isinstance(obj, (str, bytes, int, float, complex, bool, type(None), range, type)):
            continue
        if isinstance(obj, (tuple, frozenset)):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(obj))
            continue
        if isinstance(obj, np.generic):
            continue
        if isinstance(obj, dict):
            out[id(obj)] = path
            stack.extend((v, f"{path}[{k!r}]") for k, v in obj.items())
            continue
        if isinstance(obj, (list, set)):
            out[id(obj)] = path
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(obj))
            continue
        if hasattr(obj, "__self__") and hasattr(obj, "__func__"):  # bound method
            stack.append((obj.__self__, f"{path}.__self__"))
            continue
        if isinstance(obj, np.random.Generator):
            out[id(obj)] = path
            out[id(obj.bit_generator)] = path + ".bit_generator"
            continue
        if hasattr(obj, "__dict__"):
            out[id(obj)] = path
            stack.extend((v, f"{path}.{k}") for k, v in vars(obj).items() if k != "_peek")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_a_deep_copy_shares_no_mutable_state(name: str) -> None:
    space, loss = problem("branin" if needs_gradient(name) else "mixed")  # gradient methods: continuous only
    s = make(name, space, loss, budget=60, seed=2)
    for _ in range(7):
        params = s.ask()
        s.tell(params, loss(params, s.resource))
    assert not s.finished
    if name == "bayes":
        s.posterior(np.full((1, 4), 0.5))  # a fitted model inside
    s.peek()  # a cached proposal inside
    for other in (copy.deepcopy(s), s.peek().source):
        shared = set(_mutable_ids(s)) & set(_mutable_ids(other))
        paths = sorted(_mutable_ids(s)[i] for i in shared)
        assert not paths, f"{name}: shared with the copy: {paths[:10]}"


@pytest.mark.parametrize("name", NAMES)
def test_adopting_a_peek_leaves_no_link_to_the_source(name: str) -> None:
    space, loss = problem("branin" if needs_gradient(name) else "mixed")
    s = make(name, space, loss, budget=60, seed=2)
    for _ in range(8):
        p = s.peek()
        params = s.ask()
        s.tell(params, loss(params, s.resource))
        shared = set(_mutable_ids(s)) & set(_mutable_ids(p.source))
        assert not shared, f"{name}: the strategy and an old peek's source share state"


@pytest.mark.parametrize("problem_name", ["wave-1d", "branin", "mixed"])
def test_a_model_fitted_between_peek_and_ask_changes_nothing(problem_name: str) -> None:
    """A preview may fit the Bayesian model on the strategy itself between a
    peek and the ask (the fit then warm-starts the next ones); the run must be
    the one it would be with the same previews and no peeks."""
    space, loss = problem(problem_name)
    U = np.random.default_rng(1).random((20, len(space)))

    def preview(s: Strategy, step: int) -> None:
        if s.trials:
            s.posterior(U)

    def peek_preview(s: Strategy, step: int) -> Peek:
        p = s.peek()
        preview(s, step)
        return p

    for seed in (0, 1, 2):
        plain = play("bayes", space, loss, 12, seed, preview)
        assert play("bayes", space, loss, 12, seed, peek_preview) == plain, seed

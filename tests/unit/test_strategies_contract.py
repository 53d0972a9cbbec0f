"""One contract, every registered strategy (as Optuna's test_samplers.py does).

Each method in `hpedu.tuning.registry.METHODS` is run through the same checks
on a mixed space: proposals inside the bounds, the budget respected,
reproducible with a seed, `tell` updating the best, and its options validated.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from hpedu.tuning.base import BudgetExhausted, Peek, Strategy
from hpedu.tuning.registry import METHODS, get_method
from hpedu.tuning.space import Categorical, Integer, Real, Space

NAMES = list(METHODS)
SPACE = Space(
    {
        "lr": Real(1e-4, 1.0, log=True),
        "x": Real(-3.0, 3.0),
        "depth": Integer(1, 12),
        "kind": Categorical(["linear", "rbf", "poly"]),
    }
)
BUDGET = 16
#: Methods that follow the objective's gradient (capability `needs_gradient`, hypergradient) move
#: continuous parameters only: they run the same contract on the continuous part of SPACE, with the
#: exact gradient of `loss` there (depth and kind held at their best values).
REAL_SPACE = Space({"lr": SPACE["lr"], "x": SPACE["x"]})


def needs_gradient(name: str) -> bool:
    return bool(getattr(get_method(name), "needs_gradient", False))


def space_for(name: str) -> Space:
    return REAL_SPACE if needs_gradient(name) else SPACE


def loss_gradient(params: dict[str, Any]) -> dict[str, float]:
    """d loss / d search coordinate on REAL_SPACE (log10 lr on its log scale, x itself)."""
    return {"lr": 2.0 * (math.log10(params["lr"]) + 2.0), "x": 2.0 * (params["x"] - 1.0)}


def bowl_gradient(space: Space):
    """The gradient of a bowl centred in the middle of each range (search coordinates)."""
    def grad(params: dict[str, Any]) -> dict[str, float]:
        out = {}
        for n, d in space.items():
            z, lo, hi = ((math.log10(params[n]), math.log10(d.low), math.log10(d.high)) if d.log
                         else (params[n], d.low, d.high))
            out[n] = 2.0 * (z - (lo + hi) / 2)
        return out

    return grad


def make(name: str, space: Space | None = None, **kwargs: Any) -> Strategy:
    """The strategy on `space` (default: the contract's space for it), given the gradient it needs."""
    space = space_for(name) if space is None else space
    if needs_gradient(name):
        kwargs["gradient"] = loss_gradient if space is REAL_SPACE else bowl_gradient(space)
    return get_method(name)(space, **kwargs)


def loss(params: dict[str, Any], resource: float = 1.0) -> float:
    """Deterministic, minimum at lr=1e-2, x=1, depth=5, kind='rbf'; a smaller
    resource adds a penalty (less training, worse loss)."""
    base = (
        (math.log10(params["lr"]) + 2.0) ** 2
        + (params["x"] - 1.0) ** 2
        + 0.1 * abs(params.get("depth", 5) - 5)
        + (0.0 if params.get("kind", "rbf") == "rbf" else 1.0)
    )
    return base + 2.0 * (1.0 - resource)


def run(name: str, seed: int = 0, budget: int = BUDGET, space: Space | None = None, **options: Any) -> Strategy:
    space = space_for(name) if space is None else space
    s = make(name, space, budget=budget, seed=seed, **options)
    asks = 0
    while not s.finished:
        params = s.ask()
        asks += 1
        assert asks <= budget
        assert 0.0 < s.resource <= 1.0
        s.tell(params, loss(params, s.resource) if space in (SPACE, REAL_SPACE) else _simple(params))
    return s


def _simple(params: dict[str, Any]) -> float:
    return float(sum(hash(repr(v)) % 97 for v in params.values()))


def trace(s: Strategy) -> list[tuple[dict[str, Any], float]]:
    return [(t.params, t.resource) for t in s.trials]


@pytest.fixture(params=NAMES)
def name(request) -> str:
    return request.param


def test_class_matches_its_registry_entry(name: str) -> None:
    cls = get_method(name)
    assert issubclass(cls, Strategy)
    assert cls.name == name
    assert cls.title and cls.description
    assert cls.__name__ == METHODS[name].cls
    assert isinstance(cls.options, tuple)
    for opt in cls.options:
        assert opt.help and opt.parse(opt.default) == opt.default


def test_proposals_stay_inside_the_space(name: str) -> None:
    s = run(name, seed=3)
    assert s.trials
    for t in s.trials:
        assert space_for(name).contains(t.params), t.params
        assert list(t.params) == space_for(name).names


def test_budget_is_respected(name: str) -> None:
    s = run(name, seed=1)
    assert 1 <= len(s.trials) <= BUDGET
    if type(s).finished is Strategy.finished:  # only grid and halving may stop early
        assert len(s.trials) == BUDGET
    assert s.finished
    with pytest.raises(BudgetExhausted):
        s.ask()


def test_pending_asks_count_against_the_budget(name: str) -> None:
    s = make(name, budget=3, seed=0)
    asked = []
    while not s.finished:
        asked.append(s.ask())
        if s.uses_resource:  # halving needs results to promote
            s.tell(asked[-1], loss(asked[-1], s.resource))
    assert len(asked) <= 3
    with pytest.raises(BudgetExhausted):
        s.ask()


@pytest.mark.parametrize("budget", [1, 2])
def test_tiny_budgets(name: str, budget: int) -> None:
    s = run(name, seed=0, budget=budget)
    assert 1 <= len(s.trials) <= budget
    assert s.best is not None


def test_same_seed_gives_the_same_trials(name: str) -> None:
    assert trace(run(name, seed=11)) == trace(run(name, seed=11))


def test_different_seeds_give_different_trials(name: str) -> None:
    a, b = trace(run(name, seed=1)), trace(run(name, seed=2))
    if not getattr(get_method(name), "uses_seed", True):
        assert a == b  # it follows the gradient from a fixed start: the seed changes nothing
        return
    if name == "grid":
        assert a == b  # a grid does not depend on the seed ...
        a, b = trace(run(name, seed=1, shuffle=True)), trace(run(name, seed=2, shuffle=True))
    assert a != b


def test_seed_does_not_touch_global_random_state(name: str) -> None:
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    run(name, seed=5)
    assert np.random.random() == before


def test_tell_updates_the_best(name: str) -> None:
    s = make(name, budget=BUDGET, seed=4)
    assert s.best is None
    step = 0
    while not s.finished:
        params = s.ask()
        value = -1e6 if step == 2 else loss(params, s.resource)
        trial = s.tell(params, value)
        assert trial.index == step and trial.params == params
        assert s.best in s.trials
        top = max(t.resource for t in s.trials)
        assert s.best.resource == top
        assert s.best.value == min(t.value for t in s.trials if t.resource == top)
        if step == 2:
            assert s.best is trial
        step += 1


def test_tell_rejects_what_was_not_asked(name: str) -> None:
    s = make(name, budget=BUDGET, seed=0)
    params = s.ask()
    with pytest.raises(ValueError, match="did not propose"):
        s.tell({**params, "x": 99.0}, 1.0)
    with pytest.raises(ValueError, match="did not propose"):
        s.tell({"nonsense": 1}, 1.0)
    with pytest.raises(ValueError, match="NaN"):
        s.tell(params, float("nan"))
    s2 = make(name, budget=BUDGET, seed=0)
    p = s2.ask()
    s2.tell(p, 1.0)
    with pytest.raises(ValueError, match="did not propose"):
        s2.tell(p, 1.0)  # told twice


@pytest.mark.parametrize("budget", [0, -1, 2.5, True, "10"])
def test_bad_budget_raises(name: str, budget: Any) -> None:
    with pytest.raises(ValueError, match="budget"):
        make(name, budget=budget, seed=0)


def test_bad_seed_raises(name: str) -> None:
    with pytest.raises(ValueError, match="seed"):
        make(name, budget=5, seed=-1)


def _bad_values(opt) -> list[Any]:
    bad: list[Any] = ["not-a-value"]
    if opt.type is bool:
        return ["maybe", 3.5]
    if opt.choices is not None:
        return bad + [object()]
    if opt.low is not None:
        bad.append(opt.low - 1)
    if opt.high is not None:
        bad.append(opt.high * 2 + 1)
    if opt.type is int:
        bad.append(1.5)
    if opt.type is float:
        bad.append(math.inf)
    return bad


def test_invalid_options_raise_naming_the_option(name: str) -> None:
    cls = get_method(name)
    with pytest.raises(ValueError, match="no_such_option"):
        make(name, budget=5, seed=0, no_such_option=1)
    for opt in cls.options:
        for bad in _bad_values(opt):
            with pytest.raises(ValueError, match=repr(opt.name)):
                make(name, budget=5, seed=0, **{opt.name: bad})


def test_live_options_change_between_steps(name: str) -> None:
    cls = get_method(name)
    s = make(name, budget=8, seed=0)
    p = s.ask()
    s.tell(p, loss(p, s.resource))
    for opt in cls.options:
        if opt.live:
            s.set_options(**{opt.name: opt.default})
            for bad in _bad_values(opt)[:1]:
                with pytest.raises(ValueError, match=repr(opt.name)):
                    s.set_options(**{opt.name: bad})
        else:
            with pytest.raises(ValueError, match="cannot be changed"):
                s.set_options(**{opt.name: opt.default})
    while not s.finished:
        p = s.ask()
        assert space_for(name).contains(p)
        s.tell(p, loss(p, s.resource))


@pytest.mark.parametrize(
    "space",
    [
        Space({"x": Real(0.0, 1.0)}),
        Space({"a": Categorical(["p", "q"]), "b": Categorical([1, 2, 3])}),
        Space({"n": Integer(1, 3), "lr": Real(1e-3, 1.0, log=True)}),
    ],
    ids=["1d-real", "categorical-only", "small-integer"],
)
def test_other_spaces(name: str, space: Space) -> None:
    if needs_gradient(name) and not all(isinstance(d, Real) for d in space.values()):
        with pytest.raises(ValueError, match="continuous parameters only"):  # refused, not skipped
            make(name, space, budget=10, seed=0)
        return
    s = run(name, seed=0, budget=10, space=space)
    assert 1 <= len(s.trials) <= 10
    assert all(space.contains(t.params) for t in s.trials)


# ----- peek: what the next ask returns, without changing the run ---------------------------
def test_peek_is_the_next_ask_with_a_reason(name: str) -> None:
    plain = trace(run(name, seed=7))
    s = make(name, budget=BUDGET, seed=7)
    while not s.finished:
        p = s.peek()
        assert isinstance(p, Peek) and p.reason and isinstance(p.from_model, bool)
        assert np.array_equal(p.unit, space_for(name).to_unit(p.params)) and not p.unit.flags.writeable
        assert p.source is not s and p.source.n_told == s.n_told
        params = s.ask()
        assert params == p.params
        s.tell(params, loss(params, s.resource))
    assert trace(s) == plain
    with pytest.raises(BudgetExhausted):
        s.peek()


def test_peek_with_asks_still_pending(name: str) -> None:
    """Asked but not yet told points count, as they do for the next ask
    (halving's first rung holds 4 configurations at this budget)."""
    s = make(name, budget=6, seed=1)
    t = make(name, budget=6, seed=1)
    first, _ = s.ask(), t.ask()
    second = s.peek()
    assert s.ask() == second.params == t.ask()
    s.tell(first, 1.0)
    assert s.peek().params == s.ask()


def test_peeked_params_are_a_copy(name: str) -> None:
    s = make(name, budget=BUDGET, seed=3)
    p = s.peek()
    expected = dict(p.params)
    p.params["x"] = 123.0
    assert s.peek().params == expected
    assert s.ask() == expected

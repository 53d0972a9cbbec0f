"""What a run spends in training resource, and the trial budget that spends a given amount.

Trials of halving and hyperband train on part of the data (a resource below
1); `planned_resource` says how many full trainings a run's plan adds up to,
and `trials_for_resource` finds the trial budget that spends at most a given
number, so `compare(..., equal_resource=True)` can give every method the same
total resource (see hpedu.tuning.compare).
"""

from __future__ import annotations

from typing import Any, Mapping

from .runner import MAX_BUDGET

__all__ = ["planned_resource", "trials_for_resource"]


def planned_resource(method: str, trials: int, space: Any, options: Mapping[str, Any]) -> float:
    """The resource (full trainings) a run of `method` with `trials` trials
    spends: the strategy's own `planned_resource` when it has one, else a dry
    run that asks and tells a loss of 0 (the resource plans of halving and
    hyperband do not depend on the losses); `trials` for a method without a
    resource."""
    from .registry import get_method

    cls = get_method(method)
    if not cls.uses_resource:
        return float(trials)
    own = getattr(cls, "planned_resource", None)
    if own is not None:
        return float(own(trials, **options))
    s = cls(space, budget=trials, seed=0, **options)
    total = 0.0
    while not s.finished:
        params = s.ask()
        total += s.resource
        s.tell(params, 0.0)
    return total


def trials_for_resource(method: str, resource: int, space: Any, options: Mapping[str, Any]) -> int:
    """The largest trial budget from 1 to MAX_BUDGET whose run spends at most
    `resource` full trainings (1 when none does). Every trial budget is
    checked: a hyperband plan's resource does not grow steadily with its
    trials (13 trials run one bracket, 3.0 trainings; 12 run three, 8.67)."""
    best = 1
    for trials in range(1, MAX_BUDGET + 1):
        if planned_resource(method, trials, space, options) <= resource + 1e-9:
            best = trials
    return best

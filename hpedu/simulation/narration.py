"""One line in plain words about each finished trial (numbered from 1, as every view numbers trials)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tuning.base import Trial
from .settings import ACQ_LABELS, fmt, format_params

__all__ = ["data_part", "narrate", "said_min_distance", "said_no_repeat"]

_MIN_DISTANCE = "min_distance rule: "


def said_no_repeat(reason: str) -> bool:
    """Whether the engine's reason says the no-repeat rule moved the point."""
    text = reason.lower()
    return any(w in text for w in ("repeat", "already tried", "already been tried", "not tried", "unseen"))


def said_min_distance(reason: str) -> bool:
    """Whether the engine's reason says the point was moved for being too close to a trial (bayes' min_distance)."""
    return reason.startswith(_MIN_DISTANCE)


def data_part(resource: float) -> str:
    """How much of the data a trial trained on: 'all the data', '1/9 of the data', '0.15 of the data'."""
    if resource >= 1.0 - 1e-12:
        return "all the data"
    n = round(1.0 / resource) if resource > 0 else 0
    if n >= 2 and abs(resource * n - 1.0) < 1e-6:
        return f"1/{n} of the data"
    return f"{fmt(resource, 3)} of the data"


def _what(method: str, strategy: Any, trial: Trial, params: str, from_model: bool, reason: str) -> str:
    i = trial.index
    if method == "grid":
        return f"grid search tried {params}"
    if method == "random":
        return f"random search sampled {params}"
    if method == "sobol":
        return f"the Sobol sequence placed {params}"
    if method == "bayes":
        if said_min_distance(reason):  # the engine's own words: which trial was too close, and what it did
            return f"Bayesian optimization chose {params}: {reason.removeprefix(_MIN_DISTANCE)}"
        if not from_model:
            return f"Bayesian optimization's initial design placed {params} ({i + 1} of {strategy.n_initial})"
        acq = ACQ_LABELS.get(strategy.opts["acq"], strategy.opts["acq"])
        if said_no_repeat(reason):
            return f"Bayesian optimization chose {params} (highest {acq} among points not tried yet)"
        return f"Bayesian optimization chose {params} (highest {acq})"
    if method == "tpe":
        if not from_model:
            return f"TPE sampled {params} at random (start-up)"
        return f"TPE picked {params} (best l/g of {strategy.opts['n_candidates']} candidates drawn from l(x))"
    if method == "halving":
        return f"successive halving trained {params} on {data_part(trial.resource)}"
    if method == "hyperband":
        from .brackets import stage_narration

        return stage_narration(strategy, trial, params)
    if method == "evolution":
        gens = getattr(strategy, "generations", [])
        g = gens[i] if i < len(gens) else None
        return f"evolution (generation {g}) tried {params}" if g is not None else f"evolution tried {params}"
    if method == "hypergradient":
        return _hypergradient_step(strategy, trial, params)
    return f"{method} tried {params}"


def _hypergradient_step(strategy: Any, trial: Trial, params: str) -> str:
    """'step 3: slope -354.7 at log10 alpha = 0.9139, moved to 1.339' (the step that made this trial)."""
    i = trial.index
    steps = getattr(strategy, "steps", [])
    if i == 0 or i > len(steps):
        return f"hypergradient started at {params}"
    step = steps[i - 1]
    parts = []
    for name in step.end:
        dim = strategy.space[name]
        label = f"log10 {name}" if getattr(dim, "log", False) else name
        moved = f"moved to {fmt(step.end[name])}"
        if step.wanted[name] != step.end[name]:
            moved += f" (stopped at the bound; the step aimed at {fmt(step.wanted[name])})"
        parts.append(f"slope {fmt(step.slope[name])} at {label} = {fmt(step.start[name])}, {moved}")
    kind = "Adam step" if strategy.opts.get("optimizer") == "adam" else "step"
    return f"hypergradient {kind} {i}: " + "; ".join(parts)


def narrate(method: str, strategy: Any, score_name: str, names: list[str], trial: Trial, best_so_far: np.ndarray,
            from_model: bool, reason: str = "") -> str:
    """A line about `trial` (just told): what chose it, its score and the best so far."""
    i = trial.index
    what = _what(method, strategy, trial, format_params(trial.params, names), from_model, reason)
    line = f"trial {i + 1}: {what} → {score_name} {fmt(trial.value)}"
    if trial.resource < 1.0 - 1e-12:
        return line + " (partial training: not counted as best)"
    now = best_so_far[i] if i < best_so_far.size else math.nan
    before = best_so_far[i - 1] if i > 0 else math.nan
    if not math.isnan(now) and (math.isnan(before) or now != before):
        return line + f"; new best {fmt(now)}"
    return line + (f"; best still {fmt(now)}" if not math.isnan(now) else "")

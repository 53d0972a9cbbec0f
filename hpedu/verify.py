"""`hpedu check --verify`: do the keyed answers hold for every class code?

A class code changes every seed, so an exercise whose answer holds only for
seed 0 is wrong for most classes. Steps that depend on a run list claims in a
`verify:` field (the vocabulary is in `hpedu.content.claims` and
docs/exercise-format.md); this module runs each claim's preset under the
pack's own class code (or none) and a number of other codes, and reports
every claim that does not hold, as `file:line: code X: what the runs showed`.

The other codes come from a fixed list (`verify_codes`), so two checks of the
same content run the same simulations. Runs are cached by (preset, seeds)
within one check: a preset used by several steps runs once per code.

May import the engine and the content loader, never a UI library.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .content import Content, Preset
    from .content.claims import Claim
    from .tuning import Comparison, Trace

__all__ = ["MAX_CODES", "DEFAULT_CODES", "Failure", "Report", "verify_codes", "verify_content"]

DEFAULT_CODES = 3
MAX_CODES = 50
NO_CODE = "(none)"
_FULL = 1.0 - 1e-12  # a trial at this resource or more was trained on all the data
_EDGE_RTOL = 1e-9


def verify_codes(n: int) -> list[str]:
    """`n` class codes from a fixed list: the same codes on every machine, in the same order."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_CODES:
        raise ValueError(f"the number of codes must be a whole number from 0 to {MAX_CODES}, got {n!r}")
    return ["v" + hashlib.sha256(f"hpedu-verify:{i}".encode("ascii")).hexdigest()[:7] for i in range(1, n + 1)]


@dataclass(frozen=True)
class Failure:
    """A claim that does not hold under one class code."""

    path: Path | None
    line: int
    code: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: code {self.code or NO_CODE}: {self.message}"


@dataclass
class Report:
    failures: list[Failure] = field(default_factory=list)
    claims: int = 0  # claims checked (each under every code)
    codes: list[str | None] = field(default_factory=list)
    runs: int = 0  # distinct simulations run (a comparison counts once)
    unchecked: list[tuple[Path | None, int, str]] = field(default_factory=list)  # preset steps with no claims


class Runs:
    """Simulations of presets, cached by (preset id, seeds).

    Objective values are cached too, by (objective, options, params,
    resource): a grid gives the same trials under every code, and a model
    objective's value depends only on its params (its folds and estimators are
    seeded with 0), so a configuration met again costs nothing.
    """

    def __init__(self, presets: dict[str, "Preset"]) -> None:
        self.presets = presets
        self._cache: dict[tuple[str, tuple[int, ...]], Any] = {}
        self._objectives: dict[tuple[str, str], Any] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def get(self, preset_id: str, code: str | None) -> "Trace | Comparison":
        from .classroom import preset_seeds

        preset = self.presets[preset_id]
        seeds = tuple(preset_seeds(preset, code))
        key = (preset_id, seeds)
        if key not in self._cache:
            self._cache[key] = self._run(preset, list(seeds))
        return self._cache[key]

    def objective(self, preset: "Preset") -> Any:
        """The preset's objective, its values remembered for the whole check."""
        import dataclasses

        from .tuning.runner import resolve_objective

        key = (preset.objective, repr(sorted(preset.objective_options.items())))
        if key not in self._objectives:
            obj, _ = resolve_objective(preset.objective, objective_options=preset.objective_options)
            self._objectives[key] = dataclasses.replace(obj, fn=_remembered(obj.fn, obj.supports_resource))
        return self._objectives[key]

    def _run(self, preset: "Preset", seeds: list[int]) -> "Trace | Comparison":
        from .tuning import compare, prepare

        objective = self.objective(preset)
        if preset.methods:
            options = {preset.method: dict(preset.options)} if preset.options and preset.method in preset.methods else None
            return compare(objective, list(preset.methods), preset.budget, seeds, options=options)
        return prepare(objective, None, preset.method, preset.budget, seeds[0], **dict(preset.options)).run()


def _remembered(fn: Callable[..., float], supports_resource: bool) -> Callable[..., float]:
    values: dict[tuple, float] = {}

    def remembered(params: dict[str, Any], resource: float = 1.0) -> float:
        key = (tuple(sorted((k, type(v).__name__, repr(v)) for k, v in params.items())), resource)
        if key not in values:
            values[key] = fn(params, resource=resource) if supports_resource and resource != 1.0 else fn(params)
        return values[key]

    return remembered


def verify_content(content: "Content", codes: list[str | None],
                   progress: Callable[[str], None] | None = None) -> Report:
    """Check every claim of every exercise under each of `codes` (None: no class code)."""
    report = Report(codes=list(codes))
    runs = Runs(content.presets)
    for exercise in content.extras.get("exercises", {}).values():
        for n, step in enumerate(exercise.steps, start=1):
            if step.preset and not step.verify:
                report.unchecked.append((exercise.path, step.line, step.preset))
            for claim in step.verify:
                report.claims += 1
                for code in codes:
                    if progress is not None:
                        progress(f"{exercise.id} step {n}: {claim.kind} on {claim.preset}, code {code or NO_CODE}")
                    try:
                        message = check_claim(claim, runs, code)
                    except (ValueError, TypeError, KeyError) as exc:
                        message = f"preset {claim.preset!r} could not run: {exc}"
                    if message is not None:
                        report.failures.append(Failure(exercise.path, claim.line, code, message))
    report.runs = len(runs)
    return report


# ----- the claims ----------------------------------------------------------------
def check_claim(claim: "Claim", runs: Runs, code: str | None) -> str | None:
    """None when the claim holds under `code`; else what the run showed instead."""
    result = runs.get(claim.preset, code)
    message = _CHECKS[claim.kind](claim.args, result, runs, code, claim)
    return None if message is None else f"{claim.preset}: {message}"


def _fmt(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, float) else repr(x) if isinstance(x, str) else str(x)


def _seeds(comp: "Comparison") -> str:
    return f"{len(comp.seeds)} seeds"


def _better(direction: str) -> str:
    return "lower" if direction == "minimize" else "higher"


def _median_better(a: dict, comp: "Comparison", *_: Any) -> str | None:
    m, t = comp.methods[a["method"]].median_final, comp.methods[a["than"]].median_final
    ok = (m < t) if comp.direction == "minimize" else (m > t)
    if ok and not math.isnan(m):
        return None
    return (f"{a['method']}'s median best {_fmt(m)} is not {_better(comp.direction)} than "
            f"{a['than']}'s {_fmt(t)} over {_seeds(comp)}")


def _wins_at_least(a: dict, comp: "Comparison", *_: Any) -> str | None:
    wins = comp.methods[a["method"]].wins
    if wins >= a["wins"] - 1e-9:
        return None
    return f"{a['method']} wins {wins:g} of {len(comp.seeds)} seeds, fewer than {a['wins']}"


def _median_in(a: dict, comp: "Comparison", *_: Any) -> str | None:
    m = comp.methods[a["method"]].median_final
    if a["low"] <= m <= a["high"]:
        return None
    return f"{a['method']}'s median best {_fmt(m)} is outside [{a['low']}, {a['high']}] over {_seeds(comp)}"


def _best(trace: "Trace"):
    best = trace.best
    if best is None:
        raise ValueError("no trial finished on the full data")
    return best


def _where(trace: "Trace") -> str:
    return f"seed {trace.seed}"


def _best_value_in(a: dict, trace: "Trace", *_: Any) -> str | None:
    best = _best(trace)
    if a["low"] <= best.value <= a["high"]:
        return None
    return f"{_where(trace)}: the best value {_fmt(best.value)} (trial {best.index + 1}) is outside [{a['low']}, {a['high']}]"


def _param(trace: "Trace", name: str, claim: "Claim") -> None:
    if name not in trace.param_names:
        raise ValueError(f"claim {claim.kind} names param {name!r}, but the run's params are "
                         f"{', '.join(trace.param_names)}")


def _in_range(value: Any, a: dict) -> bool:
    if "values" in a:
        return any(value == v for v in a["values"])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return a.get("low", -math.inf) <= value <= a.get("high", math.inf)


def _range_text(a: dict) -> str:
    if "values" in a:
        return f"one of {a['values']}"
    return f"in [{a.get('low', '-inf')}, {a.get('high', 'inf')}]"


def _best_param_in(a: dict, trace: "Trace", _r: Runs, _c: Any, claim: "Claim") -> str | None:
    _param(trace, a["param"], claim)
    best = _best(trace)
    value = best.params[a["param"]]
    if _in_range(value, a):
        return None
    return f"{_where(trace)}: the best trial (trial {best.index + 1}) has {a['param']} = {_fmt(value)}, not {_range_text(a)}"


def _bounds(preset: "Preset", param: str) -> tuple[float, float]:
    from .tuning import get_objective

    dim = get_objective(preset.objective, **dict(preset.objective_options)).space[param]
    low, high = getattr(dim, "low", None), getattr(dim, "high", None)
    if low is None or high is None:
        raise ValueError(f"param {param!r} has no numeric range, so it has no edge")
    return float(low), float(high)


def _edge(value: float, low: float, high: float) -> str | None:
    tol = _EDGE_RTOL * max(1.0, abs(low), abs(high))
    if abs(value - low) <= tol:
        return "low"
    if abs(value - high) <= tol:
        return "high"
    return None


def _best_param_on_edge(a: dict, trace: "Trace", runs: Runs, _c: Any, claim: "Claim") -> str | None:
    _param(trace, a["param"], claim)
    best = _best(trace)
    low, high = _bounds(runs.presets[claim.preset], a["param"])
    value = best.params[a["param"]]
    edge = _edge(value, low, high)
    wanted = a.get("edge", "either")
    if edge is not None and wanted in ("either", edge):
        return None
    which = {"either": "either end", "low": "the low end", "high": "the high end"}[wanted]
    return (f"{_where(trace)}: the best trial (trial {best.index + 1}) has {a['param']} = {_fmt(value)}, not on "
            f"{which} of [{low:g}, {high:g}]")


def _best_param_inside(a: dict, trace: "Trace", runs: Runs, _c: Any, claim: "Claim") -> str | None:
    _param(trace, a["param"], claim)
    best = _best(trace)
    low, high = _bounds(runs.presets[claim.preset], a["param"])
    value = best.params[a["param"]]
    edge = _edge(value, low, high)
    if edge is None:
        return None
    return f"{_where(trace)}: the best trial (trial {best.index + 1}) has {a['param']} = {_fmt(value)}, on the {edge} edge"


def _count_trials(a: dict, trace: "Trace", _r: Runs, _c: Any, claim: "Claim") -> str | None:
    if "param" in a:
        _param(trace, a["param"], claim)
    count = 0
    for t in trace.trials[a.get("from", 1) - 1:a.get("to", len(trace.trials))]:  # trial numbers count from 1
        if not a.get("value_low", -math.inf) <= t.value <= a.get("value_high", math.inf):
            continue
        if "resource" in a and not math.isclose(t.resource, a["resource"], rel_tol=1e-6):
            continue
        if "param" in a and not _in_range(t.params[a["param"]], a):
            continue
        count += 1
    if a.get("at_least", 0) <= count <= a.get("at_most", math.inf):
        return None
    what = "trials"
    if "param" in a:
        what += f" with {a['param']} {_range_text(a)}"
    if "value_low" in a or "value_high" in a:
        what += f" scoring in [{a.get('value_low', '-inf')}, {a.get('value_high', 'inf')}]"
    if "resource" in a:
        what += f" at resource {a['resource']:g}"
    if "from" in a or "to" in a:
        what += f" among trials {a.get('from', 1)} to {a.get('to', len(trace.trials))}"
    want = " to ".join(str(a[k]) for k in ("at_least", "at_most") if k in a)
    if "at_most" not in a:
        want = f"at least {a['at_least']}"
    elif "at_least" not in a:
        want = f"at most {a['at_most']}"
    return f"{_where(trace)}: {count} {what}, expected {want}"


def _trial_value_in(a: dict, trace: "Trace", *_: Any) -> str | None:
    if a["trial"] > len(trace.trials):
        return f"{_where(trace)}: the run has only {len(trace.trials)} trials, no trial {a['trial']}"
    value = trace.trials[a["trial"] - 1].value  # trial numbers count from 1
    if a["low"] <= value <= a["high"]:
        return None
    return f"{_where(trace)}: trial {a['trial']} scores {_fmt(value)}, outside [{a['low']}, {a['high']}]"


def _trial_near_best(a: dict, trace: "Trace", _r: Runs, _c: Any, claim: "Claim") -> str | None:
    _param(trace, a["param"], claim)
    k = a["trial"]  # counted from 1, as tables show it
    if not 2 <= k <= len(trace.trials):
        return f"{_where(trace)}: no trial {k} with trials before it (the run has {len(trace.trials)})"
    sign = 1.0 if trace.direction == "minimize" else -1.0
    before = min(trace.trials[: k - 1], key=lambda t: sign * t.value)
    here, there = trace.trials[k - 1].params[a["param"]], before.params[a["param"]]
    if abs(here - there) <= a["within"]:
        return None
    return (f"{_where(trace)}: trial {k} has {a['param']} = {_fmt(here)}, {abs(here - there):.3g} from the best "
            f"trial before it (trial {before.index + 1}, {a['param']} = {_fmt(there)}), more than {a['within']}")


def _same_first_trials(a: dict, trace: "Trace", runs: Runs, code: str | None, claim: "Claim") -> str | None:
    other = runs.get(a["as"], code)
    if not hasattr(other, "trials"):
        raise ValueError(f"preset {a['as']!r} is a comparison, not a single run")
    n = a["count"]
    mine, theirs = [t.params for t in trace.trials[:n]], [t.params for t in other.trials[:n]]
    for i, (p, q) in enumerate(zip(mine, theirs)):
        if p != q:
            return f"{_where(trace)}: trial {i + 1} differs from {a['as']}'s ({p} against {q})"
    if len(mine) < n or len(theirs) < n:
        return f"{_where(trace)}: fewer than {n} trials to compare"
    return None


def _halving_cut(a: dict, trace: "Trace", _r: Runs, _c: Any, claim: "Claim") -> str | None:
    _param(trace, a["param"], claim)
    if not trace.trials:
        return f"{_where(trace)}: no trials"
    first = min(t.resource for t in trace.trials)
    later = {_key(t.params) for t in trace.trials if t.resource > first * (1 + 1e-6)}
    inside = [t for t in trace.trials if t.resource == first and _in_range(t.params[a["param"]], a)]
    kept = [t for t in inside if _key(t.params) in later]
    if kept:
        shown = ", ".join(f"trial {t.index + 1} ({a['param']} = {_fmt(t.params[a['param']])})" for t in kept)
        return f"{_where(trace)}: first-rung trials with {a['param']} {_range_text(a)} survived the cut: {shown}"
    if len(inside) < a.get("at_least", 1):
        return (f"{_where(trace)}: only {len(inside)} first-rung trials have {a['param']} {_range_text(a)}, "
                f"expected at least {a.get('at_least', 1)}")
    return None


def _key(params: dict[str, Any]) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


_CHECKS: dict[str, Callable[..., str | None]] = {
    "median-better": _median_better,
    "wins-at-least": _wins_at_least,
    "median-in": _median_in,
    "best-value-in": _best_value_in,
    "best-param-in": _best_param_in,
    "best-param-on-edge": _best_param_on_edge,
    "best-param-inside": _best_param_inside,
    "count-trials": _count_trials,
    "trial-value-in": _trial_value_in,
    "trial-near-best": _trial_near_best,
    "same-first-trials": _same_first_trials,
    "halving-cut": _halving_cut,
}

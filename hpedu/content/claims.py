"""Machine-checkable claims about a step's simulation: the `verify:` step field.

A step whose keyed answer depends on a run lists what the run must show,
from a closed vocabulary, so `hpedu check --verify` can run the preset under
many class codes and report every claim that does not hold:

    verify:
      - claim: median-better
        method: random
        than: grid
      - claim: wins-at-least
        method: random
        wins: 15

This module only parses and validates claims (pure: no engine import); the
runs and the checks are in `hpedu.verify`. The vocabulary is documented in
docs/exercise-format.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["CLAIM_KINDS", "Claim", "ClaimKind", "parse_claims"]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _name(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _values(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, (str, int, float, bool)) for x in v)


# What each argument must be: a check and the words for it.
ARGS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "method": (_name, "a method name of the comparison"),
    "than": (_name, "a method name of the comparison"),
    "wins": (lambda v: _number(v) and v >= 0, "a number >= 0 (ties count as a fraction of a win)"),
    "low": (_number, "a number"),
    "high": (_number, "a number"),
    "param": (_name, "a hyperparameter name of the preset's objective"),
    "values": (_values, "a non-empty list of values"),
    "edge": (lambda v: v in ("low", "high", "either"), "low, high or either"),
    "at_least": (_whole, "a whole number >= 0"),
    "at_most": (_whole, "a whole number >= 0"),
    "resource": (lambda v: _number(v) and 0 < v <= 1, "a fraction of the training data in (0, 1]"),
    "trial": (lambda v: _whole(v) and v >= 1, "a trial number as tables show it (from 1)"),
    "count": (lambda v: _whole(v) and v >= 1, "a whole number >= 1"),
    "from": (lambda v: _whole(v) and v >= 1, "a trial number as tables show it (from 1): the first one counted"),
    "to": (lambda v: _whole(v) and v >= 1, "a trial number as tables show it (from 1): the last one counted"),
    "value_low": (_number, "a number"),
    "value_high": (_number, "a number"),
    "within": (lambda v: _number(v) and v >= 0, "a distance >= 0"),
    "as": (_name, "a preset id"),
    "preset": (_name, "a preset id"),
}


@dataclass(frozen=True)
class ClaimKind:
    """One word of the vocabulary: its arguments and what it asserts."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    compare: bool  # needs a comparison preset (methods: [...]) rather than a single run
    meaning: str
    one_of: tuple[str, ...] = ()  # at least one of these must be given


CLAIM_KINDS: dict[str, ClaimKind] = {
    "median-better": ClaimKind(("method", "than"), (), True,
                               "method's median final best value is better than than's (lower when minimising)"),
    "wins-at-least": ClaimKind(("method", "wins"), (), True,
                               "method wins at least `wins` of the comparison's seeds (a tie shares the win)"),
    "median-in": ClaimKind(("method", "low", "high"), (), True,
                           "method's median final best value lies in [low, high]"),
    "best-value-in": ClaimKind(("low", "high"), (), False, "the run's best value lies in [low, high]"),
    "best-param-in": ClaimKind(("param",), ("low", "high", "values"), False,
                               "the best trial's param lies in [low, high] (or is one of values)", ("low", "values")),
    "best-param-on-edge": ClaimKind(("param",), ("edge",), False,
                                    "the best trial's param sits on the low or high end of its range"),
    "best-param-inside": ClaimKind(("param",), (), False, "the best trial's param is not on either end of its range"),
    "count-trials": ClaimKind((), ("param", "low", "high", "values", "value_low", "value_high", "resource", "from",
                                   "to", "at_least", "at_most"), False,
                              "the number of trials (trial numbers `from` to `to`, counted from 1, with param in [low, high] or one of "
                              "values, value in [value_low, value_high], at this resource) is within "
                              "at_least..at_most", ("at_least", "at_most")),
    "trial-value-in": ClaimKind(("trial", "low", "high"), (), False, "trial number `trial` scores in [low, high]"),
    "trial-near-best": ClaimKind(("trial", "param", "within"), (), False,
                                 "trial number `trial` puts param within `within` of the best trial before it"),
    "same-first-trials": ClaimKind(("as", "count"), (), False,
                                   "the first `count` trials are the same points as in preset `as` (same class code)"),
    "halving-cut": ClaimKind(("param", "low", "high"), ("at_least",), False,
                             "every first-rung configuration with param in [low, high] is cut there, and there "
                             "are at least at_least of them (default 1)"),
}


@dataclass(frozen=True)
class Claim:
    """One checked statement about a preset's runs."""

    kind: str
    line: int
    preset: str  # the preset whose runs are checked
    args: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.args.items())
        return f"{self.kind}({shown})"


def parse_claims(raw: Any, step_preset: Any, here: int, lines: dict, prefix: tuple, presets: dict,
                 bad: list[tuple[int, str]]) -> tuple[Claim, ...]:
    """Check a step's `verify:` list; append (line, message) for each problem to `bad`.

    `lines` maps key paths of the front matter to file lines; `prefix` is the
    key path of the `verify` field; `presets` maps preset id -> Preset.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        bad.append((here, f"field 'verify' must be a non-empty list of claims (- claim: NAME ...), got {raw!r}"))
        return ()
    out: list[Claim] = []
    for j, item in enumerate(raw):
        at = lines.get(prefix + (j,), here)
        key_line = lambda key: lines.get(prefix + (j, key), at)  # noqa: E731
        if not isinstance(item, dict) or "claim" not in item:
            bad.append((at, f"claim {j + 1} must be a mapping with 'claim: NAME'; names: {', '.join(CLAIM_KINDS)}"))
            continue
        name = item["claim"]
        kind = CLAIM_KINDS.get(name) if isinstance(name, str) else None
        if kind is None:
            bad.append((key_line("claim"), f"claim {j + 1}: unknown claim {name!r}; known claims: {', '.join(CLAIM_KINDS)}"))
            continue
        before = len(bad)
        allowed = ("claim", "preset", *kind.required, *kind.optional)
        for key, value in item.items():
            if key not in allowed:
                bad.append((key_line(key), f"claim {j + 1} ({name}): unknown argument {key!r}; allowed: "
                            f"{', '.join(allowed[1:])}"))
            elif key != "claim" and not ARGS[key][0](value):
                bad.append((key_line(key), f"claim {j + 1} ({name}): {key!r} must be {ARGS[key][1]}, got {value!r}"))
        for key in kind.required:
            if key not in item:
                bad.append((at, f"claim {j + 1} ({name}) needs {key!r} ({ARGS[key][1]})"))
        if kind.one_of and not any(k in item for k in kind.one_of):
            bad.append((at, f"claim {j + 1} ({name}) needs one of: {', '.join(kind.one_of)}"))
        for lo, hi in (("low", "high"), ("value_low", "value_high")):
            if _number(item.get(lo)) and _number(item.get(hi)) and item[lo] > item[hi]:
                bad.append((key_line(lo), f"claim {j + 1} ({name}): {lo} ({item[lo]}) is above {hi} ({item[hi]})"))
        if "values" in item and ("low" in item or "high" in item):
            bad.append((key_line("values"), f"claim {j + 1} ({name}): give either values or low/high, not both"))
        if any(k in item for k in ("low", "high", "values")) and "param" not in item and name == "count-trials":
            bad.append((at, f"claim {j + 1} ({name}): low, high and values need 'param'"))
        preset_id = item.get("preset", step_preset)
        if not isinstance(preset_id, str) or not preset_id:
            bad.append((at, f"claim {j + 1} ({name}): the step has no 'preset', so the claim needs 'preset: ID'"))
        elif preset_id not in presets:
            bad.append((key_line("preset"), f"claim {j + 1} ({name}): preset {preset_id!r} does not exist"))
        else:
            _check_against_preset(j, name, kind, item, presets, preset_id, key_line, at, bad)
        if len(bad) == before:
            args = {k: v for k, v in item.items() if k not in ("claim", "preset")}
            out.append(Claim(name, at, preset_id, args))
    return tuple(out)


def _check_against_preset(j: int, name: str, kind: ClaimKind, item: dict, presets: dict, preset_id: str,
                          key_line: Callable[[str], int], at: int, bad: list[tuple[int, str]]) -> None:
    preset = presets[preset_id]
    if kind.compare and not preset.methods:
        bad.append((at, f"claim {j + 1} ({name}) compares methods, but preset {preset_id!r} is a single run "
                    "(it has no 'methods')"))
    elif not kind.compare and preset.methods:
        bad.append((at, f"claim {j + 1} ({name}) is about a single run, but preset {preset_id!r} compares "
                    f"{', '.join(preset.methods)}"))
    elif kind.compare:
        for key in ("method", "than"):
            if isinstance(item.get(key), str) and item[key] not in preset.methods:
                bad.append((key_line(key), f"claim {j + 1} ({name}): {item[key]!r} is not among the methods of "
                            f"preset {preset_id!r}: {', '.join(preset.methods)}"))
        if _number(item.get("wins")) and item["wins"] > preset.seeds:
            bad.append((key_line("wins"), f"claim {j + 1} ({name}): wins {item['wins']} is more than the "
                        f"{preset.seeds} seeds of preset {preset_id!r}"))
    if name == "same-first-trials" and isinstance(item.get("as"), str) and item["as"] not in presets:
        bad.append((key_line("as"), f"claim {j + 1} ({name}): preset {item['as']!r} does not exist"))

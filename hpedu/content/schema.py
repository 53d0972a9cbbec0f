"""The fields each kind of content file may have, kept apart from the loader.

A schema is a mapping from field name to `Field`; `check_fields` returns a
list of (line, message) for every problem, so the loader can report them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

__all__ = ["Field", "SLUG", "GLOSSARY_FIELDS", "PRESET_FIELDS", "check_fields", "check_limits"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_text_list(v: Any) -> bool:
    return isinstance(v, list) and all(_is_text(x) for x in v)


def _is_slug(v: Any) -> bool:
    return isinstance(v, str) and bool(SLUG.match(v))


def _is_slug_list(v: Any) -> bool:
    return isinstance(v, list) and all(_is_slug(x) for x in v)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@dataclass(frozen=True)
class Field:
    required: bool
    check: Callable[[Any], bool]
    expected: str  # what is allowed, in words
    choices: tuple[str, ...] | None = None
    allow_empty: bool = False


def _text(required: bool = True) -> Field:
    return Field(required, _is_text, "a non-empty text")


def _slugs(required: bool = False) -> Field:
    return Field(required, _is_slug_list, "a list of ids (lower-case words joined by '-')")


GLOSSARY_FIELDS: dict[str, Field] = {
    "id": Field(True, _is_slug, "an id of lower-case letters, digits and '-' (the file name)"),
    "term": _text(),
    "aliases": Field(False, _is_text_list, "a list of texts"),
    "category": Field(True, lambda v: isinstance(v, str), "one of the categories", choices=(
        "concept", "hyperparameter", "model-parameter", "tuning-method", "evaluation")),
    "summary": _text(),
    "pronunciation": Field(False, lambda v: isinstance(v, str), "a text (IPA)", allow_empty=True),
    "related": _slugs(required=True),
    "simulation": Field(False, lambda v: v is None or v == "" or _is_slug(v), "a preset name or empty", allow_empty=True),
    "sources": Field(False, _is_text_list, "a list of texts (names or URLs)"),
}

PRESET_FIELDS: dict[str, Field] = {
    "id": Field(True, _is_slug, "an id of lower-case letters, digits and '-' (the file name)"),
    "title": _text(),
    "description": _text(),
    "objective": Field(True, _is_slug, "an objective name (see 'hpedu objectives')"),
    "method": Field(True, _is_slug, "a method name (see 'hpedu methods')"),
    "budget": Field(True, lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
    "seed": Field(False, lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
    "options": Field(False, lambda v: isinstance(v, dict), "a mapping of option: value"),
    "objective_options": Field(False, lambda v: isinstance(v, dict), "a mapping of option: value"),
    "methods": Field(False, _is_slug_list, "a list of method names"),
    "seeds": Field(False, lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
    "view": Field(False, lambda v: isinstance(v, str), "one of the views", choices=("run", "inside", "compare")),
    "terms": _slugs(),
    "locked": Field(False, _is_text_list, "a list of setting names"),
}


def check_fields(
    meta: Mapping[str, Any], key_lines: Mapping[str, int], schema: Mapping[str, Field], default_line: int
) -> list[tuple[int, str]]:
    """Every missing, unknown or mistyped field as (line, message)."""
    problems: list[tuple[int, str]] = []
    for key in meta:
        if key not in schema:
            allowed = ", ".join(schema)
            problems.append((key_lines.get(str(key), default_line), f"unknown field {key!r}; allowed fields: {allowed}"))
    for name, spec in schema.items():
        line = key_lines.get(name, default_line)
        if name not in meta:
            if spec.required:
                problems.append((default_line, f"missing required field {name!r} ({spec.expected})"))
            continue
        value = meta[name]
        if value is None and (spec.allow_empty or not spec.required):
            continue
        if not spec.check(value):
            problems.append((line, f"field {name!r} must be {spec.expected}, got {value!r}"))
        elif spec.choices is not None and value not in spec.choices:
            problems.append((line, f"field {name!r} is {value!r}; allowed: {', '.join(spec.choices)}"))
    return problems


def check_limits(meta: Mapping[str, Any], key_lines: Mapping[str, int], default_line: int = 1) -> list[tuple[int, str]]:
    """A preset's budget and seeds against the engine's limits (MAX_BUDGET and
    MAX_SEEDS of hpedu.tuning.runner, which the command line and the app use),
    as (line, message). Part of the deep check: importing hpedu.tuning loads
    numpy (~0.2-0.4 s), which a plain content load, on the way to the app's
    first screen, does without; PRESET_FIELDS checks the lower bound."""
    from ..tuning.runner import MAX_BUDGET, MAX_SEEDS

    problems = []
    for name, high in (("budget", MAX_BUDGET), ("seeds", MAX_SEEDS)):
        value = meta.get(name)
        if _is_int(value) and value > high:
            problems.append((key_lines.get(name, default_line),
                             f"field {name!r} must be a whole number from 1 to {high}, got {value!r}"))
    return problems

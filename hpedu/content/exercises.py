"""Exercises: `content/exercises/<id>.md`, Markdown with YAML front matter.

The front matter holds the exercise (id, title, terms, difficulty, summary,
steps); the body is the introduction shown before the first step. Each step
is one question: multiple choice, a number within a tolerance, or items to
put in order, optionally tied to a simulation preset that runs before or
after the learner answers. The format is described in docs/exercise-format.md.

The loader hook `load_exercises` fills `content.extras["exercises"]` (id ->
`Exercise`) and reports every problem with the line of the offending key or
list item, found from the YAML nodes' marks.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import LETTERS
from .claims import Claim, parse_claims
from .frontmatter import ContentError, parse_front_matter, read_text, safe_loader, yaml_module
from .model import Content, Problem
from .schema import SLUG, Field, check_fields

__all__ = [
    "DIFFICULTIES",
    "EXERCISE_FIELDS",
    "KINDS",
    "RUN_WHEN",
    "STEP_FIELDS",
    "Exercise",
    "Step",
    "load_exercises",
]

DIFFICULTIES = ("beginner", "intermediate", "advanced")
KINDS = ("choice", "numeric", "order")
RUN_WHEN = ("before", "after")
CHOICES_RANGE = (2, 6)
ITEMS_RANGE = (2, 7)

# The fields only some kinds use, and which of them a kind cannot do without.
KIND_FIELDS: dict[str, tuple[str, ...]] = {"choice": ("choices", "answer"), "numeric": ("answer", "tolerance"), "order": ("items",)}
KIND_REQUIRED: dict[str, tuple[str, ...]] = {"choice": ("choices", "answer"), "numeric": ("answer",), "order": ("items",)}


@dataclass(frozen=True)
class Step:
    """One question of an exercise."""

    question: str
    kind: str  # choice | numeric | order
    explanation: str
    choices: tuple[str, ...] = ()  # choice
    answer: int | float | None = None  # choice: 0-based index into choices; numeric: the value
    tolerance: float = 0.0  # numeric: absolute
    items: tuple[str, ...] = ()  # order: the correct order
    hints: tuple[str, ...] = ()
    preset: str = ""  # a simulation preset tied to this step, or ""
    run: str = ""  # "before" (watch, then answer) or "after" (predict, then watch); "" without a preset
    verify: tuple[Claim, ...] = ()  # what the runs must show for the keyed answer to hold (hpedu check --verify)
    line: int = field(default=0, compare=False)  # the step's first line in its file (0: not from a file)


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    terms: tuple[str, ...]
    difficulty: str
    summary: str
    steps: tuple[Step, ...]
    intro: str = ""  # Markdown shown before the first step
    path: Path | None = None


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_list(v: Any) -> bool:
    return isinstance(v, list)


EXERCISE_FIELDS: dict[str, Field] = {
    "id": Field(True, lambda v: isinstance(v, str) and bool(SLUG.match(v)), "an id of lower-case letters, digits and '-' (the file name)"),
    "title": Field(True, _is_text, "a non-empty text"),
    "terms": Field(True, _is_list, "a list of glossary ids"),
    "difficulty": Field(True, lambda v: isinstance(v, str), "a difficulty", choices=DIFFICULTIES),
    "summary": Field(True, _is_text, "a non-empty text"),
    "steps": Field(True, _is_list, "a list of steps"),
}

STEP_FIELDS: dict[str, Field] = {
    "question": Field(True, _is_text, "a non-empty text"),
    "kind": Field(True, lambda v: isinstance(v, str), "a kind of question", choices=KINDS),
    "choices": Field(False, _is_list, "a list of texts"),
    "answer": Field(False, lambda v: True, "an answer"),  # checked per kind below
    "tolerance": Field(False, lambda v: _is_number(v) and v >= 0, "a number >= 0"),
    "items": Field(False, _is_list, "a list of texts"),
    "hints": Field(False, _is_list, "a list of texts"),
    "explanation": Field(True, _is_text, "a non-empty text"),
    "preset": Field(False, lambda v: isinstance(v, str) and bool(SLUG.match(v)), "a preset name"),
    "run": Field(False, lambda v: isinstance(v, str), "when the preset runs", choices=RUN_WHEN),
    "verify": Field(False, lambda v: True, "a list of claims"),  # checked by claims.parse_claims
}

Lines = dict[tuple[Any, ...], int]  # key path in the front matter -> line in the file


def load_exercises(root: Path, content: Content, deep: bool = False) -> None:
    """Loader hook: every valid exercise into content.extras['exercises']; every problem reported."""
    from .loader import content_files

    exercises: dict[str, Exercise] = content.extras.setdefault("exercises", {})
    for path in content_files(content, "exercises", ".md"):
        exercise = _load_exercise(path, content)
        if exercise is not None:
            exercises[exercise.id] = exercise
    content.extras.setdefault("counts", {})["exercises"] = len(exercises)


def _load_exercise(path: Path, content: Content) -> Exercise | None:
    found: list[Problem] = []

    def problem(line: int, message: str) -> None:
        found.append(Problem(path, line, message))

    def note(line: int, message: str) -> None:  # reported, but the exercise still loads
        content.problems.append(Problem(path, line, message))

    try:
        text = read_text(path, report=note)
        doc = parse_front_matter(text, report=note)
        lines = _line_map(text, doc.body_line)
    except ContentError as exc:
        content.problems.append(Problem(path, exc.line, exc.message))
        return None
    meta = doc.meta
    top = {k: v for (k, *rest), v in lines.items() if not rest}
    step_keys: dict[Any, dict[Any, int]] = {}  # step index -> its keys' lines, built in one pass
    for key_path, line in lines.items():
        if len(key_path) == 3 and key_path[0] == "steps":
            step_keys.setdefault(key_path[1], {})[key_path[2]] = line
    for line, message in check_fields(meta, top, EXERCISE_FIELDS, default_line=1):
        problem(line, message)
    if isinstance(meta.get("id"), str) and SLUG.match(meta["id"]) and meta["id"] != path.stem:
        problem(top["id"], f"id {meta['id']!r} must equal the file name {path.stem!r}")
    terms = meta.get("terms")
    if isinstance(terms, list):
        if not terms:
            problem(top["terms"], "field 'terms' must name at least one glossary entry")
        for i, term in enumerate(terms):
            if not (isinstance(term, str) and term in content.entries):
                problem(lines.get(("terms", i), top["terms"]), _unknown("terms", term, list(content.entries), "glossary entry"))
    steps: list[Step] = []
    raw_steps = meta.get("steps")
    if isinstance(raw_steps, list):
        if not raw_steps:
            problem(top["steps"], "field 'steps' must hold at least one step")
        for i, raw in enumerate(raw_steps):
            step = _check_step(i, raw, lines, step_keys.get(i, {}), top["steps"], content, problem)
            if step is not None:
                steps.append(step)
    for n, line_text in enumerate(doc.body.splitlines(), start=doc.body_line):
        _check_links(line_text, n, content, problem)
    if found:
        content.problems.extend(found)
        return None
    return Exercise(
        id=meta["id"],
        title=" ".join(meta["title"].split()),
        terms=tuple(terms),
        difficulty=meta["difficulty"],
        summary=" ".join(meta["summary"].split()),
        steps=tuple(steps),
        intro=doc.body.strip(),
        path=path,
    )


def _check_step(i: int, raw: Any, lines: Lines, key_lines: dict[Any, int], steps_line: int, content: Content,
                problem) -> Step | None:
    """Check step `i` (0-based); report problems as 'step N: ...' and return the Step when valid.

    `key_lines` holds the line of each of the step's own keys.
    """
    n = i + 1
    here = lines.get(("steps", i), steps_line)
    if not isinstance(raw, dict):
        problem(here, f"step {n} must be a mapping of 'key: value' lines (question, kind, ...), got {raw!r}")
        return None
    bad: list[tuple[int, str]] = list(check_fields(raw, key_lines, STEP_FIELDS, default_line=here))
    kind = raw.get("kind") if raw.get("kind") in KINDS else None
    if kind is not None:
        for key in ("choices", "answer", "tolerance", "items"):
            if key in raw and key not in KIND_FIELDS[kind]:
                users = [k for k, fields in KIND_FIELDS.items() if key in fields]
                bad.append((key_lines[key], f"field {key!r} is not used by {_a(kind)} step (only by: {', '.join(users)})"))
        for key in KIND_REQUIRED[kind]:
            if key not in raw:
                bad.append((here, f"{_a(kind)} step needs field {key!r}"))

    def text_list(key: str, what: str, count: tuple[int, int] | None) -> None:
        value = raw.get(key)
        if not isinstance(value, list) or (kind is not None and key in ("choices", "items") and key not in KIND_FIELDS[kind]):
            return
        if count is not None and not count[0] <= len(value) <= count[1]:
            bad.append((key_lines[key], f"field {key!r} must hold {count[0]} to {count[1]} {what}s, got {len(value)}"))
        seen: dict[str, int] = {}
        for j, item in enumerate(value):
            line = lines.get(("steps", i, key, j), key_lines[key])
            if not _is_text(item):
                bad.append((line, f"{what} {j + 1} must be a non-empty text, got {item!r}{_quote_hint(item)}"))
            elif count is not None and item.strip() in seen:
                bad.append((line, f"{what} {j + 1} repeats {what} {seen[item.strip()] + 1}"))
            else:
                seen.setdefault(item.strip(), j)

    text_list("choices", "choice", CHOICES_RANGE)
    text_list("items", "item", ITEMS_RANGE)
    text_list("hints", "hint", None)
    answer = raw.get("answer")
    if "answer" in raw and kind == "choice":
        answer = _choice_answer(answer, raw.get("choices"), key_lines["answer"], bad)
    elif "answer" in raw and kind == "numeric" and not _is_number(answer):
        bad.append((key_lines["answer"], f"field 'answer' must be a number, got {answer!r}"))
    preset = raw.get("preset")
    if isinstance(preset, str) and SLUG.match(preset) and preset not in content.presets:
        bad.append((key_lines["preset"], _unknown("preset", preset, list(content.presets), "preset")))
    if "run" in raw and "preset" not in raw:
        bad.append((key_lines["run"], "field 'run' needs a 'preset' to run"))
    claims = parse_claims(raw.get("verify"), preset, key_lines.get("verify", here), lines, ("steps", i, "verify"),
                          content.presets, bad)
    for key in ("question", "explanation"):
        if _is_text(raw.get(key)):
            _check_links(raw[key], key_lines[key], content, lambda line, msg: bad.append((line, msg)))
    for line, message in bad:
        problem(line, f"step {n}: {message}")
    if bad:
        return None
    return Step(
        question=raw["question"].strip(),
        kind=raw["kind"],
        explanation=raw["explanation"].strip(),
        choices=tuple(c.strip() for c in raw.get("choices") or ()),
        answer=answer,
        tolerance=float(raw.get("tolerance") or 0.0),
        items=tuple(c.strip() for c in raw.get("items") or ()),
        hints=tuple(h.strip() for h in raw.get("hints") or ()),
        preset=preset or "",
        run=(raw.get("run") or "after") if preset else "",
        verify=claims,
        line=here,
    )


def _choice_answer(answer: Any, choices: Any, line: int, bad: list[tuple[int, str]]) -> int | None:
    """A choice step's answer as the 0-based index. Written as the letter the learner
    types (`answer: b`) or as the 0-based index (`answer: 1`); problems go to `bad`."""
    count = len(choices) if isinstance(choices, list) and 0 < len(choices) <= len(LETTERS) else None
    if isinstance(answer, str) and len(answer.strip()) == 1 and answer.strip().lower() in LETTERS:
        index = LETTERS.index(answer.strip().lower())
        if count is not None and index >= count:
            bad.append((line, f"field 'answer' is {answer!r}, but there are only {count} choices: "
                              f"write a letter a-{LETTERS[count - 1]} or the 0-based index 0-{count - 1}"))
            return None
        return index
    if isinstance(answer, bool) or not isinstance(answer, int):
        which = f" (a-{LETTERS[count - 1]})" if count else ""
        index = f" (0-{count - 1})" if count else ""
        bad.append((line, f"field 'answer' must be the right choice's letter{which} or its 0-based index{index}, "
                          f"got {answer!r}"))
        return None
    if count is not None and not 0 <= answer < count:
        bad.append((line, f"field 'answer' is {answer}, but the choices are numbered 0 to {count - 1} (0-based) "
                          f"or lettered a to {LETTERS[count - 1]}"))
        return None
    return answer


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return " (YAML reads yes, no, on, off, null and numbers as values: put the text in quotes)"
    return ""


def _check_links(text: str, line: int, content: Content, problem) -> None:
    from .loader import GLOSSARY_LINK

    for match in GLOSSARY_LINK.finditer(text):
        target = match.group(1)
        if target not in content.entries:
            problem(line, _unknown("link glossary:", target, list(content.entries), "glossary entry"))


def _unknown(what: str, target: Any, known: list[str], kind: str) -> str:
    close = difflib.get_close_matches(target, known, n=3) if isinstance(target, str) else []
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    sep = "" if what.endswith(":") else " "
    return f"{what}{sep}{target!r} is not the id of any {kind}{hint}"


def _line_map(text: str, body_line: int) -> Lines:
    """Line (1-based, in the file) of every key and list item of the front matter.

    A mapping key maps to the line of the key, a list item to the line of the
    item. A key repeated inside a nested mapping (which YAML would silently
    merge) raises ContentError, as repeated top-level keys already do.
    """
    front = "".join(text.splitlines(keepends=True)[1 : body_line - 2])
    yaml = yaml_module()
    loader = safe_loader(front)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:  # already reported by parse_front_matter
        return {}
    finally:
        loader.dispose()
    out: Lines = {}
    if node is not None:
        _walk(node, (), out, first_line=2)
    return out


def _walk(node: Any, path: tuple[Any, ...], out: Lines, first_line: int) -> None:
    yaml = yaml_module()
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            line = first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(line, "a key must be a field name, not a list or a mapping")
            key = path + (key_node.value,)
            if key in out and path:
                raise ContentError(line, f"duplicate key {key_node.value!r} (first given on line {out[key]})")
            out[key] = line
            _walk(value_node, key, out, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for j, item in enumerate(node.value):
            out[path + (j,)] = first_line + item.start_mark.line
            _walk(item, path + (j,), out, first_line)

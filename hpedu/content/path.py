"""The learning path: an ordered list of glossary entries, presets and exercises.

`content/learning-path.yaml`:

    title: Start here
    steps:
      - glossary: hyperparameter
      - preset: grid-vs-random
      - exercise: parameter-or-hyperparameter
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .frontmatter import ContentError, parse_yaml_mapping, read_text
from .model import Content, Problem

__all__ = ["PathStep", "load_learning_path", "STEP_KINDS"]

STEP_KINDS = ("glossary", "preset", "exercise")


@dataclass(frozen=True)
class PathStep:
    kind: str  # glossary | preset | exercise
    ref: str


def load_learning_path(root: Path, content: Content, deep: bool = False) -> None:
    """Loader hook: fills content.extras['path'] with valid steps, reports the rest."""
    from .loader import content_file

    path = content_file(content, "learning-path.yaml")  # a teacher pack's own path wins
    if path is None:
        return
    def note(line: int, message: str) -> None:
        content.problems.append(Problem(path, line, message))

    try:
        text = read_text(path, root=path.parent, report=note)
        meta, lines = parse_yaml_mapping(text, report=note)
    except ContentError as exc:
        content.problems.append(Problem(path, exc.line, exc.message))
        return
    for key in meta:
        if key not in ("title", "steps"):
            content.problems.append(Problem(path, lines.get(key, 1), f"unknown field {key!r}; allowed fields: title, steps"))
    raw = meta.get("steps")
    if not isinstance(raw, list) or not raw:
        content.problems.append(Problem(path, lines.get("steps", 1), "field 'steps' must be a non-empty list"))
        return
    item_lines = _item_lines(text.splitlines(), lines.get("steps", 1))
    steps: list[PathStep] = []
    for n, item in enumerate(raw, start=1):
        line = item_lines[n - 1] if n <= len(item_lines) else lines.get("steps", 1)
        if not (isinstance(item, dict) and len(item) == 1):
            content.problems.append(Problem(path, line, f"step {n} must be one 'kind: id' pair, kind one of {', '.join(STEP_KINDS)}"))
            continue
        (kind, ref), = item.items()
        if kind not in STEP_KINDS:
            content.problems.append(Problem(path, line, f"step {n}: unknown kind {kind!r}; allowed: {', '.join(STEP_KINDS)}"))
            continue
        known = {"glossary": content.entries, "preset": content.presets, "exercise": content.extras.get("exercises", {})}[kind]
        if ref not in known:
            content.problems.append(Problem(path, line, f"step {n}: {kind} {ref!r} does not exist"))
            continue
        steps.append(PathStep(kind, ref))
    content.extras["path"] = steps
    content.extras["path_title"] = str(meta.get("title") or "Suggested path")


def _item_lines(text_lines: list[str], start: int) -> list[int]:
    """The line (1-based) of each `- ` item from line `start` on, in one pass."""
    return [i + 1 for i in range(start - 1, len(text_lines)) if text_lines[i].lstrip().startswith("- ")]

"""Where a learner is on the learning path (content/learning-path.yaml).

A step is done when:
- glossary: the learner opened the entry (`ProgressStore.mark_read`: chosen
  in the glossary's list, followed as a link, opened from the path, the
  command palette or `hpedu next --open`; moving the highlight over the list
  does not count);
- preset ("Try it"): the simulation opened from that preset was run to its
  end, every trial of its budget (a comparison preset: the comparison
  finished without being stopped) (`ProgressStore.mark_tried`);
- exercise: the exercise is finished (its status is done).

The time left is an estimate per step kind (`MINUTES`): 2 minutes to read a
term, 3 to run a simulation, and for an exercise 2 minutes per step still
unanswered (its new try's steps when it is done and tried again do not count).

Pure: used by the app's home screen and by `hpedu next`; no printing, no UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .progress_records import DONE

if TYPE_CHECKING:
    from .content import Content
    from .progress import ProgressStore

__all__ = ["MINUTES", "PathItem", "path_items", "first_unfinished", "minutes_left", "summary"]

#: minutes per glossary entry, per simulation, and per exercise step
MINUTES = {"glossary": 2, "preset": 3, "exercise": 2}


@dataclass(frozen=True)
class PathItem:
    kind: str  # glossary | preset | exercise
    ref: str
    label: str
    done: bool
    minutes: int  # estimated minutes still needed (0 when done)


def step_label(content: "Content", kind: str, ref: str) -> str:
    if kind == "glossary":
        entry = content.entries.get(ref)
        return entry.term if entry else ref
    if kind == "preset":
        preset = content.presets.get(ref)
        return "Try: " + (preset.title if preset else ref)
    exercise = content.extras.get("exercises", {}).get(ref)
    return "Exercise: " + (exercise.title if exercise else ref)


def path_items(content: "Content", store: "ProgressStore | None") -> list[PathItem]:
    """Every step of the content's learning path with its state; `store` None
    (no usable progress) shows every step as not done."""
    read = store.read_entries() if store is not None else set()
    tried = store.tried_presets() if store is not None else set()
    items = []
    for step in content.extras.get("path", []):
        kind, ref = step.kind, step.ref
        if kind == "glossary":
            done, minutes = ref in read, MINUTES["glossary"]
        elif kind == "preset":
            done, minutes = ref in tried, MINUTES["preset"]
        else:
            exercise = content.extras.get("exercises", {}).get(ref)
            total = len(exercise.steps) if exercise is not None else 1
            record = store.exercise(ref) if store is not None else None
            done = record is not None and record.status == DONE
            answered = record.answered if record is not None and not done and record.steps_total == total else 0
            minutes = MINUTES["exercise"] * max(total - answered, 1)
        items.append(PathItem(kind, ref, step_label(content, kind, ref), done, 0 if done else minutes))
    return items


def first_unfinished(items: list[PathItem]) -> int | None:
    """The index of the first step not done, None when every step is."""
    return next((i for i, item in enumerate(items) if not item.done), None)


def minutes_left(items: list[PathItem]) -> int:
    return sum(item.minutes for item in items)


def summary(items: list[PathItem]) -> str:
    """'7/34 · about 35 min left' ('34/34 · all done', '' for an empty path)."""
    if not items:
        return ""
    done = sum(item.done for item in items)
    head = f"{done}/{len(items)}"
    left = minutes_left(items)
    if left == 0:
        return f"{head} · all done"
    if left >= 90:
        hours, mins = divmod(left, 60)
        return f"{head} · about {hours} h {mins:02d} min left"
    return f"{head} · about {left} min left"

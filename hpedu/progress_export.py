"""A teacher's copy of a learner's progress: CSV (one row per exercise of the content,
started or not) or JSON (everything recorded).

`write_export` refuses, as a usage error (`ExportTargetError`), a name not
ending in .csv or .json, a folder that does not exist (it is not created), and
any file in the profiles' folder (the live progress file above all: exporting
onto it would make it look damaged at the next start). The file is written
atomically with mode 0644 (the umask still applies).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ._safe_files import atomic_write
from .progress import CSV_COLUMNS, EXPORT_MODE, NEW, VERSION, ExportTargetError, ProgressError

if TYPE_CHECKING:
    from .progress import ProgressStore


def export_dict(store: "ProgressStore", titles: Mapping[str, str] | None = None,
                class_code: str | None = None) -> dict[str, Any]:
    """Everything recorded: each exercise's record (with its title), and the
    learning path's marks: `read` (glossary entries opened) and `tried` ("Try
    it" simulations run to their end), each id with the time it was first marked."""
    from . import __version__

    titles = titles or {}
    exercises = {}
    for ex_id, rec in store.data["exercises"].items():
        exercises[ex_id] = {"title": titles.get(ex_id, ""), **rec}
    return {
        "format": "hpedu-progress-export", "version": VERSION, "hpedu": __version__,
        "exported": store._now(), "profile": store.profile,
        "class_code": class_code or store.class_code, "exercises": exercises,
        "read": dict(sorted(store.data.get("read", {}).items())),
        "tried": dict(sorted(store.data.get("tried", {}).items())),
    }


def export_csv(store: "ProgressStore", titles: Mapping[str, str] | None = None, class_code: str | None = None,
               steps: Mapping[str, int] | None = None) -> str:
    """One row per exercise (columns in CSV_COLUMNS); `answers` lists each step's answer and verdict.

    `titles` holds every exercise of the content (id: title, in the content's
    order): the ones the learner never started get a row too, with status
    "new", nothing answered and their number of steps from `steps` (id:
    count; empty when not given), so a teacher sees the whole class list.
    Exercises with a record come first, as the store lists them.
    """
    import csv
    import io

    titles, steps = titles or {}, steps or {}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in store.exercises():
        answers = []
        for s in p.steps:
            verdict = "" if s.correct is None else (" (right)" if s.correct else " (wrong)")
            answers.append(f"{s.index + 1}: {s.answer if s.answer is not None else '-'}{verdict}")
        writer.writerow({
            "profile": store.profile, "class_code": p.class_code or class_code or store.class_code,
            "exercise": p.exercise, "title": titles.get(p.exercise, ""), "status": p.status,
            "score": p.score, "steps": p.steps_total, "answered": p.answered, "hints_used": p.hints_used,
            "seconds": f"{p.seconds:.1f}", "attempts": p.attempts, "best_score": p.best_score,
            "started": p.started, "finished": p.finished, "answers": " | ".join(answers),
        })
    started = {p.exercise for p in store.exercises()}
    for ex_id, title in titles.items():
        if ex_id not in started:
            writer.writerow({
                "profile": store.profile, "class_code": class_code or store.class_code or "",
                "exercise": ex_id, "title": title, "status": NEW, "score": 0, "steps": steps.get(ex_id, ""), "answered": 0,
                "hints_used": 0, "seconds": "0.0", "attempts": 0, "best_score": 0,
                "started": "", "finished": "", "answers": "",
            })
    return out.getvalue()


def write_export(store: "ProgressStore", target: str | Path, titles: Mapping[str, str] | None = None,
                 class_code: str | None = None, steps: Mapping[str, int] | None = None) -> Path:
    """Write the export chosen by the file name; ExportTargetError or ProgressError say why not.
    `steps` (exercise id: number of steps) fills the CSV's steps of exercises never started."""
    target = Path(target).expanduser()
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ExportTargetError(f"cannot export to {target}: the name must end in .csv or .json")
    check_export_target(store, target)
    store.refresh()
    if suffix == ".csv":
        text = export_csv(store, titles, class_code, steps)
    else:
        text = json.dumps(export_dict(store, titles, class_code), indent=2, ensure_ascii=False) + "\n"
    try:
        atomic_write(target, text, mode=EXPORT_MODE, make_parents=False)
    except OSError as exc:
        raise ProgressError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def check_export_target(store: "ProgressStore", target: Path) -> None:
    parent = target.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a folder"
        raise ExportTargetError(f"cannot export to {target}: the folder {parent} {what} (create it first)")
    profiles = store.path.parent
    same_folder = profiles.is_dir() and os.path.samefile(parent, profiles)
    live = target.exists() and store.path.exists() and os.path.samefile(target, store.path)
    if live or same_folder:
        what = f"the live progress file of profile '{store.profile}'" if live else f"in the progress folder {profiles}"
        raise ExportTargetError(f"cannot export to {target}: it is {what}; export to another folder, "
                                "for example your home folder")
    if target.is_dir():
        raise ExportTargetError(f"cannot export to {target}: it is a folder")

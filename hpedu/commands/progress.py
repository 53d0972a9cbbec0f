"""CLI: `hpedu progress` shows, exports (CSV or JSON, for a teacher) or resets a learner's progress.

Exit status: 0 done, 1 when a file cannot be written or deleted or the
deletion was declined, 2 for a usage error (an export name or folder that is
refused, `--reset` without `--yes` when stdin is not a terminal, an unusable
data folder)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .exercise import EXIT_USAGE, duration, fail, load, open_store, table

if TYPE_CHECKING:
    from ..progress import ProgressStore


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_content_option, add_learner_options

    p = sub.add_parser("progress", help="show, export or reset your exercise progress",
                       description="Show your progress, export it for a teacher (CSV or JSON), or delete it.")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--export", metavar="FILE", help="write the progress to FILE.csv or FILE.json")
    action.add_argument("--reset", action="store_true",
                        help="delete all progress of the profile (asks first on a terminal; elsewhere needs --yes)")
    p.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    add_content_option(p)
    add_learner_options(p)
    p.set_defaults(handler=cmd_progress)


def cmd_progress(args: argparse.Namespace) -> int:
    from ..cli import class_code
    from ..progress import NEW, DataDirError, ExportTargetError, ProgressError

    try:
        store = open_store(args)
    except DataDirError as exc:
        return fail("progress", str(exc), EXIT_USAGE)
    except ValueError as exc:
        return fail("progress", str(exc), 1)
    if args.reset:
        return _reset(store, args.yes)
    try:
        content = load(args)
        code = class_code(args, content)
    except (FileNotFoundError, ValueError) as exc:
        if args.export is None:
            return fail("progress", str(exc), 1)
        content, code = None, getattr(args, "class_code", None)  # export still works without content
    exercises = content.extras.get("exercises", {}) if content is not None else {}
    if args.export:
        titles = {k: e.title for k, e in exercises.items()}
        try:
            path = store.export(args.export, titles, code, {k: len(e.steps) for k, e in exercises.items()})
        except ExportTargetError as exc:
            return fail("progress", str(exc), EXIT_USAGE)
        except ProgressError as exc:
            return fail("progress", str(exc), 1)
        n = len(store.exercises())
        print(f"wrote the progress of {n} exercise{'s' if n != 1 else ''} (profile '{store.profile}') to {path}")
        return 0
    head = f"profile '{store.profile}'"
    if code or store.class_code:
        head += f" · class code {code or store.class_code}"
    print(f"{head} · {store.path}")
    if content is not None and content.extras.get("path"):
        from ..path_progress import path_items, summary

        read, tried = len(store.read_entries()), len(store.tried_presets())
        print(f"learning path: {summary(path_items(content, store))} · {read} term{'s' if read != 1 else ''} read, "
              f"{tried} simulation{'s' if tried != 1 else ''} tried to the end")
    records = {p.exercise: p for p in store.exercises()}
    rows = []
    for ex_id in [*exercises, *(k for k in records if k not in exercises)]:
        p = records.get(ex_id)
        steps = len(exercises[ex_id].steps) if ex_id in exercises else (p.steps_total if p else 0)
        if p is None:
            rows.append([ex_id, NEW, f"-/{steps}", "-", "-", ""])
            continue
        note = "" if ex_id in exercises else " (not in this content)"
        score = f"{p.score}/{p.steps_total}" + (f" (best {p.best_score})" if p.best_score > p.score else "")
        status = p.status + (", trying again" if p.again is not None else "")
        rows.append([ex_id + note, status, score, str(p.hints_used),
                     duration(p.seconds), p.finished.replace("T", " ").rstrip("Z")])
    for line in table(["exercise", "status", "score", "hints", "time", "finished"], rows):
        print(line)
    counts = {s: sum(1 for r in rows if r[1].split(",")[0] == s) for s in ("done", "in progress", "new")}
    print(f"{counts['done']} done, {counts['in progress']} in progress, {counts['new']} new")
    return 0


def _reset(store: "ProgressStore", yes: bool) -> int:
    from ..progress import ProgressError

    if not store.path.exists():
        print(f"nothing to reset: no progress saved for profile '{store.profile}' ({store.path})")
        return 0
    if not yes:
        if not _interactive(sys.stdin):
            return fail("progress", f"--reset deletes all progress of profile '{store.profile}' ({store.path}) and asks "
                        "first, but stdin is not a terminal: pass --yes to delete without asking", EXIT_USAGE)
        sys.stdout.write(f"Delete all progress of profile '{store.profile}' ({store.path})? [y/N] ")
        sys.stdout.flush()
        try:
            reply = sys.stdin.readline().strip().lower()
        except (OSError, ValueError):
            reply = ""
        if reply not in ("y", "yes"):
            print("not deleted")
            return 1
    try:
        path = store.reset()
    except ProgressError as exc:
        return fail("progress", str(exc), 1)
    print(f"deleted {path}" if path is not None else f"nothing to reset: {store.path} was already gone")
    return 0


def _interactive(stream: object) -> bool:
    """True when `stream` is an open terminal (False when stdin is closed, a file or a pipe)."""
    try:
        return bool(stream is not None and not stream.closed and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False

"""A learner's progress through the exercises, kept in one JSON file per profile.

Where: `<data dir>/profiles/<profile>.json`, the data dir being
`HPEDU_DATA_DIR` when set, else platformdirs' user data dir for "hpedu"
(`~/.local/share/hpedu` on Linux).

Safety:
- every write goes to a temporary file in the same folder, is flushed to
  disk, then renamed over the old file (`os.replace`), so a crash or a full
  disk never leaves a half-written file;
- a file that cannot be read or is not a progress file is moved aside to
  `<profile>.corrupt-<timestamp>.json` and a fresh store is started; the
  message naming both paths is in `ProgressStore.warnings` for the UI to show;
- a file written by a newer hpedu is left alone: the store opens read-only.

Pure: standard library and platformdirs; no printing, no UI.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

__all__ = [
    "DATA_DIR_ENV",
    "DEFAULT_PROFILE",
    "NEW",
    "IN_PROGRESS",
    "DONE",
    "ExerciseProgress",
    "ProgressError",
    "ProgressStore",
    "StepProgress",
    "check_profile",
    "data_dir",
]

DATA_DIR_ENV = "HPEDU_DATA_DIR"
DEFAULT_PROFILE = "default"
FORMAT = "hpedu-progress"
VERSION = 1
NEW, IN_PROGRESS, DONE = "new", "in progress", "done"
STATUSES = (NEW, IN_PROGRESS, DONE)
_PROFILE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CSV_COLUMNS = [
    "profile", "class_code", "exercise", "title", "status", "score", "steps", "answered", "hints_used",
    "seconds", "attempts", "best_score", "started", "finished", "answers",
]


class ProgressError(Exception):
    """Progress cannot be saved or exported; the message says why and where."""


def data_dir() -> Path:
    """HPEDU_DATA_DIR, else the user data directory for hpedu."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("hpedu", appauthor=False))


def check_profile(name: str) -> str:
    """The profile name stripped; ValueError says what a name may contain."""
    stripped = name.strip() if isinstance(name, str) else ""
    if not _PROFILE.match(stripped):
        raise ValueError(f"invalid profile name {name!r}: use 1 to 32 letters, digits, '-' or '_' (for example 'ada')")
    return stripped


@dataclass(frozen=True)
class StepProgress:
    index: int  # 0-based
    answer: str | None  # as typed and normalised ("b", "0.37", "c a b"); None while unanswered
    correct: bool | None
    hints_used: int
    seconds: float


@dataclass(frozen=True)
class ExerciseProgress:
    """A read-only view of one exercise's record."""

    exercise: str
    status: str  # new | in progress | done
    score: int  # steps right in the current attempt
    steps_total: int
    answered: int
    hints_used: int
    seconds: float
    attempts: int
    best_score: int
    class_code: str
    started: str
    finished: str
    steps: tuple[StepProgress, ...] = ()

    @property
    def next_step(self) -> int:
        """The first step not answered yet (== steps_total when all are)."""
        done = {s.index for s in self.steps if s.answer is not None}
        return next((i for i in range(self.steps_total) if i not in done), self.steps_total)


class ProgressStore:
    """Progress of one profile. Every change is saved at once (atomically)."""

    def __init__(self, path: Path, profile: str = DEFAULT_PROFILE, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.profile = profile
        self.clock = clock
        self.warnings: list[str] = []
        self.read_only = False
        self.data = self._fresh()
        self._load()

    @classmethod
    def open(cls, profile: str = DEFAULT_PROFILE, folder: Path | None = None,
             clock: Callable[[], float] = time.time) -> "ProgressStore":
        profile = check_profile(profile)
        base = Path(folder) if folder is not None else data_dir()
        return cls(base / "profiles" / f"{profile}.json", profile, clock)

    # ----- reading -------------------------------------------------------
    def _fresh(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "profile": self.profile, "class_code": "", "exercises": {}}

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            version = data.get("version") if isinstance(data, dict) else None
            if isinstance(version, int) and version > VERSION and data.get("format") == FORMAT:
                self.data, self.read_only = data, True
                self.warnings.append(
                    f"progress file {self.path} was written by a newer hpedu (format version {version}); "
                    "it is shown but not changed"
                )
                return
            reason = _invalid(data)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = f"it cannot be read ({exc.__class__.__name__}: {exc})"
        if reason is None:
            self.data = data
            return
        self._move_aside(reason)

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.fromtimestamp(self.clock(), timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
        n = 2
        while aside.exists():
            aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{n}.json")
            n += 1
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            self.read_only = True
            self.warnings.append(
                f"progress file {self.path} is damaged ({reason}) and could not be moved aside to {aside} "
                f"({exc.strerror or exc}); progress will not be saved until it is moved or deleted"
            )
            return
        self.warnings.append(
            f"progress file {self.path} was damaged ({reason}); it was kept as {aside} and a fresh one was started"
        )

    def exercise(self, exercise_id: str) -> ExerciseProgress | None:
        rec = self.data["exercises"].get(exercise_id)
        return None if rec is None else _view(exercise_id, rec)

    def status(self, exercise_id: str) -> str:
        rec = self.data["exercises"].get(exercise_id)
        return NEW if rec is None else rec["status"]

    def exercises(self) -> list[ExerciseProgress]:
        return [_view(k, v) for k, v in self.data["exercises"].items()]

    @property
    def class_code(self) -> str:
        return self.data.get("class_code") or ""

    # ----- changing ------------------------------------------------------
    def start(self, exercise_id: str, steps_total: int, class_code: str | None = None, restart: bool = False) -> int:
        """Begin or resume an exercise; returns the first step to ask (0-based).

        A finished exercise, or `restart=True`, starts a new attempt; the best
        score so far is kept."""
        now = self._now()
        rec = self.data["exercises"].get(exercise_id)
        if rec is None or restart or rec["status"] == DONE or rec.get("steps_total") != steps_total:
            old = rec or {}
            rec = {
                "status": IN_PROGRESS, "score": 0, "steps_total": steps_total, "steps": {},
                "attempts": int(old.get("attempts", 0)) + 1, "best_score": int(old.get("best_score", 0)),
                "class_code": "", "started": now, "finished": "", "updated": now,
            }
            self.data["exercises"][exercise_id] = rec
        if class_code:
            rec["class_code"] = class_code
            self.data["class_code"] = class_code
        rec["updated"] = now
        self.save()
        return _view(exercise_id, rec).next_step

    def hint(self, exercise_id: str, step: int) -> int:
        """Count one more hint shown on `step`; returns the hints used on it so far."""
        entry = self._step(exercise_id, step)
        entry["hints_used"] += 1
        self.save()
        return int(entry["hints_used"])

    def answer(self, exercise_id: str, step: int, text: str, correct: bool, seconds: float = 0.0) -> ExerciseProgress:
        """Record the answer to `step` (once; a second answer to the same step is ignored).

        When every step has an answer the exercise is done and its score final."""
        entry = self._step(exercise_id, step)
        rec = self.data["exercises"][exercise_id]
        if entry["answer"] is None:
            entry.update(answer=text, correct=bool(correct), seconds=round(float(seconds), 3), answered=self._now())
            rec["score"] = sum(1 for s in rec["steps"].values() if s["correct"])
            if all(str(i) in rec["steps"] and rec["steps"][str(i)]["answer"] is not None for i in range(rec["steps_total"])):
                rec["status"] = DONE
                rec["finished"] = self._now()
                rec["best_score"] = max(int(rec.get("best_score", 0)), rec["score"])
            rec["updated"] = self._now()
            self.save()
        return _view(exercise_id, rec)

    def _step(self, exercise_id: str, step: int) -> dict[str, Any]:
        rec = self.data["exercises"].get(exercise_id)
        if rec is None:
            raise KeyError(f"exercise {exercise_id!r} has not been started")
        if not 0 <= step < rec["steps_total"]:
            raise IndexError(f"step {step} is outside 0..{rec['steps_total'] - 1}")
        return rec["steps"].setdefault(
            str(step), {"answer": None, "correct": None, "hints_used": 0, "seconds": 0.0, "answered": ""}
        )

    def reset(self) -> Path | None:
        """Forget everything of this profile; deletes the file. Returns the path deleted, if any."""
        if self.read_only:
            raise ProgressError(f"progress file {self.path} is not changed by this hpedu; delete it by hand")
        self.data = self._fresh()
        try:
            self.path.unlink()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ProgressError(f"cannot delete {self.path}: {exc.strerror or exc}") from None
        return self.path

    def save(self) -> None:
        if self.read_only:
            return
        try:
            atomic_write(self.path, json.dumps(self.data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise ProgressError(f"cannot save progress to {self.path}: {exc.strerror or exc}") from None

    # ----- export --------------------------------------------------------
    def export_dict(self, titles: Mapping[str, str] | None = None, class_code: str | None = None) -> dict[str, Any]:
        from . import __version__

        titles = titles or {}
        exercises = {}
        for ex_id, rec in self.data["exercises"].items():
            exercises[ex_id] = {"title": titles.get(ex_id, ""), **rec}
        return {
            "format": "hpedu-progress-export", "version": VERSION, "hpedu": __version__,
            "exported": self._now(), "profile": self.profile,
            "class_code": class_code or self.class_code, "exercises": exercises,
        }

    def export_csv(self, titles: Mapping[str, str] | None = None, class_code: str | None = None) -> str:
        """One row per exercise (columns in CSV_COLUMNS); `answers` lists each step's answer and verdict."""
        import csv
        import io

        titles = titles or {}
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for p in self.exercises():
            answers = []
            for s in p.steps:
                verdict = "" if s.correct is None else (" (right)" if s.correct else " (wrong)")
                answers.append(f"{s.index + 1}: {s.answer if s.answer is not None else '-'}{verdict}")
            writer.writerow({
                "profile": self.profile, "class_code": p.class_code or class_code or self.class_code,
                "exercise": p.exercise, "title": titles.get(p.exercise, ""), "status": p.status,
                "score": p.score, "steps": p.steps_total, "answered": p.answered, "hints_used": p.hints_used,
                "seconds": f"{p.seconds:.1f}", "attempts": p.attempts, "best_score": p.best_score,
                "started": p.started, "finished": p.finished, "answers": " | ".join(answers),
            })
        return out.getvalue()

    def export(self, target: str | Path, titles: Mapping[str, str] | None = None, class_code: str | None = None) -> Path:
        """Write a teacher's copy as .csv or .json (chosen by the file name)."""
        target = Path(target)
        suffix = target.suffix.lower()
        if suffix == ".csv":
            text = self.export_csv(titles, class_code)
        elif suffix == ".json":
            text = json.dumps(self.export_dict(titles, class_code), indent=2, ensure_ascii=False) + "\n"
        else:
            raise ProgressError(f"cannot export to {target}: the name must end in .csv or .json")
        try:
            atomic_write(target, text)
        except OSError as exc:
            raise ProgressError(f"cannot write {target}: {exc.strerror or exc}") from None
        return target

    def _now(self) -> str:
        return datetime.fromtimestamp(self.clock(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename."""
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _view(exercise_id: str, rec: Mapping[str, Any]) -> ExerciseProgress:
    steps = tuple(
        StepProgress(int(k), s.get("answer"), s.get("correct"), int(s.get("hints_used", 0)), float(s.get("seconds", 0.0)))
        for k, s in sorted(rec.get("steps", {}).items(), key=lambda kv: int(kv[0]))
    )
    return ExerciseProgress(
        exercise=exercise_id,
        status=rec["status"],
        score=int(rec.get("score", 0)),
        steps_total=int(rec.get("steps_total", 0)),
        answered=sum(1 for s in steps if s.answer is not None),
        hints_used=sum(s.hints_used for s in steps),
        seconds=sum(s.seconds for s in steps),
        attempts=int(rec.get("attempts", 1)),
        best_score=int(rec.get("best_score", 0)),
        class_code=rec.get("class_code") or "",
        started=rec.get("started") or "",
        finished=rec.get("finished") or "",
        steps=steps,
    )


def _invalid(data: Any) -> str | None:
    """Why `data` is not a progress file this hpedu can use, or None."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return "it is not an hpedu progress file"
    if data.get("version") != VERSION:
        return f"unknown format version {data.get('version')!r}"
    exercises = data.get("exercises")
    if not isinstance(exercises, dict):
        return "'exercises' is not a mapping"
    for ex_id, rec in exercises.items():
        if not isinstance(rec, dict) or rec.get("status") not in STATUSES:
            return f"the record of exercise {ex_id!r} is damaged"
        steps, total = rec.get("steps"), rec.get("steps_total")
        if not isinstance(steps, dict) or not isinstance(total, int):
            return f"the record of exercise {ex_id!r} is damaged"
        for key, step in steps.items():
            if not (key.isdigit() and isinstance(step, dict) and isinstance(step.get("hints_used"), int)):
                return f"step {key!r} of exercise {ex_id!r} is damaged"
    return None

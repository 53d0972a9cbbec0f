"""A learner's progress through the exercises, kept in one JSON file per profile.

Besides the exercises the file keeps two sets of marks for the learning path:
the glossary entries the learner opened (`mark_read`) and the "Try it"
simulations run to their end (`mark_tried`); see `hpedu/progress_records.py`.

Where: `<data dir>/profiles/<profile>.json`, the data dir being
`HPEDU_DATA_DIR` when set, else platformdirs' user data dir for "hpedu"
(`~/.local/share/hpedu` on Linux). `check_data_dir` says clearly when that
folder cannot be used (too long a path, a file in the way).

Several processes (two terminals, the app and `hpedu exercise run`) may use
one profile at once:
- every write takes an exclusive lock on `<profile>.lock` next to the file
  (`fcntl.flock` on Linux and macOS, `msvcrt.locking` on Windows; the OS drops
  it if the process dies; waiting is bounded by `ProgressStore.lock_timeout`,
  then the save fails with a message), re-reads the file, merges this
  process's changes into what it finds (rule: `hpedu/progress_records.py`;
  in short, per exercise and step the union, a finished exercise stays
  finished, the best score never drops, a mark is never taken back) and
  replaces the file atomically;
- only the exercises this process changed are merged in, so what others
  wrote (including a reset) is kept; `refresh()` re-reads a file another
  process changed (cheap: a `stat` when nothing changed);
- writes go to a temporary file in the same folder, flushed to disk, then
  renamed over the old file, so a crash never leaves half a file; temporary
  files left by a killed writer are removed, under the lock, after 5 minutes.

Damaged files: a file that cannot be read, is not a progress file, has a
field of the wrong type or shape (every field is checked on load), or comes
from a newer hpedu is moved aside to `<profile>.corrupt-<timestamp>.json`
(never overwriting an older one), the message naming both paths is in
`ProgressStore.warnings`, and a fresh store is started.

Saving: every change is saved at once. When a save fails (read-only folder,
lock held too long, disk full) the change stays in memory, the next save
retries it, and `ProgressError` says what happened: nothing claims "saved"
unless it was.

Pure: standard library and platformdirs; no printing, no UI.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from ._safe_files import LockTimeout, atomic_write, clean_stale_temps, exclusive_lock
from .progress_records import (
    DONE, IN_PROGRESS, MARK_KINDS, Damaged, all_answered, check_data, merge_marks, merge_records, score_of,
)

__all__ = [
    "DATA_DIR_ENV",
    "DEFAULT_PROFILE",
    "NEW",
    "IN_PROGRESS",
    "DONE",
    "DataDirError",
    "ExerciseProgress",
    "ExportTargetError",
    "ProgressError",
    "ProgressStore",
    "StepProgress",
    "atomic_write",
    "check_data_dir",
    "check_profile",
    "data_dir",
]

DATA_DIR_ENV = "HPEDU_DATA_DIR"
DEFAULT_PROFILE = "default"
FORMAT = "hpedu-progress"
VERSION = 1
NEW = "new"
STATUSES = (NEW, IN_PROGRESS, DONE)
_PROFILE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CSV_COLUMNS = [
    "profile", "class_code", "exercise", "title", "status", "score", "steps", "answered", "hints_used",
    "seconds", "attempts", "best_score", "started", "finished", "answers",
]
EXPORT_MODE = 0o644  # a teacher's copy: readable like any file the user writes (the umask still applies)


class ProgressError(Exception):
    """Progress cannot be saved or exported; the message says why and where."""


class DataDirError(ProgressError):
    """The data folder (HPEDU_DATA_DIR or the default) cannot hold progress files at all."""


class ExportTargetError(ProgressError):
    """The export file name is refused (a usage error): wrong type, missing folder, or a profile file."""


def data_dir() -> Path:
    """HPEDU_DATA_DIR, else the user data directory for hpedu."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("hpedu", appauthor=False))


def _shown(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 100 else f"{text[:60]}...{text[-30:]} ({len(text)} characters)"


def check_data_dir(profile: str = DEFAULT_PROFILE, folder: Path | None = None) -> Path:
    """The profile file's path; DataDirError when the data folder cannot hold it
    (a path too long for the system, a file where a folder should be)."""
    base = Path(folder) if folder is not None else data_dir()
    where = f"{DATA_DIR_ENV}={_shown(base)}" if folder is None and os.environ.get(DATA_DIR_ENV) else f"the data folder {_shown(base)}"
    path = base / "profiles" / f"{profile}.json"
    probes = [(base, True), (base / "profiles", True), (path, False),
              (path.with_name(f".{path.name}.{'0' * 12}.tmp"), False),
              (path.with_name(f"{profile}.corrupt-20000101T000000Z-99.json"), False)]
    for probe, folder_expected in probes:
        try:
            st = os.stat(probe)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
            if isinstance(exc, OSError) and exc.errno not in (errno.ENAMETOOLONG, errno.ENOTDIR, errno.ELOOP, errno.EINVAL):
                continue  # e.g. permission denied: saving will say so
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise DataDirError(f"{where} cannot be used for progress files: {why}") from None
        if folder_expected and not os.path.isdir(probe):
            raise DataDirError(f"{where} cannot be used for progress files: {_shown(probe)} is a file, not a folder")
    return path


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
    """A read-only view of one exercise's record: for a done exercise, the
    finished attempt (`again` is a new try in progress, if any)."""

    exercise: str
    status: str  # new | in progress | done
    score: int  # steps right in the attempt shown
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
    again: "ExerciseProgress | None" = None

    @property
    def next_step(self) -> int:
        """The first step not answered yet (== steps_total when all are)."""
        done = {s.index for s in self.steps if s.answer is not None}
        return next((i for i in range(self.steps_total) if i not in done), self.steps_total)

    @property
    def current(self) -> "ExerciseProgress | None":
        """The attempt being worked on: the new try of a done exercise, the
        record itself while in progress, None for a done exercise in review."""
        return self.again if self.status == DONE else self


class ProgressStore:
    """Progress of one profile. Every change is saved at once, merged with
    what other processes saved (see the module docstring)."""

    lock_timeout = 10.0  # seconds to wait for another process's write

    def __init__(self, path: Path, profile: str = DEFAULT_PROFILE, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_suffix(".lock")
        self.profile = profile
        self.clock = clock
        self.warnings: list[str] = []
        self.data = self._fresh()
        self._dirty: set[str] = set()  # exercises changed here and not saved yet
        self._class_dirty = False
        self._marks_dirty: dict[str, set[str]] = {kind: set() for kind in MARK_KINDS}  # marks not saved yet
        self._seen: tuple[int, int, int] | None = None  # the file as last read or written (mtime, size, inode)
        self._load()

    @classmethod
    def open(cls, profile: str = DEFAULT_PROFILE, folder: Path | None = None,
             clock: Callable[[], float] = time.time) -> "ProgressStore":
        """ValueError for a bad profile name, DataDirError for an unusable data folder."""
        profile = check_profile(profile)
        return cls(check_data_dir(profile, folder), profile, clock)

    # ----- reading -------------------------------------------------------
    def _fresh(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "profile": self.profile, "class_code": "", "exercises": {},
                **{kind: {} for kind in MARK_KINDS}}

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read(self) -> tuple[dict[str, Any] | None, tuple[int, int, int] | None]:
        """The file's checked data (None when there is no file) and its signature; Damaged when unusable."""
        try:
            sig = self._signature()
            if sig is None:
                return None, None
            raw = self.path.read_bytes()
        except OSError as exc:
            raise Damaged(f"it cannot be read ({exc.__class__.__name__}: {exc.strerror or exc})") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise Damaged("it is nested too deeply to be a progress file") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise Damaged(f"it cannot be read ({exc.__class__.__name__}: {exc})") from None
        return check_data(data, FORMAT, VERSION), sig

    def _load(self) -> None:
        try:
            data, self._seen = self._read()
        except Damaged as exc:
            self._recover(str(exc))
            return
        if data is not None:
            self.data = data

    def _recover(self, reason: str) -> None:
        """Under the lock, move a damaged file aside (unless another process already replaced it)."""
        try:
            with exclusive_lock(self.lock_path, self.lock_timeout):
                try:
                    data, self._seen = self._read()
                except Damaged as exc:
                    aside = self._move_aside(str(exc))
                    self.warnings.append(f"progress file {self.path} was damaged ({exc}); "
                                         f"it was kept as {aside} and a fresh one was started")
                    return
                if data is not None:
                    self.data = data
        except ProgressError as exc:  # the rename failed
            self.warnings.append(str(exc))
        except OSError as exc:  # no lock: the folder is read-only, or another process holds it
            self.warnings.append(
                f"progress file {self.path} is damaged ({reason}) and could not be moved aside "
                f"({exc.strerror or exc}); progress will not be saved until it is moved or deleted"
            )

    def _move_aside(self, reason: str) -> Path:
        """Rename the damaged file to a new name (call with the lock held); ProgressError if that fails."""
        stamp = datetime.fromtimestamp(self.clock(), timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
        n = 2
        while os.path.lexists(aside):
            aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{n}.json")
            n += 1
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise ProgressError(
                f"progress file {self.path} is damaged ({reason}) and could not be moved aside to {aside} "
                f"({exc.strerror or exc}); progress is not saved until it is moved or deleted"
            ) from None
        self._seen = None
        return aside

    def refresh(self) -> bool:
        """Re-read the file if another process changed it (changes not saved yet are kept); True if it did."""
        try:
            if self._signature() == self._seen:
                return False
            data, sig = self._read()
        except (OSError, Damaged):
            return False  # the next save deals with a damaged file
        self.data = self._merged(data)
        self._seen = sig
        return True

    def _merged(self, disk: dict[str, Any] | None) -> dict[str, Any]:
        """What the file holds with this process's unsaved changes merged in."""
        out = disk if disk is not None else self._fresh()
        for ex_id in self._dirty:
            merged = merge_records(out["exercises"].get(ex_id), self.data["exercises"].get(ex_id))
            if merged is not None:
                out["exercises"][ex_id] = merged
        if self._class_dirty and self.data.get("class_code"):
            out["class_code"] = self.data["class_code"]
        for kind, ids in self._marks_dirty.items():
            if ids:
                out[kind] = merge_marks(out.get(kind, {}), self.data.get(kind, {}), ids)
        return out

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

    @property
    def unsaved(self) -> bool:
        """True while changes made here have not reached the file (a save failed)."""
        return bool(self._dirty or self._class_dirty or any(self._marks_dirty.values()))

    def read_entries(self) -> set[str]:
        """The glossary entries the learner has opened."""
        return set(self.data.get("read", {}))

    def tried_presets(self) -> set[str]:
        """The "Try it" simulations the learner has run to their end."""
        return set(self.data.get("tried", {}))

    # ----- changing ------------------------------------------------------
    def start(self, exercise_id: str, steps_total: int, class_code: str | None = None, restart: bool = False) -> int:
        """Begin or resume an exercise; returns the first step to ask (0-based).

        A done exercise is not changed: the result is `steps_total` (show it
        in review), or the step to resume a new try started earlier.
        `restart=True` starts a fresh attempt; on a done exercise it stays
        done and its best score is kept whatever the new attempt scores.
        ProgressError if the change could not be saved (it is kept in memory)."""
        now = self._now()
        rec = self.data["exercises"].get(exercise_id)
        if rec is not None and rec["steps_total"] != steps_total:  # the exercise itself changed
            rec = self._new_record(steps_total, rec["attempts"] + 1, rec["best_score"])
        elif rec is None:
            rec = self._new_record(steps_total, 1, 0)
        elif rec["status"] == DONE:
            if restart:
                rec["again"] = {"attempt": secrets.token_hex(8), "started": now, "steps": {}}
                rec["attempts"] += 1
            elif "again" not in rec:
                return steps_total  # review: nothing changes
        elif restart:
            rec.update(score=0, steps={}, started=now, finished="", attempt=secrets.token_hex(8))
            rec["attempts"] += 1
        self.data["exercises"][exercise_id] = rec
        if class_code:
            rec["class_code"] = class_code
            self.data["class_code"] = class_code
            self._class_dirty = True
        rec["updated"] = now
        self._dirty.add(exercise_id)
        self.save()
        current = _view(exercise_id, rec).current
        return steps_total if current is None else current.next_step

    def mark_read(self, entry_id: str) -> bool:
        """Record that a glossary entry was opened; True if it is new. Saved at
        once (ProgressError if that fails; the mark is kept and saved with the next change)."""
        return self._mark("read", entry_id)

    def mark_tried(self, preset_id: str) -> bool:
        """Record that a "Try it" simulation was run to its end; True if it is new (saved like `mark_read`)."""
        return self._mark("tried", preset_id)

    def _mark(self, kind: str, key: str) -> bool:
        if not isinstance(key, str) or not key.strip() or len(key) > 200:
            raise ValueError(f"invalid id {key!r} to mark as {kind}: 1 to 200 characters, not only spaces")
        marks = self.data.setdefault(kind, {})
        if key in marks:
            return False
        marks[key] = self._now()
        self._marks_dirty[kind].add(key)
        self.save()
        return True

    def _new_record(self, steps_total: int, attempts: int, best: int) -> dict[str, Any]:
        now = self._now()
        return {"status": IN_PROGRESS, "score": 0, "steps_total": steps_total, "steps": {}, "attempts": attempts,
                "best_score": best, "class_code": "", "started": now, "finished": "", "updated": now,
                "attempt": secrets.token_hex(8)}

    def hint(self, exercise_id: str, step: int) -> int:
        """Count one more hint shown on `step`; returns the hints used on it so far."""
        entry = self._step(exercise_id, step)
        entry["hints_used"] += 1
        self._changed(exercise_id)
        return int(entry["hints_used"])

    def answer(self, exercise_id: str, step: int, text: str, correct: bool, seconds: float = 0.0) -> ExerciseProgress:
        """Record the answer to `step` of the attempt being worked on (once; a
        second answer to the same step is ignored).

        When every step has an answer the attempt is finished: the exercise is
        done (a new try becomes the attempt shown) and the best score updated."""
        entry = self._step(exercise_id, step)
        rec = self.data["exercises"][exercise_id]
        if entry["answer"] is None:
            now = self._now()
            entry.update(answer=text, correct=bool(correct), seconds=round(float(seconds), 3), answered=now)
            attempt = rec.get("again") if rec["status"] == DONE else rec
            if attempt is rec:
                rec["score"] = score_of(rec["steps"])
            if all_answered(attempt["steps"], rec["steps_total"]):
                if attempt is not rec:  # a new try finished: it becomes the attempt shown
                    rec.update(steps=attempt["steps"], started=attempt["started"], attempt=attempt["attempt"])
                    del rec["again"]
                rec.update(status=DONE, score=score_of(rec["steps"]), finished=now)
                rec["best_score"] = max(rec["best_score"], rec["score"])
            self._changed(exercise_id)
        return _view(exercise_id, self.data["exercises"][exercise_id])

    def _changed(self, exercise_id: str) -> None:
        self.data["exercises"][exercise_id]["updated"] = self._now()
        self._dirty.add(exercise_id)
        self.save()

    def _step(self, exercise_id: str, step: int) -> dict[str, Any]:
        rec = self.data["exercises"].get(exercise_id)
        if rec is None:
            raise KeyError(f"exercise {exercise_id!r} has not been started")
        attempt = rec.get("again") if rec["status"] == DONE else rec
        if attempt is None:
            raise KeyError(f"exercise {exercise_id!r} is done; start it again (restart=True) to answer again")
        if not 0 <= step < rec["steps_total"]:
            raise IndexError(f"step {step} is outside 0..{rec['steps_total'] - 1}")
        return attempt["steps"].setdefault(
            str(step), {"answer": None, "correct": None, "hints_used": 0, "seconds": 0.0, "answered": ""}
        )

    def reset(self) -> Path | None:
        """Forget everything of this profile; deletes the file (under the lock). Returns the path deleted, if any."""
        try:
            with exclusive_lock(self.lock_path, self.lock_timeout):
                try:
                    self.path.unlink()
                    deleted: Path | None = self.path
                except FileNotFoundError:
                    deleted = None
        except LockTimeout as exc:
            raise ProgressError(f"cannot delete {self.path}: {exc}") from None
        except OSError as exc:
            raise ProgressError(f"cannot delete {self.path}: {exc.strerror or exc}") from None
        self.data, self._seen = self._fresh(), None
        self._dirty.clear()
        self._class_dirty = False
        for ids in self._marks_dirty.values():
            ids.clear()
        return deleted

    def save(self) -> None:
        """Write this process's changes, merged into the file as it is now. ProgressError if that fails;
        the changes stay in memory and the next save tries again."""
        if not self.unsaved:
            return
        try:
            with exclusive_lock(self.lock_path, self.lock_timeout):
                clean_stale_temps(self.path)
                try:
                    disk, _ = self._read()
                except Damaged as exc:
                    aside = self._move_aside(str(exc))
                    self.warnings.append(f"progress file {self.path} was damaged ({exc}); "
                                         f"it was kept as {aside} and this session's progress was saved in a fresh one")
                    disk = None
                merged = self._merged(disk)
                atomic_write(self.path, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
                self._seen = self._signature()
        except LockTimeout as exc:
            raise ProgressError(f"cannot save progress to {self.path}: {exc}; your answers are kept "
                                "while this hpedu runs and saved with the next change") from None
        except OSError as exc:
            raise ProgressError(f"cannot save progress to {self.path}: {exc.strerror or exc}") from None
        self.data = merged
        self._dirty.clear()
        self._class_dirty = False
        for ids in self._marks_dirty.values():
            ids.clear()

    # ----- export (hpedu/progress_export.py) ---------------------------------
    def export_dict(self, titles: Mapping[str, str] | None = None, class_code: str | None = None) -> dict[str, Any]:
        from .progress_export import export_dict

        return export_dict(self, titles, class_code)

    def export_csv(self, titles: Mapping[str, str] | None = None, class_code: str | None = None) -> str:
        """One row per exercise (columns in CSV_COLUMNS); `answers` lists each step's answer and verdict."""
        from .progress_export import export_csv

        return export_csv(self, titles, class_code)

    def export(self, target: str | Path, titles: Mapping[str, str] | None = None, class_code: str | None = None,
               steps: Mapping[str, int] | None = None) -> Path:
        """Write a teacher's copy as .csv or .json (chosen by the file name), atomically, mode 0644.

        ExportTargetError (a usage error) for another suffix, a missing folder,
        or a file among the profiles; ProgressError when writing fails."""
        from .progress_export import write_export

        return write_export(self, target, titles, class_code, steps)

    def _now(self) -> str:
        return datetime.fromtimestamp(self.clock(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _steps_view(steps: Mapping[str, Mapping[str, Any]]) -> tuple[StepProgress, ...]:
    return tuple(
        StepProgress(int(k), s["answer"], s["correct"], s["hints_used"], s["seconds"])
        for k, s in sorted(steps.items(), key=lambda kv: int(kv[0]))
    )


def _view(exercise_id: str, rec: Mapping[str, Any]) -> ExerciseProgress:
    """Records are checked on load (progress_records.check_record), so every field has its type here."""
    steps = _steps_view(rec["steps"])
    view = ExerciseProgress(
        exercise=exercise_id,
        status=rec["status"],
        score=rec["score"],
        steps_total=rec["steps_total"],
        answered=sum(1 for s in steps if s.answer is not None),
        hints_used=sum(s.hints_used for s in steps),
        seconds=sum(s.seconds for s in steps),
        attempts=rec["attempts"],
        best_score=rec["best_score"],
        class_code=rec["class_code"],
        started=rec["started"],
        finished=rec["finished"],
        steps=steps,
    )
    again = rec.get("again")
    if again is None or rec["status"] != DONE:
        return view
    again_steps = _steps_view(again["steps"])
    from dataclasses import replace

    return replace(view, again=replace(
        view, status=IN_PROGRESS, score=score_of(again["steps"]), steps=again_steps,
        answered=sum(1 for s in again_steps if s.answer is not None),
        hints_used=sum(s.hints_used for s in again_steps), seconds=sum(s.seconds for s in again_steps),
        started=again["started"], finished="",
    ))

"""A class's progress in one table: per exercise and step, from every learner's progress file.

Sources (files are only read, never changed, locked or moved):
- a data folder, as hpedu keeps it (`<DIR>/profiles/<profile>.json`, one file
  per learner; `hpedu serve` keeps its learners there); a folder without a
  `profiles/` folder is read as the profiles folder itself;
- export files collected from learners (`hpedu progress --export`): JSON (all
  of it), CSV (also several learners' rows joined in one file), or a progress
  file itself.
Every file is checked like hpedu checks its own (`progress_records.check_data`);
a damaged file is named in `problems` and left out, never fatal.

What is counted, per exercise: learners who started it (a record) and
finished it (status done), the median score of those who finished (steps right
in the attempt the record shows: the last finished one), and per step the
answers given, the wrong ones among them and the hints shown. A record holds
the attempt it shows and, on a done exercise being tried again, that new try:
both count (a learner trying again adds a second answer); earlier attempts are
not kept by the progress file. A CSV export holds a learner's hints only in
total: they count in the exercise's total, not per step (`hints_by_step_missing`).

Pure: standard library only; no printing, no UI.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .progress import CSV_COLUMNS, FORMAT, VERSION
from .progress_records import DONE, IN_PROGRESS, Damaged, check_data, check_record

EXPORT_FORMAT = "hpedu-progress-export"
MAX_FILE_BYTES = 16 * 1024 * 1024
_PROFILE_FILE = re.compile(r"^[A-Za-z0-9_-]{1,32}\.json$")  # not .corrupt-… copies nor temporary files
_CSV_NEEDED = ("profile", "exercise", "status", "score", "steps", "hints_used", "answers")
_CSV_STEP = re.compile(r"^(\d{1,5}): (.*?)(?: \((right|wrong)\))?$", re.S)


@dataclass(frozen=True)
class LearnerExercise:
    """One learner's record of one exercise, as counts per step (index 0 = step 1)."""

    status: str  # "in progress" | "done"
    steps_total: int
    score: int  # steps right in the attempt the record shows
    answers: tuple[int, ...]
    wrong: tuple[int, ...]
    hints: tuple[int, ...] | None  # None: the source holds only the total (a CSV export)
    hints_total: int


@dataclass(frozen=True)
class Learner:
    name: str
    source: Path
    exercises: Mapping[str, LearnerExercise]


@dataclass(frozen=True)
class StepRow:
    index: int  # 0-based
    answers: int
    wrong: int
    hints: int


@dataclass(frozen=True)
class ExerciseRow:
    exercise: str
    title: str
    steps_total: int
    started: int
    finished: int
    median_score: float | None  # None when nobody finished
    wrong: int
    hints: int
    steps: tuple[StepRow, ...]
    in_content: bool = True


@dataclass(frozen=True)
class ClassReport:
    learners: tuple[Learner, ...]
    rows: tuple[ExerciseRow, ...]
    problems: tuple[str, ...]  # damaged or unreadable files, by name, and other notes
    hints_by_step_missing: tuple[str, ...] = ()  # learners whose hints count only in the total

    def most_wrong(self, n: int = 5) -> list[tuple[ExerciseRow, StepRow]]:
        """The `n` steps with the most wrong answers (none without any), most first, then in table order."""
        found = [(row, step) for row in self.rows for step in row.steps if step.wrong > 0]
        return sorted(found, key=lambda rs: -rs[1].wrong)[:n]


# ----- reading ---------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    """The file's bytes; Damaged for a pipe, device or folder (opened without waiting on it) or a huge file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise Damaged(f"it cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Damaged("it is not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise Damaged(f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            return f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise Damaged(f"it cannot be read ({exc.strerror or exc})") from None


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise Damaged("it is nested too deeply to be a progress file") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise Damaged(f"it cannot be read ({exc.__class__.__name__}: {exc})") from None


def learner_exercise(rec: Mapping[str, Any]) -> LearnerExercise:
    """Counts from a checked record (`progress_records.check_record`)."""
    total = rec["steps_total"]
    answers, wrong, hints = [0] * total, [0] * total, [0] * total
    attempts = [rec["steps"]] + ([rec["again"]["steps"]] if "again" in rec else [])
    for steps in attempts:
        for key, step in steps.items():
            i = int(key)
            hints[i] += step["hints_used"]
            if step["answer"] is not None:
                answers[i] += 1
                wrong[i] += step["correct"] is False
    return LearnerExercise(rec["status"], total, rec["score"], tuple(answers), tuple(wrong), tuple(hints), sum(hints))


def shown(text: str) -> str:
    """`text` safe to print: a control character (a terminal escape in a learner's file) becomes '?'."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _from_checked(exercises: Mapping[str, Any]) -> dict[str, LearnerExercise]:
    return {shown(ex_id): learner_exercise(rec) for ex_id, rec in exercises.items()}


def read_progress_file(path: Path, name: str | None = None) -> Learner:
    """A learner from a progress file (as in a data folder); Damaged says why not."""
    data = check_data(_json(_read_bytes(path)), FORMAT, VERSION)
    return Learner(shown(name or data["profile"] or Path(path).stem), Path(path), _from_checked(data["exercises"]))


def read_export(path: Path) -> list[Learner]:
    """The learners in one export file (JSON, CSV, or a progress file); Damaged says why not."""
    path = Path(path)
    raw = _read_bytes(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, raw)
    data = _json(raw)
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return [read_progress_file(path)]
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise Damaged("it is not an hpedu progress export (hpedu progress --export FILE.json or FILE.csv)")
    if data.get("version") != VERSION or type(data.get("version")) is not int:
        raise Damaged(f"unknown export format version {data.get('version')!r} (this hpedu reads version {VERSION})")
    profile, exercises = data.get("profile", ""), data.get("exercises")
    if not isinstance(profile, str):
        raise Damaged(f"'profile' is {profile!r}, not text")
    if not isinstance(exercises, dict):
        raise Damaged("'exercises' is not a mapping")
    checked = {}
    for ex_id, rec in exercises.items():
        if isinstance(rec, dict):
            rec = {k: v for k, v in rec.items() if k != "title"}
        checked[ex_id] = check_record(ex_id, rec)
    return [Learner(shown(profile or path.stem), path, _from_checked(checked))]


def _csv_int(row: Mapping[str, str], key: str, where: str, minimum: int = 0) -> int:
    text = (row.get(key) or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) < minimum:
        raise Damaged(f"{where}: {key!r} is {text!r}, not a whole number >= {minimum}")
    return int(text)


def _read_csv(path: Path, raw: bytes) -> list[Learner]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Damaged(f"it cannot be read (UnicodeDecodeError: {exc})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _CSV_NEEDED if c not in (reader.fieldnames or [])]
    if missing:
        raise Damaged(f"it is not an hpedu progress export: its header lacks {', '.join(missing)} "
                      f"(expected {','.join(CSV_COLUMNS)})")
    by_profile: dict[str, dict[str, LearnerExercise]] = {}
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if row.get("profile") == "profile" and row.get("exercise") == "exercise":
                continue  # a repeated header, from joining files
            profile, ex_id, status = row.get("profile") or path.stem, row.get("exercise") or "", row.get("status")
            learner = by_profile.setdefault(profile, {})
            if status == "new":
                continue
            if status not in (IN_PROGRESS, DONE):
                raise Damaged(f"{where}: 'status' is {status!r} (allowed: 'new', 'in progress', 'done')")
            if not ex_id.strip():
                raise Damaged(f"{where}: 'exercise' is empty")
            learner[shown(ex_id)] = _csv_record(row, where, status)
    except csv.Error as exc:
        raise Damaged(f"line {reader.line_num}: {exc}") from None
    return [Learner(shown(name), path, exercises) for name, exercises in by_profile.items()]


def _csv_record(row: Mapping[str, str], where: str, status: str) -> LearnerExercise:
    total = _csv_int(row, "steps", where, minimum=1)
    score, hints = _csv_int(row, "score", where), _csv_int(row, "hints_used", where)
    answers, wrong = [0] * total, [0] * total
    text = row.get("answers") or ""
    for part in re.split(r" \| (?=\d{1,5}: )", text) if text else []:
        match = _CSV_STEP.match(part)
        if not match or not 1 <= int(match[1]) <= total:
            raise Damaged(f"{where}: 'answers' holds {part[:40]!r}, not 'STEP: ANSWER (right|wrong)' with STEP 1..{total}")
        i = int(match[1]) - 1
        if match[3] is not None or match[2] != "-":
            answers[i] += 1
            wrong[i] += match[3] == "wrong"
    return LearnerExercise(status, total, score, tuple(answers), tuple(wrong), None, hints)


def read_data_folder(folder: Path, cache: dict[str, Any] | None = None) -> tuple[list[Learner], list[str]]:
    """Every learner of a data folder, and a problem line per file left out.
    OSError when the folder cannot be listed (FileNotFoundError when it does not exist).

    `cache` (a dict kept between calls, as the report screen does on each refresh): a file
    whose modification time, size and inode are the same as at the last call is not read
    again (hpedu replaces a progress file with a new one on every save, a new inode)."""
    folder = Path(folder)
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(f"{folder} is not a folder")
        raise FileNotFoundError(f"no data folder {folder}")
    profiles = folder / "profiles" if (folder / "profiles").is_dir() else folder
    learners, problems = [], []
    seen: dict[str, Any] = {}
    for name in sorted(os.listdir(profiles)):
        if not _PROFILE_FILE.match(name):
            continue
        path = profiles / name
        try:
            st = os.stat(path)
            sig: tuple[int, ...] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            sig = None
        hit = cache.get(name) if cache is not None else None
        if hit is not None and sig is not None and hit[0] == sig:
            result = hit[1]
        else:
            try:
                result = read_progress_file(path, name=name[:-5])
            except Damaged as exc:
                result = f"{path}: left out: {exc}"
        seen[name] = (sig, result)
        (problems if isinstance(result, str) else learners).append(result)
    if cache is not None:
        cache.clear()
        cache.update(seen)
    return learners, problems


def read_exports(paths: Iterable[Path]) -> tuple[list[Learner], list[str]]:
    """The learners of every export file, and a problem line per file left out. Two files
    holding the same profile (often 'default') count as two learners, named after their files."""
    learners: list[Learner] = []
    problems = []
    for path in paths:
        try:
            learners.extend(read_export(Path(path)))
        except Damaged as exc:
            problems.append(f"{path}: left out: {exc}")
    names: dict[str, list[Learner]] = {}
    for learner in learners:
        names.setdefault(learner.name, []).append(learner)
    out = []
    for learner in learners:
        same = names[learner.name]
        if len(same) > 1 and len({x.source for x in same}) > 1:
            learner = Learner(f"{learner.name} ({learner.source.name})", learner.source, learner.exercises)
        out.append(learner)
    for name, same in names.items():
        if len({x.source for x in same}) > 1:
            problems.append(f"profile {name!r} is in {len(same)} files "
                            f"({', '.join(str(x.source) for x in same)}): counted as different learners")
    return out, problems


# ----- counting ----------------------------------------------------------------
def build_report(learners: Sequence[Learner], exercises: Sequence[tuple[str, str, int]],
                 problems: Sequence[str] = ()) -> ClassReport:
    """The table: every exercise of `exercises` ((id, title, steps) in the content's order)
    and then any other exercise a learner has a record of."""
    listed = [(ex_id, title, steps, True) for ex_id, title, steps in exercises]
    known = {ex_id for ex_id, *_ in exercises}
    others: dict[str, int] = {}
    for learner in learners:
        for ex_id, rec in learner.exercises.items():
            if ex_id not in known:
                others[ex_id] = max(others.get(ex_id, 0), rec.steps_total)
    listed += [(ex_id, "", steps, False) for ex_id, steps in sorted(others.items())]
    notes = list(problems)
    rows = []
    for ex_id, title, total, in_content in listed:
        recs = [(lr, lr.exercises[ex_id]) for lr in learners if ex_id in lr.exercises]
        for lr, rec in recs:
            if rec.steps_total != total:
                notes.append(f"{lr.source}: {lr.name}'s record of {ex_id} has {rec.steps_total} steps, the "
                             f"exercise {total}: the exercise changed since (steps past {total} are not counted)")
        scores = [rec.score for _, rec in recs if rec.status == DONE]
        steps = tuple(
            StepRow(i, sum(r.answers[i] for _, r in recs if i < r.steps_total),
                    sum(r.wrong[i] for _, r in recs if i < r.steps_total),
                    sum(r.hints[i] for _, r in recs if r.hints is not None and i < r.steps_total))
            for i in range(total)
        )
        rows.append(ExerciseRow(ex_id, title, total, len(recs), len(scores),
                                statistics.median(scores) if scores else None,
                                sum(s.wrong for s in steps), sum(r.hints_total for _, r in recs), steps, in_content))
    missing = tuple(lr.name for lr in learners
                    if any(r.hints is None and r.hints_total for r in lr.exercises.values()))
    return ClassReport(tuple(learners), tuple(rows), tuple(notes), missing)


# ----- tables (text, CSV and the app's screen) ----------------------------------
SUMMARY_COLUMNS = ["exercise", "started", "done", "median", "answers", "wrong", "hints"]  # fits 80 columns
LEARNER_COLUMNS = ["learner", "exercise", "status", "score", "answers", "wrong", "hints", "wrong steps"]
SUMMARY_CSV = ["exercise", "title", "step", "started", "finished", "median_score", "steps", "answers", "wrong", "hints"]
LEARNER_CSV = ["learner", "exercise", "status", "score", "steps", "answers", "wrong", "hints", "wrong_steps"]


def _num(value: float) -> str:
    return f"{value:g}"


def summary_rows(report: ClassReport) -> list[list[str]]:
    """SUMMARY_COLUMNS: an exercise's row, then one per step ("  step 2" in the exercise column)."""
    out = []
    for row in report.rows:
        median = "-" if row.median_score is None else f"{_num(row.median_score)}/{row.steps_total}"
        name = row.exercise + ("" if row.in_content else " (not in this content)")
        out.append([name, str(row.started), str(row.finished), median,
                    str(sum(s.answers for s in row.steps)), str(row.wrong), str(row.hints)])
        out += [[f"  step {s.index + 1}", "", "", "", str(s.answers), str(s.wrong), str(s.hints)] for s in row.steps]
    return out


def learner_rows(report: ClassReport) -> list[list[str]]:
    """LEARNER_COLUMNS: every learner (by name) and every exercise of the table."""
    out = []
    for learner in sorted(report.learners, key=lambda lr: lr.name):
        for row in report.rows:
            rec = learner.exercises.get(row.exercise)
            if rec is None:
                out.append([learner.name, row.exercise, "new", "-", "0", "0", "0", ""])
                continue
            out.append([learner.name, row.exercise, rec.status, f"{rec.score}/{rec.steps_total}",
                        str(sum(rec.answers)), str(sum(rec.wrong)), str(rec.hints_total),
                        " ".join(str(i + 1) for i, n in enumerate(rec.wrong) if n)])
    return out


def csv_text(report: ClassReport, by_learner: bool = False) -> str:
    """The same table as CSV, numbers in their own columns (SUMMARY_CSV or LEARNER_CSV)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if by_learner:
        writer.writerow(LEARNER_CSV)
        for cells in learner_rows(report):
            score, _, steps = cells[3].partition("/")
            writer.writerow([*cells[:3], "" if score == "-" else score, steps, *cells[4:7], cells[7]])
        return out.getvalue()
    writer.writerow(SUMMARY_CSV)
    for row in report.rows:
        median = "" if row.median_score is None else _num(row.median_score)
        writer.writerow([row.exercise, row.title, "", row.started, row.finished, median, row.steps_total,
                         sum(s.answers for s in row.steps), row.wrong, row.hints])
        for s in row.steps:
            writer.writerow([row.exercise, row.title, s.index + 1, "", "", "", "", s.answers, s.wrong, s.hints])
    return out.getvalue()


def most_wrong_line(report: ClassReport) -> str:
    worst = report.most_wrong()
    if not worst:
        return "most wrong: no wrong answers yet"
    return "most wrong: " + "; ".join(f"{row.exercise} step {s.index + 1} ({s.wrong} of {s.answers})"
                                      for row, s in worst)


def hints_note(report: ClassReport) -> str:
    k = len(report.hints_by_step_missing)
    return (f"note: {k} learner{'s' if k != 1 else ''} from CSV exports: their hints count in each exercise's "
            "total only (a CSV export has no hints per step; JSON has)")

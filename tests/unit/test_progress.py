"""The progress store: records, atomic writes, corrupt-file recovery, exports, reset."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from hpedu import progress
from hpedu.progress import DONE, IN_PROGRESS, NEW, ProgressError, ProgressStore, check_profile, data_dir

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ProgressStore:
    return ProgressStore.open("ada", tmp_path, clock=clock)


def test_data_dir_comes_from_the_environment_or_platformdirs(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    monkeypatch.delenv("HPEDU_DATA_DIR")
    import platformdirs

    assert data_dir() == Path(platformdirs.user_data_dir("hpedu", appauthor=False))
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "e"))
    assert ProgressStore.open("bo").path == tmp_path / "e" / "profiles" / "bo.json"


@pytest.mark.parametrize("name", ["", "a b", "../x", "x" * 33])
def test_profile_names_are_checked(name: str) -> None:
    with pytest.raises(ValueError, match="invalid profile name"):
        check_profile(name)


def test_a_full_exercise_is_recorded_and_saved(store: ProgressStore, clock: Clock, tmp_path: Path) -> None:
    assert store.status("ex") == NEW and store.exercise("ex") is None
    assert not store.path.exists()  # nothing written before the first change
    assert store.start("ex", 3, class_code="stats-101") == 0
    assert store.status("ex") == IN_PROGRESS
    assert store.hint("ex", 0) == 1 and store.hint("ex", 0) == 2
    clock.now += 65
    store.answer("ex", 0, "b", True, seconds=12.5)
    store.answer("ex", 0, "c", False, seconds=1)  # a second answer to the same step is ignored
    store.answer("ex", 1, "0.3", False, seconds=7)
    p = store.answer("ex", 2, "c a b", True, seconds=3)
    assert (p.status, p.score, p.steps_total, p.answered, p.hints_used, p.seconds) == (DONE, 2, 3, 3, 2, 22.5)
    assert (p.started, p.finished, p.class_code, p.attempts, p.best_score) == (
        "2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z", "stats-101", 1, 2)
    assert [(s.index, s.answer, s.correct, s.hints_used) for s in p.steps] == [
        (0, "b", True, 2), (1, "0.3", False, 0), (2, "c a b", True, 0)]
    again = ProgressStore.open("ada", tmp_path)  # read back from disk
    assert again.exercise("ex") == p
    assert again.class_code == "stats-101" and again.warnings == []


def test_resume_restart_and_best_score(store: ProgressStore) -> None:
    store.start("ex", 2)
    store.answer("ex", 0, "a", True)
    assert store.start("ex", 2) == 1  # resumes at the first unanswered step
    store.answer("ex", 1, "b", True)
    assert store.exercise("ex").best_score == 2
    assert store.start("ex", 2) == 0  # a done exercise starts a new attempt
    p = store.exercise("ex")
    assert (p.status, p.score, p.attempts, p.best_score, p.answered) == (IN_PROGRESS, 0, 2, 2, 0)
    store.answer("ex", 0, "a", False)
    assert store.start("ex", 2, restart=True) == 0
    assert store.exercise("ex").attempts == 3


def test_profiles_are_kept_apart(tmp_path: Path) -> None:
    a, b = ProgressStore.open("ada", tmp_path), ProgressStore.open("bo", tmp_path)
    a.start("ex", 1)
    a.answer("ex", 0, "a", True)
    assert ProgressStore.open("bo", tmp_path).status("ex") == NEW
    assert ProgressStore.open("ada", tmp_path).status("ex") == DONE
    assert a.path != b.path


def test_a_crash_while_writing_leaves_the_old_file_intact(store: ProgressStore, monkeypatch) -> None:
    store.start("ex", 2)
    store.answer("ex", 0, "a", True)
    before = store.path.read_bytes()

    def crash(fd: int) -> None:  # the new text is written but not yet renamed into place
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(ProgressError, match=f"cannot save progress to {store.path}: No space left on device"):
        store.answer("ex", 1, "b", True)
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["ada.json"]  # no temporary file left behind


def test_a_failed_rename_leaves_the_old_file_intact(store: ProgressStore, monkeypatch) -> None:
    store.start("ex", 1)
    before = store.path.read_bytes()
    monkeypatch.setattr(progress.os, "replace", lambda a, b: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # even an interrupt cleans up
        store.answer("ex", 0, "a", True)
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["ada.json"]


@pytest.mark.parametrize(("text", "reason"), [
    ('{"format": "hpedu-progress", "version": 1, "exercises": {"ex": {"status": "don', "cannot be read"),
    ("[1, 2, 3]", "it is not an hpedu progress file"),
    ('{"format": "hpedu-progress", "version": 1, "exercises": {"ex": {"status": "??"}}}', "exercise 'ex' is damaged"),
])
def test_a_corrupt_file_is_moved_aside_and_a_fresh_store_started(tmp_path: Path, clock: Clock, text: str, reason: str) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    store = ProgressStore.open("ada", tmp_path, clock=clock)
    aside = tmp_path / "profiles" / "ada.corrupt-20260101T000000Z.json"
    assert aside.read_text(encoding="utf-8") == text  # the old content is kept, byte for byte
    assert not path.exists()
    (warning,) = store.warnings
    assert str(path) in warning and str(aside) in warning and reason in warning
    assert "a fresh one was started" in warning
    assert store.exercises() == [] and not store.read_only
    store.start("ex", 1)
    assert json.loads(path.read_text())["exercises"]["ex"]["status"] == IN_PROGRESS
    # a second corrupt file in the same second does not overwrite the first one kept aside
    path.write_text("garbage", encoding="utf-8")
    second = ProgressStore.open("ada", tmp_path, clock=clock)
    assert aside.read_text(encoding="utf-8") == text
    assert (tmp_path / "profiles" / "ada.corrupt-20260101T000000Z-2.json").read_text() == "garbage"
    assert "ada.corrupt-20260101T000000Z-2.json" in second.warnings[0]


def test_a_corrupt_file_that_cannot_be_moved_is_never_overwritten(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir()
    path.write_text("garbage", encoding="utf-8")

    def refuse(a, b):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress.os, "replace", refuse)
    store = ProgressStore.open("ada", tmp_path)
    assert store.read_only and "could not be moved aside" in store.warnings[0] and str(path) in store.warnings[0]
    store.start("ex", 1)
    store.answer("ex", 0, "a", True)
    assert path.read_text() == "garbage"


def test_a_file_from_a_newer_hpedu_is_shown_but_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir()
    text = json.dumps({"format": "hpedu-progress", "version": 99, "exercises": {}})
    path.write_text(text)
    store = ProgressStore.open("ada", tmp_path)
    assert store.read_only and "newer hpedu" in store.warnings[0]
    store.start("ex", 1)
    assert path.read_text() == text
    with pytest.raises(ProgressError):
        store.reset()


def filled(store: ProgressStore, clock: Clock) -> ProgressStore:
    store.start("grid-vs-random", 2, class_code="stats-101")
    store.hint("grid-vs-random", 1)
    store.answer("grid-vs-random", 0, "3", True, seconds=10)
    clock.now += 30
    store.answer("grid-vs-random", 1, "b", False, seconds=20.25)
    store.start("log-scale", 3)
    store.answer("log-scale", 0, "c a b", True, seconds=4)
    return store


def test_export_csv(store: ProgressStore, clock: Clock, tmp_path: Path) -> None:
    filled(store, clock)
    out = store.export(tmp_path / "ada.csv", titles={"grid-vs-random": "Grid, or random?"})
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [
        {"profile": "ada", "class_code": "stats-101", "exercise": "grid-vs-random", "title": "Grid, or random?",
         "status": "done", "score": "1", "steps": "2", "answered": "2", "hints_used": "1", "seconds": "30.2",
         "attempts": "1", "best_score": "1", "started": "2026-01-01T00:00:00Z", "finished": "2026-01-01T00:00:30Z",
         "answers": "1: 3 (right) | 2: b (wrong)"},
        {"profile": "ada", "class_code": "stats-101", "exercise": "log-scale", "title": "",
         "status": "in progress", "score": "1", "steps": "3", "answered": "1", "hints_used": "0", "seconds": "4.0",
         "attempts": "1", "best_score": "0", "started": "2026-01-01T00:00:30Z", "finished": "",
         "answers": "1: c a b (right)"},
    ]


def test_export_json(store: ProgressStore, clock: Clock, tmp_path: Path) -> None:
    filled(store, clock)
    data = json.loads(store.export(tmp_path / "ada.json", titles={"log-scale": "Log or not"}, class_code="c9").read_text())
    assert data["format"] == "hpedu-progress-export" and data["profile"] == "ada" and data["class_code"] == "c9"
    assert data["exported"] == "2026-01-01T00:00:30Z"
    ex = data["exercises"]["grid-vs-random"]
    assert ex["title"] == "" and ex["status"] == "done" and ex["class_code"] == "stats-101"
    assert ex["steps"]["1"] == {"answer": "b", "correct": False, "hints_used": 1, "seconds": 20.25,
                                "answered": "2026-01-01T00:00:30Z"}
    assert data["exercises"]["log-scale"]["title"] == "Log or not"


def test_export_refuses_other_formats(store: ProgressStore, tmp_path: Path) -> None:
    with pytest.raises(ProgressError, match="must end in .csv or .json"):
        store.export(tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_reset_deletes_the_file(store: ProgressStore) -> None:
    store.start("ex", 1)
    assert store.reset() == store.path
    assert not store.path.exists() and store.exercises() == []
    assert store.reset() is None


def test_progress_classroom_and_answers_are_pure() -> None:
    import subprocess
    import sys

    code = ("import json, sys; import hpedu.progress, hpedu.classroom, hpedu.content.answers, hpedu.content.exercises; "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert [m for m in loaded if m.split(".")[0] in ("textual", "rich", "numpy", "sklearn")] == []

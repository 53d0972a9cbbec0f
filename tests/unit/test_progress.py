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


def test_resume_review_again_and_best_score(store: ProgressStore, tmp_path: Path) -> None:
    store.start("ex", 2)
    store.answer("ex", 0, "a", True)
    assert store.start("ex", 2) == 1  # resumes at the first unanswered step
    store.answer("ex", 1, "b", True)
    done = store.exercise("ex")
    assert (done.status, done.score, done.best_score, done.current) == (DONE, 2, 2, None)
    saved = store.path.read_bytes()
    assert store.start("ex", 2) == 2  # a done exercise opens in review: nothing changes, nothing is written
    assert store.exercise("ex") == done and store.path.read_bytes() == saved
    assert store.start("ex", 2, restart=True) == 0  # trying again is an explicit choice
    p = store.exercise("ex")
    assert (p.status, p.score, p.answered, p.attempts, p.best_score) == (DONE, 2, 2, 2, 2)  # still done, as recorded
    assert (p.current.status, p.current.answered) == (IN_PROGRESS, 0)
    store.answer("ex", 0, "a", False)
    assert store.start("ex", 2) == 1  # the new try resumes
    assert ProgressStore.open("ada", tmp_path).exercise("ex").again.answered == 1
    p = store.answer("ex", 1, "b", False)
    assert (p.status, p.score, p.best_score, p.again, p.attempts) == (DONE, 0, 2, None, 2)  # best not lowered
    assert [s.correct for s in p.steps] == [False, False]  # the new try is now the attempt shown
    assert ProgressStore.open("ada", tmp_path).exercise("ex") == p
    store.start("other", 2)
    store.answer("other", 0, "a", True)
    assert store.start("other", 2, restart=True) == 0  # restarting an attempt in progress
    p = store.exercise("other")
    assert (p.status, p.answered, p.attempts) == (IN_PROGRESS, 0, 2)


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
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["ada.json", "ada.lock"]  # no temporary file left
    assert store.unsaved and store.exercise("ex").answered == 2  # the answer is kept in memory
    monkeypatch.undo()
    store.save()  # the next save writes it
    assert not store.unsaved and ProgressStore.open("ada", store.path.parent.parent).exercise("ex").status == DONE


def test_a_failed_rename_leaves_the_old_file_intact(store: ProgressStore, monkeypatch) -> None:
    store.start("ex", 1)
    before = store.path.read_bytes()
    monkeypatch.setattr(progress.os, "replace", lambda a, b: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # even an interrupt cleans up
        store.answer("ex", 0, "a", True)
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["ada.json", "ada.lock"]


def shaped(record_change: dict | None = None, step_change: dict | None = None, **top) -> str:
    """A progress file as hpedu writes it, with some fields replaced."""
    step = {"answer": "a", "correct": True, "hints_used": 0, "seconds": 1.5, "answered": "2026-01-01T00:00:00Z"}
    record = {"status": "done", "score": 1, "steps_total": 1, "steps": {"0": {**step, **(step_change or {})}},
              "attempts": 1, "best_score": 1, "class_code": "", "started": "", "finished": "", "updated": ""}
    data = {"format": "hpedu-progress", "version": 1, "profile": "ada", "class_code": "",
            "exercises": {"ex": {**record, **(record_change or {})}}, **top}
    return json.dumps(data)


def test_the_shaped_helper_makes_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir()
    path.write_text(shaped())
    store = ProgressStore.open("ada", tmp_path)
    assert store.warnings == [] and store.exercise("ex").score == 1


@pytest.mark.parametrize(("text", "reason"), [
    ('{"format": "hpedu-progress", "version": 1, "exercises": {"ex": {"status": "don', "cannot be read"),
    ("[1, 2, 3]", "it is not an hpedu progress file"),
    ('{"format": "hpedu-progress", "version": 1, "exercises": {"ex": {"status": "??"}}}', "exercise 'ex' is damaged"),
    (shaped({"score": "abc"}), "'score' is 'abc', not a whole number"),
    (shaped({"steps": {"\u00b2": {}}}), "step '\u00b2' is not a step number 0..0"),
    (shaped({"steps": {"1": {}}}), "step '1' is not a step number 0..0"),
    (shaped(step_change={"seconds": "slow"}), "'seconds' is 'slow', not a number >= 0"),
    (shaped(step_change={"hints_used": -1}), "'hints_used' is -1"),
    (shaped(step_change={"correct": "yes"}), "'correct' is 'yes'"),
    (shaped(step_change={"answer": 3}), "'answer' is 3"),
    (shaped({"finished": 5}), "'finished' is 5, not text"),
    (shaped({"steps_total": True}), "'steps_total' is True"),
    (shaped({"again": []}), "'again'"),
    (shaped(version=2), "written by a newer hpedu (format version 2"),
    (shaped(version="1"), "unknown format version '1'"),
    (shaped(exercises=[]), "'exercises' is [], not a mapping"),
    (shaped(class_code=7), "'class_code' is 7, not text"),
    ("[" * 100_000, "nested too deeply"),
    (b"\xff\xfe not utf-8", "cannot be read (UnicodeDecodeError"),
])
def test_a_corrupt_file_is_moved_aside_and_a_fresh_store_started(tmp_path: Path, clock: Clock, text: str | bytes,
                                                                  reason: str) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir()
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    path.write_bytes(raw)
    store = ProgressStore.open("ada", tmp_path, clock=clock)
    aside = tmp_path / "profiles" / "ada.corrupt-20260101T000000Z.json"
    assert aside.read_bytes() == raw  # the old content is kept, byte for byte
    assert not path.exists()
    (warning,) = store.warnings
    assert str(path) in warning and str(aside) in warning and reason in warning
    assert "a fresh one was started" in warning
    assert "\n" not in warning  # one line
    assert store.exercises() == []
    store.start("ex", 1)
    assert json.loads(path.read_text())["exercises"]["ex"]["status"] == IN_PROGRESS
    # a second corrupt file in the same second does not overwrite the first one kept aside
    path.write_text("garbage", encoding="utf-8")
    second = ProgressStore.open("ada", tmp_path, clock=clock)
    assert aside.read_bytes() == raw
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
    assert "could not be moved aside" in store.warnings[0] and str(path) in store.warnings[0]
    with pytest.raises(ProgressError, match="could not be moved aside"):  # saving says so, every time
        store.start("ex", 1)
    with pytest.raises(ProgressError, match="could not be moved aside"):
        store.answer("ex", 0, "a", True)
    assert store.exercise("ex").status == DONE and store.unsaved  # kept in memory
    assert path.read_text() == "garbage"


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


# ----- several processes, one profile ------------------------------------------
def finish(store: ProgressStore, exercise: str, answers: list[bool]) -> None:
    store.start(exercise, len(answers))
    for i, right in enumerate(answers):
        store.answer(exercise, i, "a", right)


def test_two_stores_finishing_different_exercises_keep_both(tmp_path: Path) -> None:
    a, b = ProgressStore.open("ada", tmp_path), ProgressStore.open("ada", tmp_path)  # e.g. the app and a terminal
    a.start("one", 2)
    a.answer("one", 0, "a", True)
    finish(b, "two", [True, True])
    a.answer("one", 1, "b", False)  # a saves after b: b's exercise must survive
    on_disk = ProgressStore.open("ada", tmp_path)
    assert (on_disk.status("one"), on_disk.status("two")) == (DONE, DONE)
    assert on_disk.exercise("two").score == 2 and on_disk.exercise("one").score == 1
    assert a.status("two") == DONE  # a's memory now has b's work too


def test_a_finished_exercise_stays_finished_and_its_best_is_kept(tmp_path: Path) -> None:
    a, b = ProgressStore.open("ada", tmp_path), ProgressStore.open("ada", tmp_path)
    a.start("ex", 2)
    a.answer("ex", 0, "a", True)
    b.refresh()
    b.answer("ex", 1, "b", True)  # b finishes the attempt a started
    a.hint("ex", 1)  # a, not knowing, records a hint on the step b answered
    p = ProgressStore.open("ada", tmp_path).exercise("ex")
    assert (p.status, p.score, p.best_score, p.answered) == (DONE, 2, 2, 2)
    assert [s.hints_used for s in p.steps] == [0, 1]
    a.start("ex", 2, restart=True)  # a new try, finished badly elsewhere, never lowers the best
    a.answer("ex", 0, "a", False)
    a.answer("ex", 1, "a", False)
    p = ProgressStore.open("ada", tmp_path).exercise("ex")
    assert (p.status, p.score, p.best_score, p.attempts) == (DONE, 0, 2, 2)


def test_same_step_answered_twice_keeps_the_first_answer(tmp_path: Path, clock: Clock) -> None:
    a = ProgressStore.open("ada", tmp_path, clock=clock)
    b = ProgressStore.open("ada", tmp_path, clock=clock)
    a.start("ex", 3)
    b.refresh()
    a.answer("ex", 0, "first", True)
    clock.now += 5
    b.answer("ex", 0, "second", False)  # b had not seen a's answer
    p = ProgressStore.open("ada", tmp_path).exercise("ex")
    assert [(s.answer, s.correct) for s in p.steps] == [("first", True)]


def test_another_process_reset_is_not_undone(tmp_path: Path) -> None:
    a = ProgressStore.open("ada", tmp_path)
    finish(a, "old", [True])
    ProgressStore.open("ada", tmp_path).reset()  # `hpedu progress --reset --yes` elsewhere
    a.start("new", 2)
    on_disk = ProgressStore.open("ada", tmp_path)
    assert on_disk.status("old") == NEW and on_disk.status("new") == IN_PROGRESS


def test_refresh_reads_what_another_process_saved(tmp_path: Path) -> None:
    a, b = ProgressStore.open("ada", tmp_path), ProgressStore.open("ada", tmp_path)
    assert a.refresh() is False  # nothing changed: nothing read
    finish(b, "ex", [True])
    assert a.status("ex") == NEW
    assert a.refresh() is True and a.status("ex") == DONE
    assert a.refresh() is False


def test_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """Real processes, each finishing its own exercises while the others write."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_finish_many, args=(str(tmp_path), f"p{n}", 6)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = ProgressStore.open("ada", tmp_path)
    assert sorted(e.exercise for e in store.exercises() if e.status == DONE) == sorted(
        f"p{n}-{i}" for n in range(3) for i in range(6))


def _finish_many(folder: str, prefix: str, count: int) -> None:
    store = ProgressStore.open("ada", Path(folder))  # one store held for the whole run, like the app
    for i in range(count):
        finish(store, f"{prefix}-{i}", [True, False])


def test_a_held_lock_makes_the_save_fail_clearly_and_keeps_the_answer(store: ProgressStore) -> None:
    from hpedu._safe_files import exclusive_lock

    store.start("ex", 2)
    store.lock_timeout = 0.2
    with exclusive_lock(store.lock_path, 1.0):  # another process is writing
        with pytest.raises(ProgressError, match=r"ada\.lock is held by another hpedu process \(waited 0\.2 s\)"):
            store.answer("ex", 0, "a", True)
    assert store.unsaved and store.exercise("ex").answered == 1
    assert ProgressStore.open("ada", store.path.parent.parent).exercise("ex").answered == 0
    store.save()
    assert ProgressStore.open("ada", store.path.parent.parent).exercise("ex").answered == 1


def test_a_file_damaged_while_running_is_kept_aside_not_overwritten(store: ProgressStore, clock: Clock) -> None:
    store.start("ex", 2)
    store.path.write_text('{"format": "hpedu-progress", "version": 1, "exercises": {"ex": 5}}')  # edited by hand
    store.answer("ex", 0, "a", True)
    aside = store.path.with_name("ada.corrupt-20260101T000000Z.json")
    assert json.loads(aside.read_text())["exercises"] == {"ex": 5}
    assert str(aside) in store.warnings[-1]
    assert ProgressStore.open("ada", store.path.parent.parent).exercise("ex").answered == 1


def test_stale_temporary_files_are_removed_under_the_lock(store: ProgressStore) -> None:
    import time

    folder = store.path.parent
    folder.mkdir(parents=True)
    stale = folder / ".ada.json.0123456789ab.tmp"  # left by a writer killed between write and rename
    fresh = folder / ".ada.json.ba9876543210.tmp"  # a writer at work right now
    other = folder / ".bo.json.0123456789ab.tmp"  # another profile's
    for f in (stale, fresh, other):
        f.write_text("{")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    store.start("ex", 1)
    assert not stale.exists() and fresh.exists() and other.exists()


def test_export_refuses_the_profile_folder_and_a_missing_folder(store: ProgressStore, tmp_path: Path) -> None:
    store.start("ex", 1)
    live = store.path.read_bytes()
    with pytest.raises(ProgressError, match="the live progress file of profile 'ada'") as refused:
        store.export(store.path)
    assert type(refused.value).__name__ == "ExportTargetError"  # the CLI makes it a usage error (exit 2)
    with pytest.raises(ProgressError, match="the live progress file"):
        store.export(tmp_path / "profiles" / ".." / "profiles" / "ada.json")
    with pytest.raises(ProgressError, match="in the progress folder"):
        store.export(tmp_path / "profiles" / "bo.json")  # another profile's file, or a new one there
    with pytest.raises(ProgressError, match="the folder .*missing does not exist"):
        store.export(tmp_path / "missing" / "out.csv")
    assert not (tmp_path / "missing").exists() and not (tmp_path / "profiles" / "bo.json").exists()
    assert store.path.read_bytes() == live and ProgressStore.open("ada", tmp_path).warnings == []


def test_exports_get_normal_permissions(store: ProgressStore, tmp_path: Path) -> None:
    store.start("ex", 1)
    old = os.umask(0o022)
    try:
        out = store.export(tmp_path / "ada.csv")
        os.umask(0o077)
        private = store.export(tmp_path / "ada.json")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    assert private.stat().st_mode & 0o777 == 0o600  # the umask still applies
    assert store.path.stat().st_mode & 0o777 == 0o600  # the profile itself stays private


def test_an_unusable_data_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProgressError, match="cannot be used for progress files: File name too long") as bad:
        ProgressStore.open("ada", tmp_path / ("a" * 5000))
    assert type(bad.value).__name__ == "DataDirError"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ProgressError, match="is a file, not a folder"):
        ProgressStore.open("ada", tmp_path / "file")


# ----- marks: glossary entries read, "Try it" simulations run ---------------------------
def test_marks_are_saved_and_read_back(store: ProgressStore, clock: Clock, tmp_path: Path) -> None:
    assert store.mark_read("learning-rate") is True
    assert store.mark_read("learning-rate") is False  # once
    assert store.mark_tried("grid-vs-random") is True
    again = ProgressStore.open("ada", tmp_path)
    assert again.read_entries() == {"learning-rate"} and again.tried_presets() == {"grid-vs-random"}
    saved = json.loads(store.path.read_text())
    assert saved["read"] == {"learning-rate": "2026-01-01T00:00:00Z"}
    assert saved["tried"] == {"grid-vs-random": "2026-01-01T00:00:00Z"}


def test_a_file_without_marks_from_an_older_hpedu_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": "hpedu-progress", "version": 1, "profile": "ada", "class_code": "",
                                "exercises": {}}))
    store = ProgressStore.open("ada", tmp_path)
    assert store.warnings == [] and store.read_entries() == set() and store.tried_presets() == set()
    store.mark_read("epoch")
    assert ProgressStore.open("ada", tmp_path).read_entries() == {"epoch"}


def test_damaged_marks_are_named(tmp_path: Path) -> None:
    path = tmp_path / "profiles" / "ada.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": "hpedu-progress", "version": 1, "profile": "ada", "class_code": "",
                                "exercises": {}, "read": {"epoch": 3}}))
    store = ProgressStore.open("ada", tmp_path)
    assert len(store.warnings) == 1 and "'read' is damaged" in store.warnings[0] and "'epoch'" in store.warnings[0]


def test_two_stores_marking_different_entries_keep_both(tmp_path: Path, clock: Clock) -> None:
    a = ProgressStore.open("ada", tmp_path, clock=clock)
    b = ProgressStore.open("ada", tmp_path, clock=clock)
    a.mark_read("epoch")
    clock.now += 60
    b.mark_read("batch-size")  # b never read a's file: the merge keeps a's mark
    b.mark_read("epoch")  # b's own, later mark of the same entry: the first time stays
    finish(b, "ex", [True])
    a.mark_tried("bayes-1d-ei")  # and a, saving last, keeps b's
    on_disk = ProgressStore.open("ada", tmp_path)
    assert on_disk.read_entries() == {"epoch", "batch-size"}
    assert on_disk.tried_presets() == {"bayes-1d-ei"} and on_disk.status("ex") == DONE
    assert json.loads(on_disk.path.read_text())["read"]["epoch"] == "2026-01-01T00:00:00Z"


def test_a_mark_that_could_not_be_saved_is_saved_with_the_next_change(store: ProgressStore, tmp_path: Path,
                                                                      monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress, "atomic_write", refuse)
    with pytest.raises(ProgressError, match="No space left"):
        store.mark_read("epoch")
    assert store.unsaved and store.read_entries() == {"epoch"}
    monkeypatch.undo()
    store.mark_tried("grid-vs-random")
    on_disk = ProgressStore.open("ada", tmp_path)
    assert on_disk.read_entries() == {"epoch"} and on_disk.tried_presets() == {"grid-vs-random"}


def test_reset_forgets_the_marks(store: ProgressStore, tmp_path: Path) -> None:
    store.mark_read("epoch")
    ProgressStore.open("ada", tmp_path).reset()
    store.mark_read("batch-size")  # a reset elsewhere is not undone by this store's next save
    assert ProgressStore.open("ada", tmp_path).read_entries() == {"batch-size"}


def test_processes_marking_at_once_lose_nothing(tmp_path: Path) -> None:
    """Real processes, each reading entries, trying presets and finishing an exercise while the others write."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_mark_many, args=(str(tmp_path), f"p{n}", 5)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = ProgressStore.open("ada", tmp_path)
    assert store.read_entries() == {f"p{n}-{i}" for n in range(3) for i in range(5)}
    assert store.tried_presets() == {f"p{n}-{i}" for n in range(3) for i in range(5)}
    assert sorted(e.exercise for e in store.exercises() if e.status == DONE) == ["p0", "p1", "p2"]


def _mark_many(folder: str, prefix: str, count: int) -> None:
    store = ProgressStore.open("ada", Path(folder))
    for i in range(count):
        store.mark_read(f"{prefix}-{i}")
        store.mark_tried(f"{prefix}-{i}")
    finish(store, prefix, [True])

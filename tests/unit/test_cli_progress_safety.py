"""Progress is never lost on the command line: two processes, damaged files, failed saves,
review of finished exercises, export and reset refusals, an unusable data folder."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.progress import ProgressStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EX = "learning-rate-basics"  # right answers: b, 0.025, "b a c"
GRID = "predict-the-grid"  # right answers: b, 3


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(autouse=True)
def data_dir(learner_env: Path) -> Path:
    return learner_env


def run(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def hpedu(*args: str, stdin: str | None = "", **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hpedu", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, **kwargs)


def test_two_processes_on_one_profile_keep_both_exercises(content_dir: Path, data_dir: Path) -> None:
    """A answers one step and waits; B runs and finishes another exercise; then A finishes."""
    a = subprocess.Popen([sys.executable, "-m", "hpedu", "--content", str(content_dir), "exercise", "run", EX],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        a.stdin.write("b\n")
        a.stdin.flush()
        deadline = time.monotonic() + 60  # wait until A has saved its first answer
        while (p := ProgressStore.open("default", data_dir).exercise(EX)) is None or p.answered < 1:
            assert time.monotonic() < deadline and a.poll() is None, "process A did not record its answer"
            time.sleep(0.05)
        b = hpedu("--content", str(content_dir), "exercise", "run", GRID, "--no-simulation", stdin="b\n3\n")
        assert b.returncode == 0, b.stderr
        out, err = a.communicate("0.025\nb a c\n", timeout=60)
    finally:
        if a.poll() is None:
            a.kill()
            a.wait()
    assert a.returncode == 0, err
    store = ProgressStore.open("default", data_dir)
    assert store.exercise(GRID).status == "done" and store.exercise(GRID).score == 2
    assert store.exercise(EX).status == "done" and store.exercise(EX).score == 3
    listed = hpedu("--content", str(content_dir), "exercise", "list").stdout.splitlines()
    assert [line.split()[3:5] for line in listed[1:]] == [["done", "3/3"], ["done", "2/2"]]


def shaped(**change) -> str:
    record = {"status": "done", "score": 1, "steps_total": 3, "attempts": 1, "best_score": 1, "class_code": "",
              "started": "", "finished": "2026-01-01T00:00:00Z", "updated": "",
              "steps": {"0": {"answer": "b", "correct": True, "hints_used": 0, "seconds": 1.0, "answered": ""}}}
    step = record["steps"]["0"]
    for key, value in change.items():
        if key == "key":
            record["steps"] = {value: step}
        elif key in step:
            step[key] = value
        else:
            record[key] = value
    return json.dumps({"format": "hpedu-progress", "version": 1, "profile": "default", "class_code": "",
                       "exercises": {EX: record}})


@pytest.mark.parametrize("text", [
    shaped(score="abc"), shaped(key="\u00b2"), shaped(seconds="slow"), shaped(finished=5), "[" * 100_000,
    json.dumps({"format": "hpedu-progress", "version": 2, "exercises": {}}),
], ids=["score-abc", "step-key-superscript", "seconds-slow", "finished-5", "deep-nesting", "version-2"])
def test_every_command_survives_a_damaged_file_and_keeps_it_aside(monkeypatch, capsys, content_dir: Path,
                                                                  data_dir: Path, text: str) -> None:
    path = data_dir / "profiles" / "default.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, ["--content", str(content_dir), "progress"])
    assert code == 0 and f"{EX}" in out
    (warning,) = [line for line in err.splitlines() if "warning" in line]
    aside = next(path.parent.glob("default.corrupt-*.json"))
    assert str(aside) in warning and str(path) in warning and "a fresh one was started" in warning
    assert aside.read_text(encoding="utf-8") == text  # kept, never overwritten
    for argv in (["exercise", "list"], ["progress"], ["exercise", "run", EX]):
        code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), *argv], "b\n0.025\nb a c\n")
        assert code == 0 and "Traceback" not in err
    assert ProgressStore.open("default", data_dir).exercise(EX).score == 3


def test_a_newer_file_is_kept_aside_and_saved_means_saved(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    path = data_dir / "profiles" / "default.json"
    path.parent.mkdir(parents=True)
    newer = json.dumps({"format": "hpedu-progress", "version": 2, "exercises": {}})
    path.write_text(newer)
    code, out, err = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", EX], "b\n")
    assert code == 3 and "progress saved" in out and "newer hpedu" in err
    assert ProgressStore.open("default", data_dir).exercise(EX).answered == 1  # it was saved indeed
    assert [p.read_text() for p in path.parent.glob("default.corrupt-*.json")] == [newer]


def test_a_failed_save_says_so_keeps_going_and_exits_1(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    from hpedu import progress

    def read_only(path, text, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(progress, "atomic_write", read_only)
    argv = ["--content", str(content_dir), "exercise", "run", EX]
    code, out, err = run(monkeypatch, capsys, argv, "b\n0.03\nb a c\n")
    assert code == 1
    assert "Score: 2/3" in out  # the learner could answer every step
    assert "saved" not in out.replace("NOT saved", "")
    assert f"Your progress was NOT saved: cannot save progress to {data_dir / 'profiles' / 'default.json'}: " \
           "Permission denied" in out
    assert err.count("error: cannot save progress") == 1  # said once, not after every answer
    code, out, _ = run(monkeypatch, capsys, argv, "b\n")
    assert code == 1 and "progress saved" not in out and "NOT saved" in out
    assert not (data_dir / "profiles" / "default.json").exists()


def test_review_shows_the_recorded_answers_and_again_never_lowers_the_best(monkeypatch, capsys, content_dir: Path,
                                                                           data_dir: Path) -> None:
    argv = ["--content", str(content_dir), "exercise", "run", EX]
    run(monkeypatch, capsys, argv, "b\n0.03\nb a c\n")
    done = ProgressStore.open("default", data_dir).exercise(EX)
    code, out, _ = run(monkeypatch, capsys, argv, "a\n")
    assert code == 0
    assert "2/3 right (best 2/3)" in out
    assert "your answer: b) The learning rate (right)" in out
    assert "your answer: 0.03 (wrong)" in out and "the answer: 0.025 (± 0.001)" in out
    assert "your answer: b a c (right)" in out and "--again" in out
    assert ProgressStore.open("default", data_dir).exercise(EX) == done  # opening changed nothing
    code, out, _ = run(monkeypatch, capsys, argv + ["--again"], "a\n0.5\nc b a\n")  # a worse new try
    assert code == 0 and "Score: 0/3 (best 2/3)" in out
    p = ProgressStore.open("default", data_dir).exercise(EX)
    assert (p.status, p.score, p.best_score, p.attempts) == ("done", 0, 2, 2)
    _, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "list"])
    assert out.splitlines()[1].split()[3:5] == ["done", "2/3"]
    run(monkeypatch, capsys, argv + ["--again"], "b\n")  # a third try, left unfinished
    _, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "progress"])
    assert out.splitlines()[2].split()[:6] == [EX, "done,", "trying", "again", "0/3", "(best"]
    assert out.splitlines()[-1] == "1 done, 0 in progress, 1 new"


def test_export_refusals_are_usage_errors(monkeypatch, capsys, content_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", EX], "b\n")
    live = data_dir / "profiles" / "default.json"
    before = live.read_bytes()
    for target, message in [(live, "the live progress file"), (data_dir / "profiles" / "bo.csv", "in the progress folder"),
                            (tmp_path / "no" / "such" / "x.csv", "does not exist")]:
        code, out, err = run(monkeypatch, capsys, ["--content", str(content_dir), "progress", "--export", str(target)])
        assert code == 2 and message in err and out == ""
    assert live.read_bytes() == before and not (tmp_path / "no").exists()
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), "progress"])
    assert code == 0 and "damaged" not in err


def test_reset_without_a_terminal_needs_yes(content_dir: Path, data_dir: Path) -> None:
    hpedu("--content", str(content_dir), "exercise", "run", EX, stdin="b\n")
    path = data_dir / "profiles" / "default.json"
    closed = subprocess.run(f'exec "{sys.executable}" -m hpedu progress --reset <&-', shell=True,
                            capture_output=True, text=True, timeout=120)
    piped = hpedu("progress", "--reset", stdin="y\n")
    for result in (closed, piped):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and "pass --yes" in result.stderr
    assert path.exists()
    yes = subprocess.run([sys.executable, "-m", "hpedu", "progress", "--reset", "--yes"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=120)
    assert yes.returncode == 0 and not path.exists()


@pytest.mark.parametrize("argv", [["progress"], ["exercise", "list"], ["exercise", "run", EX], ["progress", "--reset"]])
def test_a_too_long_data_folder_is_a_usage_error(monkeypatch, capsys, content_dir: Path, tmp_path: Path,
                                                 argv: list[str]) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / ("a" * 5000)))
    code, out, err = run(monkeypatch, capsys, ["--content", str(content_dir), *argv], "b\n")
    assert code == 2
    assert "HPEDU_DATA_DIR=" in err and "cannot be used for progress files: File name too long" in err
    assert len(err) < 400  # the path is shortened in the message


def test_a_file_as_data_folder_is_a_usage_error(monkeypatch, capsys, content_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x")
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "plain-file"))
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", EX], "b\n")
    assert code == 2 and "is a file, not a folder" in err


def test_the_app_refuses_an_unusable_data_folder_before_starting(monkeypatch, capsys, content_dir: Path,
                                                                 tmp_path: Path) -> None:
    from textual.app import App

    def started(self, *args, **kwargs):
        raise AssertionError("the app started with an unusable data folder")

    monkeypatch.setattr(App, "run", started)
    monkeypatch.setattr("hpedu.cli.terminal_problem", lambda: None)  # as in a terminal
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / ("a" * 5000)))
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir)])
    assert code == 2 and "HPEDU_DATA_DIR=" in err and "File name too long" in err

"""hpedu.class_report: counting a class's progress from hand-built progress files.

Every expected number is worked out by hand in the comments, from the files
written here, not taken from the code's output."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from hpedu.class_report import (
    build_report, csv_text, learner_rows, read_data_folder, read_export, read_exports, summary_rows,
)

# the content: A has 3 steps, B 2, C 4 (nobody starts C)
EXERCISES = [("ex-a", "Exercise A", 3), ("ex-b", "Exercise B", 2), ("ex-c", "Exercise C", 4)]


def step(answer: str | None, correct: bool | None, hints: int = 0) -> dict:
    return {"answer": answer, "correct": correct, "hints_used": hints, "seconds": 1.5,
            "answered": "" if answer is None else "2026-01-01T10:00:00Z"}


def rec(status: str, total: int, steps: dict[int, dict], again: dict[int, dict] | None = None) -> dict:
    score = sum(1 for s in steps.values() if s["correct"])
    out = {"status": status, "score": score, "steps_total": total, "steps": {str(k): v for k, v in steps.items()},
           "attempts": 1 if again is None else 2, "best_score": score if status == "done" else 0,
           "class_code": "", "started": "2026-01-01T09:00:00Z", "finished": "", "updated": "2026-01-01T10:00:00Z",
           "attempt": "a1"}
    if again is not None:
        out["again"] = {"attempt": "a2", "started": "2026-01-01T11:00:00Z",
                        "steps": {str(k): v for k, v in again.items()}}
    return out


def progress(profile: str, exercises: dict) -> dict:
    return {"format": "hpedu-progress", "version": 1, "profile": profile, "class_code": "", "exercises": exercises,
            "read": {}, "tried": {}}


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


CLASS = {
    # A done 2/3: step 1 right (1 hint), step 2 wrong, step 3 right; B: step 1 wrong with 2 hints
    "ada": {"ex-a": rec("done", 3, {0: step("b", True, 1), 1: step("0.5", False), 2: step("a b c", True)}),
            "ex-b": rec("in progress", 2, {0: step("a", False, 2)})},
    # A done 3/3, and trying again: step 1 wrong (1 hint) in the new try
    "bob": {"ex-a": rec("done", 3, {0: step("b", True), 1: step("0.025", True), 2: step("a b c", True)},
                        again={0: step("c", False, 1)})},
    # A in progress: step 1 right, step 2 not answered but 3 hints shown
    "cy": {"ex-a": rec("in progress", 3, {0: step("b", True), 1: step(None, None, 3)})},
    # A done 1/3: steps 1 and 2 wrong, step 3 right
    "dan": {"ex-a": rec("done", 3, {0: step("a", False), 1: step("1", False), 2: step("a b c", True)})},
}


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    for name, exercises in CLASS.items():
        write(tmp_path / "data" / "profiles" / f"{name}.json", progress(name, exercises))
    return tmp_path / "data"


def test_counts_per_exercise_and_step(data_folder: Path) -> None:
    learners, problems = read_data_folder(data_folder)
    assert problems == []
    assert sorted(lr.name for lr in learners) == ["ada", "bob", "cy", "dan"]
    report = build_report(learners, EXERCISES)
    a, b, c = report.rows
    # A: four records; done: ada (2), bob (3), dan (1) -> median 2
    assert (a.exercise, a.started, a.finished, a.median_score) == ("ex-a", 4, 3, 2)
    # step 1: answers ada, bob, bob's new try, cy, dan = 5; wrong: bob's new try, dan = 2; hints ada 1 + bob 1
    # step 2: answers ada, bob, dan = 3 (cy did not answer); wrong ada, dan = 2; hints cy 3
    # step 3: answers ada, bob, dan = 3; none wrong; no hints
    assert [(s.answers, s.wrong, s.hints) for s in a.steps] == [(5, 2, 2), (3, 2, 3), (3, 0, 0)]
    assert (a.wrong, a.hints) == (4, 5)
    # B: ada only, in progress: step 1 wrong with 2 hints
    assert (b.started, b.finished, b.median_score) == (1, 0, None)
    assert [(s.answers, s.wrong, s.hints) for s in b.steps] == [(1, 1, 2), (0, 0, 0)]
    # C: listed though nobody started it, one row per step
    assert (c.exercise, c.started, c.finished, c.median_score, len(c.steps)) == ("ex-c", 0, 0, None, 4)
    # the steps most got wrong: A 1 and A 2 (2 each, in table order), then B 1
    assert [(r.exercise, s.index) for r, s in report.most_wrong()] == [("ex-a", 0), ("ex-a", 1), ("ex-b", 0)]


@pytest.mark.parametrize("scores, median", [((1, 2), 1.5), ((0, 1, 3), 1), ((3, 0, 3), 3)])
def test_median_score_of_those_who_finished(tmp_path: Path, scores: tuple[int, ...], median: float) -> None:
    """The median, not the mean (0, 1, 3 has mean 4/3); an even count takes the middle two's mean.
    A learner still at it does not count."""
    for n, right in enumerate(scores):
        steps = {i: step("x", i < right) for i in range(3)}
        write(tmp_path / "profiles" / f"p{n}.json", progress(f"p{n}", {"ex-a": rec("done", 3, steps)}))
    write(tmp_path / "profiles" / "late.json", progress("late", {"ex-a": rec("in progress", 3, {0: step("x", False)})}))
    report = build_report(read_data_folder(tmp_path)[0], EXERCISES)
    assert report.rows[0].median_score == median
    assert summary_rows(report)[0][3] == f"{median:g}/3"


def test_damaged_files_are_named_left_out_and_never_changed(data_folder: Path) -> None:
    profiles = data_folder / "profiles"
    bad = {
        "eve.json": "{not json",
        "fay.json": json.dumps(progress("fay", {"ex-a": rec("done", 3, {0: {**step("b", True), "hints_used": "2"}})})),
        "gus.json": json.dumps({**progress("gus", {}), "version": 99}),
        "hal.json": json.dumps([1, 2]),
    }
    for name, text in bad.items():
        write(profiles / name, text)
    before = {p.name: p.read_bytes() for p in profiles.iterdir()}
    learners, problems = read_data_folder(data_folder)
    assert sorted(lr.name for lr in learners) == ["ada", "bob", "cy", "dan"]
    assert len(problems) == 4
    for name, problem in zip(sorted(bad), sorted(problems)):
        assert problem.startswith(f"{profiles / name}: left out: ")
    assert "'hints_used' is '2'" in sorted(problems)[1]
    assert "newer hpedu" in sorted(problems)[2]
    assert {p.name: p.read_bytes() for p in profiles.iterdir()} == before  # nothing moved, nothing written
    report = build_report(learners, EXERCISES, problems)
    assert report.rows[0].started == 4 and len(report.problems) == 4


def test_only_profile_files_are_read(tmp_path: Path) -> None:
    """hpedu's own side files (locks, damaged copies kept aside, temporary files) are not learners;
    a folder without profiles/ is read as the profiles folder itself."""
    write(tmp_path / "ada.json", progress("ada", CLASS["ada"]))
    write(tmp_path / "ada.lock", "")
    write(tmp_path / "ada.corrupt-20260101T000000Z.json", "{")
    write(tmp_path / ".ada.json.0123456789ab.tmp", "{")
    learners, problems = read_data_folder(tmp_path)
    assert [lr.name for lr in learners] == ["ada"] and problems == []


def test_missing_data_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no data folder"):
        read_data_folder(tmp_path / "nope")
    write(tmp_path / "file", "x")
    with pytest.raises(NotADirectoryError):
        read_data_folder(tmp_path / "file")


def test_exercises_outside_the_content_and_changed_exercises(tmp_path: Path) -> None:
    exercises = {"ex-old": rec("done", 2, {0: step("a", True), 1: step("b", False)}),
                 "ex-b": rec("done", 3, {0: step("a", False), 1: step("b", True), 2: step("c", False)}),
                 "ex-c": rec("done", 2, {0: step("a", False, 1), 1: step("b", False, 2)})}
    write(tmp_path / "profiles" / "ada.json", progress("ada", exercises))
    report = build_report(read_data_folder(tmp_path)[0], EXERCISES)
    assert [r.exercise for r in report.rows] == ["ex-a", "ex-b", "ex-c", "ex-old"]
    old = report.rows[3]
    assert not old.in_content and (old.started, old.finished, old.median_score) == (1, 1, 1)
    # ex-b has 2 steps now, 3 in the record: steps 1 and 2 count, step 3 is left out and said
    b = report.rows[1]
    assert [(s.answers, s.wrong) for s in b.steps] == [(1, 1), (1, 0)]
    assert any("ex-b has 3 steps, the exercise 2" in p for p in report.problems)
    # ex-c has 4 steps now, 2 in the record: its steps 3 and 4 have nothing from it
    c = report.rows[2]
    assert [(s.answers, s.wrong, s.hints) for s in c.steps] == [(1, 1, 1), (1, 1, 2), (0, 0, 0), (0, 0, 0)]
    assert summary_rows(report)[-3][0] == "ex-old (not in this content)"


def test_json_and_csv_exports_count_like_the_data_folder(tmp_path: Path, data_folder: Path) -> None:
    from hpedu.progress import ProgressStore

    # ada's file through hpedu's own export: JSON holds everything, CSV hints only in total
    store = ProgressStore.open("ada", data_folder)
    json_path, csv_path = store.export(tmp_path / "ada.json"), store.export(tmp_path / "ada.csv")
    (from_json,) = read_export(json_path)
    (from_csv,) = read_export(csv_path)
    assert from_json.name == from_csv.name == "ada"
    a_json, a_csv = from_json.exercises["ex-a"], from_csv.exercises["ex-a"]
    assert (a_json.status, a_json.score, a_json.answers, a_json.wrong, a_json.hints) == \
        ("done", 2, (1, 1, 1), (0, 1, 0), (1, 0, 0))
    assert (a_csv.status, a_csv.score, a_csv.answers, a_csv.wrong, a_csv.hints, a_csv.hints_total) == \
        ("done", 2, (1, 1, 1), (0, 1, 0), None, 1)
    b_csv = from_csv.exercises["ex-b"]
    assert (b_csv.answers, b_csv.wrong, b_csv.hints_total) == ((1, 0), (1, 0), 2)
    report = build_report([from_csv], EXERCISES)
    a = report.rows[0]
    assert [s.hints for s in a.steps] == [0, 0, 0] and a.hints == 1  # in the total only, and said
    assert report.hints_by_step_missing == ("ada",)


def test_joined_csv_exports_hold_several_learners(tmp_path: Path) -> None:
    header = "profile,class_code,exercise,title,status,score,steps,answered,hints_used,seconds,attempts,best_score,started,finished,answers"
    rows = [
        "ada,,ex-a,A,done,2,3,3,1,3.0,1,2,s,f,1: b (right) | 2: 0.5 (wrong) | 3: a b c (right)",
        "ada,,ex-b,B,new,0,,0,0,0.0,0,0,,,",
        "bob,,ex-a,A,in progress,0,3,1,4,3.0,1,0,s,,1: c (wrong) | 2: -",
    ]
    path = write(tmp_path / "class.csv", "\n".join([header, *rows]) + "\n")
    learners = read_export(path)
    assert [lr.name for lr in learners] == ["ada", "bob"]
    assert "ex-b" not in learners[0].exercises  # "new": not started
    bob = learners[1].exercises["ex-a"]
    assert (bob.answers, bob.wrong, bob.hints_total) == ((1, 0, 0), (1, 0, 0), 4)  # "2: -" is a hint-only step


@pytest.mark.parametrize("row, said", [
    ("ada,,ex-a,A,finished,2,3,3,1,3.0,1,2,s,f,", "'status' is 'finished'"),
    ("ada,,ex-a,A,done,two,3,3,1,3.0,1,2,s,f,", "'score' is 'two'"),
    ("ada,,ex-a,A,done,2,3,3,1,3.0,1,2,s,f,7: b (right)", "'answers' holds '7: b (right)'"),
])
def test_a_damaged_csv_export_says_which_line(tmp_path: Path, row: str, said: str) -> None:
    header = "profile,class_code,exercise,title,status,score,steps,answered,hints_used,seconds,attempts,best_score,started,finished,answers"
    path = write(tmp_path / "x.csv", f"{header}\nada,,ex-b,B,new,0,,0,0,0.0,0,0,,,\n{row}\n")
    learners, problems = read_exports([path])
    assert learners == [] and len(problems) == 1
    assert problems[0].startswith(f"{path}: left out: line 3: ") and said in problems[0]


def test_a_file_that_is_no_export_is_named(tmp_path: Path) -> None:
    other = write(tmp_path / "notes.json", {"format": "something-else"})
    table = write(tmp_path / "marks.csv", "name,mark\nada,3\n")
    learners, problems = read_exports([other, table])
    assert learners == []
    assert problems[0].startswith(f"{other}: left out: it is not an hpedu progress export")
    assert problems[1].startswith(f"{table}: left out: it is not an hpedu progress export: its header lacks profile")


def test_the_same_profile_in_two_files_counts_twice(tmp_path: Path) -> None:
    one = write(tmp_path / "one" / "default.json", progress("default", CLASS["ada"]))
    two = write(tmp_path / "two" / "default.json", progress("default", CLASS["dan"]))
    learners, problems = read_exports([one, two])
    assert [lr.name for lr in learners] == ["default (default.json)", "default (default.json)"]
    assert len(problems) == 1 and "profile 'default' is in 2 files" in problems[0]
    assert build_report(learners, EXERCISES).rows[0].started == 2


def test_csv_text_and_learner_rows(data_folder: Path) -> None:
    report = build_report(read_data_folder(data_folder)[0], EXERCISES)
    rows = list(csv.reader(io.StringIO(csv_text(report))))
    assert rows[0] == ["exercise", "title", "step", "started", "finished", "median_score", "steps", "answers",
                       "wrong", "hints"]
    # A's row, then its three steps (numbers as worked out in test_counts_per_exercise_and_step)
    assert rows[1] == ["ex-a", "Exercise A", "", "4", "3", "2", "3", "11", "4", "5"]
    assert rows[2] == ["ex-a", "Exercise A", "1", "", "", "", "", "5", "2", "2"]
    assert rows[4] == ["ex-a", "Exercise A", "3", "", "", "", "", "3", "0", "0"]
    assert rows[8] == ["ex-c", "Exercise C", "", "0", "0", "", "4", "0", "0", "0"]
    assert len(rows) == 1 + (1 + 3) + (1 + 2) + (1 + 4)
    by = list(csv.reader(io.StringIO(csv_text(report, by_learner=True))))
    assert by[0] == ["learner", "exercise", "status", "score", "steps", "answers", "wrong", "hints", "wrong_steps"]
    assert by[1] == ["ada", "ex-a", "done", "2", "3", "3", "1", "1", "2"]
    assert by[3] == ["ada", "ex-c", "new", "", "", "0", "0", "0", ""]
    # dan got steps 1 and 2 wrong
    assert learner_rows(report)[9] == ["dan", "ex-a", "done", "1/3", "3", "2", "0", "1 2"]
    assert len(by) == 1 + 4 * 3  # every learner, every exercise


def test_reading_never_locks_nor_writes(data_folder: Path, monkeypatch) -> None:
    """The report reads a live class's files: no lock taken (a learner's save never waits for it),
    nothing renamed or written (hpedu itself moves a damaged file aside; the report must not)."""
    import hpedu.progress

    def refuse(*args, **kwargs):
        raise AssertionError("the report must only read")

    for name in ("exclusive_lock", "atomic_write"):
        monkeypatch.setattr(hpedu.progress, name, refuse)
    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    write(data_folder / "profiles" / "eve.json", "{damaged")
    learners, problems = read_data_folder(data_folder)
    assert len(learners) == 4 and len(problems) == 1


def test_a_refresh_reads_only_the_files_that_changed(data_folder: Path, monkeypatch) -> None:
    import hpedu.class_report as cr

    read = []
    real = cr.read_progress_file
    monkeypatch.setattr(cr, "read_progress_file", lambda path, name=None: read.append(path.name) or real(path, name))
    profiles = data_folder / "profiles"
    write(profiles / "eve.json", "{damaged")
    cache: dict = {}
    learners, problems = read_data_folder(data_folder, cache)
    assert sorted(read) == ["ada.json", "bob.json", "cy.json", "dan.json", "eve.json"]
    read.clear()
    # cy finishes A (hpedu saves by writing a new file and renaming it over the old one); dan leaves
    new = write(profiles / ".cy.json.tmp", progress("cy", {"ex-a": rec("done", 3, {i: step("b", True) for i in range(3)})}))
    os.replace(new, profiles / "cy.json")
    (profiles / "dan.json").unlink()
    learners, problems = read_data_folder(data_folder, cache)
    assert read == ["cy.json"]  # the others are as they were: not read again
    assert sorted(lr.name for lr in learners) == ["ada", "bob", "cy"]
    assert len(problems) == 1 and problems[0].startswith(f"{profiles / 'eve.json'}: left out")  # still said
    report = build_report(learners, EXERCISES, problems)
    assert (report.rows[0].started, report.rows[0].finished) == (3, 3)  # ada, bob, cy: all done now
    assert sorted(cache) == ["ada.json", "bob.json", "cy.json", "eve.json"]  # dan forgotten


def test_a_pipe_among_the_exports_is_named_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "ada.json"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer forever
    learners, problems = read_exports([pipe])
    assert learners == [] and problems == [f"{pipe}: left out: it is not a regular file"]


def test_control_characters_from_a_file_are_not_printed(tmp_path: Path) -> None:
    """A learner's export could carry terminal escapes in its profile or an exercise id."""
    data = {"format": "hpedu-progress-export", "version": 1, "profile": "ada\x1b[2J",
            "exercises": {"ex-\x07x": {"title": "", **rec("done", 1, {0: step("a", True)})}}}
    (learner,) = read_export(write(tmp_path / "ada.json", data))
    assert learner.name == "ada?[2J" and list(learner.exercises) == ["ex-?x"]
    report = build_report([learner], EXERCISES)
    assert report.rows[-1].exercise == "ex-?x"
    assert all(c.isprintable() for row in summary_rows(report) + learner_rows(report) for cell in row for c in cell)

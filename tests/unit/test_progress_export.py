"""`hpedu progress` and its exports: step counts of exercises never started, the
learning path's read / tried marks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content
from hpedu.progress import ProgressStore

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def data_dir(learner_env: Path) -> Path:
    return learner_env


@pytest.fixture(scope="module")
def content():
    return load_content(REPO / "content")


def test_csv_gives_every_exercise_never_started_its_number_of_steps(content, capsys, tmp_path) -> None:
    exercises = content.extras["exercises"]
    first = next(iter(exercises))
    store = ProgressStore.open("default")
    store.start(first, len(exercises[first].steps))
    target = tmp_path / "class.csv"
    assert main(["progress", "--export", str(target)]) == 0
    rows = {r["exercise"]: r for r in csv.DictReader(io.StringIO(target.read_text()))}
    assert set(rows) == set(exercises)
    assert rows[first]["status"] == "in progress"
    for ex_id, exercise in exercises.items():
        assert rows[ex_id]["steps"] == str(len(exercise.steps)), ex_id
        if ex_id != first:
            assert rows[ex_id]["status"] == "new"


def test_json_export_holds_the_read_and_tried_marks(capsys, tmp_path) -> None:
    store = ProgressStore.open("default")
    store.mark_read("learning-rate")
    store.mark_read("hyperparameter")
    store.mark_tried("svc-digits")
    target = tmp_path / "me.json"
    assert main(["progress", "--export", str(target)]) == 0
    data = json.loads(target.read_text())
    assert list(data["read"]) == ["hyperparameter", "learning-rate"]
    assert list(data["tried"]) == ["svc-digits"]
    assert all(isinstance(t, str) and t.endswith("Z") for t in [*data["read"].values(), *data["tried"].values()])


def test_progress_shows_the_learning_path(content, capsys) -> None:
    path = content.extras["path"]
    glossary = [s.ref for s in path if s.kind == "glossary"]
    presets = [s.ref for s in path if s.kind == "preset"]
    assert main(["progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(f"learning path: 0/{len(path)} · about ")
    assert lines[1].endswith("· 0 terms read, 0 simulations tried to the end")
    store = ProgressStore.open("default")
    store.mark_read(glossary[0])
    store.mark_read(glossary[1])
    store.mark_tried(presets[0])
    assert main(["progress"]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith(f"learning path: 3/{len(path)} · about ")
    assert line.endswith("· 2 terms read, 1 simulation tried to the end")

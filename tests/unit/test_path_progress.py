"""hpedu/path_progress.py: which steps of the learning path are done, and the time left."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.path_progress import PathItem, first_unfinished, path_items, summary
from hpedu.progress import ProgressStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PATH = "steps:\n  - glossary: learning-rate\n  - preset: fixture-grid\n  - exercise: learning-rate-basics\n"


@pytest.fixture
def content(tmp_path: Path):
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    (dest / "learning-path.yaml").write_text(PATH, encoding="utf-8")
    return load_content(dest)


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore.open("ada", tmp_path / "data")


def test_each_kind_of_step_is_done_by_its_own_mark(content, store: ProgressStore) -> None:
    def done() -> list[bool]:
        return [item.done for item in path_items(content, store)]

    assert done() == [False, False, False]
    store.mark_read("learning-rate")
    assert done() == [True, False, False]
    store.mark_read("batch-size")  # an entry not on the path changes nothing
    store.mark_tried("fixture-compare")
    assert done() == [True, False, False]
    store.mark_tried("fixture-grid")
    store.start("learning-rate-basics", 3)
    store.answer("learning-rate-basics", 0, "b", True)
    store.answer("learning-rate-basics", 1, "0.1", False)
    assert done() == [True, True, False]  # in progress is not done
    store.answer("learning-rate-basics", 2, "b a c", True)
    assert done() == [True, True, True]


def test_time_left_per_kind_and_per_exercise_step(content, store: ProgressStore) -> None:
    # by hand: a term 2 min, a simulation 3, the 3-step exercise 3 x 2 = 6
    assert [item.minutes for item in path_items(content, store)] == [2, 3, 6]
    assert summary(path_items(content, store)) == "0/3 · about 11 min left"
    store.start("learning-rate-basics", 3)
    store.answer("learning-rate-basics", 0, "b", True)
    assert [item.minutes for item in path_items(content, store)] == [2, 3, 4]
    store.mark_read("learning-rate")
    assert summary(path_items(content, store)) == "1/3 · about 7 min left"
    assert first_unfinished(path_items(content, store)) == 1


def test_without_a_store_nothing_is_done(content) -> None:
    items = path_items(content, None)
    assert [i.label for i in items] == ["Learning rate", "Try: A 3 x 3 grid on Branin", "Exercise: How big a step?"]
    assert first_unfinished(items) == 0


def test_summary_wording() -> None:
    def items(*minutes: int) -> list[PathItem]:
        return [PathItem("glossary", f"e{i}", "E", m == 0, m) for i, m in enumerate(minutes)]

    assert summary([]) == ""
    assert summary(items(0, 0)) == "2/2 · all done"
    assert summary(items(0, 89)) == "1/2 · about 89 min left"
    assert summary(items(50, 40, 5)) == "0/3 · about 1 h 35 min left"
    assert summary(items(60, 60, 0)) == "1/3 · about 2 h 00 min left"
    assert first_unfinished(items(0, 0)) is None


def test_path_progress_is_pure() -> None:
    code = "import sys, hpedu.path_progress; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

"""`hpedu next`: the first step of the learning path not done yet, and how to open it."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.progress import ProgressStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PATH = ("steps:\n  - glossary: learning-rate\n  - preset: fixture-grid\n  - exercise: learning-rate-basics\n"
        "  - glossary: batch-size\n")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    (dest / "learning-path.yaml").write_text(PATH, encoding="utf-8")
    return dest


@pytest.fixture(autouse=True)
def data_dir(learner_env: Path) -> Path:
    return learner_env


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_next_walks_the_path(content_dir: Path, capsys) -> None:
    code, out, _ = run(capsys, "next", "--content", str(content_dir))
    assert code == 0
    assert out.splitlines() == [
        "Next: step 1 of 4, Learning rate (glossary term learning-rate)",
        "Path: 0/4 · about 13 min left",  # 2 + 3 + 3 x 2 + 2
        "Open it: hpedu next --open   (or: hpedu glossary learning-rate)",
    ]
    store = ProgressStore.open("default")
    store.mark_read("learning-rate")
    code, out, _ = run(capsys, "next", "--content", str(content_dir))
    assert out.splitlines()[0] == "Next: step 2 of 4, Try: A 3 x 3 grid on Branin (simulation fixture-grid)"
    assert out.splitlines()[2] == "Open it: hpedu next --open"  # no plain-text command runs a preset
    store.mark_tried("fixture-grid")
    code, out, _ = run(capsys, "next", "--content", str(content_dir))
    assert out.splitlines()[1:] == ["Path: 2/4 · about 8 min left",
                                    "Open it: hpedu next --open   (or: hpedu exercise run learning-rate-basics)"]


def test_another_profile_has_its_own_next_step(content_dir: Path, capsys) -> None:
    ProgressStore.open("ada").mark_read("learning-rate")
    _, out, _ = run(capsys, "--profile", "ada", "next", "--content", str(content_dir))
    assert "step 2 of 4" in out
    _, out, _ = run(capsys, "next", "--content", str(content_dir))
    assert "step 1 of 4" in out


def test_a_finished_path_says_so(content_dir: Path, capsys) -> None:
    store = ProgressStore.open("default")
    store.mark_read("learning-rate")
    store.mark_read("batch-size")
    store.mark_tried("fixture-grid")
    store.start("learning-rate-basics", 3)
    for i in range(3):
        store.answer("learning-rate-basics", i, "a", True)
    code, out, _ = run(capsys, "next", "--content", str(content_dir))
    assert code == 0 and out.startswith("Every step of the learning path is done (4/4).")


def test_content_without_a_path_exits_1_naming_the_file(content_dir: Path, capsys) -> None:
    (content_dir / "learning-path.yaml").unlink()
    code, out, err = run(capsys, "next", "--content", str(content_dir))
    assert code == 1 and out == ""
    assert err.startswith("hpedu next: error: the content has no learning path") and "learning-path.yaml" in err


def test_open_without_a_terminal_is_a_usage_error(content_dir: Path, capsys) -> None:
    code, out, err = run(capsys, "next", "--open", "--content", str(content_dir))  # pytest's stdin is no terminal
    assert code == 2 and "needs a terminal" in err


def test_open_starts_the_app_on_the_step(content_dir: Path, capsys, monkeypatch) -> None:
    ProgressStore.open("default").mark_read("learning-rate")
    ProgressStore.open("default").mark_tried("fixture-grid")
    started = []
    monkeypatch.setattr("hpedu.cli.terminal_problem", lambda: None)
    monkeypatch.setattr("hpedu.cli.run_in_terminal", lambda app: started.append(app) or 0)
    assert run(capsys, "next", "--open", "--content", str(content_dir))[0] == 0
    app, = started

    async def check() -> str:
        app.deep_check_delay = 3600
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.pause()
            exercise = getattr(app.screen, "exercise", None)
            return f"{type(app.screen).__name__}:{exercise.id if exercise else ''}"

    assert asyncio.run(check()) == "ExercisesScreen:learning-rate-basics"

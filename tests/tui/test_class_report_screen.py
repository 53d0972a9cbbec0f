"""The teacher's class report screen: rows from the learners' files, refreshed from disk, at 80x24."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.class_report import ClassReportScreen, NotesModal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REPO = FIXTURES.parent.parent
LRB = "learning-rate-basics"  # 3 steps in the fixture content; predict-the-grid has 2


def step(answer: str, correct: bool, hints: int = 0) -> dict:
    return {"answer": answer, "correct": correct, "hints_used": hints, "seconds": 2.0,
            "answered": "2026-01-01T10:00:00Z"}


def write_learner(folder: Path, name: str, steps: dict[int, dict], status: str) -> Path:
    score = sum(1 for s in steps.values() if s["correct"])
    data = {"format": "hpedu-progress", "version": 1, "profile": name, "class_code": "",
            "exercises": {LRB: {"status": status, "score": score, "steps_total": 3,
                                "steps": {str(k): v for k, v in steps.items()}, "attempts": 1, "best_score": score,
                                "class_code": "", "started": "2026-01-01T09:00:00Z", "finished": "",
                                "updated": "2026-01-01T10:00:00Z", "attempt": "x"}}}
    path = folder / "profiles" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path: Path):
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return load_content(dest)


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    """ada finished 3/3; bob is at step 2 with step 1 wrong (2 hints)."""
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "own"))
    folder = tmp_path / "class"
    write_learner(folder, "ada", {0: step("b", True), 1: step("0.025", True), 2: step("b a c", True)}, "done")
    write_learner(folder, "bob", {0: step("a", False, 2)}, "in progress")
    return folder


def watch_app(content, folder: Path, by_learner: bool = False):
    """The app `hpedu class report --data FOLDER --watch` runs."""
    from hpedu.commands.classroom import _loader, report_watch_app

    args = argparse.Namespace(exports=[], data=str(folder), by_learner=by_learner)
    exercises = [(e.id, e.title, len(e.steps)) for e in content.extras["exercises"].values()]
    loader, where = _loader(args, exercises)
    app = report_watch_app(args, loader, where, content)
    app.deep_check_delay = 3600
    return app


async def wait_reads(pilot, n: int) -> ClassReportScreen:
    """Wait (bounded) until the report screen has finished `n` reads."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause(0.05)
        screen = app.screen
        if isinstance(screen, ClassReportScreen) and screen.reads >= n:
            await pilot.pause(0.05)
            return screen
    raise AssertionError(f"the report screen did not finish {n} reads")


def cells(app) -> list[list[str]]:
    table = app.screen.query_one("#report-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_rows_appear_at_80x24(content, data: Path) -> None:
    app = watch_app(content, data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_reads(pilot, 1)
        rows = cells(app)
        # learning-rate-basics: started 2, done 1 (ada 3/3), answers ada 3 + bob 1, wrong bob's step 1, hints 2
        assert rows[0] == [LRB, "2", "1", "3/3", "4", "1", "2"]
        assert rows[1] == ["  step 1", "", "", "", "2", "1", "2"]
        assert rows[4] == ["predict-the-grid", "0", "0", "-", "0", "0", "0"]  # nobody started it
        assert len(rows) == (1 + 3) + (1 + 2)
        title = str(screen.query_one("#report-title", Static).render())
        assert title.startswith("Class report · ") and " · 2 learners · data folder " in title
        assert str(screen.query_one("#report-worst", Static).render()) == f"most wrong: {LRB} step 1 (1 of 2)"
        table = screen.query_one("#report-table", DataTable)
        assert table.region.bottom <= 23 and table.virtual_size.width <= table.size.width
        await pilot.press("v")
        await pilot.pause()
        assert cells(app)[0] == ["ada", LRB, "done", "3/3", "3", "0", "0", ""]
        assert cells(app)[2] == ["bob", LRB, "in progress", "0/3", "1", "1", "2", "1"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ClassReportScreen)
        assert app._exception is None


async def test_a_file_changed_on_disk_shows_after_the_refresh(content, data: Path) -> None:
    app = watch_app(content, data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_reads(pilot, 1)
        screen.refresh_seconds = 0.1  # the timer already runs at 3 s; F5 reads at once
        table = screen.query_one("#report-table", DataTable)
        table.move_cursor(row=2)
        assert cells(app)[0][:3] == [LRB, "2", "1"]
        # bob finishes (steps 2 and 3 right), and cy starts with a wrong answer
        write_learner(data, "bob", {0: step("a", False, 2), 1: step("0.025", True), 2: step("b a c", True)}, "done")
        write_learner(data, "cy", {0: step("c", False)}, "in progress")
        before = screen.reads
        await pilot.press("f5")
        await wait_reads(pilot, before + 1)
        # started 3, done 2 (ada 3, bob 2: median 2.5), answers 3 + 3 + 1 = 7, wrong bob + cy on step 1
        assert cells(app)[0] == [LRB, "3", "2", "2.5/3", "7", "2", "2"]
        assert "3 learners" in str(screen.query_one("#report-title", Static).render())
        assert table.cursor_row == 2  # the teacher's place is kept


async def test_the_timer_reads_again_by_itself(content, data: Path, monkeypatch) -> None:
    monkeypatch.setattr(ClassReportScreen, "refresh_seconds", 0.2)
    app = watch_app(content, data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_reads(pilot, 1)
        (data / "profiles" / "ada.json").unlink()
        await wait_reads(pilot, screen.reads + 2)  # no key pressed: the interval did it
        assert cells(app)[0][:3] == [LRB, "1", "0"]


async def test_damaged_file_and_no_color(content, data: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    bad = data / "profiles" / "eve.json"
    bad.write_text("{half a file", encoding="utf-8")
    app = watch_app(content, data)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        screen = await wait_reads(pilot, 1)
        note = str(screen.query_one("#report-problems", Static).render())
        assert note.startswith("⚠ 1 note (n lists them): ") and str(bad) in note
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, NotesModal) and app.screen.notes[0].startswith(f"{bad}: left out: ")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert bad.read_text(encoding="utf-8") == "{half a file"
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
        assert app._exception is None


async def test_a_folder_gone_is_said_and_the_table_kept(content, data: Path) -> None:
    app = watch_app(content, data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_reads(pilot, 1)
        shutil.rmtree(data)
        await pilot.press("f5")
        await wait_reads(pilot, 2)
        title = str(screen.query_one("#report-title", Static).render())
        assert "cannot read data folder" in title and "FileNotFoundError" in title
        assert cells(app)[0][:3] == [LRB, "2", "1"]  # the last table read stays


async def test_the_bundled_content_fits_80_columns(tmp_path: Path) -> None:
    content = load_content(REPO / "content")
    (tmp_path / "empty").mkdir()  # a lab before anyone joined
    app = watch_app(content, tmp_path / "empty")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_reads(pilot, 1)
        table = screen.query_one("#report-table", DataTable)
        assert table.row_count == sum(1 + len(e.steps) for e in content.extras["exercises"].values())
        assert table.virtual_size.width <= table.size.width  # no sideways scrolling for the summary

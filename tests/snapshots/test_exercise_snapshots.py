"""Snapshots of the exercise screen at 80x24: a step with its question and answer
box, and the same step answered (verdict and explanation in view)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.tui.app import make_app

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def content_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))  # no progress of the user's
    dest = tmp_path / "content"  # the status bar shows "content: content/"
    shutil.copytree(FIXTURES / "good", dest)
    for sub in ("exercises", "presets"):
        shutil.copytree(FIXTURES / "exercises" / sub, dest / sub)
    shutil.copy(FIXTURES / "exercise-long" / "reading-the-step.md", dest / "exercises")
    return dest


def _app(content_dir: Path):
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600  # no background check during a snapshot
    return app


def _open(settle, answer: str = ""):
    async def run_before(pilot) -> None:
        await pilot.press("x")
        await pilot.pause()
        screen = pilot.app.screen
        screen.open_exercise("reading-the-step")
        await pilot.pause()
        for key in answer:
            await pilot.press(key)
        if answer:
            await pilot.press("enter")
        await settle(pilot)

    return run_before


def test_exercise_step_small(snap_compare, settle_screen, content_dir: Path) -> None:
    assert snap_compare(_app(content_dir), run_before=_open(settle_screen), terminal_size=(80, 24))


def test_exercise_answered_small(snap_compare, settle_screen, content_dir: Path) -> None:
    assert snap_compare(_app(content_dir), run_before=_open(settle_screen, "a"), terminal_size=(80, 24))

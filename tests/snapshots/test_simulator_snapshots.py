"""Snapshots of the simulator and compare views, settled (never mid-animation), fixed seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.tui.app import make_app

CONTENT = Path(__file__).parents[2] / "content"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))


def _app():
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600  # no background check during a snapshot
    return app


async def _settle(pilot, quiet: int = 3, limit: int = 100) -> None:
    """Wait until workers are done and the screen has stopped changing.

    Redraws arrive over several frames (a plot's left margin follows its new
    tick labels, which resizes its canvas, which redraws it), and on a busy
    machine a fixed number of pauses sometimes caught a plot drawn for its
    old width. So: wait until `quiet` screenshots in a row, 50 ms apart, are
    the same (at most `limit` tries; the snapshot then shows what is there)."""
    app = pilot.app
    last, same = None, 0
    for _ in range(limit):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        shot = app.export_screenshot()
        same = same + 1 if shot == last else 0
        if same >= quiet:
            return
        last = shot


def _steps(preset: str, keys: list[str]):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.open_preset(preset)
        await pilot.pause()
        for key in keys:
            await app.workers.wait_for_complete()
            await pilot.press(key)
            await pilot.pause()
        await _settle(pilot)

    return run_before


def test_one_run_view(snap_compare) -> None:
    assert snap_compare(_app(), run_before=_steps("random-2d", ["n"] * 9), terminal_size=(160, 48))


def test_look_inside_view(snap_compare) -> None:
    assert snap_compare(_app(), run_before=_steps("bayes-1d-ei", ["n"] * 7), terminal_size=(120, 40))


def test_compare_view(snap_compare) -> None:
    assert snap_compare(_app(), run_before=_steps("grid-vs-random", []), terminal_size=(120, 40))


def test_one_run_view_small(snap_compare) -> None:
    assert snap_compare(_app(), run_before=_steps("bayes-branin", ["n"] * 8 + ["i"]), terminal_size=(80, 24))

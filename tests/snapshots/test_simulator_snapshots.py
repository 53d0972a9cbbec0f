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


def _steps(settle, preset: str, keys: list[str]):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.open_preset(preset)
        await pilot.pause()
        for key in keys:
            await app.workers.wait_for_complete()
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run_before


def test_one_run_view(snap_compare, settle_screen) -> None:
    assert snap_compare(_app(), run_before=_steps(settle_screen, "random-2d", ["n"] * 9), terminal_size=(160, 48))


def test_look_inside_view(snap_compare, settle_screen) -> None:
    assert snap_compare(_app(), run_before=_steps(settle_screen, "bayes-1d-ei", ["n"] * 7), terminal_size=(120, 40))


def test_compare_view(snap_compare, settle_screen) -> None:
    assert snap_compare(_app(), run_before=_steps(settle_screen, "grid-vs-random", []), terminal_size=(120, 40))


def test_one_run_view_small(snap_compare, settle_screen) -> None:
    assert snap_compare(_app(), run_before=_steps(settle_screen, "bayes-branin", ["n"] * 8 + ["d"]), terminal_size=(80, 24))


def test_compare_view_small(snap_compare, settle_screen) -> None:
    """Compare at 80x24: three landscapes side by side, whole titles and colour bars."""
    assert snap_compare(_app(), run_before=_steps(settle_screen, "compare-branin", []), terminal_size=(80, 24))


def test_compare_chart_small(snap_compare, settle_screen) -> None:
    """Compare's chart at 80x24 (v): the medians and one method's band."""
    assert snap_compare(_app(), run_before=_steps(settle_screen, "compare-branin", ["v"]), terminal_size=(80, 24))

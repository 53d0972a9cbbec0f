"""Snapshot of the simulator's settings panel at 80x24 with a focused field:
plain labels, the acquisition shown as a lower confidence bound, "auto" for
the automatic options and the focused field's explanation under it."""

from __future__ import annotations

from pathlib import Path

from hpedu.content import load_content
from hpedu.simulation import SimSettings
from hpedu.tui.app import make_app

CONTENT = Path(__file__).parents[2] / "content"


def _app():
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600  # no background check during a snapshot
    return app


def test_simulator_settings_with_a_focused_field(snap_compare, settle_screen) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        app.open_simulation(SimSettings("branin", "bayes", 20, 0, options={"acq": "ucb"}))
        await pilot.pause()
        await app.workers.wait_for_complete()
        while app.screen.view != "settings":
            await pilot.press("v")
            await pilot.pause()
        app.screen.query_one("#field-acq").focus()  # a Select: no blinking cursor in the snapshot
        await settle_screen(pilot)

    assert snap_compare(_app(), run_before=run_before, terminal_size=(80, 24))

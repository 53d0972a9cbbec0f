"""The look-inside note is on screen in full at 80x24, also when it names the
slice drawn through a space of more than two parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Static

from hpedu.content import load_content
from hpedu.simulation.settings import SimSettings
from hpedu.tui.app import make_app

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("objective, method, steps", [("hartmann6", "bayes", 3), ("styblinski-tang4", "tpe", 12)])
async def test_the_whole_note_is_visible_at_80x24(objective, method, steps) -> None:
    """With six parameters the note (why ✚ is where it is, and the values of
    x3..x6 the map is a slice at) is two lines long at 80 columns: a one-line
    note showed only its first line and hid what the map draws."""
    app = make_app(content=load_content(REPO / "content"))
    app.deep_check_delay = 3600
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_simulation(SimSettings(objective, method, 30), inside=True)
        await pilot.pause()
        for _ in range(steps):
            await app.workers.wait_for_complete()
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        sim = screen.sim
        note = screen.query_one("#sim-inside-note", Static)
        text = str(note.render())
        others = [n for n in sim.names[2:]]
        assert all(f"{n}=" in text for n in others), text  # the note names the slice
        assert note.display and note.region.height >= 1
        narration = screen.query_one("#sim-narration")
        assert note.region.bottom <= narration.region.y  # nothing covers it
        shown = " ".join(s.text.strip() for s in note.render_lines(Region(0, 0, note.size.width, note.size.height)))
        assert " ".join(text.split()) == " ".join(shown.split()), shown

"""The home screen's layout: everything fits the terminal, the path list keeps its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.widgets.path_list import PathList

CONTENT = Path(__file__).parents[2] / "content"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_home_fits_the_terminal_and_shows_the_path_title(size: tuple[int, int]) -> None:
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        width = screen.size.width
        intro = screen.query_one("#home-intro")
        assert intro.region.right <= width  # the welcome text is wrapped, not cut off at the right
        welcome = screen.query_one("#welcome", Markdown)
        assert welcome.region.width <= width
        heading = welcome.children[0]
        assert heading.region.x < width and heading.region.y >= 0 and heading.region.height > 0
        title = screen.query_one("#home-path .section-title")
        path = screen.query_one("#path-list", PathList)
        pane = screen.query_one("#path-scroll")
        assert path.has_focus
        # the "Suggested path" title stays on screen above the list (the list scrolls, not the column)
        assert title.region.height == 1 and 0 <= title.region.y < pane.region.y
        assert pane.region.bottom <= screen.size.height
        # the progress and the Continue line sit whole between the title and the list
        for line in (screen.query_one("#path-progress"), screen.query_one("#continue")):
            assert line.region.height == 1 and title.region.y < line.region.y < pane.region.y
            assert line.region.right <= width
        assert str(screen.query_one("#continue").render()).startswith("▶ Continue (n): 1. ")
        await pilot.press("end")  # scrolling to the last step keeps the title
        await pilot.pause()
        assert title.region.height == 1 and title.region.y < pane.region.y
        assert path.highlighted == path.step_count - 1
        last = path.lines_of(path.step_count - 1)
        shown = [strip.text for strip in screen._compositor.render_strips()]  # what is on screen
        assert any(last[0].strip() in line for line in shown)  # the last step was scrolled into view


async def test_footer_offers_home_everywhere_but_home() -> None:
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600

    def footer_actions() -> set[str]:
        return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "home" not in footer_actions() and "quit" in footer_actions()
        await pilot.press("g")
        await pilot.pause()
        assert "home" in footer_actions()
        await pilot.press("h")
        await pilot.pause()
        assert "home" not in footer_actions() and "quit" in footer_actions()


async def test_the_collector_is_paused_only_until_the_first_screen() -> None:
    """Start-up runs without garbage collection (a full collection cost ~20 ms
    of it); once the first screen is up the collector is back on, with what
    was loaded frozen, and it stays on after the app exits."""
    import gc

    from hpedu.tui import _gc

    gc.unfreeze()
    _gc._done.clear()  # as in a fresh process: freezing is once per process (hpedu/tui/_gc.py)
    assert gc.isenabled()
    from hpedu.tui.app import HpeduApp

    seen: list[bool] = []

    class Watched(HpeduApp):
        def get_default_screen(self):  # builds the first screen, after the Load event
            seen.append(gc.isenabled())
            return super().get_default_screen()

    app = Watched(load_content(CONTENT))
    app.deep_check_delay = 3600
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert seen == [False]  # paused while the first screen was built
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled()
    gc.unfreeze()

"""Each work-around in hpedu/tui/_textual_fixes.py, on the race it guards against.

Every test here fails when `apply()` installs nothing (the fixes are
installed by importing hpedu.tui.app); the first one fails when a Textual
upgrade renames a wrapped method.
"""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.color import Color
from textual.command import CommandPalette
from textual.filter import Monochrome
from textual.widgets import OptionList, Select

from hpedu.tui import _textual_fixes




def test_every_wrapped_textual_method_still_exists_and_is_wrapped() -> None:
    import hpedu.tui.app  # noqa: F401  (installs the fixes)

    for owner, name in _textual_fixes.WRAPPED:
        method = getattr(owner, name, None)
        assert method is not None, f"Textual no longer has {owner.__name__}.{name}: recheck the fix"
        assert getattr(method, "__hpedu_fix__", False), f"{owner.__name__}.{name} is not wrapped"
        assert callable(getattr(method, "__wrapped__", None))


class _ListApp(App):
    def compose(self) -> ComposeResult:
        yield OptionList("a", "b", "c", id="list")


async def test_page_down_before_the_list_is_laid_out() -> None:
    app = _ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        fresh = OptionList("x", "y", "z")  # not laid out: no lines yet
        fresh.highlighted = 0
        fresh.action_page_down()  # KeyError: 0 without the fix
        fresh.action_page_up()
        assert fresh.highlighted == 0
        laid_out = app.query_one("#list", OptionList)  # a laid-out list still pages
        laid_out.highlighted = 0
        laid_out.action_page_down()
        assert laid_out.highlighted == 2


async def test_command_palette_results_after_it_closed_are_dropped(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        # a search that was still running delivers its results now
        palette._list_visible = not palette._list_visible  # NoMatches 'CommandList' without the fix
        await pilot.pause()
        assert app._exception is None


async def test_command_palette_dismissed_after_it_was_removed_pops_nothing_else(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        glossary = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        app.pop_screen()  # something else closed it first
        await pilot.pause()
        palette.dismiss()  # without the fix this pops the glossary too
        await pilot.pause()
        assert app.screen is glossary
        assert app._exception is None


def test_monochrome_filter_accepts_segments_without_style() -> None:
    import hpedu.tui.app  # noqa: F401

    out = Monochrome().apply([Segment("a", None), Segment("b")], Color(0, 0, 0))
    assert [seg.text for seg in out] == ["a", "b"]


async def test_no_color_simulator_draws_plots(monkeypatch, bundled_app) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.no_color
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.press("n", "n", "n")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app._exception is None
        assert app.is_running


class _SelectApp(App):
    def compose(self) -> ComposeResult:
        yield Select([("one", 1), ("two", 2)], value=1, id="sel")


async def test_select_without_its_overlay_ignores_keys_and_values() -> None:
    app = _SelectApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        loose = Select([("one", 1), ("two", 2)])  # never composed: no overlay
        loose.action_show_overlay()  # NoMatches 'SelectOverlay' without the fix
        sel = app.query_one("#sel", Select)
        sel.action_show_overlay()  # a composed Select still opens
        await pilot.pause()
        assert sel.expanded


async def test_a_second_palette_is_not_opened_over_one_lower_in_the_stack(bundled_app) -> None:
    from hpedu.tui.screens.modals import HelpModal

    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.push_screen(HelpModal(app._help_sections()))  # something over the palette
        await pilot.pause()
        app.action_command_palette()  # DuplicateIds '--command-palette' in Textual 8.2.8's own action
        await pilot.pause()
        assert sum(isinstance(s, CommandPalette) for s in app.screen_stack) == 1
        assert app._exception is None


async def test_light_theme_draws_every_main_screen(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "textual-light"
        for key in ("g", "s", "n", "n", "d", "escape", "escape", "m", "escape", "x"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.current_theme.dark is False
        assert app._exception is None and app.is_running


@pytest.mark.timeout(60)  # without the fix the event loop never rests: a hang, ended here as a failure
async def test_two_queued_resizes_of_a_screen_do_not_answer_each_other_for_ever() -> None:
    """The key storm's stall: two Resize events of different sizes queued at
    one screen. Each layout re-posts a Resize of its own size to the screen,
    so without the fix the two sizes alternate for ever."""
    from textual import events
    from textual.geometry import Size

    app = _ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        layouts: list[Size] = []
        original = screen._screen_resized

        def counted(size: Size) -> None:
            layouts.append(size)
            original(size)

        screen._screen_resized = counted  # type: ignore[method-assign]
        old, new = Size(60, 20), Size(100, 30)
        app._driver._size = new  # the terminal is now 100x30; a resize to 60x20 is still queued
        app._size = new
        app._begin_batch()  # as while the app batches updates: each layout refreshes in a callback
        try:
            screen.post_message(events.Resize(old, old))
            screen.call_later(lambda: None)
            screen.post_message(events.Resize(new, new))
            for _ in range(10):
                await pilot.pause(0.02)
        finally:
            app._end_batch()
        await pilot.pause(0.02)
        assert len(layouts) <= 3, f"{len(layouts)} layouts: {layouts[:6]}…"
        assert layouts and layouts[-1] == new
        assert screen.size == new


async def test_a_key_reaching_the_app_after_its_last_screen_is_gone_is_dropped() -> None:
    """The storm's last crash: a key queued at the app while it closes reached
    App.on_event, which asks the (gone) screen whether something is maximized."""
    from textual import events

    import hpedu.tui.app  # noqa: F401  (installs the fixes)

    app = _ListApp()  # not running: no screen at all, as after the last one was removed
    await app.on_event(events.Key("s", "s"))  # ScreenStackError without the fix
    assert app._exception is None

"""Keys that change screens wait while a modal (help, problems, the palette) is open.

Found by the key storm: `?` then `g` pushed the glossary over the help
modal; the modal's Escape then popped the glossary (Screen.dismiss pops
whatever is on top), and the stranded modal kept the app busy."""

from __future__ import annotations


import pytest

from hpedu.tui.screens.home import HomeScreen
from hpedu.tui.screens.modals import HelpModal




@pytest.mark.parametrize("key", ["g", "s", "m", "x", "h"])
async def test_navigation_keys_do_nothing_over_help(key: str, bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_modal_that_is_not_on_top_dismisses_nothing(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        modal = app.screen
        app.push_screen(HelpModal([]))  # another screen above it
        await pilot.pause()
        top = app.screen
        modal.action_dismiss_modal()
        await pilot.pause()
        assert app.screen is top and len(app.screen_stack) == 3


async def test_a_palette_command_given_over_help_closes_help_first(bundled_app) -> None:
    from hpedu.tui.screens.glossary import GlossaryScreen

    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        app.open_entry("learning-rate")  # what the palette's "Glossary: Learning rate" runs
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert [type(s) for s in app.screen_stack] == [HomeScreen, GlossaryScreen]
        await pilot.press("escape")  # Esc now leaves the glossary, as it should
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

"""The glossary's search box holds at most 200 characters (the search limit)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from hpedu.tui.app import make_app


async def test_the_search_box_does_not_grow_past_200_characters(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "slash")
        search = app.screen.query_one("#glossary-search", Input)
        assert app.focused is search
        search.insert_text_at_cursor("learning rate " * 14 + "x" * 3)  # 199 characters: one search
        await pilot.pause()
        await pilot.press("a", "b", "c", "d")
        await pilot.pause()
        assert len(search.value) == 200
        assert search.value.endswith("xxxa")
        await pilot.press("escape")  # still answers: clears the search
        await pilot.pause()
        assert search.value == ""


async def test_the_problems_list_shows_control_characters_escaped(good_content: Path) -> None:
    from textual.widgets import Static

    from hpedu.tui.screens.modals import ProblemsModal

    (good_content / "glossary" / "bad\x1b[2Jname.md").write_text("x", encoding="utf-8")
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsModal)
        shown = [str(static.render()) for static in app.screen.query(".problem").results(Static)]
        assert any("bad\\x1b[2Jname.md:1:" in text for text in shown), shown
        assert not any("\x1b" in text for text in shown)

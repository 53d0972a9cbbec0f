"""Pilot tests: search, open, follow a related term, go back and forward."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.glossary import GlossaryScreen
from hpedu.tui.screens.modals import HelpModal, ProblemsModal
from hpedu.tui.widgets.entry_list import EntryList
from hpedu.tui.widgets.entry_view import EntryView


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_search_open_follow_and_go_back(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "lerning rat")
        await pilot.pause()
        entries = screen.query_one(EntryList)
        assert entries.shown_ids[0] == "learning-rate"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(EntryView).entry.id == "learning-rate"

        await pilot.press("w")  # focus related terms
        related = screen.query_one("#related", OptionList)
        assert app.focused is related
        assert [related.get_option_at_index(i).id for i in range(related.option_count)] == [
            "batch-size",
            "regularization-coefficient",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.query_one(EntryView).entry.id == "regularization-coefficient"

        await pilot.press("b")
        await pilot.pause()
        assert screen.query_one(EntryView).entry.id == "learning-rate"
        await pilot.press("f")
        await pilot.pause()
        assert screen.query_one(EntryView).entry.id == "regularization-coefficient"


async def test_typing_filters_and_escape_clears(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "slash")
        await type_text(pilot, "weight decay")
        await pilot.pause()
        entries = app.screen.query_one(EntryList)
        assert entries.shown_ids == ["regularization-coefficient"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(entries.shown_ids) == 3


async def test_clicking_a_body_link_opens_the_entry(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        screen = app.screen
        screen.open_entry("learning-rate")
        await pilot.pause()
        from textual.widgets import Markdown

        body = screen.query_one(EntryView).body  # the shown entry's Markdown page
        body.post_message(Markdown.LinkClicked(body, "#glossary:batch-size"))
        await pilot.pause()
        assert screen.query_one(EntryView).entry.id == "batch-size"
        assert screen.history[-2:] == ["learning-rate", "batch-size"]


async def test_category_filter_cycles(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "k")  # concept: none in the fixture
        entries = app.screen.query_one(EntryList)
        assert entries.category == "concept" and entries.shown_ids == []
        await pilot.press("k")
        assert entries.category == "hyperparameter" and len(entries.shown_ids) == 3


async def test_help_lists_screen_keys(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "question_mark")
        assert isinstance(app.screen, HelpModal)
        titles = [t for t, _ in app.screen.sections]
        keys = {k for _, rows in app.screen.sections for k, _ in rows}
        assert titles[0].startswith("This screen (Glossary)")
        assert {"/", "b / alt+left", "f / alt+right", "w", "?"} <= keys
        await pilot.press("escape")
        assert isinstance(app.screen, GlossaryScreen)


async def test_broken_file_shows_problem_notice(good_content: Path) -> None:
    (good_content / "glossary" / "bad.md").write_text("no front matter\n", encoding="utf-8")
    content = load_content(good_content)
    app = make_app(content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        button = app.screen.query_one("#problems-button")
        assert "1 content problem" in str(button.label)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsModal)
        assert len(app.screen.problems) == 1


async def test_tiny_terminal_does_not_crash(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        for size in [(20, 6), (10, 3), (1, 1), (50, 15), (200, 60)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("slash", "l", "r", "enter")
        await pilot.pause()
        assert app.screen.query_one(EntryView).entry.id == "learning-rate"


async def test_command_palette_finds_terms(good_content: Path) -> None:
    from hpedu.tui.commands import GlossaryCommands

    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        provider = GlossaryCommands(app.screen)
        hits = [hit async for hit in provider.search("weight decay")]
        assert hits and hits[0].text == "Glossary: Regularization coefficient"
        hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.query_one(EntryView).entry.id == "regularization-coefficient"


async def test_bad_preset_is_reported_after_the_background_check(good_content: Path) -> None:
    presets = good_content / "presets"
    presets.mkdir()
    (presets / "oops.yaml").write_text(
        "id: oops\ntitle: Oops\ndescription: A preset with a bad option.\nobjective: branin\n"
        "method: bayes\nbudget: 10\noptions: {acq: nope}\n",
        encoding="utf-8",
    )
    content = load_content(good_content)
    assert "oops" in content.presets and content.problems == []  # structure is fine
    app = make_app(content=content)
    app.deep_check_delay = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.line for p in app.content.problems] == [7]
        assert "options: option 'acq'" in app.content.problems[0].message
        assert "oops" not in app.content.presets
        assert "1 content problem" in str(app.screen.query_one("#problems-button").label)

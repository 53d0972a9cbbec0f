"""Switching glossary entries: title and body change together, a body once
built is shown again without being rebuilt, and the entries next to the
shown one in the list are built ahead."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, Static

from hpedu.tui.app import make_app
from hpedu.tui.screens.glossary import PREFETCH_DELAY
from hpedu.tui.widgets.entry_list import EntryList
from hpedu.tui.widgets.entry_view import EntryView, entry_markdown


def _on_screen(view: EntryView) -> tuple[str, str, list[str]]:
    """What the view shows: the title's first words, and the source of each displayed body page."""
    title = str(view.query_one("#entry-title", Static).render())
    shown = [page.source for page in view.query(Markdown) if page.display]
    return title, view.entry.term if view.entry else "", shown


async def _settle(app, pilot, view: EntryView, entry_id: str) -> None:
    for _ in range(300):
        await pilot.pause(0.01)
        if view.entry is not None and view.entry.id == entry_id and entry_id in view._rendered:
            return
    raise AssertionError(f"{entry_id} never shown")


async def _built(pilot, view: EntryView, *entry_ids: str) -> None:
    """Wait (up to 3 s) until the bodies of `entry_ids` are built; the caller asserts what it needs."""
    for _ in range(300):
        await pilot.pause(0.01)
        if set(entry_ids) <= view._rendered:
            return


async def _glossary(pilot):
    """Open the glossary: its screen and entry view."""
    await pilot.press("g")
    screen = pilot.app.screen
    return screen, screen.query_one(EntryView)


async def test_title_and_body_change_together(good_content: Path, monkeypatch) -> None:
    import hpedu.tui.screens.glossary as glossary

    monkeypatch.setattr(glossary, "PREFETCH_DELAY", 3600)  # nothing built ahead: the switch must wait for the body
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _glossary(pilot)
        screen.open_entry("learning-rate")
        await _settle(app, pilot, view, "learning-rate")
        assert "regularization-coefficient" not in view._pages
        screen.open_entry("regularization-coefficient")  # not built yet
        seen = []
        for _ in range(300):
            title, term, bodies = _on_screen(view)
            seen.append(term)
            # whatever the moment: the title is the shown entry's and so is the one body displayed
            assert title.startswith(term)
            assert bodies == [entry_markdown(view.entry)]
            if term == "Regularization coefficient":
                break
            await pilot.pause(0.005)
        assert seen[0] == "Learning rate" and seen[-1] == "Regularization coefficient"


async def test_a_body_built_once_is_shown_again_without_rebuilding(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _glossary(pilot)
        screen.open_entry("learning-rate")
        await _settle(app, pilot, view, "learning-rate")
        first = view.body
        blocks = list(first.children)
        screen.open_entry("batch-size")
        await _settle(app, pilot, view, "batch-size")
        screen.action_back()
        assert view.entry.id == "learning-rate"  # at once: nothing to build
        assert view.body is first and list(first.children) == blocks and first.display
        assert _on_screen(view)[2] == [entry_markdown(view.entry)]


async def test_the_neighbours_in_the_list_are_built_ahead(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _glossary(pilot)
        ids = screen.query_one(EntryList).shown_ids
        screen.open_entry(ids[1])
        await _settle(app, pilot, view, ids[1])
        await _built(pilot, view, ids[0], ids[2])
        assert {ids[0], ids[1], ids[2]} <= view._rendered
        assert PREFETCH_DELAY < 1
        screen.query_one(EntryList).focus()
        await pilot.press("down")
        assert view.entry.id == ids[2]  # shown in the same key press
        assert _on_screen(view)[2] == [entry_markdown(view.entry)]


async def test_building_ahead_after_the_glossary_closed_does_nothing(good_content: Path) -> None:
    """Key storm seed 5: a building ahead that was asked for just before the
    glossary closed found the entry view's body gone (NoMatches '#entry-body')."""
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _glossary(pilot)
        ids = screen.query_one(EntryList).shown_ids
        await _settle(app, pilot, view, screen.current_id)
        await app.pop_screen()
        await pilot.pause()
        pages = dict(view._pages)
        view.prefetch([i for i in ids if i != view.entry.id])  # NoMatches once; now nothing to mount into
        await pilot.pause()
        assert app._exception is None
        assert view._pages == pages  # no page made for a glossary that is gone


async def test_the_entry_changes_in_the_frame_that_moves_the_highlight(good_content: Path) -> None:
    """Down in the list: no frame is painted with the highlight on the new
    term and the old entry still shown (it was, when the list told the screen
    by a message: every switch waited one more frame)."""
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _glossary(pilot)
        entries = screen.query_one(EntryList)
        ids = entries.shown_ids
        screen.open_entry(ids[0])
        await _settle(app, pilot, view, ids[0])
        await _built(pilot, view, ids[1])  # the next ones built ahead, so each switch is a single frame's work
        entries.focus()
        await pilot.pause()
        frames: list[tuple[str | None, str | None]] = []
        original = app._display

        def display(screen_, renderable) -> None:
            if renderable is not None:
                option = entries.highlighted_option
                frames.append((option.id if option else None, view.entry.id if view.entry else None))
            return original(screen_, renderable)

        app._display = display
        last = min(3, len(ids) - 1)
        assert last >= 2
        for index in range(1, last + 1):
            await pilot.press("down")
            await _settle(app, pilot, view, ids[index])
            if index < last:
                await _built(pilot, view, ids[index + 1])
        app._display = original
        assert any(listed == ids[last] for listed, _ in frames)
        assert all(listed == shown for listed, shown in frames), frames

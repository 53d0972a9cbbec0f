"""In the app, every bundled entry shows its key takeaways on the first screen
(80x24, the glossary screen, nothing scrolled) before any other section, and
the pronunciation next to the title."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import Static

from hpedu.tui._private import markdown_list_classes
from hpedu.tui.app import make_app
from hpedu.tui.widgets.entry_view import EntryView

CONTENT = Path(__file__).resolve().parents[2] / "content"


async def test_takeaways_are_first_and_on_the_first_screen_at_80x24() -> None:
    app = make_app(content_dir=CONTENT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        view = app.screen.query_one(EntryView)
        hidden = []
        for entry_id in sorted(app.content.entries):
            app.screen.open_entry(entry_id)
            await pilot.pause()
            assert view.entry.id == entry_id and view.scroll_y == 0
            blocks = list(view.body.children)  # the shown entry's Markdown page
            heading, bullets = blocks[0], blocks[1]
            assert type(heading).__name__ == "MarkdownH2" and heading.source.strip() == "## Key takeaways", entry_id
            assert isinstance(bullets, markdown_list_classes()[1]), entry_id
            assert 2 <= len(bullets.children) <= 4
            if bullets.region.bottom > view.region.bottom:
                hidden.append((entry_id, bullets.region.bottom, view.region.bottom))
        assert hidden == []


async def test_the_pronunciation_is_shown_with_the_title() -> None:
    app = make_app(content_dir=CONTENT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        view = app.screen.query_one(EntryView)
        title = view.query_one("#entry-title", Static)
        for entry_id, ipa in [("tpe", "/ˌtiː piː ˈiː/ (Parzen /ˈpɑːzən/)"), ("matern-kernel", "/maˈtɛːn ˈkɜːnl̩/")]:
            app.screen.open_entry(entry_id)
            await pilot.pause()
            await pilot.pause()
            assert app.content.entries[entry_id].pronunciation == ipa
            assert ipa in title.content.plain
            # drawn in full: the widget's own rendered lines hold every character of it
            drawn = "".join(seg.text for strip in title.render_lines(Region(0, 0, *title.size)) for seg in strip)
            assert ipa.replace(" ", "") in drawn.replace(" ", "")
            assert title.region.bottom <= view.region.bottom

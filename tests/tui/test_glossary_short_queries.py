"""The app's glossary search box ranks the entry a short query names first
(issue 15, item 2), on the bundled content, and Enter opens it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from hpedu.tui.app import make_app
from hpedu.tui.widgets.entry_list import EntryList
from hpedu.tui.widgets.entry_view import EntryView

CONTENT = Path(__file__).resolve().parents[2] / "content"

SHORT = [
    ("gamma", "rbf-gamma"), ("c", "svm-c"), ("C", "svm-c"), ("optimizer", "optimizer"), ("warmup", "warm-up"),
    ("parameter", "parameter"), ("lr", "learning-rate"), ("ei", "expected-improvement"),
]


async def test_short_queries_in_the_search_box() -> None:
    app = make_app(content_dir=CONTENT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        screen = app.screen
        entries = screen.query_one(EntryList)
        for query, expected in SHORT:
            await pilot.press("slash")
            box = screen.query_one(Input)
            assert app.focused is box
            box.value = ""
            for ch in query:
                await pilot.press(ch)
            await pilot.pause()
            assert box.value == query
            assert entries.shown_ids[0] == expected, query
            await pilot.press("enter")
            await pilot.pause()
            assert screen.query_one(EntryView).entry.id == expected, query

"""An entry's page draws its Markdown exactly as Textual's own Markdown widget
does, with fewer widgets: a one-block list item is the bullet and the block
side by side (FlatBulletList), without the column Textual puts around it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from hpedu.content import load_content
from hpedu.tui.widgets.entry_view import EntryPage, entry_markdown

CONTENT = load_content(Path(__file__).resolve().parents[2] / "content")

LISTS = """\
Some text.

- one item, long enough to wrap onto a second line at this width, so the hanging indent shows
- an item with **bold**, `code` and [a link](#glossary:budget)
- an item with two paragraphs

  its second paragraph
- an item with a list inside
  - nested one
  - nested two

1. first
2. second
"""


class _Page(App):
    def __init__(self, widget: Markdown) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self.widget


async def _drawn(widget: Markdown, size: tuple[int, int]) -> tuple[list[str], int]:
    """The text of every row the app shows, and how many widgets the page has."""
    app = _Page(widget)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        svg = app.export_screenshot()
        count = len(list(widget.query("*")))
    rows = re.findall(r'<text class="[^"]*" x="[^"]*" y="([^"]*)"[^>]*>([^<]*)</text>', svg)
    lines: dict[str, str] = {}
    for y, text in rows:
        lines[y] = lines.get(y, "") + text.replace("&#160;", " ")
    return [line.rstrip() for line in lines.values()], count


@pytest.mark.parametrize("source", [LISTS, entry_markdown(CONTENT.entries["early-stopping"]),
                                    entry_markdown(CONTENT.entries["acquisition-function"])],
                         ids=["lists", "early-stopping", "acquisition-function"])
async def test_a_page_draws_what_textuals_markdown_draws_with_fewer_widgets(source: str) -> None:
    ours, our_count = await _drawn(EntryPage(source), (70, 120))
    theirs, their_count = await _drawn(Markdown(source), (70, 120))
    assert any("•" in line for line in ours)
    assert ours == theirs
    assert our_count < their_count

"""BracketPanel: Hyperband's brackets, rungs and promotions as the engine ran them.

The text comes from `hpedu.simulation.brackets` (the widget only lays it out
for its width and colours it); marks are glyphs first (▲ promoted, ★ best,
◆ newest), colour second.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...simulation.brackets import BracketsView, bracket_lines
from .landscape import NEWEST_COLOR

__all__ = ["BracketPanel"]

_KIND_STYLES = {"title": "bold", "bracket": "bold", "rung": "", "note": "dim"}


class BracketPanel(VerticalScroll):
    """Scrolls when the brackets are taller than the panel; `show(view)` redraws."""

    DEFAULT_CSS = """
    BracketPanel {
        height: 1fr;
        min-height: 4;
        border-top: solid $primary-darken-2;
        padding: 0 1;
    }
    BracketPanel > #brackets-text {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: BracketsView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="brackets-text")

    def show(self, view: BracketsView | None) -> None:
        self.view = view
        self._render_text()

    def on_resize(self, event: events.Resize) -> None:
        self._render_text()

    def lines(self) -> list[str]:
        """The plain lines shown (for tests and screen readers)."""
        if self.view is None:
            return []
        return [line for line, _ in bracket_lines(self.view, self._width())]

    def _width(self) -> int:
        return max(24, self.scrollable_content_region.width or 80)

    def _render_text(self) -> None:
        if not self.is_mounted:
            return
        text = Text()
        if self.view is not None:
            for i, (line, kind) in enumerate(bracket_lines(self.view, self._width())):
                if i:
                    text.append("\n")
                text.append(line, style=_KIND_STYLES.get(kind, ""))
            text.highlight_regex(r"▲", "bold green")
            text.highlight_regex(r"★", "bold yellow")
            text.highlight_regex(r"◆", f"bold {NEWEST_COLOR}")
        self.query_one("#brackets-text", Static).update(text)

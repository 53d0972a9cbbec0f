"""A one-line status bar: content problems (clickable) and context."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ...content import Content


class StatusBar(Horizontal):
    """Shows "N content problems" as a button that opens the list."""

    def __init__(self, content: Content, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = content

    def compose(self) -> ComposeResult:
        n = len(self._content.problems)
        if n:
            yield Button(f"⚠ {n} content problem{'s' if n != 1 else ''} (p)", id="problems-button", compact=True)
        yield Static(self.app.status_text() if hasattr(self.app, "status_text") else "", id="status-text")

    def refresh_problems(self) -> None:
        self.refresh(recompose=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "problems-button":
            event.stop()
            self.app.action_show_problems()

"""A one-line status bar: content problems (clickable), context, and the class code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ...content import Content


class StatusBar(Horizontal):
    """Shows "N content problems" as a button that opens the list, the
    context (terms, simulations, content folder, learner) and, when a class
    code is set, the code in full at the right end: it never shrinks, so the
    context text is the one cut short on a narrow terminal."""

    DEFAULT_CSS = """
    StatusBar #status-code {
        width: auto;
        padding: 0 1;
        text-style: bold;
    }
    """

    def __init__(self, content: Content, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = content

    def compose(self) -> ComposeResult:
        n = len(self._content.problems)
        if n:
            yield Button(f"⚠ {n} content problem{'s' if n != 1 else ''} (p)", id="problems-button", compact=True)
        text = self.app.status_text() if hasattr(self.app, "status_text") else ""
        code = getattr(self.app, "class_code", None)
        if code:
            text = text.replace(f" · class code: {code}", "")  # shown on its own, below
        yield Static(text, id="status-text", markup=False)
        if code:
            yield Static(f"class code: {code}", id="status-code", markup=False)

    def refresh_problems(self) -> None:
        self.refresh(recompose=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "problems-button":
            event.stop()
            self.app.action_show_problems()

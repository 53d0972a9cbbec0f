"""The first screen of a served session (hpedu serve): who is learning?

The name becomes the profile, checked by the same rule as --profile
(`hpedu.progress.check_profile`); a refused name says what a name may contain
and stays for correcting. Nothing else opens until a name is given
(HpeduApp.check_action); Ctrl-C still quits.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...progress import check_profile


class NameScreen(ModalScreen[str]):
    """Asks the learner's name; dismissed with the checked name."""

    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen #name-box { width: 60; max-width: 100%; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    NameScreen #name-title { text-style: bold; margin-bottom: 1; }
    NameScreen #name-error { color: $error; text-style: bold; height: auto; }
    NameScreen #name-hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Static("Welcome to hpedu. What is your name?", id="name-title")
            yield Input(placeholder="your name, e.g. ada", max_length=32, id="name-input")
            yield Static("", id="name-error")
            yield Static(Text("Your progress is kept under this name: use the same one next time. "
                              "Letters, digits, '-' or '_'; Enter to start."), id="name-hint")

    def on_mount(self) -> None:
        self.query_one("#name-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            name = check_profile(event.value)
        except ValueError as exc:
            self.query_one("#name-error", Static).update(Text(str(exc)))
            return
        self.app.set_learner(name)  # type: ignore[attr-defined]
        self.dismiss(name)

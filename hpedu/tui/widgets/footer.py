"""Textual's Footer, rebuilt once per burst of binding changes.

Textual's `Footer` recomposes all its keys after every change of bindings
(a screen shown, the focus moved, `refresh_bindings`), even when several come
in one frame: opening the home screen rebuilt it twice, about 10 ms of the
time to the first screen. This footer schedules one rebuild and lets later
changes in the same frame join it; the rebuild reads the bindings as they are
then, so it always shows the latest.

Below `PALETTE_MIN_WIDTH` columns it is compact (one space between keys,
not two) and leaves out the command-palette key (ctrl+p, listed by ? with
every other key), so the screen's own keys fit.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeyFooter", "PALETTE_MIN_WIDTH"]

#: from this width on the footer is roomy and shows "^p palette" (13 cells)
PALETTE_MIN_WIDTH = 100


class KeyFooter(Footer):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_pending:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)  # schedules a recompose after the next refresh (or nothing)
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._rebuild_pending = True

    def compose(self) -> ComposeResult:
        wide = self._wide_enough(self.size.width or self.app.size.width)
        self.set_reactive(Footer.show_command_palette, wide)
        self.set_reactive(Footer.compact, not wide)
        self.set_class(not wide, "-compact")
        return super().compose()

    def on_resize(self, event: events.Resize) -> None:
        if self._wide_enough(event.size.width) != self.show_command_palette:
            self.refresh(recompose=True)

    @staticmethod
    def _wide_enough(width: int) -> bool:
        return width >= PALETTE_MIN_WIDTH

    async def recompose(self) -> None:
        self._rebuild_pending = False
        await super().recompose()

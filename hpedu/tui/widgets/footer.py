"""Textual's Footer, rebuilt once per burst of binding changes.

Textual's `Footer` recomposes all its keys after every change of bindings
(a screen shown, the focus moved, `refresh_bindings`), even when several come
in one frame: opening the home screen rebuilt it twice, about 10 ms of the
time to the first screen. This footer schedules one rebuild and lets later
changes in the same frame join it; the rebuild reads the bindings as they are
then, so it always shows the latest.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_pending:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)  # schedules a recompose after the next refresh (or nothing)
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._rebuild_pending = True

    async def recompose(self) -> None:
        self._rebuild_pending = False
        await super().recompose()

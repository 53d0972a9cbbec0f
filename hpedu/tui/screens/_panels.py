"""Panels that narrow terminals show one at a time (simulator and compare views)."""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Static


class PanelViews:
    """Mixin for a Screen whose stylesheet shows one panel at a time on narrow
    terminals (classes ``-show-<view>``); `v` cycles the panels, `o` hides the
    settings. A subclass sets `VIEWS`, `VIEW_TITLES`, `TABS` (the id of the
    Static that lists the panels) and the initial `view`."""

    #: nothing is focused when the screen opens (keys such as space go to the
    #: screen); the first Tab reaches the first settings field
    AUTO_FOCUS: ClassVar[str | None] = ""
    VIEWS: ClassVar[tuple[str, ...]] = ()
    VIEW_TITLES: ClassVar[dict[str, str]] = {}
    TABS: ClassVar[str] = ""
    view: str

    def _apply_view(self) -> None:
        # one change of classes, so the screen's styles are worked out once (a
        # set_class per view restyled every widget on the screen twice)
        self.update_classes({f"-show-{v}": self.view == v for v in self.VIEWS})  # type: ignore[attr-defined]
        tabs = "  ".join(f"[b reverse] {self.VIEW_TITLES[v]} [/]" if v == self.view else f" {self.VIEW_TITLES[v]} "
                         for v in self.VIEWS)
        self.query_one(f"#{self.TABS}", Static).update(f"{tabs}   [dim]v: next view[/]")  # type: ignore[attr-defined]
        self._view_changed()

    def _view_changed(self) -> None:
        """Called after the panel changed (override to redraw what became visible)."""

    def action_next_view(self) -> None:
        self.view = self.VIEWS[(self.VIEWS.index(self.view) + 1) % len(self.VIEWS)]
        self._apply_view()

    def action_toggle_settings(self) -> None:
        self.toggle_class("-hide-settings")  # type: ignore[attr-defined]

"""KeyFooter: one rebuild per burst of binding changes, always the latest bindings."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from hpedu.tui.widgets.footer import KeyFooter


class FooterApp(App):
    BINDINGS = [Binding("a", "alpha", "Alpha"), Binding("b", "beta", "Beta")]

    def __init__(self) -> None:
        super().__init__()
        self.shown = {"alpha": True, "beta": False}
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeyFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        return self.shown.get(action, True)

    def action_alpha(self) -> None: ...

    def action_beta(self) -> None: ...


def _keys(app: App) -> list[str]:
    return [k.key for k in app.screen.query(FooterKey) if k.key in ("a", "b")]


async def test_a_burst_of_changes_rebuilds_once_and_shows_the_last_state() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        assert _keys(app) == ["a"]
        original = footer.recompose
        calls: list[int] = []

        async def counted():
            calls.append(1)
            await original()

        footer.recompose = counted
        app.shown = {"alpha": False, "beta": True}
        app.refresh_bindings()
        app.shown = {"alpha": True, "beta": True}
        app.refresh_bindings()
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 1
        assert _keys(app) == ["a", "b"]
        app.shown = {"alpha": False, "beta": True}  # a later change still gets its own rebuild
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 2 and _keys(app) == ["b"]

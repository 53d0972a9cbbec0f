"""A served session asks the learner's name first (make_app(ask_name=True), hpedu serve)."""

from __future__ import annotations

import json
from pathlib import Path

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.home import HomeScreen
from hpedu.tui.screens.name import NameScreen

REPO = Path(__file__).resolve().parents[2]


def served_app():
    app = make_app(content=load_content(REPO / "content"), ask_name=True)
    app.deep_check_delay = None
    return app


async def test_nothing_opens_before_the_name_and_no_progress_is_read(learner_env):
    app = served_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        for key in ("ctrl+p", "f1", "escape"):
            await pilot.press(key)
            await pilot.pause()
            if key == "f1":  # help is allowed: close it again
                await pilot.press("escape")
                await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [HomeScreen, NameScreen]
        for action in ("open_glossary", "open_exercises", "open_simulator", "command_palette", "home"):
            assert app.check_action(action, ()) is False, action
        assert app._progress is None and app.profile == "default"
    assert not (learner_env / "profiles").exists()  # no file opened for 'default'


async def test_a_bad_name_is_refused_then_the_name_becomes_the_profile(learner_env):
    app = served_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", "d", "a", "space", "l", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        error = str(app.screen.query_one("#name-error").render())
        assert "invalid profile name 'ada l': use 1 to 32 letters, digits, '-' or '_'" in error.replace("\n", " ")
        for _ in range(2):
            await pilot.press("backspace")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.profile == "ada"
        assert "learner: ada" in str(app.screen.query_one("#status-text").render())
        await pilot.press("n")  # the first step of the path: a glossary entry, marked read for ada
        await pilot.pause()
        await pilot.pause()
    saved = json.loads((learner_env / "profiles" / "ada.json").read_text(encoding="utf-8"))
    assert list(saved["read"]) == ["hyperparameter"]
    assert sorted(p.name for p in (learner_env / "profiles").glob("*.json")) == ["ada.json"]

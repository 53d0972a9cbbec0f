"""The learning-path list on its own: wrapping with a hanging indent, done
marks, keyboard and mouse, and the home screen refreshing its marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.widgets.path_list import KIND_TAGS, PathList, PathStep, _wrap

CONTENT = Path(__file__).parents[2] / "content"

STEPS = [
    PathStep("glossary", "hyperparameter", "Hyperparameter", False),
    PathStep("exercise", "lr-steps", "Exercise: How big a step should gradient descent take?", True),
    PathStep("preset", "grid-vs-random", "Try: Grid vs random", False),
]


class ListApp(App):
    def __init__(self, steps=STEPS) -> None:
        super().__init__()
        self.steps = steps
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield PathList(self.steps, empty="Nothing yet.")

    def on_path_list_selected(self, event: PathList.Selected) -> None:
        self.opened.append(event.step.ref)


def _text(path: PathList, y: int) -> str:
    return path.render_line(y).text


def test_wrap_keeps_words_whole_and_sets_the_last_apart() -> None:
    words = [("Try:", ""), ("Grid", ""), ("vs", ""), ("random", ""), ("simulation", "kind")]
    lines = _wrap(words, width=12, first=10)
    plain = ["".join(t for t, _ in line) for line in lines]
    assert plain == ["Try: Grid", "vs random", "simulation"]
    assert all(len(p) <= 12 for p in plain) and len(plain[0]) <= 10
    assert ["".join(t for t, _ in line) for line in _wrap([("a", ""), ("kind", "kind")], 20, 20)] == ["a  kind"]
    # a word longer than a line is cut rather than overflowing
    assert ["".join(t for t, _ in line) for line in _wrap([("abcdefghij", "")], 4, 4)] == ["abcd", "efgh", "ij"]


def _plain(lines) -> list[str]:
    return ["".join(t for t, _ in line) for line in lines]


def test_wrap_breaks_after_a_hyphen_never_inside_a_word() -> None:
    words = [("Exploration-exploitation", ""), ("trade-off", ""), ("glossary", "kind")]
    assert _plain(_wrap(words, width=22, first=22)) == ["Exploration-", "exploitation trade-off", "glossary"]
    assert _plain(_wrap(words, width=30, first=30)) == ["Exploration-exploitation", "trade-off  glossary"]
    # a hyphenated word that fits on a line moves down whole ("trade-off", not "trade-" / "off")
    assert _plain(_wrap([("Exploration-exploitation", ""), ("trade-off", ""), ("glossary", "kind")],
                        width=19, first=19)) == ["Exploration-", "exploitation", "trade-off  glossary"]
    # a leading minus is not a break point
    assert _plain(_wrap([("alpha", ""), ("-1", "")], width=6, first=6, tag_last=False)) == ["alpha", "-1"]
    # a word too long for the shorter first line but not for the others moves down whole
    assert _plain(_wrap([("Overfitting", "")], width=12, first=6, tag_last=False)) == ["", "Overfitting"]


def _rejoined(lines: list[str], indent: int) -> list[str]:
    """The words of a step's wrapped lines, a word broken after a hyphen put back together."""
    text = ""
    for line in lines:
        piece = line[indent:].strip()
        text += piece if not text or re.search(r"\w-$", text) else " " + piece
    return text.split()


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (160, 48)])
async def test_the_home_path_splits_no_word(size: tuple[int, int], tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        path = app.screen.query_one("#path-list", PathList)
        width = path.content_region.width
        assert any(s.label.startswith("Exploration-exploitation") for s in path.steps)
        for i, step in enumerate(path.steps):
            lines = path.lines_of(i)
            assert all(len(line) <= width for line in lines)
            indent = lines[0].index(step.label.split()[0][:3])
            words = step.label.split() + [KIND_TAGS[step.kind]]
            assert _rejoined(lines, indent) == words, (step.label, lines)


async def test_long_steps_wrap_under_their_label_and_done_steps_are_ticked() -> None:
    app = ListApp()
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        path = app.query_one(PathList)
        first = path.lines_of(0)
        assert first == [line for line in first if len(line) <= path.scrollable_content_region.width]
        assert first[0].startswith("○  1. Hyperparameter")
        second = path.lines_of(1)
        assert second[0].startswith("✔  2. Exercise:") and len(second) > 1
        indent = second[0].index("Exercise")
        assert all(line[:indent].strip() == "" and line[indent] != " " for line in second[1:])
        assert second[-1].rstrip().endswith("exercise")  # the kind of step closes the item
        assert path.lines_of(2)[-1].rstrip().endswith("simulation")


async def test_keys_and_clicks_open_steps() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        path = app.query_one(PathList)
        path.focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert path.highlighted == 1 and app.opened == ["lr-steps"]
        await pilot.press("end", "down", "enter")  # stays on the last step
        await pilot.pause()
        assert path.highlighted == 2 and app.opened[-1] == "grid-vs-random"
        await pilot.press("home")
        await pilot.pause()
        assert path.highlighted == 0
        row = len(path.lines_of(0))  # the first line of the second step
        await pilot.click(PathList, offset=(10, row))
        await pilot.pause()
        assert path.highlighted == 1 and app.opened[-1] == "lr-steps"


async def test_an_empty_path_says_so_and_opens_nothing() -> None:
    app = ListApp(steps=[])
    async with app.run_test(size=(40, 6)) as pilot:
        path = app.query_one(PathList)
        path.focus()
        await pilot.pause()
        assert _text(path, 0).strip() == "Nothing yet."
        await pilot.press("enter")
        await pilot.click(PathList, offset=(2, 0))
        await pilot.pause()
        assert app.opened == []


@pytest.fixture
def home_app(tmp_path, monkeypatch):
    """The app on the bundled content, with its own progress folder."""
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(content=load_content(CONTENT))
    app.deep_check_delay = 3600
    return app


async def test_the_home_screen_ticks_a_step_when_the_learner_comes_back(home_app) -> None:
    app = home_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        path = app.screen.query_one("#path-list", PathList)
        k = next(i for i, s in enumerate(path.steps) if s.kind == "exercise")
        step = path.steps[k]
        assert not step.done and path.lines_of(k)[0].startswith("○")
        await pilot.press("g")  # another screen while the exercise gets done
        await pilot.pause()
        total = 2
        app.progress.start(step.ref, total)
        for i in range(total):
            app.progress.answer(step.ref, i, "x", correct=True)
        assert app.progress.status(step.ref) == "done"
        await pilot.press("h")
        await pilot.pause()
        path = app.screen.query_one("#path-list", PathList)
        assert path.steps[k].done and path.lines_of(k)[0].startswith("✔")


async def test_the_home_screen_survives_tiny_terminals(home_app) -> None:
    app = home_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for size in [(40, 12), (20, 8), (12, 5), (1, 1), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("down", "pagedown", "end", "up")
            await pilot.pause()
        path = app.screen.query_one("#path-list", PathList)
        assert path.highlighted == path.step_count - 2
        assert path.lines_of(path.highlighted)[0].startswith("○")

"""Pilot tests at 80x24: an opened exercise shows its question and answer box
without scrolling, the verdict after answering, the same after a restart;
Markdown is rendered; one hint key; F1 opens help from the answer box."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

from hpedu.content import load_content
from hpedu.progress import ProgressStore
from hpedu.tui.app import make_app
from hpedu.tui.screens.exercises import ExercisesScreen
from hpedu.tui.screens.modals import HelpModal

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = (80, 24)


@pytest.fixture
def content_dir(good_content: Path, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    for sub in ("exercises", "presets"):
        shutil.copytree(FIXTURES / "exercises" / sub, good_content / sub)
    shutil.copy(FIXTURES / "exercise-long" / "reading-the-step.md", good_content / "exercises")
    return good_content


def _app(content_dir: Path):
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600
    return app


def on_screen(widget: Widget, rows: int | None = None) -> bool:
    """True when the widget (or its first `rows` rows) is drawn whole: inside
    every container that clips it and inside the terminal."""
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:  # scrolled out of its container, or not displayed
        return False
    region = geometry.region
    if rows is not None:
        region = Region(region.x, region.y, region.width, min(rows, region.height))
    return (region.height > 0 and geometry.clip.contains_region(region)
            and widget.screen.region.contains_region(region))


def text_of(screen, selector: str) -> str:
    """What a Static shows, as plain text (its content may be a Rich table)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def open_long_exercise(pilot) -> ExercisesScreen:
    await pilot.press("x")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExercisesScreen)
    lst = screen.query_one("#exercise-list")
    ids = [lst.get_option_at_index(i).id for i in range(lst.option_count)]
    for _ in range(ids.index("reading-the-step")):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert screen.exercise.id == "reading-the-step"
    return screen


async def answer(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_question_input_and_verdict_are_in_view_at_80x24(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_long_exercise(pilot)
        box = screen.query_one("#answer-input", Input)
        assert app.focused is box
        assert on_screen(screen.query_one("#step-question"))
        assert on_screen(screen.query_one("#step-choices"))
        assert on_screen(box)

        await answer(pilot, "a")  # wrong: the verdict names the right answer
        feedback = screen.query_one("#step-feedback", Static)
        assert "✘ Not quite" in text_of(screen, "#step-feedback")
        assert on_screen(feedback, rows=1)  # the verdict line
        assert on_screen(feedback)  # and the whole explanation


async def test_after_a_restart_the_next_step_is_in_view(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=SMALL) as pilot:
        await open_long_exercise(pilot)
        await answer(pilot, "b")
    assert ProgressStore.open("default").exercise("reading-the-step").answered == 1

    app = _app(content_dir)  # the app started again: the exercise resumes at step 2
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_long_exercise(pilot)
        assert screen.step_index == 1
        assert "Step 2 of 2" in text_of(screen, "#step-header")
        assert on_screen(screen.query_one("#step-question"))
        assert on_screen(screen.query_one("#answer-input"))
        assert app.focused is screen.query_one("#answer-input")
        await answer(pilot, "0.025")
        assert "✔ Correct" in text_of(screen, "#step-feedback")
        assert on_screen(screen.query_one("#step-feedback"))


async def test_markdown_is_rendered_in_question_choices_hints_and_feedback(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_long_exercise(pilot)
        question = text_of(screen, "#step-question")
        assert "After fit() the optimiser" in question and "Which of these is a learning rate you" in question
        choices = text_of(screen, "#step-choices")
        assert "The coef_ array" in choices and "lr, the step size" in choices
        await pilot.press("f2")
        await pilot.pause()
        assert "Which one do you write in the code before calling fit()?" in text_of(screen, "#step-hints")
        await answer(pilot, "a")
        feedback = text_of(screen, "#step-feedback")
        assert "✘ Not quite. The answer is b) lr, the step size" in feedback
        assert "coef_ and the loss are what training produces; see learning rate for how" in feedback
        for shown in (question, choices, feedback, text_of(screen, "#step-hints")):
            assert "`" not in shown and "](" not in shown and "glossary:" not in shown and "**" not in shown


async def test_one_hint_key_everywhere_and_f1_help_from_the_answer_box(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_long_exercise(pilot)
        box = screen.query_one("#answer-input", Input)
        assert app.focused is box
        shown = {b.binding.action: app.get_key_display(b.binding)
                 for b in screen.active_bindings.values() if b.binding.show}
        assert shown["hint"] == "F2"  # the footer, while the answer box has focus
        assert "app.help" in shown and shown["app.help"] == "F1"
        assert "help" not in shown  # no "? Help": ? types a question mark here
        assert "F2: hint" in box.placeholder and "?" not in box.placeholder

        await pilot.press("i")  # a letter while typing is text, not a hint
        await pilot.pause()
        assert box.value == "i" and "Hint 1" not in text_of(screen, "#step-hints")
        await pilot.press("f2")  # the hint key works inside the answer box
        await pilot.pause()
        assert box.value == "i" and "Hint 1:" in text_of(screen, "#step-hints")

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        rows = dict(app.screen.sections[0][1])
        assert rows["F2"] == "Hint"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        screen.query_one("#step-box").focus()  # not typing: i gives the next hint
        await pilot.pause()
        assert screen.hints_shown == 1
        await pilot.press("i")
        await pilot.pause()
        assert box.value == "i"
        assert screen.hints_shown == 1  # the step has one hint: nothing more to show, nothing typed
        assert any("No more hints" in n.message for n in app._notifications)


async def test_escape_brings_back_the_list_on_a_small_screen(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_long_exercise(pilot)
        lst = screen.query_one("#exercise-list")
        assert not on_screen(lst)  # the step has the whole width
        await pilot.press("escape")
        await pilot.pause()
        assert on_screen(lst) and app.focused is lst
        await pilot.press("escape")  # a second Escape leaves the screen
        await pilot.pause()
        assert not isinstance(app.screen, ExercisesScreen)


async def test_a_glossary_link_in_a_question_opens_its_entry(content_dir: Path) -> None:
    from hpedu.tui.screens.glossary import GlossaryScreen

    app = _app(content_dir)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_long_exercise(pilot)
        region = screen.query_one("#step-question").region
        link = next((x, y) for y in range(region.y, region.bottom) for x in range(region.x, region.right)
                    if "@click" in screen.get_style_at(x, y).meta)
        await pilot.click(offset=link)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.current_id == "learning-rate"


async def test_a_glossary_link_in_the_introduction_opens_its_entry(content_dir: Path, monkeypatch) -> None:
    from textual.widgets import Markdown

    from hpedu.tui.screens.glossary import GlossaryScreen

    app = _app(content_dir)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))  # never a browser in a test
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_long_exercise(pilot)
        intro = screen.query_one("#exercise-intro", Markdown)
        intro.post_message(Markdown.LinkClicked(intro, "glossary:learning-rate"))  # as a click on the link sends it
        await pilot.pause()
        await pilot.pause()
        assert opened == []
        assert isinstance(app.screen, GlossaryScreen) and app.screen.current_id == "learning-rate"


async def test_every_bundled_exercise_opens_with_its_step_in_view_at_80x24(bundled_content: Path, tmp_path: Path,
                                                                          monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    content = load_content(bundled_content)
    app = make_app(content=content)
    app.deep_check_delay = 3600
    misfits = []
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        for ex_id, exercise in content.extras["exercises"].items():
            screen.open_exercise(ex_id)
            await pilot.pause()
            await pilot.pause()
            shown = [sel for sel in ("#step-question", "#step-choices", "#answer-input")
                     if exercise.steps[0].kind == "numeric" and sel == "#step-choices"
                     or on_screen(screen.query_one(sel))]
            screen.submit("1" if exercise.steps[0].kind != "order" else " ".join("abcdefg"[:len(exercise.steps[0].items)]))
            await pilot.pause()
            await pilot.pause()
            if len(shown) < 3 or not on_screen(screen.query_one("#step-feedback")):
                misfits.append((ex_id, shown))
    assert misfits == []

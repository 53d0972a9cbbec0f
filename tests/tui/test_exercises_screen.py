"""Pilot test: complete an exercise in the TUI; progress is saved and shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from hpedu.content import load_content
from hpedu.content.answers import display_order, label
from hpedu.progress import ProgressStore
from hpedu.tui.app import make_app
from hpedu.tui.screens.exercises import ExercisesScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def content_dir(good_content: Path) -> Path:
    for sub in ("exercises", "presets"):
        shutil.copytree(FIXTURES / "exercises" / sub, good_content / sub)
    return good_content


async def type_and_enter(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter")
    await pilot.pause()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_complete_an_exercise_with_a_hint_and_a_wrong_format(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    content = load_content(content_dir)
    exercise = content.extras["exercises"]["learning-rate-basics"]
    app = make_app(content=content, profile="ana")
    app.deep_check_delay = 3600
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, ExercisesScreen)
        await pilot.press("enter")  # the first exercise in the list
        await pilot.pause()
        assert screen.exercise.id == "learning-rate-basics"
        assert isinstance(app.focused, Input)

        await type_and_enter(pilot, "zzz")  # not a choice: refused, nothing recorded
        assert "⚠" in text_of(screen, "#step-feedback")
        assert not screen.answered

        await type_and_enter(pilot, "b")
        assert "✔ Correct" in text_of(screen, "#step-feedback")
        await pilot.press("n")
        await pilot.pause()

        await type_and_enter(pilot, "?")
        assert exercise.steps[1].hints[0] in text_of(screen, "#step-hints")
        await type_and_enter(pilot, "0.03")  # outside the tolerance of 0.001
        assert "✘ Not quite" in text_of(screen, "#step-feedback")
        await pilot.press("enter")  # Enter also moves on once answered
        await pilot.pause()

        order = display_order(exercise.steps[2].items, exercise.id, 2)
        shown = {i: label(pos) for pos, i in enumerate(order)}
        await type_and_enter(pilot, " ".join(shown[i] for i in range(len(order))))
        assert "✔ Correct" in text_of(screen, "#step-feedback")
        await pilot.press("n")
        await pilot.pause()
        assert "Exercise done: 2/3" in text_of(screen, "#step-question")

    store = ProgressStore.open("ana")
    record = store.exercise("learning-rate-basics")
    assert record.status == "done" and record.score == 2 and record.hints_used == 1
    assert [s.correct for s in record.steps] == [True, False, True]


async def test_learning_path_marks_done_exercises(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    (content_dir / "learning-path.yaml").write_text(
        "steps:\n  - glossary: learning-rate\n  - exercise: learning-rate-basics\n", encoding="utf-8"
    )
    store = ProgressStore.open("default")
    store.start("learning-rate-basics", 3)
    for i in range(3):
        store.answer("learning-rate-basics", i, "a", True)
    app = make_app(content=load_content(content_dir))
    assert [done for *_, done in app.learning_path()] == [False, True]
    assert app.learning_path()[1][2] == "Exercise: How big a step?"


async def test_class_code_changes_preset_seeds_and_shows_in_status(content_dir: Path) -> None:
    from hpedu.classroom import class_seed

    app = make_app(content=load_content(content_dir), class_code="lab-7")
    app.deep_check_delay = 3600
    async with app.run_test(size=(100, 32)) as pilot:
        assert "class code: lab-7" in app.status_text()
        app.open_preset("fixture-grid")
        await pilot.pause(0.5)
        preset = app.content.presets["fixture-grid"]
        settings = app.screen.settings
        assert settings.seed == preset.seed  # the seed field shows the preset's seed
        assert settings.run_seed == class_seed("lab-7", preset.seed) != preset.seed  # the engine runs the class's
        assert app.screen.sim.strategy.seed == settings.run_seed


async def test_footer_shows_only_the_keys_that_do_something(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600

    def footer() -> dict[str, bool]:
        # what the footer draws: shown bindings, enabled or dimmed
        return {b.binding.action: b.enabled for b in app.screen.active_bindings.values() if b.binding.show}

    async with app.run_test(size=(160, 32)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        keys = footer()  # no exercise open yet: nothing to hint, run or restart
        assert not {"hint", "try_preset", "next_step", "restart", "glossary"} & set(keys)
        assert "quit" in keys
        await pilot.press("enter")  # learning-rate-basics: no simulation in its steps
        await pilot.pause()
        screen = app.screen
        assert screen.exercise.id == "learning-rate-basics"
        screen.query_one("#exercise-list").focus()  # out of the answer box, whose letters it would take
        await pilot.pause()
        keys = footer()
        assert keys["hint"] and keys["restart"] and keys["glossary"]
        assert "try_preset" not in keys
        assert keys["next_step"] is False  # shown, dimmed, until the step is answered
        screen.submit("b")
        await pilot.pause()
        assert footer()["next_step"] is True


def finish_with(store: ProgressStore, right: list[bool]) -> None:
    store.start("learning-rate-basics", len(right))
    for i, ok in enumerate(right):
        store.answer("learning-rate-basics", i, "b" if i == 0 else "x", ok)


async def test_reopening_a_finished_exercise_shows_it_in_review(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    (content_dir / "learning-path.yaml").write_text("steps:\n  - exercise: learning-rate-basics\n", encoding="utf-8")
    finish_with(ProgressStore.open("default"), [True, False, True])
    recorded = ProgressStore.open("default").exercise("learning-rate-basics")
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600

    def footer() -> dict[str, bool]:
        return {b.binding.action: b.enabled for b in app.screen.active_bindings.values() if b.binding.show}

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.press("enter")  # open the finished exercise
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExercisesScreen) and screen.exercise.id == "learning-rate-basics"
        assert "Exercise done: 2/3 right" in text_of(screen, "#step-question")
        review = text_of(screen, "#step-choices")
        assert "your answer: b) The learning rate   ✔ right" in review and "✘ wrong" in review
        assert not screen.query_one("#answer-input", Input).display
        assert footer()["again"] is True
        await pilot.press("escape")
        await pilot.pause()
        assert ProgressStore.open("default").exercise("learning-rate-basics") == recorded  # nothing changed
        assert [done for *_, done in app.learning_path()] == [True]  # the path's mark stays ✔

        await pilot.press("x")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert "Exercise done: 2/3 right" in text_of(screen, "#step-question")  # still in review
        await pilot.press("a")  # try again: a fresh attempt from step 1
        await pilot.pause()
        assert screen.step_index == 0 and screen.query_one("#answer-input", Input).display
        assert "Step 1 of 3" in text_of(screen, "#step-header")
        p = ProgressStore.open("default").exercise("learning-rate-basics")
        assert (p.status, p.score, p.best_score, p.attempts, p.again.answered) == ("done", 2, 2, 2, 0)
        for answer in ("a", "0.5", "c b a"):  # all wrong
            await type_and_enter(pilot, answer)
            await pilot.press("n")
            await pilot.pause()
        assert "Exercise done: 0/3 right (best 2/3)" in text_of(screen, "#step-question")
    p = ProgressStore.open("default").exercise("learning-rate-basics")
    assert (p.status, p.score, p.best_score, p.attempts) == ("done", 0, 2, 2)


async def test_the_app_merges_with_what_another_process_saved(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.press("enter")  # learning-rate-basics, in the app's store
        await pilot.pause()
        screen = app.screen
        await type_and_enter(pilot, "b")
        other = ProgressStore.open("default")  # `hpedu exercise run predict-the-grid` in a terminal
        other.start("predict-the-grid", 2)
        other.answer("predict-the-grid", 0, "b", True)
        other.answer("predict-the-grid", 1, "3", True)
        await pilot.press("n")
        await pilot.pause()
        await type_and_enter(pilot, "0.025")  # the app saves after the other process
        lst = screen.query_one("#exercise-list")
        grid = next(str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)
                    if lst.get_option_at_index(i).id == "predict-the-grid")
        assert grid.startswith("✔")  # the list shows the other process's work
    store = ProgressStore.open("default")
    assert store.status("predict-the-grid") == "done" and store.exercise("learning-rate-basics").answered == 2


async def test_a_failed_save_is_shown_and_the_answer_kept(content_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from hpedu import progress

    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.press("enter")
        await pilot.pause()

        def read_only(path, text, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(progress, "atomic_write", read_only)
        await type_and_enter(pilot, "b")
        assert "✔ Correct" in text_of(app.screen, "#step-feedback")
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Progress not saved: cannot save progress to") and "Permission denied" in m
                   for m in messages)
        assert app.progress.unsaved and app.progress.exercise("learning-rate-basics").answered == 1
        monkeypatch.undo()
        monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
        await pilot.press("n")
        await pilot.pause()
        await type_and_enter(pilot, "0.025")  # saving works again: both answers reach the file
    assert ProgressStore.open("default").exercise("learning-rate-basics").answered == 2

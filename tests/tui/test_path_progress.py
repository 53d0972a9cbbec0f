"""The learning path's progress in the app: Continue, ✔ on every kind of step,
the time left, what counts as reading an entry or trying a simulation, and a
teacher pack's title on the home screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from hpedu.content import load_content
from hpedu.progress import ProgressStore
from hpedu.tui.app import make_app
from hpedu.tui.widgets.path_list import PathList

FIXTURES = Path(__file__).parents[1] / "fixtures"

# learning-rate-basics has 3 steps. By hand, with 2 min a term, 3 a simulation
# and 2 per exercise step: 2 + 3 + 6 + 2 = 13 minutes for the whole path.
PATH = """\
steps:
  - glossary: learning-rate
  - preset: fixture-grid
  - exercise: learning-rate-basics
  - glossary: batch-size
  - preset: fixture-compare
"""


@pytest.fixture
def content_dir(good_content: Path, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))
    for sub in ("exercises", "presets"):
        shutil.copytree(FIXTURES / "exercises" / sub, good_content / sub)
    (good_content / "learning-path.yaml").write_text(PATH, encoding="utf-8")
    return good_content


def _app(content_dir: Path):
    app = make_app(content=load_content(content_dir))
    app.deep_check_delay = 3600
    return app


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _settle(app, pilot) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _home(app, pilot) -> PathList:
    await pilot.press("h")
    await pilot.pause()
    return app.screen.query_one("#path-list", PathList)


async def test_continue_walks_the_path_and_every_kind_of_step_gets_its_tick(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        path = home.query_one("#path-list", PathList)
        assert text_of(home, "#path-progress") == "0/5 · about 16 min left"  # 13 + 3 for the comparison
        assert text_of(home, "#continue") == "▶ Continue (n): 1. Learning rate"
        assert path.highlighted == 0

        await pilot.press("n")  # the glossary, on the first step's entry
        await pilot.pause()
        assert type(app.screen).__name__ == "GlossaryScreen" and app.screen.current_id == "learning-rate"
        path = await _home(app, pilot)
        assert [s.done for s in path.steps] == [True, False, False, False, False]
        assert path.lines_of(0)[0].startswith("✔")
        assert text_of(app.screen, "#path-progress") == "1/5 · about 14 min left"
        assert text_of(app.screen, "#continue") == "▶ Continue (n): 2. Try: A 3 x 3 grid on Branin"

        await pilot.press("n")  # the simulator: a step is not enough, the run must reach its end
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SimulatorScreen"
        await pilot.press("n")
        await _settle(app, pilot)
        assert not app.screen.sim.finished
        path = await _home(app, pilot)
        assert [s.done for s in path.steps][1] is False
        await pilot.press("n")
        await _settle(app, pilot)
        await pilot.press("e")
        await _settle(app, pilot)
        assert app.screen.sim.finished
        path = await _home(app, pilot)
        assert [s.done for s in path.steps] == [True, True, False, False, False]
        assert path.lines_of(1)[0].startswith("✔")
        assert text_of(app.screen, "#path-progress") == "2/5 · about 11 min left"

        # one of the exercise's three steps answered: 2 minutes less
        store = app.progress
        store.start("learning-rate-basics", 3)
        store.answer("learning-rate-basics", 0, "b", True)
        await pilot.press("g")  # away and back: the home screen reads the progress again
        await pilot.pause()
        path = await _home(app, pilot)
        assert text_of(app.screen, "#path-progress") == "2/5 · about 9 min left"
        assert text_of(app.screen, "#continue") == "▶ Continue (n): 3. Exercise: How big a step?"


async def test_a_comparison_preset_counts_once_it_has_finished(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_step("preset", "fixture-compare")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "CompareScreen" and app.screen.comparison is not None
        path = await _home(app, pilot)
        assert [s.done for s in path.steps] == [False, False, False, False, True]
    assert ProgressStore.open("default").tried_presets() == {"fixture-compare"}


async def test_passing_over_entries_is_not_reading_them_choosing_one_is(content_dir: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g")  # the glossary shows its first entry: not chosen
        await pilot.pause()
        await pilot.press("down", "down")  # the highlight passes over entries
        await pilot.pause()
        assert app.progress.read_entries() == set()
        shown = app.screen.current_id
        await pilot.press("enter")  # chosen
        await pilot.pause()
        assert app.progress.read_entries() == {shown}
    assert ProgressStore.open("default").read_entries() == {shown}  # saved, not only in memory


async def test_a_click_on_continue_opens_the_step_and_a_finished_path_says_so(content_dir: Path) -> None:
    store = ProgressStore.open("default")
    store.mark_read("learning-rate")
    app = _app(content_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path = app.screen.query_one("#path-list", PathList)
        assert path.highlighted == 1  # where the learner left off
        await pilot.click("#continue")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SimulatorScreen"
        await _home(app, pilot)
    for preset in ("fixture-grid", "fixture-compare"):
        store.mark_tried(preset)
    store.mark_read("batch-size")
    store.start("learning-rate-basics", 3)
    for i in range(3):
        store.answer("learning-rate-basics", i, "a", False)  # finished, even with wrong answers
    app = _app(content_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.screen, "#path-progress") == "5/5 · all done"
        assert "Every step done" in text_of(app.screen, "#continue")
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_a_teacher_packs_title_is_on_the_home_screen(content_dir: Path, tmp_path: Path) -> None:
    app = _app(content_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#pack-title")  # no pack: no pack line
    (content_dir / "pack.yaml").write_text(
        'title: "Week 3: search lab"\ndescription: Two exercises for the lab.\nextends: none\n', encoding="utf-8")
    for size in [(60, 20), (80, 24), (120, 40)]:
        app = _app(content_dir)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            line = app.screen.query_one("#pack-title", Static)
            assert str(line.render()) == "Teacher pack: Week 3: search lab"
            assert 0 <= line.region.y and line.region.right <= size[0] and line.region.height >= 1
            assert text_of(app.screen, "#pack-description") == "Two exercises for the lab."

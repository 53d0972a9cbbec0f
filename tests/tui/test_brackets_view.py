"""Pilot tests of the simulator's bracket view (Hyperband): the panel shows what the engine's trace says.

The reference is an independent run of the engine (`hpedu.tuning.simulate`);
the expectations are built from its trials (bracket, rung, configuration,
value) and its best, never from the view's own code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.simulation import SimSettings, fmt
from hpedu.tui.app import make_app
from hpedu.tui.screens.simulator import SimulatorScreen
from hpedu.tui.widgets.brackets import BracketPanel
from hpedu.tuning import simulate

REPO = Path(__file__).resolve().parents[2]
CELL = re.compile(r"c(\d+) (\S+?)([▲★◆]*)(?=\s|$)")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def content():
    return load_content(REPO / "content")


def _app(content):
    app = make_app(content=content)
    app.deep_check_delay = 3600
    return app


async def _settle(app, pilot) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def parse(lines: list[str]) -> dict:
    """{(bracket from 1, rung): [(config from 1, value text, marks), ...]} and the bracket headers."""
    rungs: dict = {}
    heads = []
    bracket = rung = None
    for line in lines:
        if m := re.match(r"Bracket (\d+) of (\d+) · s=(\d+)", line):
            bracket = int(m.group(1))
            heads.append(line)
            continue
        if m := re.match(r" rung (\d+): ", line):
            rung = int(m.group(1))
            rungs[(bracket, rung)] = []
        elif not line.startswith("   ") or bracket is None:
            continue
        cells = line.split("│", 1)[-1]
        rungs[(bracket, rung)] += [(int(c), v, marks) for c, v, marks in CELL.findall(cells)]
    return {"rungs": rungs, "heads": heads}


async def _open(app, pilot, settings: SimSettings) -> SimulatorScreen:
    app.open_simulation(settings)
    await pilot.pause()
    await _settle(app, pilot)
    assert isinstance(app.screen, SimulatorScreen)
    return app.screen


@pytest.mark.slow
@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_bracket_view_shows_the_engines_brackets(content, size) -> None:
    ref = simulate("knn-wine", "hyperband", 25, 0)  # defaults: s = 2, 1, 0 (22 trials), then s = 0 again
    app = _app(content)
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, SimSettings("knn-wine", "hyperband", 25, 0))
        panel = screen.query_one(BracketPanel)
        assert panel.display
        before = parse(panel.lines())
        assert [h.split(" · ")[:2] for h in before["heads"]] == [
            ["Bracket 1 of 4", "s=2"], ["Bracket 2 of 4", "s=1"], ["Bracket 3 of 4", "s=0"], ["Bracket 4 of 4", "s=0"]]
        assert all(h.endswith("to come") for h in before["heads"]) and not any(before["rungs"].values())
        await pilot.press("e")
        await _settle(app, pilot)
        shown = parse(panel.lines())
        assert len(screen.sim.trace.trials) == len(ref.trials) == 25
        best = ref.best
        for t in ref.trials:
            later = {u.config for u in ref.trials if u.bracket == t.bracket and u.rung == t.rung + 1}
            marks = ("▲" if t.config in later else "") + ("★" if t.index == best.index else "") + \
                ("◆" if t.index == ref.trials[-1].index else "")
            assert (t.config + 1, fmt(t.value, 3), marks) in shown["rungs"][(t.bracket + 1, t.rung)], t
        assert sum(map(len, shown["rungs"].values())) == len(ref.trials)
        assert all(h.endswith("done") for h in shown["heads"])


@pytest.mark.slow
async def test_one_step_marks_the_newest_and_the_bracket_runs(content) -> None:
    ref = simulate("knn-wine", "hyperband", 13, 4)
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("knn-wine", "hyperband", 13, 4))
        await pilot.press("n")
        await _settle(app, pilot)
        shown = parse(screen.query_one(BracketPanel).lines())
        first = ref.trials[0]
        assert shown["rungs"][(1, 0)] == [(first.config + 1, fmt(first.value, 3), "◆")]
        assert shown["heads"][0].endswith("running")
        narration = str(screen.query_one("#sim-narration").render())
        assert "bracket 1 of 1 (s=2), rung 0: c1" in narration and "1/9 of the data" in narration


async def test_other_methods_have_no_bracket_view(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 5, 0))
        assert not screen.query_one(BracketPanel).display


@pytest.mark.slow
async def test_d_switches_between_brackets_and_the_plot(content) -> None:
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the brackets take the plot's place
        screen = await _open(app, pilot, SimSettings("knn-wine", "hyperband", 13, 0))
        panel, plot = screen.query_one(BracketPanel), screen.query_one("#sim-landscape")
        assert panel.display and not plot.display
        await pilot.press("d")
        await pilot.pause()
        assert plot.display and not panel.display
        await pilot.press("d")
        await pilot.pause()
        assert panel.display and not plot.display
        await pilot.resize_terminal(160, 48)  # wide: both
        await pilot.pause()
        assert panel.display and plot.display


@pytest.mark.slow
async def test_the_hyperband_entrys_try_it_opens_hyperband(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_entry("hyperband")
        await _settle(app, pilot)
        await pilot.press("t")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SimulatorScreen)
        assert (screen.settings.method, screen.settings.objective, screen.settings.budget) == ("hyperband", "svc-digits", 22)
        heads = parse(screen.query_one(BracketPanel).lines())["heads"]
        assert [h.split(" · ")[1] for h in heads] == ["s=2", "s=1", "s=0"]

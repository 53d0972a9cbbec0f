"""Pilot tests of the compare screen: its numbers are compare()'s."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from textual.widgets import Input, Static

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.compare import CompareScreen, CompareSettings
from hpedu.tui.widgets.settings import SettingsPanel
from hpedu.tuning.compare import compare

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def content():
    return load_content(REPO / "content")


def _text(renderable) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def _app(content, start=None):
    app = make_app(content=content, start=start)
    app.deep_check_delay = 3600
    return app


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_two_methods_three_seeds_match_compare(content) -> None:
    ref = compare("branin", ["random", "sobol"], 12, 3)
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.push_screen(CompareScreen(CompareSettings("branin", ("random", "sobol"), 12, 3)))
        await _settle(app, pilot)
        screen = app.screen
        comp = screen.comparison
        assert comp is not None and not screen.running
        for name in ("random", "sobol"):
            r, q = comp.methods[name], ref.methods[name]
            assert np.array_equal(r.median, q.median)
            assert np.array_equal(r.q25, q.q25) and np.array_equal(r.q75, q.q75)
            assert r.wins == q.wins
        # the chart draws median regret with its quartile band (branin's optimum is known)
        drawn = {s.name.split()[0]: s for s in screen.query_one("#cmp-curve")._series}
        for name in ("random", "sobol"):
            q = ref.methods[name]
            assert np.allclose(drawn[name].y, np.maximum(q.median - ref.optimum, 1e-12))
            assert np.allclose(drawn[name].lower, np.maximum(q.q25 - ref.optimum, 1e-12))
            assert np.allclose(drawn[name].upper, np.maximum(q.q75 - ref.optimum, 1e-12))
        # each method's landscape shows its median seed: the run whose final best is the median of the three
        traces = ref.methods["random"].traces
        finals = [min(t.value for t in tr.trials) for tr in traces]
        middle = finals.index(sorted(finals)[1])
        pts = screen.query_one("#cmp-map-random").plot.points
        assert pts["xs"] == [t.params["x1"] for t in traces[middle].trials]
        summary = _text(screen.query_one("#cmp-summary", Static).content)
        wins = f"{ref.methods['random'].wins:.2f}".rstrip("0").rstrip(".")
        assert "random" in summary and wins in summary


async def test_grid_vs_random_preset_counts_distinct_values(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_preset("grid-vs-random")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        text = str(screen.query_one("#cmp-narration", Static).render())
        assert "Distinct values of x tried: grid 3, random 9." in text
        ref = compare("low-effective-dim", ["grid", "random"], 9, 20, objective_options={"weight": 0.05})
        assert np.array_equal(screen.comparison.methods["random"].median, ref.methods["random"].median)
        # the learner changes the budget and the weight of y: a new comparison runs
        panel = screen.query_one(SettingsPanel)
        for field, value in (("budget", "16"), ("obj-weight", "0.5")):
            box = panel.query_one(f"#field-{field}", Input)
            box.value = value
            box.focus()
            await pilot.pause()
            await pilot.press("enter")
            await _settle(app, pilot)
        assert screen.settings.budget == 16 and screen.settings.objective_options == {"weight": 0.5}
        ref = compare("low-effective-dim", ["grid", "random"], 16, 20, objective_options={"weight": 0.5})
        assert np.array_equal(screen.comparison.methods["grid"].median, ref.methods["grid"].median)
        assert "grid 4, random 16" in str(screen.query_one("#cmp-narration", Static).render())


async def test_invalid_methods_are_refused_and_escape_cancels(content) -> None:
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen(CompareSettings("branin", ("grid", "bayes"), 25, 40)))
        await pilot.pause(0.3)
        screen = app.screen
        assert screen.running
        await pilot.press("escape")
        await _settle(app, pilot)
        assert not screen.running and screen.comparison is None
        assert app.screen is screen
        panel = screen.query_one(SettingsPanel)
        box = panel.query_one("#field-methods", Input)
        box.value = "grid,annealing"
        box.focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert "unknown method 'annealing'" in str(panel.query_one("#error-methods", Static).render())
        assert screen.settings.methods == ("grid", "bayes") and not screen.running


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_small_terminals(content, size) -> None:
    app = _app(content)
    async with app.run_test(size=size) as pilot:
        app.open_preset("grid-vs-random")
        await _settle(app, pilot)
        for _ in range(4):
            await pilot.press("v")
            await pilot.pause()
        assert app.screen.comparison is not None


async def test_compare_watch_shows_compares_numbers() -> None:
    from hpedu.cli import build_parser
    from hpedu.commands.tuning import compare_watch_app

    argv = ["--content", str(REPO / "content"), "compare", "--objective", "low-effective-dim", "--methods",
            "grid,random", "--budget", "9", "--seeds", "5", "--objective-option", "weight=0.3", "--watch"]
    app = compare_watch_app(build_parser().parse_args(argv))
    app.deep_check_delay = 3600
    ref = compare("low-effective-dim", ["grid", "random"], 9, 5, objective_options={"weight": 0.3})
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, CompareScreen):
                break
            await pilot.pause(0.02)
        await _settle(app, pilot)
        comp = app.screen.comparison
        for name in ("grid", "random"):
            assert np.array_equal(comp.methods[name].median, ref.methods[name].median)
            assert comp.methods[name].wins == ref.methods[name].wins

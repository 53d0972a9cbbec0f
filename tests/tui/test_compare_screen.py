"""Pilot tests of the compare screen: its numbers are compare()'s."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from textual.widgets import Input, Static

from hpedu.content import load_content
from hpedu.simulation import fmt
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
        summary = _text(screen.query_one("#cmp-summary-text", Static).content)
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


# ----- the one-run panels show the median seed; [ and ] step through the seeds ------------------
async def test_panels_show_each_methods_median_seed_and_step_through_seeds(content) -> None:
    ref = compare("low-effective-dim", ["grid", "random"], 9, 20, objective_options={"weight": 0.05})
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_preset("grid-vs-random")
        await _settle(app, pilot)
        screen = app.screen
        shown_best = {}
        for name in ("grid", "random"):
            traces = ref.methods[name].traces
            finals = [min(t.value for t in tr.trials) for tr in traces]  # lower is better here
            order = sorted(range(20), key=lambda i: (finals[i], i))
            middle = order[9]  # of 20 runs, the better of the two middle ones
            plot = screen.query_one(f"#cmp-map-{name}")
            title = plot.plot.plot_title
            assert title.startswith(f"{name} · best ") and f"· median seed {traces[middle].seed} of 20" in title
            assert plot.plot.points["xs"] == [t.params["x"] for t in traces[middle].trials]
            shown_best[name] = finals[middle]
            assert abs(shown_best[name] - ref.methods[name].median_final) <= abs(
                sorted(finals)[10] - sorted(finals)[9])  # it is one of the two runs around the median
        # the panels agree with the summary: random wins most seeds and its panel shows the lower value
        assert ref.methods["random"].wins > ref.methods["grid"].wins
        assert shown_best["random"] < shown_best["grid"]
        # ] shows seed 0 on every panel, then seed 1; [ goes back
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "· seed 0 (1 of 20" in screen.query_one("#cmp-map-random").plot.plot_title
        xs = screen.query_one("#cmp-map-grid").plot.points["xs"]
        assert xs == [t.params["x"] for t in ref.methods["grid"].traces[0].trials]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "· seed 1 (2 of 20" in screen.query_one("#cmp-map-random").plot.plot_title
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert "· median seed" in screen.query_one("#cmp-map-random").plot.plot_title
        keys = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert {"left_square_bracket", "right_square_bracket"} <= keys


# ----- stopping is real -----------------------------------------------------------------------------
LONG = CompareSettings("hartmann6", ("bayes", "tpe", "random"), 300, 50)


def _engine_busy() -> bool:
    """Whether any thread is inside the tuning engine right now (a run still computing)."""
    import sys
    import threading

    me = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        while frame is not None:
            name = frame.f_code.co_filename.replace("\\", "/")
            if "/hpedu/tuning/" in name:
                return True
            frame = frame.f_back
    return False


async def _until(pilot, predicate, timeout: float) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        await pilot.pause(0.05)
    return predicate()


async def test_escape_stops_the_engine_not_only_the_screen(content) -> None:
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen(LONG.replace()))
        assert await _until(pilot, _engine_busy, 60), "the comparison never started"
        await pilot.pause(1.0)  # well inside the first Bayesian run of 300 trials
        screen = app.screen
        await pilot.press("escape")
        # generous bound: one Bayesian trial takes a fraction of a second; the whole run takes minutes
        assert await _until(pilot, lambda: not _engine_busy(), 20), "the run kept computing after Escape"
        assert screen.run_done.is_set()
        assert "Stopped" in str(screen.query_one("#cmp-narration", Static).render())
        assert not screen.running and screen.comparison is None


async def test_quitting_during_a_long_comparison_stops_its_work(content) -> None:
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen(LONG.replace()))
        assert await _until(pilot, _engine_busy, 60), "the comparison never started"
        await pilot.pause(1.0)
        await pilot.press("q")
        assert await _until(pilot, lambda: not _engine_busy(), 20), "the run kept computing after q"


# ----- the same seeds as the command line -----------------------------------------------------------
@pytest.mark.parametrize("code", [None, "week3-lab"])
async def test_a_preset_runs_the_seeds_the_command_line_runs(code) -> None:
    from hpedu.classroom import derive_seed
    from hpedu.commands.exercise import simulation_summary

    pack = load_content(REPO / "examples" / "teacher-pack")
    preset = pack.presets["week3-grid-vs-random"]  # seed 3, 10 seeds
    expected = list(range(3, 13)) if code is None else [derive_seed(code, f"seed:{s}") for s in range(3, 13)]
    app = make_app(content=pack, class_code=code)
    app.deep_check_delay = 3600
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_preset("week3-grid-vs-random")
        await _settle(app, pilot)
        comp = app.screen.comparison
        assert comp.seeds == expected
        assert [t.seed for t in comp.methods["random"].traces] == expected
    # `hpedu exercise run` prints the same comparison: the same wins
    ref = compare(preset.objective, list(preset.methods), preset.budget, expected,
                  objective_options=preset.objective_options)
    wins = f"wins {ref.methods['random'].wins:.1f}".rstrip("0").rstrip(".")
    lines = simulation_summary(preset, code)
    assert any(line.startswith("random") and wins in line for line in lines)
    assert comp.methods["random"].wins == ref.methods["random"].wins


# ----- at 80x24: whole numbers in the panel titles, one band at a time ----------------------------
def _title_row(plot) -> str:
    """The top row of a landscape panel as drawn (y label and title)."""
    from textual_hires_canvas import Canvas

    margin = plot.plot.query_one("#margin-top", Canvas)
    return "".join(margin.get_pixel(x, 0)[0] for x in range(margin.size.width))


async def test_panel_titles_fit_with_the_number_whole_at_80x24(content) -> None:
    """Three panels side by side at 80 columns: each title keeps the method and
    its whole best value (the title was once cut at the number, "best 2…"), and
    ends a cell before the panel's edge (it ran into the next panel's y label)."""
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_preset("compare-branin")
        await _settle(app, pilot)
        screen = app.screen
        comp = screen.comparison
        for name in comp.methods:
            plot = screen.query_one(f"#cmp-map-{name}")
            trace, _ = screen.shown_run(name)
            best = min(t.value for t in trace.trials)
            row = _title_row(plot)
            assert f"{name} · best {best:.4g}" in row, row
            assert "…" not in row
            assert row.endswith(" "), row  # a gap before the next panel


async def test_the_chart_shades_one_methods_band_and_digits_pick_it(content) -> None:
    """Overlapping bands of several methods mixed into one muddy colour: the
    chart shades one method's middle half at a time (the one with the most
    wins first), names it in the legend, and 1..3 pick the method in that
    place (4 names the methods there are)."""
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_preset("compare-branin")
        await _settle(app, pilot)
        screen = app.screen
        comp = screen.comparison
        winner = max(comp.methods, key=lambda m: comp.methods[m].wins)
        curve = screen.query_one("#cmp-curve")
        order = list(comp.methods)

        def shaded() -> list[str]:
            return [s.name for s in curve.plot.drawn_series if s.fill and s.lower is not None]

        assert shaded() == [winner]
        for key in ("2", "1", "3", "4"):
            await pilot.press(key)
            await pilot.pause()
            expect = order[min(int(key), 3) - 1]
            assert shaded() == [expect]
            text = curve.key.text.plain
            assert f"{expect} middle half" in text or f"{expect}: middle half" in text
            # every method keeps its quartiles as data (drawn as the band when chosen)
            assert all(s.lower is not None and s.upper is not None for s in curve.plot.drawn_series)


def _plot_chars(plot) -> list[str]:
    from textual_hires_canvas import Canvas

    canvas = plot.query_one("#plot", Canvas)
    r = plot.plot_region
    return [canvas.get_pixel(x, y)[0] for y in range(r.y, r.bottom) for x in range(r.x, r.right)]


async def test_the_chart_tells_the_lines_apart_without_colour(content, monkeypatch) -> None:
    """With NO_COLOR every line is the same grey: grid's and random's lines
    differed only by their markers. The second method's line is a thin dashed
    braille line beside the first one's thick half-blocks, and the legend shows
    each line's own glyphs."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        app.open_preset("grid-vs-random")
        await _settle(app, pilot)
        await pilot.press("v")
        await _settle(app, pilot)
        curve = app.screen.query_one("#cmp-curve")
        chars = _plot_chars(curve.plot)
        braille = [c for c in chars if "\u2800" < c <= "\u28ff"]
        halves = [c for c in chars if c in "▀▄█"]
        assert len(braille) >= 10, "random's line is not drawn in braille"
        assert len(halves) >= 10, "grid's line is not drawn in half-blocks"
        legend = curve.key.text.plain
        assert "━━━ grid" in legend and "⠒ ⠒ random" in legend, legend
        # markers of different shapes as well, none a square that reads as a half-block pixel
        markers = {s.name: s.marker for s in curve.plot.drawn_series}
        assert len(set(markers.values())) == 2 and "■" not in markers.values()


@pytest.mark.parametrize("size, least", [((120, 40), 45), ((130, 40), 50), ((160, 48), 65)])
async def test_the_chart_keeps_its_width_and_the_summary_stays_whole(content, size, least) -> None:
    """A summary 58 columns wide left the chart 27 at 120x40: the summary takes
    a share of the width (36 to 58 columns) and lays its table out again in two
    parts when one does not fit, every number whole."""
    from textual.geometry import Region

    app = _app(content)
    async with app.run_test(size=size) as pilot:
        app.open_preset("compare-branin")
        await _settle(app, pilot)
        screen = app.screen
        comp = screen.comparison
        curve = screen.query_one("#cmp-curve")
        summary = screen.query_one("#cmp-summary-text", Static)
        assert curve.size.width >= least, curve.size.width
        assert 36 <= screen.query_one("#cmp-summary").outer_size.width <= 58
        lines = [s.text for s in summary.render_lines(Region(0, 0, summary.size.width, summary.size.height))]
        shown = "\n".join(lines)
        assert "…" not in shown
        for name, r in comp.methods.items():
            row = next(line for line in lines if f" {name} " in line)
            assert row.split()[2:4] == [fmt(r.median_final, 3), f"{fmt(r.q25_final, 3)}–{fmt(r.q75_final, 3)}"], row
            assert f"{r.wins:g}" in shown and fmt(r.median_regret, 3) in shown

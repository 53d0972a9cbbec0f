"""Pilot tests of the simulator: what is on screen against the engine's own trace.

Every reference trace here is computed independently with `hpedu.tuning.simulate`
(or `prepare` for runs with a live option change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.simulator import SPEEDS, CodeModal, SimulatorScreen
from hpedu.simulation import SimSettings, fmt, python_code
from hpedu.tui.widgets.settings import SettingsPanel
from hpedu.tui.widgets.trial_table import TrialTable
from hpedu.tuning import prepare, simulate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """Landscapes of real models are cached in a temporary folder."""
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def content():
    return load_content(REPO / "content")


def _app(content, start=None):
    app = make_app(content=content, start=start)
    app.deep_check_delay = 3600  # no background content check during the tests
    return app


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


# ----- reading what the plot widgets were given -----------------------------------
def landscape_points(plot) -> dict:
    """The points a LandscapePlot draws (axis units; no log axes in these tests)."""
    return plot.plot.points or {"xs": [], "ys": [], "best": None, "newest": None, "selected": None, "next": None}


def inside_next_x(plot) -> float | None:
    """Where an InsidePlot draws the next proposal (its vertical line)."""
    lines = [v.x for v in plot.top.vlines if v.role == "next"]
    return lines[0] if lines else None


def series_named(plot, part: str):
    return next(s for s in plot._series if part in s.name)


def _table_rows(table: TrialTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _open(app, pilot, settings: SimSettings, **kw) -> SimulatorScreen:
    app.open_simulation(settings, **kw)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SimulatorScreen)
    await _settle(app, pilot)
    return screen


async def test_step_by_step_matches_the_engine(content) -> None:
    ref = simulate("branin", "random", 6, 3)
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 6, 3))
        table = screen.query_one(TrialTable)
        plot = screen.query_one("#sim-landscape")
        assert table.row_count == 0 and len(landscape_points(plot)["xs"]) == 0
        for k in range(1, 7):
            await pilot.press("n")
            await _settle(app, pilot)
            pts = landscape_points(plot)
            assert len(pts["xs"]) == k  # one point drawn per trial
            assert list(pts["xs"]) == [t.params["x1"] for t in ref.trials[:k]]
            assert list(pts["ys"]) == [t.params["x2"] for t in ref.trials[:k]]
            assert pts["newest"] == k - 1
            best = min(range(k), key=lambda i: ref.trials[i].value)
            assert pts["best"] == best
            assert table.row_count == k
            row = _table_rows(table)[-1]
            t = ref.trials[k - 1]
            assert row[:4] == [str(k), fmt(t.params["x1"]), fmt(t.params["x2"]), fmt(t.value)]
            assert row[4].split()[0] == fmt(ref.best_so_far[k - 1])
            title = str(screen.query_one("#sim-title", Static).render())
            assert f"trial {k}/6" in title and f"best {fmt(ref.best_so_far[k - 1])}" in title
            narration = str(screen.query_one("#sim-narration", Static).render())
            # the trial's line (after the last one, below the "Done:" summary)
            assert narration.splitlines()[-1].startswith(f"trial {k}: random search sampled")
        curve = series_named(screen.query_one("#sim-curve"), "regret")
        assert list(curve.y) == pytest.approx(list(ref.regret))
        await pilot.press("n")  # the run is over: nothing more happens
        await _settle(app, pilot)
        assert table.row_count == 6
        assert screen.sim.trace.same_trials(ref)


async def test_selecting_a_row_highlights_its_point(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("multimodal-2d", "sobol", 5, 0))
        await pilot.press("e")
        await _settle(app, pilot)
        table = screen.query_one(TrialTable)
        table.focus()
        await pilot.pause()
        assert screen.selected == 4  # focusing the table selects the newest trial
        await pilot.press("home", "down", "down")
        await pilot.pause()
        assert screen.selected == 2
        assert landscape_points(screen.query_one("#sim-landscape"))["selected"] == 2


@pytest.mark.slow
async def test_bayes_on_branin_plays_30_trials_to_the_end(content) -> None:
    ref = simulate("branin", "bayes", 30, 0)
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_preset("bayes-branin")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulatorScreen)
        screen.speed = len(SPEEDS) - 1  # as fast as it goes
        await pilot.press("p")
        await _settle(app, pilot)
        assert not screen.running
        table = screen.query_one(TrialTable)
        assert table.row_count == 30
        assert screen.sim.trace.same_trials(ref)
        assert len(landscape_points(screen.query_one("#sim-landscape"))["xs"]) == 30
        title = str(screen.query_one("#sim-title", Static).render())
        assert f"best {fmt(ref.best.value)}" in title and "done" in title
        assert "Done: 30 trials" in str(screen.query_one("#sim-narration", Static).render())


async def test_live_option_change_steers_the_next_proposal(content) -> None:
    """acq ei -> ucb (kappa 5) after 7 trials, made in the settings panel."""
    run = prepare("wave-1d", method="bayes", budget=12, seed=0, acq="ei", xi=0.0)
    steps = run.steps()
    for _ in range(7):
        next(steps)
    run.strategy.set_options(acq="ucb", kappa=5.0)
    ref_next = next(steps)
    default_next = simulate("wave-1d", "bayes", 12, 0).trials[7]
    assert ref_next.params != default_next.params

    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_preset("bayes-1d-ei")
        await _settle(app, pilot)
        screen = app.screen
        for _ in range(7):
            await pilot.press("n")
            await _settle(app, pilot)
        before = inside_next_x(screen.query_one("#sim-inside"))
        assert before is not None
        panel = screen.query_one(SettingsPanel)
        kappa = panel.query_one("#field-kappa", Input)
        kappa.focus()
        await pilot.pause()
        kappa.value = ""
        for ch in "5":
            await pilot.press(ch)
        await pilot.press("enter")
        panel.query_one("#field-acq", Select).value = list(panel.fields["acq"].choices).index("ucb")
        await _settle(app, pilot)
        after = inside_next_x(screen.query_one("#sim-inside"))
        assert after is not None and after != before  # the preview moved
        assert screen.sim.trace.trials == screen.sim.trace.trials[:7] and len(screen.sim.trace.trials) == 7
        screen.set_focus(None)
        await pilot.press("n")
        await _settle(app, pilot)
        trial = screen.sim.trace.trials[7]
        assert trial.params == ref_next.params and trial.value == ref_next.value
        assert screen.sim.changes == [(7, {"kappa": 5.0, "acq": "ucb"})]
        # the code shown reproduces the run with the change
        await pilot.press("c")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CodeModal)
        assert modal.query_one(TextArea).text == python_code(screen.sim.settings, screen.sim.changes)


async def test_invalid_setting_is_refused_in_place(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        sim = screen.sim
        panel = screen.query_one(SettingsPanel)
        for field, text, message in (("budget", "abc", "budget must be a whole number"),
                                     ("kappa", "-3", "out of range")):
            box = panel.query_one(f"#field-{field}", Input)
            box.focus()
            await pilot.pause()
            box.value = ""
            for ch in text:
                await pilot.press(ch)
            await pilot.press("enter")
            await _settle(app, pilot)
            error = str(panel.query_one(f"#error-{field}", Static).render())
            assert message in error
            assert box.has_class("-invalid")
        assert screen.sim is sim and sim.n_done == 0  # nothing was restarted or run
        assert screen.query_one(TrialTable).row_count == 0
        assert sim.settings.budget == 10 and sim.strategy.opts["kappa"] == 2.0
        # a method that does not fit the objective is refused with the engine's message
        panel.query_one("#field-method", Select).value = list(panel.fields["method"].choices).index("halving")
        await _settle(app, pilot)
        assert "needs an objective that accepts one" in str(panel.query_one("#error-method", Static).render())
        assert screen.sim is sim


async def test_a_valid_setting_starts_a_new_run(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 10, 0))
        await pilot.press("n", "n")
        await _settle(app, pilot)
        panel = screen.query_one(SettingsPanel)
        box = panel.query_one("#field-seed", Input)
        box.focus()
        await pilot.pause()
        box.value = "7"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert screen.sim.settings.seed == 7 and screen.sim.n_done == 0
        screen.set_focus(None)
        await pilot.press("e")
        await _settle(app, pilot)
        assert screen.sim.trace.same_trials(simulate("branin", "random", 10, 7))


async def test_escape_cancels_a_running_play(content) -> None:
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 30, 0))
        screen.speed = 0  # slowest: 2 s per trial
        await pilot.press("p")
        await pilot.pause(0.3)
        assert screen.playing
        await pilot.press("escape")
        await _settle(app, pilot)
        assert not screen.running and not screen.playing
        assert 0 < screen.sim.n_done < 30
        assert app.screen is screen  # Escape stopped the run, it did not leave


async def test_reset_starts_over_and_g_opens_the_term(content) -> None:
    from hpedu.tui.screens.glossary import GlossaryScreen

    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("wave-1d", "bayes", 8, 0), inside=True)
        await pilot.press("n", "n", "n")
        await _settle(app, pilot)
        await pilot.press("r")
        await _settle(app, pilot)
        assert screen.sim.n_done == 0 and screen.query_one(TrialTable).row_count == 0
        await pilot.press("g")
        await _until(pilot, lambda: getattr(app.screen, "current_id", None) is not None, 5)  # opens on mount
        assert isinstance(app.screen, GlossaryScreen) and app.screen.current_id == "bayesian-optimization"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("u")
        await _until(pilot, lambda: getattr(app.screen, "current_id", None) is not None, 5)
        assert app.screen.current_id == "expected-improvement"


async def test_show_code_offers_scikit_learn_for_grid_on_a_model(content, monkeypatch) -> None:
    app = _app(content)
    copied = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot, SimSettings("knn-wine", "grid", 20, 0))
        await pilot.press("c")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CodeModal)
        assert [t for t, _ in modal.sources] == ["hpedu", "scikit-learn"]
        await pilot.press("y")
        assert copied and "minimize(objective, method='grid', budget=20, seed=0)" in copied[-1]


@pytest.mark.parametrize("size", [(80, 24), (200, 60), (40, 12)])
async def test_layout_sizes_do_not_crash(content, size) -> None:
    app = _app(content)
    async with app.run_test(size=size) as pilot:
        app.open_preset("tpe-2d")
        await _settle(app, pilot)
        screen = app.screen
        for key in ("n", "n", "d", "v", "v", "v", "v", "n"):
            await pilot.press(key)
            await _settle(app, pilot)
        assert screen.sim.n_done == 3
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()


async def test_every_preset_opens(content) -> None:
    """Every preset opens its view; model presets start their landscape in a
    worker, which Escape stops."""
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        for preset_id, preset in content.presets.items():
            app.open_preset(preset_id)
            await pilot.pause()
            screen = app.screen
            assert screen.preset is preset
            if getattr(screen, "sim", None) is not None:
                assert screen.sim.settings == SimSettings.from_preset(preset)
            await pilot.press("escape")  # stop what runs
            await _settle(app, pilot)
            await pilot.press("escape")  # and leave
            await pilot.pause()


async def test_simulate_watch_shows_the_engines_trace() -> None:
    """`hpedu simulate ... --watch` plays the run; the table holds simulate()'s trials."""
    from hpedu.cli import build_parser
    from hpedu.commands.tuning import simulate_watch_app

    argv = ["--content", str(REPO / "content"), "simulate", "--objective", "six-hump-camel", "--method", "bayes",
            "--budget", "12", "--seed", "2", "--option", "acq=ucb", "--option", "kappa=3", "--watch"]
    app = simulate_watch_app(build_parser().parse_args(argv))
    app.deep_check_delay = 3600
    ref = simulate("six-hump-camel", "bayes", 12, 2, options={"acq": "ucb", "kappa": 3.0})
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(200):
            if isinstance(app.screen, SimulatorScreen) and app.screen.sim is not None:
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, SimulatorScreen) and screen.playing
        screen.speed = len(SPEEDS) - 1
        await _settle(app, pilot)
        rows = _table_rows(screen.query_one(TrialTable))
        assert len(rows) == 12
        for row, t, best in zip(rows, ref.trials, ref.best_so_far):
            assert row[:4] == [str(t.index + 1), fmt(t.params["x1"]), fmt(t.params["x2"]), fmt(t.value)]
            assert row[4].split()[0] == fmt(best)
        assert screen.sim.trace.same_trials(ref)
        pts = landscape_points(screen.query_one("#sim-landscape"))
        assert pts["xs"] == [t.params["x1"] for t in ref.trials]
        assert f"best {fmt(ref.best.value)}" in str(screen.query_one("#sim-title", Static).render())


async def test_s_opens_the_simulator_and_the_palette_lists_presets(content) -> None:
    from hpedu.tui.screens.compare import CompareScreen

    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await _settle(app, pilot)
        assert isinstance(app.screen, SimulatorScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "grid vs random when one":  # not "...when both dimensions matter"
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.preset.id == "grid-vs-random"
        await _settle(app, pilot)


async def test_quitting_while_a_model_landscape_trains_exits_cleanly(content, monkeypatch, tmp_path) -> None:
    import time

    monkeypatch.setattr("hpedu.tuning.landscape.SHIPPED_DIR", tmp_path / "none")  # train, as without a shipped file
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_preset("svc-digits")
        await pilot.pause(0.2)
        screen = app.screen
        assert any(w.group == "landscape" and w.is_running for w in screen.workers)
        t0 = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - t0 < 20
    assert app.return_code in (0, None)


async def test_locked_settings_are_shown_but_not_editable(content) -> None:
    import dataclasses

    preset = dataclasses.replace(content.presets["bayes-1d-ucb"], locked=("method", "acq", "budget"))
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        app.push_screen(SimulatorScreen(SimSettings.from_preset(preset), preset=preset, inside=True))
        await _settle(app, pilot)
        panel = app.screen.query_one(SettingsPanel)
        for name in ("method", "acq", "budget"):
            assert panel.query_one(f"#field-{name}").disabled
            assert "locked" in str(panel.query_one(f"#label-{name}", Static).render())
        assert not panel.query_one("#field-kappa").disabled and not panel.query_one("#field-seed").disabled


async def test_quick_presses_each_take_a_step(content) -> None:
    ref = simulate("branin", "bayes", 30, 2)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 30, 2))
        for _ in range(3):  # three presses while the first step is still running
            screen.action_step()
        assert screen.running
        for _ in range(4):
            await _settle(app, pilot)
        table = screen.query_one(TrialTable)
        assert table.row_count == 3 and screen.sim.n_done == 3
        assert [t.params for t in screen.sim.trace.trials] == [t.params for t in ref.trials[:3]]
        for _ in range(20):  # one step now, nineteen queued
            screen.action_step()
        await pilot.press("escape")  # Escape stops and forgets the queued presses
        for _ in range(5):
            await pilot.pause(0.1)
        stopped_at = screen.sim.n_done
        assert stopped_at < 23 and not screen.running
        for _ in range(3):
            await pilot.pause(0.1)
        assert screen.sim.n_done == stopped_at  # nothing left queued


async def test_opening_a_bayesian_run_loads_the_model_early_and_freezes_what_is_loaded(content, monkeypatch) -> None:
    """The first model-based step must not pay for importing the Gaussian
    process (the strategy's warm_up runs when the run opens), and a full garbage
    collection over the numeric modules (40-110 ms) must not land in the middle
    of a step (what is loaded by then is frozen)."""
    import gc

    from hpedu.tuning.bayes import BayesianSearch

    warmed: list[int] = []
    original = BayesianSearch.warm_up

    def warm_up(self) -> None:
        warmed.append(len(self.trials))
        original(self)

    monkeypatch.setattr(BayesianSearch, "warm_up", warm_up)
    from hpedu.tui import _gc

    gc.unfreeze()
    _gc._done.clear()  # as in a fresh process: freezing is once per process (hpedu/tui/_gc.py)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        assert screen.sim.n_done == 0
        assert warmed == [0]
        assert gc.get_freeze_count() > 0
    gc.unfreeze()


async def test_help_is_in_view_in_the_footer_at_80_columns(content) -> None:
    """The simulator's footer has more keys than 80 columns hold; the Help key
    (which lists them all) comes first so it is never the one cut off."""
    from textual.widgets._footer import FooterKey

    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        keys = [k for k in app.screen.query(FooterKey) if k.region.width]
        help_key = next(k for k in keys if k.action == "app.help")
        assert help_key.region.right <= 80
        assert keys[0] is help_key
        speed = [k for k in keys if k.action in ("faster", "slower")]
        assert len(speed) == 2 and all(k.region.right <= 80 for k in speed)
        await pilot.press("question_mark")
        await pilot.pause()
        from hpedu.tui.screens.modals import HelpModal

        assert isinstance(app.screen, HelpModal)


async def test_on_a_small_terminal_the_trials_panel_shows_the_first_trials(content) -> None:
    """At 80x24 the trials table is a panel of its own (v switches to it):
    trials taken while the plot was shown must not leave the first rows
    scrolled out of sight when the table is shown."""
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 30, 0))
        for _ in range(3):
            await pilot.press("n")
            await _settle(app, pilot)
        table = screen.query_one(TrialTable)
        assert not table.region.height  # hidden behind the plot panel
        while not table.region.height:
            await pilot.press("v")
            await pilot.pause()
        await pilot.pause()
        firsts = [table.render_line(y).text.split()[:1] for y in range(1, 5)]
        assert firsts == [["1"], ["2"], ["3"], ["4"]]


# ----- one run controller: what the keys do while workers run -----------------------------
def _slow_steps(screen, seconds: float, fail_at: int | None = None) -> list[int]:
    """Make each step of the screen's current run take `seconds` (and raise on
    the `fail_at`-th call); returns the list of calls made."""
    import time

    sim = screen.sim
    original = sim.step
    calls: list[int] = []

    def step():
        calls.append(sim.n_done)
        time.sleep(seconds)
        if fail_at is not None and len(calls) == fail_at:
            raise RuntimeError("injected failure in the objective")
        return original()

    sim.step = step
    return calls


def _title(screen) -> str:
    return str(screen.query_one("#sim-title", Static).render())


def _narration(screen) -> str:
    return str(screen.query_one("#sim-narration", Static).render())


async def _until(pilot, condition, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


async def test_e_while_playing_runs_to_the_end_and_n_does_not_cut_it_short(content) -> None:
    """The bug: after `e` during a play, the play's late Stopped message made the
    title say paused while the run to the end went on, and `n` then cancelled
    the run to the end midway."""
    ref = simulate("branin", "random", 40, 0)
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 40, 0))
        _slow_steps(screen, 0.15)  # the run to the end takes about 6 s
        screen.speed = len(SPEEDS) - 2  # 25 trials/s
        await pilot.press("p")
        await _until(pilot, lambda: screen.sim.n_done >= 2)
        await pilot.press("e")
        await _until(pilot, lambda: not any(w.is_running for w in screen.workers if w.group == "sim"
                                            and w.is_cancelled))  # the play's worker has stopped and posted
        await pilot.pause(0.2)
        assert screen.running and screen.sim.n_done < 40
        assert "· running to the end" in _title(screen) and "paused" not in _title(screen)
        assert "trials/s" not in _title(screen)  # the playing pace does not apply to a run to the end
        await pilot.press("n")  # does not cancel the run to the end
        await _until(pilot, lambda: not screen.running)
        await _settle(app, pilot)
        assert screen.sim.n_done == 40 and screen.sim.trace.same_trials(ref)
        assert screen.query_one(TrialTable).row_count == 40
        assert "done" in _title(screen) and "trial 40/40" in _title(screen)


async def test_a_step_that_raises_shows_its_error_and_the_run_stays_usable(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 10, 0))
        _slow_steps(screen, 0.0, fail_at=3)
        await pilot.press("e")
        await _until(pilot, lambda: not screen.running)
        await _settle(app, pilot)
        assert screen.sim.n_done == 2 and screen.query_one(TrialTable).row_count == 2
        assert "injected failure in the objective" in _narration(screen)
        assert "Trial 3 failed" in _narration(screen)
        assert "failed" in _title(screen) and "running" not in _title(screen)
        await pilot.press("r")  # reset works
        await _settle(app, pilot)
        assert screen.sim.n_done == 0 and "paused" in _title(screen)
        await pilot.press("n", "n")
        await _until(pilot, lambda: not screen.running and screen.sim.n_done == 2)
        assert screen.sim.trace.same_trials(simulate("branin", "random", 2, 0)) or \
            [t.params for t in screen.sim.trace.trials] == [t.params for t in simulate("branin", "random", 10, 0).trials[:2]]
        _slow_steps(screen, 0.0, fail_at=1)
        await pilot.press("n")
        await _until(pilot, lambda: "failed" in _title(screen))
        panel = screen.query_one(SettingsPanel)  # and a setting starts a new run
        box = panel.query_one("#field-seed", Input)
        box.focus()
        await pilot.pause()
        box.value = "5"
        await pilot.press("enter")
        await _settle(app, pilot)
        screen.set_focus(None)
        assert screen.sim.settings.seed == 5 and screen.sim.n_done == 0
        await pilot.press("e")
        await _until(pilot, lambda: not screen.running)
        await _settle(app, pilot)
        assert screen.sim.trace.same_trials(simulate("branin", "random", 10, 5)) and "done" in _title(screen)


async def test_mashing_n_p_e_r_leaves_a_truthful_screen(content) -> None:
    """Quick presses of n, p, e and r in every order: no crash, and once the
    workers are done the table, the title and the engine agree."""
    import random

    ref = simulate("six-hump-camel", "bayes", 14, 4)
    rng = random.Random(7)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("six-hump-camel", "bayes", 14, 4), inside=True)
        screen.speed = len(SPEEDS) - 1
        for _ in range(60):
            await pilot.press(rng.choice("npernpe"))
            if rng.random() < 0.3:
                await pilot.pause(0.02)
        await _until(pilot, lambda: not screen.running)  # a play or a run to the end goes on to the end
        await _settle(app, pilot)
        assert app.screen is screen
        n = screen.sim.n_done
        assert screen.query_one(TrialTable).row_count == n == len(screen._trials)
        assert f"trial {n}/14" in _title(screen)
        assert [t.params for t in screen.sim.trace.trials] == [t.params for t in ref.trials[:n]]
        if n < 14:
            await pilot.press("e")
        await _until(pilot, lambda: not screen.running)
        await _settle(app, pilot)
        assert screen.sim.trace.same_trials(ref) and "done" in _title(screen)
        assert screen.query_one(TrialTable).row_count == 14


async def test_leaving_while_a_worker_runs_drops_its_messages(content) -> None:
    """Escape (twice) or Home while a step is under way: the step's message
    arrives for a screen that is gone and must be dropped, not queried."""
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        for leave in (("escape", "escape"), ("h",)):
            screen = await _open(app, pilot, SimSettings("branin", "bayes", 30, 0), inside=True)
            _slow_steps(screen, 0.3)
            await pilot.press("e")
            await pilot.pause(0.05)
            await pilot.press(*leave)
            await pilot.pause(0.05)
            assert app.screen is not screen
            await pilot.pause(0.8)  # the step finishes and posts after the screen is gone
            await _settle(app, pilot)
    assert app.return_code in (0, None)


async def test_messages_for_a_screen_that_is_gone_are_dropped(content) -> None:
    """Whatever a worker sends after the screen was left (Escape, q, Home) is
    dropped before any query (a query on the removed screen raised NoMatches)."""
    from hpedu.tui.screens.simulator import Views

    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 10, 0))
        await pilot.press("n")
        await _settle(app, pilot)
        sim, gen = screen.sim, screen.controller.generation
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen and not screen.is_attached
        sim.step()
        for message in (screen.Stepped(gen, sim, Views(n_done=2)), screen.Stopped(gen, sim, False),
                        screen.StepFailed(gen, sim, "late"), screen.ViewsReady(sim, Views(n_done=2)),
                        screen.LandscapeProgress(screen._token, 1, 2), screen.LandscapeReady(screen._token, None, "x")):
            handler = {screen.Stepped: screen._stepped, screen.Stopped: screen._stopped,
                       screen.StepFailed: screen._step_failed, screen.ViewsReady: screen._views_ready,
                       screen.LandscapeProgress: screen._landscape_progress,
                       screen.LandscapeReady: screen._landscape_ready}[type(message)]
            handler(message)  # as if it had been queued just before the screen went
        assert len(screen._trials) == 1  # nothing was drawn


async def test_the_free_simulator_runs_under_the_class_code(content) -> None:
    from hpedu.classroom import class_seed
    from hpedu.tui.app import make_app

    app = make_app(content=content, class_code="week3-lab")
    app.deep_check_delay = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SimulatorScreen)
        derived = class_seed("week3-lab", 0)
        assert screen.sim.trace.seed == derived != 0
        await pilot.press("n")
        await _settle(app, pilot)
        assert [t.params for t in screen.sim.trace.trials] == \
            [t.params for t in simulate("branin", "bayes", 30, derived).trials[:1]]
        await pilot.press("c")
        await pilot.pause()
        assert f"seed={derived}" in app.screen.query_one(TextArea).text
        assert "class code 'week3-lab'" in app.screen.query_one(TextArea).text


async def test_every_worker_imports_through_the_one_import_lock(content, monkeypatch) -> None:
    """The warm-up, the landscape, the steps and the previews of a model run
    import scikit-learn through ensure_imports (one thread at a time), never
    on the UI thread: `t` right after opening once failed with "cannot import
    name 'clone' from partially initialized module"."""
    import threading

    import hpedu.tui.screens.simulator as simulator

    calls: list[tuple[str, tuple[str, ...]]] = []
    original = simulator.ensure_imports

    def recording(modules):
        calls.append((threading.current_thread().name, tuple(modules)))
        original(modules)

    monkeypatch.setattr(simulator, "ensure_imports", recording)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_preset("logreg-c")
        await pilot.pause(0.1)
        await pilot.press("n")
        await _settle(app, pilot)
        assert app.screen.sim.n_done == 1
    main = threading.main_thread().name
    assert len(calls) >= 3 and all(name != main for name, _ in calls)
    assert all("sklearn.model_selection" in mods for _, mods in calls)
    assert any("sklearn.gaussian_process" in mods for _, mods in calls)


async def test_the_next_mark_on_the_map_is_the_next_trial_inside_the_plot_area(content) -> None:
    """On branin's acquisition map, ✚ is drawn in the plot area (never on its
    frame), in the cell of the trial that follows, at every step."""
    ref = simulate("branin", "bayes", 14, 0)
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 14, 0), inside=True)
        for k in range(1, 14):
            await pilot.press("n")
            await _settle(app, pilot)
            plot = screen.query_one("#sim-acq").plot
            r = plot.plot_region
            nxt = ref.trials[k].params
            cells = [cell for cell, _ in plot.drawn["next"]]
            assert cells == [plot._cell_of_axis(nxt["x1"], nxt["x2"])], f"after trial {k}"
            x, y = cells[0]
            assert r.x <= x < r.right and r.y <= y < r.bottom
            assert f"next ✚ x1={fmt(nxt['x1'])}, x2={fmt(nxt['x2'])}" in plot.plot_title


async def test_at_80x24_the_end_of_the_run_is_said_first(content) -> None:
    """The narration holds two lines at 80x24; the summary comes first so the
    last trial's (wrapped) line cannot push it out of sight."""
    app = _app(content)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 6, 0))
        await pilot.press("e")
        await _until(pilot, lambda: not screen.running)
        await _settle(app, pilot)
        first = screen.query_one("#sim-narration").render_line(0).text.strip()
        assert first.startswith("Done: 6 trials; best")


@pytest.mark.parametrize("size,room", [((80, 24), (78, 3)), ((119, 40), (117, 3)), ((120, 32), (118, 2)),
                                       ((160, 48), (158, 2))])
async def test_the_narration_has_the_room_its_lines_are_written_for(content, size, room) -> None:
    """tests/unit/test_narration_fits.py checks every bundled trial line against
    3 rows of 78 columns and 2 rows of 118: the screen gives at least that."""
    app = _app(content)
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 5, 0))
        await _settle(app, pilot)
        narration = screen.query_one("#sim-narration", Static)
        assert (narration.content_size.width, narration.content_size.height) == room

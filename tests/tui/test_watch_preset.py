"""`hpedu simulate --preset ID --watch` opens the simulator as the preset's Try it
would (looking inside for an "inside" preset), with the flags given over it."""

from __future__ import annotations

from pathlib import Path

from hpedu.cli import build_parser
from hpedu.commands.tuning import simulate_watch_app
from hpedu.tui.screens.simulator import SimulatorScreen

REPO = Path(__file__).resolve().parents[2]


async def test_watch_with_an_inside_preset_looks_inside() -> None:
    argv = ["--content", str(REPO / "content"), "simulate", "--preset", "bayes-1d-ucb", "--budget", "4", "--watch"]
    app = simulate_watch_app(build_parser().parse_args(argv))
    app.deep_check_delay = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            if isinstance(app.screen, SimulatorScreen) and app.screen.sim is not None:
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, SimulatorScreen) and screen.inside
        s = screen.settings
        assert (s.objective, s.method, s.budget, s.seed) == ("wave-1d", "bayes", 4, 0)
        assert s.options["acq"] == "ucb" and s.options["kappa"] == 2.0
        await app.workers.wait_for_complete()


async def test_watch_with_a_run_preset_does_not() -> None:
    argv = ["--content", str(REPO / "content"), "simulate", "--preset", "bayes-branin", "--budget", "3", "--watch"]
    app = simulate_watch_app(build_parser().parse_args(argv))
    app.deep_check_delay = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            if isinstance(app.screen, SimulatorScreen) and app.screen.sim is not None:
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, SimulatorScreen) and not app.screen.inside
        await app.workers.wait_for_complete()

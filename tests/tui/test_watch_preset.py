"""`hpedu simulate --preset ID --watch` opens the simulator as the preset's Try it
would (looking inside for an "inside" preset), with the flags given over it."""

from __future__ import annotations

from pathlib import Path

from hpedu.cli import build_parser
from hpedu.commands.tuning import simulate_watch_app
from hpedu.tui.screens.simulator import SimulatorScreen

REPO = Path(__file__).resolve().parents[2]


def _watch_app(preset: str, budget: int):
    argv = ["--content", str(REPO / "content"), "simulate", "--preset", preset, "--budget", str(budget), "--watch"]
    app = simulate_watch_app(build_parser().parse_args(argv))
    app.deep_check_delay = 3600
    return app


async def _simulator(app, pilot) -> SimulatorScreen:
    """The simulator the app opened, once its run is set up."""
    for _ in range(300):
        if isinstance(app.screen, SimulatorScreen) and app.screen.sim is not None:
            break
        await pilot.pause(0.02)
    assert isinstance(app.screen, SimulatorScreen)
    return app.screen


async def test_watch_with_an_inside_preset_looks_inside() -> None:
    app = _watch_app("bayes-1d-ucb", 4)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _simulator(app, pilot)
        assert screen.inside
        s = screen.settings
        assert (s.objective, s.method, s.budget, s.seed) == ("wave-1d", "bayes", 4, 0)
        assert s.options["acq"] == "ucb" and s.options["kappa"] == 2.0
        await app.workers.wait_for_complete()


async def test_watch_with_a_run_preset_does_not() -> None:
    app = _watch_app("bayes-branin", 3)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _simulator(app, pilot)
        assert not screen.inside
        await app.workers.wait_for_complete()

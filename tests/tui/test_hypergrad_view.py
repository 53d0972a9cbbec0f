"""The simulator on a hypergradient run: the curve, the steps, the slope and the
next step on screen are the engine's (references computed with `simulate` and
the objective's own gradient)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from textual.widgets import Static

from hpedu.simulation import SimSettings
from hpedu.tui.screens.simulator import SimulatorScreen
from hpedu.tui.widgets.hypergrad_view import HypergradPlot
from hpedu.tuning import get_objective, simulate


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))


async def _settle(app, pilot) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _series(plot: HypergradPlot, part: str):
    return next((s for s in plot._series if part in s.name), None)


def _marks(plot: HypergradPlot, role: str) -> list:
    return [m for m in (plot._marks or []) if m.role == role]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_steps_walk_the_curve_with_the_engines_slope(bundled_app, size) -> None:
    lr = 0.004  # large enough to bounce
    ref = simulate("ridge-diabetes", "hypergradient", 5, 0, options={"hyper_lr": lr})
    grad = get_objective("ridge-diabetes").gradient
    app = bundled_app()
    async with app.run_test(size=size) as pilot:
        app.open_simulation(SimSettings("ridge-diabetes", "hypergradient", 5, 0, options={"hyper_lr": lr}))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulatorScreen)
        await _settle(app, pilot)
        plot = screen.query_one("#sim-hypergrad", HypergradPlot)
        assert plot.display and not screen.query_one("#sim-line").display
        curve = _series(plot, "display only")
        assert curve is not None and "grid points" in curve.name
        # a thin dotted line, as its legend shows; the steps are a thick line: told apart without colour
        assert curve.thin and curve.dash == "dotted"
        assert _marks(plot, "next")[0].x == 0.0  # the first trial: alpha = 1
        for k in range(1, 6):
            await pilot.press("n")
            await _settle(app, pilot)
            xs = [math.log10(t.params["alpha"]) for t in ref.trials[:k]]
            path = _series(plot, "steps")
            assert not path.thin
            assert list(path.x) == pytest.approx(xs, abs=1e-12)
            assert list(path.y) == [t.value for t in ref.trials[:k]]
            assert [(m.x, m.y) for m in _marks(plot, "trial")] == list(zip(path.x, path.y))  # one ● per trial
            slope = grad(ref.trials[k - 1].params)["alpha"]
            assert plot.state.slope == pytest.approx(slope, rel=1e-12)
            tangent = _series(plot, "slope")
            assert np.diff(tangent.y)[0] / np.diff(tangent.x)[0] == pytest.approx(slope, rel=1e-9)
            if k < 5:  # the next step: -lr x slope, within the bounds
                assert _marks(plot, "next")[0].x == pytest.approx(max(-4.0, min(4.0, xs[-1] - lr * slope)))
                assert math.log10(ref.trials[k].params["alpha"]) == pytest.approx(_marks(plot, "next")[0].x)
            else:
                assert not _marks(plot, "next") and plot.state.caption.endswith("run over")
        narration = str(screen.query_one("#sim-narration", Static).render())
        assert "hypergradient step 4: slope" in narration
        # the walk bounced: it went up the right wall, then far to the left
        assert max(np.diff(_series(plot, "steps").x)) > 1 and min(np.diff(_series(plot, "steps").x)) < -1
        app.save_screenshot(f"/tmp/hg/hypergrad_{size[0]}x{size[1]}.svg")


async def test_other_methods_on_ridge_draw_the_true_curve_not_the_steps(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_simulation(SimSettings("ridge-diabetes", "grid", 4, 0))
        await pilot.pause()
        screen = app.screen
        await _settle(app, pilot)
        await pilot.press("n")
        await _settle(app, pilot)
        assert screen.query_one("#sim-line").display and not screen.query_one("#sim-hypergrad").display
        assert screen.truth_line is not None  # computed in a worker from the objective's fn_batch

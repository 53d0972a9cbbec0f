"""Median time per simulator step (engine + redraw), driven through the pilot.

Opens the simulator on the `bayes-branin` settings (Bayesian optimization on
Branin, seed 0) in a headless Textual app and presses `n` up to 30 times.
Each step is timed from the key press to the moment the screen has been
redrawn with the new trial (a `call_after_refresh` callback queued when the
`Stepped` handler draws its last plot). The engine's share (the controller's `step`:
ask + evaluate + tell, in the worker thread) is timed separately. The pilot's
own idle waits between steps are not counted.

    python benchmarks/simulator_step.py [--trials 30] [--inside] [--size 160x48] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from hpedu.cli import prepare_numpy

prepare_numpy()  # as `hpedu` does before numpy is loaded

from hpedu.content import load_content  # noqa: E402
from hpedu.tui.app import make_app  # noqa: E402
from hpedu.tui.screens.simulator import SimulatorScreen  # noqa: E402
from hpedu.simulation import SimSettings, Simulation  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


async def measure(trials: int, inside: bool, size: tuple[int, int]) -> dict:
    engine: list[float] = []
    original_step = Simulation.step

    def timed_step(self):  # wraps the controller's step to time the engine alone
        t0 = time.perf_counter()
        out = original_step(self)
        engine.append(time.perf_counter() - t0)
        return out

    drawn: list[float] = []
    original_draw = SimulatorScreen._draw_curve

    def draw_curve(self):  # the last drawing of the Stepped handler: wait for the repaint, then stamp
        original_draw(self)
        self.app.call_after_refresh(lambda: drawn.append(time.perf_counter()))

    Simulation.step = timed_step
    SimulatorScreen._draw_curve = draw_curve
    app = make_app(content=load_content(REPO / "content"))
    app.deep_check_delay = 3600
    totals: list[float] = []
    try:
        async with app.run_test(size=size) as pilot:
            app.open_simulation(SimSettings("branin", "bayes", trials, 0), inside=inside)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            drawn.clear()
            for i in range(trials):
                t0 = time.perf_counter()
                await pilot.press("n")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert len(drawn) == i + 1
                totals.append(drawn[-1] - t0)
            screen = app.screen
            assert screen.sim.n_done == trials, screen.sim.n_done
    finally:
        Simulation.step = original_step
        SimulatorScreen._draw_curve = original_draw
    model = totals[screen.sim.strategy.n_initial:]
    return {
        "trials": trials,
        "inside": inside,
        "size": list(size),
        "median_ms": 1000 * statistics.median(totals),
        "median_ms_model_phase": 1000 * statistics.median(model) if model else None,
        "max_ms": 1000 * max(totals),
        "median_engine_ms": 1000 * statistics.median(engine),
        "per_step_ms": [round(1000 * t, 1) for t in totals],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=30)
    p.add_argument("--inside", action="store_true", help="with the look inside (acquisition heatmap) shown")
    p.add_argument("--size", default="160x48")
    p.add_argument("--json", metavar="PATH")
    args = p.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    result = asyncio.run(measure(args.trials, args.inside, size))
    print(f"bayes on branin, {args.trials} trials, {'with' if args.inside else 'without'} the look inside, "
          f"{size[0]}x{size[1]}: median {result['median_ms']:.1f} ms per step "
          f"(model phase {result['median_ms_model_phase']:.1f} ms, max {result['max_ms']:.1f} ms; "
          f"engine alone median {result['median_engine_ms']:.1f} ms)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

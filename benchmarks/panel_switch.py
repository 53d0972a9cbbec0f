"""Time to switch panels with `v` (simulator and compare), driven through the pilot.

Opens a preset in a headless Textual app, steps a few trials (simulator),
then presses `v` N times. Each switch is timed from the key press to the
last frame painted for it (frames are counted at the app's display call;
a frame painted before the panel is right counts as an extra frame). The
pilot's own idle waits are not counted. Figures are wall-clock times: on
a shared machine run it with nothing else busy, or read `--cpu` too.

    python benchmarks/panel_switch.py [--preset random-2d] [--switches 20] [--size 80x24] [--steps 4]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from hpedu.cli import prepare_numpy

prepare_numpy()  # as `hpedu` does before numpy is loaded

from hpedu.content import load_content  # noqa: E402
from hpedu.tui.app import make_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


async def measure(preset: str, switches: int, size: tuple[int, int], steps: int) -> dict:
    app = make_app(content=load_content(REPO / "content"))
    app.deep_check_delay = 3600
    painted: list[float] = []
    display = app._display

    def record(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            painted.append(time.perf_counter())

    app._display = record
    wall, cpu, frames = [], [], []
    async with app.run_test(size=size) as pilot:
        app.open_preset(preset)
        await pilot.pause()
        for _ in range(steps):
            await app.workers.wait_for_complete()
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(switches):
            for _ in range(4):
                await pilot.pause(0.05)
            painted.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("v")
            c1 = time.process_time()
            for _ in range(6):
                await pilot.pause(0.05)
            if painted:
                wall.append((painted[-1] - t0) * 1000)
                frames.append(len(painted))
                cpu.append((c1 - c0) * 1000)
    return {"wall": wall, "cpu": cpu, "frames": frames}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="random-2d")
    parser.add_argument("--switches", type=int, default=20)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--steps", type=int, default=4)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    r = asyncio.run(measure(args.preset, args.switches, (w, h), args.steps))
    print(f"{args.preset} at {args.size}, {len(r['wall'])} switches with v:")
    print(f"  to the last frame: median {statistics.median(r['wall']):.0f} ms, max {max(r['wall']):.0f} ms")
    print(f"  CPU of the key's handling (this process): median {statistics.median(r['cpu']):.0f} ms")
    print(f"  frames painted per switch: median {statistics.median(r['frames']):.0f}, max {max(r['frames'])}")


if __name__ == "__main__":
    main()

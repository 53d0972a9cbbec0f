"""Time from a fresh cache folder to a drawn landscape, for the first "Try it".

The first step of the home screen's path is the glossary entry
'hyperparameter'; its Try it opens the preset svc-digits (an SVC on digits,
whose landscape is 144 cross-validated SVCs). Each run is a fresh Python
process with an empty HPEDU_CACHE_DIR: it starts the app headless as `hpedu`
does (pinned numpy, the bundled content), waits for the home screen, makes
the Try it call the glossary screen makes, and waits until the landscape
panel holds the landscape and has been refreshed once. Figures per run:

- try it -> drawn: from the Try it to the drawn landscape (target <= 2 s);
- landscape: the part of it spent getting the landscape (reading the shipped
  file, or training);
- cpu: the processor time the process used between the Try it and the drawn
  landscape (all its threads). On a busy shared machine the wall times
  stretch with the load; this does not, and on an idle machine the wall time
  from Try it to drawn is at most about this (it is mostly one thread's work);
- process: from the process start to the drawn landscape (imports, start-up).

For scale, the same is timed for bayes-branin, the same screen and method on
a synthetic function (no model, no scikit-learn): the floor a model preset
cannot go below. The two alternate, so machine noise hits both alike.

The app starts as it does for a learner, its background start-up work
included (a second after the first screen it imports the engine, scipy among
it, under the import lock, then checks the presets). `--waits` says how long
after the first screen the Try it comes: 0 is the worst case (before that
work has even started); a learner reaches the first Try it after opening the
path's first entry and reading it, a few seconds at least.

    python benchmarks/first_try.py [--runs 5] [--waits 0,3] [--train]

`--train` hides the shipped landscapes (as with another scikit-learn
version), so the landscape is trained: about a minute per run here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import asyncio, json, sys, time
start = time.perf_counter()
from hpedu.cli import prepare_numpy
prepare_numpy()
from hpedu.content import load_content
from hpedu.content.locate import bundled_content_dir
from hpedu.tui.app import make_app
import hpedu.tuning.landscape as landscape

if sys.argv[1] == "train":
    landscape.SHIPPED_DIR = landscape.SHIPPED_DIR / "hidden-by-the-benchmark"
spent = [0.0]

def timed(fn):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t
    return wrapper

landscape.shipped_landscape = timed(landscape.shipped_landscape)
landscape.evaluate_landscape = timed(landscape.evaluate_landscape)

async def main():
    content = load_content(bundled_content_dir())
    app = make_app(content=content)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(float(sys.argv[3]))  # the learner reading before the Try it
        await pilot.pause()
        preset = content.entries["hyperparameter"].simulation if sys.argv[2] == "first" else sys.argv[2]
        t0, c0 = time.perf_counter(), time.process_time()
        app.open_preset(preset)  # what the glossary's Try it (t) calls
        while True:
            await pilot.pause(0.002)
            screen = app.screen
            plot = screen.query("#sim-landscape").first() if screen.query("#sim-landscape") else None
            if plot is not None and plot.value_range is not None and screen.landscape is not None:
                break
        await pilot.pause()  # one refresh with the landscape in it
        t1, c1 = time.perf_counter(), time.process_time()
        land = screen.landscape
        return {"preset": preset, "try_it": t1 - t0, "process": t1 - start - float(sys.argv[3]),
                "landscape": spent[0], "cpu": c1 - c0, "shipped": bool(land.shipped),
                "from_cache": bool(land.from_cache)}

print(json.dumps(asyncio.run(main())))
"""


def run_once(train: bool, preset: str = "first", wait: float = 0.0) -> dict:
    with tempfile.TemporaryDirectory(prefix="hpedu-first-try-") as cache:
        env = {**os.environ, "HPEDU_CACHE_DIR": cache}
        done = subprocess.run([sys.executable, "-c", CHILD, "train" if train else "shipped", preset, str(wait)],
                              env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the run of {preset} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(label: str, results: list[dict], target: str = "") -> None:
    print(label)
    for key, name in (("try_it", "try it -> drawn              "), ("landscape", "  of it landscape            "), ("cpu", "  cpu time used              "),
                      ("process", "process -> drawn (less the wait)")):
        values = [r[key] for r in results]
        print(f"  {name}: median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f})"
              + (target if key == "try_it" else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--train", action="store_true", help="hide the shipped landscapes (trains the SVCs)")
    parser.add_argument("--waits", default="0,3",
                        help="seconds between the first screen and the Try it, comma-separated (default 0,3)")
    args = parser.parse_args()
    for wait in [float(w) for w in args.waits.split(",")]:
        results, floor = [], []
        for _ in range(args.runs):
            results.append(run_once(args.train, "first", wait))
            floor.append(run_once(False, "bayes-branin", wait))
        how = "trained" if args.train else ("shipped" if all(r["shipped"] for r in results) else "NOT shipped")
        summary(f"first Try it {wait:g} s after the first screen ({results[0]['preset']}, fresh cache, landscape "
                f"{how}), {args.runs} runs:", results, "  target <= 2 s")
        summary("for scale, bayes-branin (same screen and method, no model):", floor)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

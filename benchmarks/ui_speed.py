"""How long the glossary and the simulator's panels take to answer a key.

Headless, with Textual's pilot (`App.run_test(size=...)`), at 80x24 and
160x48, the app built as `hpedu` builds it (pinned numpy, the bundled
content, its background start-up work included). Each figure runs from the
key press until the first frame Textual paints with the result in it (work
the app does after that frame, such as building the next entries ahead, is
not counted):

- glossary first open: `g` on the home screen until the glossary shows its
  first entry with its body rendered (Markdown blocks mounted). Each
  repetition is a fresh process, as a learner's first open is;
- entry switch: Down in the term list until the entry view shows the next
  entry, title and body both (the body's Markdown is the new entry's and
  mounted); `--gap` seconds pass between one answer and the next press
  (0.05: scanning the list; 1: reading each entry a moment);
- `v`: the simulator (the bayes-branin preset, a few trials run) switches
  to its next panel, until the screen has the new panel laid out and drawn.

Median and max wall time over the repetitions (about 20 each), and the
median processor time the process used meanwhile (all threads: on a busy
shared machine the wall time stretches with the load, this does not),
printed as a table, with the time a fixed pure-Python loop takes at the end:
the machine is shared, and the same code's entry switch measured 76 and 97 ms
within one hour, so compare runs by that figure too. Target: <= 100 ms median
for the entry switch and for `v`.

    python benchmarks/ui_speed.py [--reps 20] [--first-reps 10] [--sizes 80x24,160x48] [--gap 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import time

#: how long to wait for one answer before calling it a failure
TIMEOUT = 30.0


def _app():
    from hpedu.cli import prepare_numpy

    prepare_numpy()
    from hpedu.content import load_content
    from hpedu.content.locate import bundled_content_dir
    from hpedu.tui.app import make_app

    return make_app(content=load_content(bundled_content_dir()))


#: screen id -> (screen, entry view, its title, its body container), found once
_PROBES: dict[int, tuple] = {}


def _entry_shown(screen, entry_id: str) -> bool:
    """The entry view shows `entry_id`: its title and its body, mounted."""
    from textual.widgets import Markdown, Static

    from hpedu.tui.widgets.entry_view import EntryView

    # The probe runs at every painted frame, inside the timed span: its DOM queries
    # (a walk over every widget of the screen) are done once per screen, not per frame.
    found = _PROBES.get(id(screen))
    if found is None or found[0] is not screen:
        views = screen.query(EntryView)
        if not views:
            return False
        view = views.first()
        found = _PROBES[id(screen)] = (screen, view, view.query_one("#entry-title", Static), view.query_one("#entry-body"))
    _, view, title_widget, body = found
    entry = view._content.entries[entry_id]
    title = str(title_widget.render())
    if not isinstance(body, Markdown):  # one Markdown page per entry inside #entry-body (since 2026-12-02)
        body = view.body
    return (title.startswith(entry.term) and view.entry is entry and body is not None and body.display
            and body.source == view._body and not body.lock.is_locked and len(body.children) > 0)


class Paints:
    """Records each frame the app paints (headless, Textual still renders every
    update and hands it to `App._display`), with whether `done()` held then."""

    def __init__(self, app) -> None:
        self.done = lambda: False
        self.frames: list[tuple[float, float, bool]] = []
        original = app._display

        def display(screen, renderable) -> None:
            if renderable is not None:
                self.frames.append((time.perf_counter(), time.process_time(), bool(self.done())))
            return original(screen, renderable)

        app._display = display

    async def answer(self, done, what: str, t0: float, c0: float) -> tuple[float, float]:
        """Wall and processor time from (t0, c0) to the first frame painted with `done()` true."""
        self.done = done
        start = len(self.frames)
        deadline = time.perf_counter() + TIMEOUT
        while True:
            for t, c, ok in self.frames[start:]:
                if ok:
                    self.done = lambda: False
                    return t - t0, c - c0
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            await asyncio.sleep(0.001)


async def _until(pilot, done, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.001)
    await pilot.pause()  # one refresh with it on screen


async def first_open(size: tuple[int, int]) -> float:
    from hpedu.tui.screens.glossary import GlossaryScreen

    app = _app()
    paints = Paints(app)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)  # the home screen settled

        def shown() -> bool:
            screen = app.screen
            return isinstance(screen, GlossaryScreen) and screen.current_id is not None and _entry_shown(
                screen, screen.current_id)

        t0, c0 = time.perf_counter(), time.process_time()
        answer = asyncio.ensure_future(paints.answer(shown, "the glossary", t0, c0))
        await pilot.press("g")
        return await answer


async def entry_switches(size: tuple[int, int], reps: int, gap: float) -> list[tuple[float, float]]:
    from hpedu.tui.widgets.entry_list import EntryList

    app = _app()
    paints = Paints(app)
    times = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        await pilot.press("g")
        screen = app.screen
        await _until(pilot, lambda: screen.current_id is not None and _entry_shown(screen, screen.current_id),
                     "the glossary")
        await pilot.pause(0.5)
        entries = screen.query_one(EntryList)
        entries.focus()
        await pilot.pause()
        for _ in range(reps):
            ids = entries.shown_ids
            target = ids[(ids.index(screen.current_id) + 1) % len(ids)]
            t0, c0 = time.perf_counter(), time.process_time()
            answer = asyncio.ensure_future(paints.answer(lambda: _entry_shown(screen, target), target, t0, c0))
            await pilot.press("down" if target != ids[0] else "home")
            times.append(await answer)
            await pilot.pause()
            await pilot.pause(gap)
    return times


async def view_switches(size: tuple[int, int], reps: int, gap: float) -> list[tuple[float, float]]:
    app = _app()
    paints = Paints(app)
    times = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        app.open_preset("bayes-branin")
        for _ in range(2000):
            await pilot.pause(0.01)
            if getattr(app.screen, "sim", None) is not None:
                break
        screen = app.screen
        for _ in range(5):  # a few trials, so every panel has something to draw
            await pilot.press("n")
            await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        for _ in range(reps):
            before = screen.view
            t0, c0 = time.perf_counter(), time.process_time()
            answer = asyncio.ensure_future(paints.answer(lambda: screen.view != before, "the next panel", t0, c0))
            await pilot.press("v")
            times.append(await answer)
            await pilot.pause()
            await pilot.pause(gap)
    return times


def _child(kind: str, size: tuple[int, int], reps: int, gap: float = 0.05) -> None:
    if kind == "first":
        result = [asyncio.run(first_open(size))]
    elif kind == "switch":
        result = asyncio.run(entry_switches(size, reps, gap))
    else:
        result = asyncio.run(view_switches(size, reps, gap))
    print(json.dumps(result))


def _run(kind: str, size: str, reps: int, gap: float) -> list[list[float]]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, size, str(reps), str(gap)],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{kind} at {size} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def reference_loop_ms() -> float:
    """The best of three runs of a fixed 5-million-step Python loop (how fast this machine is now)."""
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for i in range(5_000_000):
            total += i * i
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        w, h = map(int, sys.argv[3].split("x"))
        _child(sys.argv[2], (w, h), int(sys.argv[4]), float(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20, help="repetitions of the entry switch and of v")
    parser.add_argument("--first-reps", type=int, default=10, help="fresh processes for the glossary's first open")
    parser.add_argument("--sizes", default="80x24,160x48")
    parser.add_argument("--only", default="first,switch,v", help="which measures, comma-separated")
    parser.add_argument("--gap", type=float, default=0.05,
                        help="seconds between an answer and the next key of the entry switch and of v (default 0.05)")
    args = parser.parse_args()
    only = args.only.split(",")
    rows = []
    for size in args.sizes.split(","):
        if "first" in only:
            rows.append(("glossary first open (g)", size,
                         [t for _ in range(args.first_reps) for t in _run("first", size, 1, args.gap)]))
        if "switch" in only:
            rows.append(("entry switch (Down)", size, _run("switch", size, args.reps, args.gap)))
        if "v" in only:
            rows.append(("simulator panel (v)", size, _run("v", size, args.reps, args.gap)))
    print(f"gap between answer and next key: {args.gap:g} s")
    print(f"{'what':<26} {'size':>7} {'n':>3} {'median ms':>10} {'max ms':>8} {'cpu ms':>7}")
    for what, size, times in rows:
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        print(f"{what:<26} {size:>7} {len(times):>3} {statistics.median(wall) * 1000:>10.0f} "
              f"{max(wall) * 1000:>8.0f} {statistics.median(cpu) * 1000:>7.0f}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"reference loop {reference_loop_ms():.0f} ms")


if __name__ == "__main__":
    main()

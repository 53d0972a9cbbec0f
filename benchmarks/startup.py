"""Time to first screen: hpedu vs a minimal Textual app showing the same Markdown.

Each run is a fresh Python process that builds the app, waits for the first
screen to be painted (headless), then exits; the figure is the wall time of
the whole process. The two apps alternate so machine noise hits both alike.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

# hpedu exactly as the `hpedu` command starts it (argument parsing, content,
# learner profile, app), headless, leaving after the first screen.
HPEDU = """
import sys
from hpedu import cli
from hpedu.tui.app import HpeduApp
on_mount, run = HpeduApp.on_mount, HpeduApp.run
def timed_on_mount(self):
    on_mount(self)
    self.call_after_refresh(lambda: self.call_after_refresh(self.exit))
HpeduApp.on_mount = timed_on_mount
HpeduApp.run = lambda self, *a, **k: run(self, headless=True, size=(120, 40))
sys.exit(cli.main([]))
"""

MINIMAL = """
from pathlib import Path
from textual.app import App
from textual.widgets import Markdown, Footer
import hpedu.tui.screens.home as home
class Minimal(App):
    def compose(self):
        yield Markdown(home.WELCOME)
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(lambda: self.call_after_refresh(self.exit))
Minimal().run(headless=True, size=(120, 40))
"""

# The minimal app imports hpedu.tui.screens.home only for the text; import the
# text without the rest so it stays minimal.
MINIMAL = MINIMAL.replace(
    "import hpedu.tui.screens.home as home",
    "import ast, pathlib, hpedu\n"
    "src = (pathlib.Path(hpedu.__file__).parent / 'tui/screens/home.py').read_text()\n"
    "home = type('H', (), {'WELCOME': next(n.value.value for n in ast.parse(src).body "
    "if isinstance(n, ast.Assign) and n.targets[0].id == 'WELCOME')})",
)


def time_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    time_once(MINIMAL), time_once(HPEDU)  # warm the file cache
    mins, hps = [], []
    for _ in range(args.runs):
        mins.append(time_once(MINIMAL))
        hps.append(time_once(HPEDU))
    m, h = statistics.median(mins), statistics.median(hps)
    print(f"minimal Textual app: median {m * 1000:.0f} ms  (min {min(mins) * 1000:.0f})")
    print(f"hpedu home screen:   median {h * 1000:.0f} ms  (min {min(hps) * 1000:.0f})")
    print(f"ratio hpedu / minimal: {h / m:.2f}  (target <= 1.20)")
    probe = "import sys, hpedu.tui.app; print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    heavy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    print(f"heavy modules imported on the start-up path: {heavy}")


if __name__ == "__main__":
    main()

"""Load on `hpedu serve`: N learners at once in headless chromium (Debian's, via Playwright).

    nice -n 10 python benchmarks/serve_load.py [N ...]      (default: 10 20 30)

For each N, on one server started for the run:
- time from opening the page to the first drawn home screen (median, max);
- memory (RSS) of each session's app process (median, max) once every home screen is up,
  and again after each has opened the simulator and stepped it;
- the server's CPU (its own process, not the sessions') and the sessions' CPU together,
  idle for 10 s, then while every learner opens the simulator (s) and steps it (n) 10 times.

The browser runs on the same machine and takes its share of the CPU: the
figures are for a laptop that also draws the tabs, i.e. a pessimistic case.
Figures: benchmarks/README.md ("hpedu serve under load").
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("serve_conftest", ROOT / "tests" / "browser" / "conftest.py")
conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conftest)
screen = conftest.screen
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mb(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None  # ended
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_share(server_pid: int, kids: list[int], seconds: float, during=None) -> tuple[float, float]:
    """(server %, sessions %) of one core over `seconds` (or over the call to `during`)."""
    s0, k0, t0 = cpu_seconds(server_pid), sum(cpu_seconds(k) for k in kids), time.monotonic()
    if during is None:
        time.sleep(seconds)
    else:
        during()
    elapsed = time.monotonic() - t0
    s1, k1 = cpu_seconds(server_pid), sum(cpu_seconds(k) for k in kids)
    return 100 * (s1 - s0) / elapsed, 100 * (k1 - k0) / elapsed


def wait_all(pages, text: str, t0: dict, timeout: float = 300) -> list[float]:
    """Seconds from each page's t0 until it shows `text` (polled round-robin)."""
    done: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(pages):
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(pages) - len(done)} pages never showed {text!r}")
        for i, page in enumerate(pages):
            if i not in done and text in screen.screen_text(page):
                done[i] = time.monotonic() - t0[i]
        time.sleep(0.05)
    return [done[i] for i in range(len(pages))]


def run(n: int, served, browser) -> dict:
    pages, t0 = [], {}
    for i in range(n):
        page = screen.new_page(browser, width=1000, height=620)
        t0[i] = time.monotonic()
        page.goto(served.url(name=f"learner{i}"), wait_until="commit")
        pages.append(page)
    first = wait_all(pages, "Suggested path", t0)
    kids = served.wait_children(n)
    time.sleep(3)  # the start-up's background check (1 s after the first screen)
    rss_home = [rss_mb(k) for k in kids]
    idle = cpu_share(served.proc.pid, kids, 10)

    def step_everyone() -> None:
        for page in pages:
            screen.press(page, "s")
        wait_all(pages, "n Step", {i: time.monotonic() for i in range(n)})
        for _ in range(10):
            for page in pages:
                screen.press(page, "n")
            time.sleep(0.5)
        time.sleep(2)

    started = time.monotonic()
    busy = cpu_share(served.proc.pid, kids, 0, during=step_everyone)
    busy_seconds = time.monotonic() - started
    rss_sim = [r for r in (rss_mb(k) for k in kids) if r is not None]
    ended = n - len(rss_sim)
    if ended:
        print(f"{ended} session(s) ended while stepping; the server's output:\n" + served.output[-3000:], flush=True)
    for page in pages:
        page.close()
    served.wait_children(0, timeout=120)
    return {"n": n, "first": first, "rss_home": rss_home, "rss_sim": rss_sim or [0.0], "idle": idle, "busy": busy,
            "busy_seconds": busy_seconds}


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    sizes = [int(a) for a in argv] or [10, 20, 30]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        served = conftest.Served(["--max-sessions", str(max(sizes))], Path(tmp) / "class")
        browser = screen.launch(playwright)
        print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
        print("| learners | first screen median / max (s) | RSS per session, home: median / max (MB) "
              "| after stepping (MB) | server CPU idle / stepping (% of a core) | sessions' CPU idle / stepping |")
        print("|---|---|---|---|---|---|")
        try:
            for n in sizes:
                r = run(n, served, browser)
                print(f"| {n} | {statistics.median(r['first']):.1f} / {max(r['first']):.1f} "
                      f"| {statistics.median(r['rss_home']):.0f} / {max(r['rss_home']):.0f} "
                      f"| {statistics.median(r['rss_sim']):.0f} / {max(r['rss_sim']):.0f} "
                      f"| {r['idle'][0]:.1f} / {r['busy'][0]:.1f} | {r['idle'][1]:.0f} / {r['busy'][1]:.0f} "
                      f"(stepping took {r['busy_seconds']:.0f} s) |", flush=True)
        finally:
            browser.close()
            served.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

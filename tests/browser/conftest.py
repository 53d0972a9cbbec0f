"""Fixtures for the browser tests: `hpedu serve` as a real subprocess on a
free port, Debian's chromium driven by Playwright, and the screen reader
(screen.py).

These tests never skip: on a machine set up by .ci/run, a missing chromium
or Playwright is a failure (the import below, or the launch).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import sync_playwright

_spec = importlib.util.spec_from_file_location("hpedu_browser_screen", Path(__file__).with_name("screen.py"))
screen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screen)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


class Served:
    """One `hpedu serve` process."""

    def __init__(self, args: list[str], data: Path) -> None:
        self.port = free_port()
        self.data = data
        env = dict(os.environ, HPEDU_DATA_DIR=str(data.parent / "own-data"), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hpedu", "serve", "--port", str(self.port), "--data", str(data), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 60
        while not any(line.startswith("hpedu serve: open ") for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("hpedu serve did not start:\n" + "".join(self.lines))
            time.sleep(0.05)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_output(self, text: str, timeout: float = 10.0) -> bool:
        """Whether the server printed `text` within `timeout` seconds (its output is read by a thread)."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def url(self, **query: str) -> str:
        return f"http://127.0.0.1:{self.port}/" + (f"?{urlencode(query)}" if query else "")

    def children(self) -> list[int]:
        return children(self.proc.pid)

    alive = staticmethod(alive)

    def wait_children(self, count: int, timeout: float = 60.0) -> list[int]:
        """The app processes once there are exactly `count`; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            kids = self.children()
            if len(kids) == count or time.monotonic() > deadline:
                assert len(kids) == count, f"{len(kids)} app processes, expected {count}"
                return kids
            time.sleep(0.1)

    def profile(self, name: str) -> Path:
        return self.data / "profiles" / f"{name}.json"

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("hpedu serve did not stop within 30 s of " + signal.Signals(sig).name)


@pytest.fixture
def serve(tmp_path):
    """serve(*args) starts `hpedu serve --port P --data DIR *args`; every server is stopped afterwards."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = Served(list(args), tmp_path / f"class{len(started)}")
        started.append(served)
        return served

    yield start
    for served in started:
        kids = served.children()
        served.stop()
        for pid in kids:  # stopping the server ends every session
            deadline = time.monotonic() + 10
            while alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not alive(pid), f"session process {pid} outlived its server"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = screen.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def ui():
    """The screen reader: ui.new_page(browser), ui.wait_for_text(page, text), ui.press(page, key), ui.screen_text(page)."""
    return screen

"""Ctrl-C stops a long `hpedu compare` for real: exit 130, no traceback, no process left behind.

The command runs in its own session and gets SIGINT on its whole process
group, as a terminal's Ctrl-C delivers it (to the worker processes too).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

LONG = ["compare", "--objective", "hartmann6", "--methods", "bayes,tpe,random", "--budget", "300", "--seeds", "50"]


def _children(pid: int) -> set[int]:
    """Every descendant of `pid` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie computes nothing; it only waits to be reaped


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_stops_a_long_parallel_compare_with_exit_130() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hpedu", *LONG, "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        # wait until the work is under way: its two worker processes exist
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2, 60), "the comparison never started its workers"
        time.sleep(3.0)  # inside the runs (imports done, trials being computed)
        assert proc.poll() is None, "the comparison ended before it was interrupted"
        children = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)  # generous: it should take well under a second
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert out == ""
    assert _wait_for(lambda: not any(_alive(c) for c in children), 10), \
        f"processes left running: {[c for c in children if _alive(c)]}"

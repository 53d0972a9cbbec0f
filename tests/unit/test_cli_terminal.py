"""Opening the app where there is no terminal: one line and exit 2, at once (it used to hang)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HPEDU = [sys.executable, "-m", "hpedu"]


def _env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TEXTUAL_DRIVER", None)
    env["HPEDU_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.parametrize("args", [[], ["app"], ["simulate", "--objective", "branin", "--method", "random",
                                                "--budget", "3", "--watch"]])
def test_no_terminal_gives_one_line_and_exit_2(tmp_path, args: list[str]) -> None:
    proc = subprocess.run(HPEDU + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=60, env=_env(tmp_path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0] and "standard input" in lines[0]
    assert proc.stdout == ""


def test_output_to_a_file_is_not_a_terminal_either(tmp_path) -> None:
    main, other = os.openpty()
    try:
        with open(tmp_path / "out.txt", "w") as out:
            proc = subprocess.run(HPEDU, stdin=other, stdout=out, stderr=subprocess.PIPE, text=True,
                                  timeout=60, env=_env(tmp_path))
    finally:
        os.close(main)
        os.close(other)
    assert proc.returncode == 2
    assert "standard output is not one" in proc.stderr


def test_missing_content_folder_in_a_terminal_is_a_message_not_a_traceback(tmp_path) -> None:
    main, other = os.openpty()
    try:
        proc = subprocess.run(HPEDU + ["--content", str(tmp_path / "missing")], stdin=other, stdout=other,
                              stderr=subprocess.PIPE, text=True, timeout=60, env=_env(tmp_path))
    finally:
        os.close(main)
        os.close(other)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "content folder not found" in proc.stderr

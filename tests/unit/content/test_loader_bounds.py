"""The loader reads regular files only, within a size limit, and never blocks:
pipes, devices, links leaving the folder and subfolders are reported; control
characters are replaced and reported; keys that are not names are located
errors; loading is linear in an exercise's steps."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpedu.content import load_content

LIMIT = 256 * 1024  # the documented size limit of one content file

ENTRY = """\
---
id: {id}
term: {term}
category: concept
summary: A short summary.
related: [learning-rate]
---
## Key takeaways
- One thing to remember.
- Another thing to remember.

## Definition
{body}
"""


def problems_for(content, path: Path) -> list[str]:
    return [p.message for p in content.problems if p.path == path]


def run_hpedu(*args: str, timeout: float = 60, memory: int | None = None) -> subprocess.CompletedProcess:
    """`python -m hpedu ARGS` in a subprocess: a regression that blocks or
    reads without end fails on the timeout (or the memory cap) instead of
    hanging the test run."""

    def limit() -> None:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "hpedu", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_a_fifo_is_reported_and_check_returns(good_content: Path) -> None:
    fifo = good_content / "glossary" / "pipe.md"
    os.mkfifo(fifo)
    done = run_hpedu("check", "--content", str(good_content))
    assert f"{fifo}:1: a named pipe (FIFO), not a regular file: not read" in done.stdout
    assert done.returncode == 1
    assert "3 glossary entries" in done.stderr  # every other entry still loads
    # a plain load goes through the content cache, which must not read the pipe either
    listed = run_hpedu("glossary", "--content", str(good_content))
    assert listed.returncode == 0 and "Learning rate" in listed.stdout


def test_a_link_to_dev_zero_is_not_read(good_content: Path) -> None:
    link = good_content / "glossary" / "zero.md"
    link.symlink_to("/dev/zero")
    done = run_hpedu("check", "--content", str(good_content), memory=2 * 1024**3)
    assert f"{link}:1: a symbolic link to /dev/zero, outside the content folder" in done.stdout, done.stderr[-2000:]
    assert "3 glossary entries" in done.stderr


def test_links_inside_the_folder_are_read_links_leaving_it_are_not(good_content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ENTRY.format(id="elsewhere", term="Elsewhere", body="Text."), encoding="utf-8")
    (good_content / "glossary" / "elsewhere.md").symlink_to(outside)
    shared = good_content / "shared.md"
    shared.write_text(ENTRY.format(id="shared", term="Shared", body="Text."), encoding="utf-8")
    (good_content / "glossary" / "shared.md").symlink_to(Path("..") / "shared.md")
    content = load_content(good_content, deep=True)
    message, = problems_for(content, good_content / "glossary" / "elsewhere.md")
    assert message.startswith(f"a symbolic link to {outside}, outside the content folder")
    assert "elsewhere" not in content.entries
    assert "shared" in content.entries  # a link that stays inside is fine


def test_a_subfolder_is_reported_not_skipped_silently(good_content: Path) -> None:
    sub = good_content / "glossary" / "drafts"
    sub.mkdir()
    (sub / "draft.md").write_text(ENTRY.format(id="draft", term="Draft", body="Text."), encoding="utf-8")
    content = load_content(good_content, deep=True)
    message, = problems_for(content, sub)
    assert "a folder: subfolders are not read" in message
    assert len(content.entries) == 3


def test_a_file_over_the_limit_is_reported_by_size_and_not_read(good_content: Path, monkeypatch) -> None:
    big = good_content / "glossary" / "big.md"
    big.write_text(ENTRY.format(id="big", term="Big", body="word " * (LIMIT // 5)), encoding="utf-8")
    opened: list[str] = []
    real_open = os.open

    def spy(name, *args, **kwargs):
        opened.append(os.fspath(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    content = load_content(good_content, deep=True)
    message, = problems_for(content, big)
    size = big.stat().st_size
    assert message == f"too large: {size:,} bytes; a content file may hold at most 262,144 bytes (256 KB)"
    assert str(big) not in opened  # refused on its size, before opening
    assert len(content.entries) == 3


def test_control_characters_are_replaced_and_reported_with_their_line(good_content: Path) -> None:
    path = good_content / "glossary" / "colour.md"
    text = ENTRY.format(id="colour", term='"Red \\e[31m text"', body="Clears the screen: \x1b[2J done.")
    path.write_text(text, encoding="utf-8")
    content = load_content(good_content, deep=True)
    messages = sorted((p.line, p.message) for p in content.problems if p.path == path)
    assert messages == [
        (3, "control character U+001B (escape) in a value replaced by U+FFFD (only tab and line breaks are allowed)"),
        (13, "control character U+001B (escape) at column 20 replaced by U+FFFD (only tab and line breaks are allowed)"),
    ]
    entry = content.entries["colour"]  # still loads, cleaned
    assert entry.term == "Red \ufffd[31m text"
    assert "\x1b" not in entry.body and "\ufffd[2J" in entry.body


def test_control_characters_in_file_names_are_escaped_in_messages(good_content: Path, capsys) -> None:
    from hpedu.cli import main

    name = "bad\x1b[31mname.md"
    (good_content / "glossary" / name).write_text(ENTRY.format(id="bad", term="Bad", body="Text."), encoding="utf-8")
    assert main(["check", "--content", str(good_content)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "bad\\x1b[31mname.md:1: the file name holds the control character U+001B (escape)" in out


@pytest.mark.parametrize(
    ("key", "words"),
    [("? [a, b]\n: 1", "not a list"), ("? {a: 1}\n: 2", "not a mapping"), ("[a, b]: 1", "not a list"),
     ("1: x", "read as a number"), ("yes: x", "read as a yes/no value")],
)
def test_front_matter_keys_must_be_names(good_content: Path, key: str, words: str) -> None:
    path = good_content / "glossary" / "odd.md"
    path.write_text(f"---\n{key}\nid: odd\n---\nBody.\n", encoding="utf-8")
    content = load_content(good_content, deep=True)
    message, = problems_for(content, path)
    assert words in message
    assert [p.line for p in content.problems if p.path == path] == [2]
    assert len(content.entries) == 3


def _timed_load(folder: Path):
    """(content, CPU seconds of the faster of two loads). The garbage collector
    is paused while timing: its full passes scan every object the test run
    holds, which would make a bigger load look worse than it is."""
    best = float("inf")
    for _ in range(2):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            content = load_content(folder, deep=True)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return content, best


def _exercise(folder: Path, steps: int) -> None:
    lines = [f"  - {{question: Question {i}?, kind: numeric, answer: {i}, explanation: Because.}}\n" for i in range(steps)]
    (folder / "exercises").mkdir(exist_ok=True)
    (folder / "exercises" / "long.md").write_text(
        "---\nid: long\ntitle: Long\nterms: [learning-rate]\ndifficulty: beginner\nsummary: Many steps.\nsteps:\n"
        + "".join(lines) + "---\nIntro.\n", encoding="utf-8")


def _load_seconds(folder: Path, steps: int) -> float:
    _exercise(folder, steps)
    content, seconds = _timed_load(folder)
    assert len(content.extras["exercises"]["long"].steps) == steps
    return seconds


def test_exercise_loading_is_linear_in_steps(good_content: Path) -> None:
    """Three times the steps must cost about three times as much, not nine
    (the old loader rescanned every key line for each step). A loose ratio,
    not a speed target."""
    small = _load_seconds(good_content, 1000)
    large = _load_seconds(good_content, 3000)
    assert large / small < 5.5, (small, large)


def _path_seconds(folder: Path, steps: int) -> float:
    items = "".join(f"  - glossary: missing-{i}\n" for i in range(steps))
    (folder / "learning-path.yaml").write_text(f"title: Path\nsteps:\n{items}", encoding="utf-8")
    content, seconds = _timed_load(folder)
    # every step is located on its own line
    assert [(p.line, p.message) for p in content.problems][-1] == (2 + steps, f"step {steps}: glossary 'missing-{steps - 1}' does not exist")
    return seconds


def test_learning_path_loading_is_linear_in_steps(good_content: Path) -> None:
    """The old loader searched the file from the top for each step's line."""
    small = _path_seconds(good_content, 1500)
    large = _path_seconds(good_content, 4500)
    assert large / small < 5.5, (small, large)

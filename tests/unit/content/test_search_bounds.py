"""Search is bounded: queries are cut to 200 characters (the CLI says so), and
typing a query costs work in proportion to what was typed, not its square."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content, search

FIXTURE = Path(__file__).parents[2] / "fixtures" / "good"
LIMIT = 200  # the documented query limit


@pytest.fixture(scope="module")
def entries():
    return list(load_content(FIXTURE).entries.values())


class CountingMatcher(difflib.SequenceMatcher):
    """difflib's matcher, counting how often search builds one (its unit of work)."""

    made = 0

    def __init__(self, *args, **kwargs) -> None:
        CountingMatcher.made += 1
        super().__init__(*args, **kwargs)


def matchers_built(monkeypatch, run) -> int:
    monkeypatch.setattr(difflib, "SequenceMatcher", CountingMatcher)
    module = sys.modules["hpedu.content.search"]
    for name in ("_pair_ratio",):  # start from cold caches, whatever ran before
        cached = getattr(module, name, None)
        if cached is not None:
            cached.cache_clear()
    CountingMatcher.made = 0
    run()
    return CountingMatcher.made


def test_typing_a_query_costs_work_in_proportion_to_its_length(entries, monkeypatch) -> None:
    """The app searches on every key. Typing 200 characters one by one must
    cost a small multiple of one search of the whole query (each key adds a
    little), not about 100 whole searches (each key redoing everything)."""
    text = ("how do I choose the lerning rate and the batch size when training a small network with early "
            "stopping and a validation set so that it does not overfit the data too much; and regularisation")[:LIMIT]
    once = matchers_built(monkeypatch, lambda: search(entries, text))
    typed = matchers_built(monkeypatch, lambda: [search(entries, text[:n]) for n in range(1, len(text) + 1)])
    assert once > 0
    assert typed < 20 * once, (once, typed)


def test_only_the_first_200_characters_are_searched(entries) -> None:
    padding = " " * (LIMIT - len("batch"))
    assert [m.entry.id for m in search(entries, "batch" + padding + "learning rate")][:1] == ["batch-size"]
    assert search(entries, "x" * 5000 + " learning rate") == []  # cut before the words


def test_the_cli_says_when_a_query_is_cut(capsys) -> None:
    assert main(["search", "--content", str(FIXTURE), "learning", "rate" + "!" * 300]) == 0
    captured = capsys.readouterr()
    assert "note: the query is 313 characters long; only its first 200 are searched" in captured.err
    assert "Learning rate" in captured.out


def test_a_100_kb_query_does_not_hang_the_cli(tmp_path: Path) -> None:
    """Took over a minute before; the bound is generous, only to fail instead of hanging."""
    query = " ".join(["hyperparmeter", "lerning", "rate", "regularisation"] * 2500)[:100_000]
    done = subprocess.run([sys.executable, "-m", "hpedu", "glossary", "--content", str(FIXTURE), query],
                          capture_output=True, text=True, timeout=45, env=dict(os.environ))
    assert "only its first 200 are searched" in done.stderr

"""Short queries find the entry they name (issue 15, item 2): an exact term, id
or alias ranks first, above every prefix, fuzzy or body-text match, in
`search`, `resolve`, `hpedu search` and `hpedu glossary TERM` (the app's search
box is tested in tests/tui/test_glossary_short_queries.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content, resolve, search

CONTENT = Path(__file__).resolve().parents[3] / "content"

SHORT = [
    ("gamma", "rbf-gamma", "Gamma (RBF kernel)"),
    ("c", "svm-c", "C (SVM regularisation)"),
    ("C", "svm-c", "C (SVM regularisation)"),
    ("optimizer", "optimizer", "Optimizer"),
    ("optimiser", "optimizer", "Optimizer"),
    ("warmup", "warm-up", "Learning-rate warm-up"),
    ("warm up", "warm-up", "Learning-rate warm-up"),
    ("parameter", "parameter", "Parameter"),
    ("parameters", "parameter", "Parameter"),
    ("lr", "learning-rate", "Learning rate"),
    ("LR", "learning-rate", "Learning rate"),
    ("ei", "expected-improvement", "Expected improvement"),
    ("EI", "expected-improvement", "Expected improvement"),
]


@pytest.fixture(scope="module")
def entries():
    return list(load_content(CONTENT).entries.values())


@pytest.mark.parametrize("query, expected, term", SHORT)
def test_search_ranks_the_named_entry_first_and_alone_at_the_top(entries, query: str, expected: str, term: str) -> None:
    matches = search(entries, query)
    assert matches[0].entry.id == expected
    assert matches[0].score == 1.0
    assert matches[1].score < 0.97  # an exact name is never tied with a partial one


@pytest.mark.parametrize("query, expected, term", SHORT)
def test_resolve_opens_the_named_entry(entries, query: str, expected: str, term: str) -> None:
    entry, _ = resolve(entries, query)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize("query, expected, term", SHORT)
def test_hpedu_search_lists_it_first(query: str, expected: str, term: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", *query.split(), "--content", str(CONTENT)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"1.00  {term}  ")


@pytest.mark.parametrize("query, expected, term", SHORT)
def test_hpedu_glossary_prints_it(query: str, expected: str, term: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", *query.split(), "--plain", "--content", str(CONTENT)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [term, "=" * len(term)]

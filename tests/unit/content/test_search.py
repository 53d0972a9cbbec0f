"""Glossary search: typos, aliases, plurals and both spellings find the right entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.content import load_content, resolve, search
from hpedu.content.search import normalize


@pytest.fixture(scope="module")
def entries():
    return list(load_content(Path(__file__).parents[2] / "fixtures" / "good").entries.values())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lr", "learning-rate"),
        ("LR", "learning-rate"),
        ("learning rate", "learning-rate"),
        ("learning rates", "learning-rate"),
        ("lerning rate", "learning-rate"),
        ("learnign rate", "learning-rate"),
        ("step size", "learning-rate"),
        ("regularisation coefficient", "regularization-coefficient"),
        ("regularization", "regularization-coefficient"),
        ("regularisation", "regularization-coefficient"),
        ("weight decay", "regularization-coefficient"),
        ("batch", "batch-size"),
        ("batch-size", "batch-size"),
        ("batch sizes", "batch-size"),
    ],
)
def test_resolve_finds_the_entry(entries, query: str, expected: str) -> None:
    entry, _ = resolve(entries, query)
    assert entry is not None and entry.id == expected


def test_search_ranks_name_matches_above_text_matches(entries) -> None:
    ids = [m.entry.id for m in search(entries, "learning rate")]
    assert ids[0] == "learning-rate"
    # batch-size mentions "learning rate" only in its body: it may appear, but below.
    assert "batch-size" not in ids or ids.index("batch-size") > 0


def test_nonsense_resolves_to_nothing(entries) -> None:
    entry, matches = resolve(entries, "zzzzqqq")
    assert entry is None and matches == []


def test_empty_query_matches_nothing(entries) -> None:
    assert search(entries, "   ") == []


@pytest.mark.parametrize(
    ("british", "american"),
    [("optimisation", "optimization"), ("neighbours", "neighbor"), ("regularise", "regularize"), ("analysed", "analyzed")],
)
def test_normalize_unifies_spellings(british: str, american: str) -> None:
    assert normalize(british) == normalize(american)

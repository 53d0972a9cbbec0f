"""The bundled glossary's cross references (issue 15, item 3): related terms a
learner follows from one entry to the next, and aliases on the right entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content, resolve

CONTENT = Path(__file__).resolve().parents[3] / "content"

ADDED = [
    ("learning-rate", "momentum"), ("batch-size", "momentum"),
    ("number-of-trees", "warm-starting"), ("bayesian-optimization", "warm-starting"),
    ("number-of-trees", "subsample"),
    ("regret", "incumbent"), ("probability-of-improvement", "incumbent"),
    ("cross-validation", "noisy-objective"), ("random-seed", "noisy-objective"),
    ("random-search", "hyperparameter-importance"), ("search-space", "hyperparameter-importance"),
    ("regularization-coefficient", "validation-curve"), ("decision-tree-depth", "validation-curve"),
]


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.mark.parametrize("entry, related", ADDED)
def test_related_terms(content, entry: str, related: str) -> None:
    assert related in content.entries[entry].related


@pytest.mark.parametrize("alias", ["mtry", "features per split"])
def test_features_per_split_aliases_name_max_features(content, alias: str) -> None:
    assert alias in content.entries["max-features"].aliases
    assert alias not in content.entries["number-of-features"].aliases
    entry, _ = resolve(content.entries.values(), alias)
    assert entry is not None and entry.id == "max-features"


def test_hpedu_glossary_mtry_prints_max_features(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "mtry", "--plain", "--content", str(CONTENT)]) == 0
    assert capsys.readouterr().out.startswith("Max features (per split)\n")

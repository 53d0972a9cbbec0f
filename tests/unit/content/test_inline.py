"""Inline Markdown of exercise texts: pieces and plain text."""

from __future__ import annotations

import pytest

from hpedu.content.inline import Span, plain, spans


def test_code_links_bold_and_emphasis_become_pieces() -> None:
    text = "Set `C` first; see [model parameters](glossary:model-parameter), **not** *these*."
    assert spans(text) == [
        Span("Set "), Span("C", "code"), Span(" first; see "),
        Span("model parameters", "link", "glossary:model-parameter"),
        Span(", "), Span("not", "bold"), Span(" "), Span("these", "em"), Span("."),
    ]


@pytest.mark.parametrize(("text", "shown"), [
    ("`coef_` and `intercept_`", "coef_ and intercept_"),
    ("n_jobs, max_depth and min_samples_leaf", "n_jobs, max_depth and min_samples_leaf"),  # not emphasis
    ("2*3*4 = 24", "2*3*4 = 24"),
    ("a \\* b and \\`x\\`", "a * b and `x`"),
    ("``a `tick` inside``", "a `tick` inside"),
    ("[the docs](https://scikit-learn.org) say", "the docs say"),
    ("[`GridSearchCV`](glossary:grid-search)", "GridSearchCV"),
    ("__strong__ and _em_", "strong and em"),
    ("an [unclosed link and a `lone backtick", "an [unclosed link and a `lone backtick"),
])
def test_plain_drops_the_syntax_and_keeps_everything_else(text: str, shown: str) -> None:
    assert plain(text) == shown

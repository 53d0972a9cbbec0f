"""Finding glossary entries from what a learner types.

Tolerant of typos (`hyperparmeter`), abbreviations and aliases (`lr`),
plurals (`epochs`), British spellings (`regularisation`, `neighbours`) and
word order or partial words (`tree depth`, `bayes`). Pure Python: difflib
is plenty for a glossary of a few hundred entries.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .model import Entry

__all__ = ["Match", "normalize", "search", "resolve"]

_SPELLINGS = [
    (re.compile(r"isation"), "ization"),
    (re.compile(r"ise(s|d)?\b"), r"ize\1"),
    (re.compile(r"ising\b"), "izing"),
    (re.compile(r"yse(s|d)?\b"), r"yze\1"),
    (re.compile(r"our(s)?\b"), r"or\1"),  # neighbour, behaviour
    (re.compile(r"ourhood"), "orhood"),
    (re.compile(r"ours\b"), "ors"),
    (re.compile(r"tre\b"), "ter"),  # centre
]
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    for pattern, repl in _SPELLINGS:
        word = pattern.sub(repl, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize(text: str) -> str:
    """Lower case, words only, American spelling, singular."""
    return " ".join(_stem(w) for w in _WORD.findall(text.lower()))


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float  # 0..1, higher is better
    via: str  # the name that matched (term, alias or a word of the text)


def _names(entry: Entry) -> list[tuple[str, str]]:
    out = [(normalize(entry.term), entry.term), (normalize(entry.id.replace("-", " ")), entry.term)]
    out += [(normalize(a), a) for a in entry.aliases]
    return [(n, shown) for n, shown in out if n]


def _name_score(query: str, name: str) -> float:
    if query == name:
        return 1.0
    if query.replace(" ", "") == name.replace(" ", ""):
        return 0.98
    q_words, n_words = query.split(), name.split()
    if name.startswith(query) and len(query) >= 2:
        return 0.9 - 0.2 * (1 - len(query) / len(name))
    if all(any(nw.startswith(qw) for nw in n_words) for qw in q_words):
        return 0.8 - 0.1 * (1 - len(q_words) / max(len(n_words), 1))
    ratio = difflib.SequenceMatcher(None, query, name, autojunk=False).ratio()
    # Typos: compare word by word as well, so one misspelt word among several counts.
    word_hits = sum(max((difflib.SequenceMatcher(None, qw, nw).ratio() for nw in n_words), default=0) for qw in q_words)
    word_ratio = word_hits / max(len(q_words), len(n_words))
    return 0.85 * max(ratio, word_ratio)


def _text_score(query: str, entry: Entry) -> float:
    words = set(normalize(entry.summary + " " + entry.body).split())
    q_words = query.split()
    if not q_words:
        return 0.0
    hits = sum(1 for w in q_words if w in words)
    return 0.45 * hits / len(q_words)


def search(entries: Iterable[Entry], query: str, limit: int | None = 10, min_score: float = 0.45) -> list[Match]:
    """Entries ranked by how well `query` matches their names, then their text."""
    q = normalize(query)
    if not q:
        return []
    results = []
    for entry in entries:
        best, via = 0.0, entry.term
        for name, shown in _names(entry):
            s = _name_score(q, name)
            if s > best:
                best, via = s, shown
        text = _text_score(q, entry)
        if text > best:
            best, via = text, "text"
        if best >= min_score:
            results.append(Match(entry, round(best, 4), via))
    results.sort(key=lambda m: (-m.score, m.entry.term.lower()))
    return results[:limit] if limit else results


def resolve(entries: Iterable[Entry], query: str) -> tuple[Entry | None, list[Match]]:
    """The one entry `query` clearly means, or None plus the nearest matches.

    Clear means an exact name (term, id, alias, any spelling), or a best
    match that is good and well ahead of the next one.
    """
    matches = search(list(entries), query, limit=5, min_score=0.3)
    if not matches:
        return None, []
    top = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if top.score >= 0.97 or (top.score >= 0.7 and top.score - runner_up >= 0.08):
        return top.entry, matches
    return None, matches

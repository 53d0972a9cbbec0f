"""Finding glossary entries from what a learner types.

Tolerant of typos (`hyperparmeter`), abbreviations and aliases (`lr`),
plurals (`epochs`), British spellings (`regularisation`, `neighbours`) and
word order or partial words (`tree depth`, `bayes`). Pure Python: difflib
is plenty for a glossary of a few hundred entries.

Bounded: a query is cut to MAX_QUERY_LENGTH characters, and the work is
linear in the query and in the content (see `search`), so neither a pasted
page of text nor a learner typing fast can stall the app.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .model import Entry

__all__ = ["MAX_QUERY_LENGTH", "Match", "cut_query", "normalize", "search", "resolve"]

MAX_QUERY_LENGTH = 200  # characters of a query that are searched; the app's search box holds no more
MAX_NAME_LENGTH = 200  # characters of a term or alias that are compared

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


@dataclass(frozen=True)
class _Name:
    norm: str  # normalized, cut to MAX_NAME_LENGTH
    squeezed: str  # without spaces
    words: tuple[str, ...]
    shown: str  # as written: what `Match.via` reports


@dataclass(frozen=True)
class _Prepared:
    names: tuple[_Name, ...]
    text_words: frozenset[str]


@lru_cache(maxsize=4096)
def _prepare(entry: Entry) -> _Prepared:
    """What search needs of an entry, computed once per entry (not per keystroke)."""
    raw = [(normalize(entry.term), entry.term), (normalize(entry.id.replace("-", " ")), entry.term)]
    raw += [(normalize(a), a) for a in entry.aliases]
    names = []
    for norm, shown in raw:
        norm = norm[:MAX_NAME_LENGTH]
        if norm:
            names.append(_Name(norm, norm.replace(" ", ""), tuple(norm.split()), shown))
    return _Prepared(tuple(names), frozenset(normalize(entry.summary + " " + entry.body).split()))


def _names(entry: Entry) -> list[tuple[str, str]]:
    return [(n.norm, n.shown) for n in _prepare(entry).names]


@lru_cache(maxsize=1 << 16)
def _pair_ratio(a: str, b: str) -> float:
    """difflib's similarity of two words; remembered, so typing one more
    character compares only the new last word again."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def _bound(a: int, b: int) -> float:
    """The highest similarity ratio two texts of lengths a and b can have
    (difflib's real_quick_ratio): 2 * min / (a + b)."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0


class _Query:
    """The normalized query and what scoring needs of it, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.squeezed = text.replace(" ", "")
        self.words = text.split()
        self.distinct = list(dict.fromkeys(self.words))
        self.lengths = sorted({len(w) for w in self.distinct})
        self.count_of_length = {n: sum(1 for w in self.words if len(w) == n) for n in self.lengths}


_EPS = 1e-9  # bounds are compared with this margin, so skipping never changes a score that matters


def _name_score(q: _Query, name: _Name, floor: float, min_score: float) -> float:
    """How well the query matches one name, 0..1 (as before: exact, without
    spaces, prefix, every word a prefix, then difflib similarity).

    The difflib part is skipped when even its upper bound could not reach
    `min_score` or beat `floor` (the entry's best so far): the result is then
    below anything that could be reported, and never computed for nothing.
    The cost is linear in the number of query words; each distinct pair of
    words is compared once and remembered.
    """
    query, text = q.text, name.norm
    if query == text:
        return 1.0
    if q.squeezed == name.squeezed:
        return 0.98
    if text.startswith(query) and len(query) >= 2:
        return 0.9 - 0.2 * (1 - len(query) / len(text))
    n_words = name.words
    if all(any(nw.startswith(qw) for nw in n_words) for qw in q.distinct):
        return 0.8 - 0.1 * (1 - len(q.words) / max(len(n_words), 1))

    def useful(bound: float) -> bool:
        return 0.85 * bound + _EPS >= min_score and 0.85 * bound + _EPS > floor

    ratio = 0.0
    if useful(_bound(len(query), len(text))):
        ratio = difflib.SequenceMatcher(None, query, text, autojunk=False).ratio()
    # Typos: compare word by word as well, so one misspelt word among several counts.
    denominator = max(len(q.words), len(n_words))
    word_ratio = 0.0
    if n_words and denominator:
        n_lengths = {len(nw) for nw in n_words}
        bound = sum(q.count_of_length[n] * max(_bound(n, m) for m in n_lengths) for n in q.lengths)
        if useful(bound / denominator):
            best = {qw: max(_pair_ratio(qw, nw) for nw in n_words) for qw in q.distinct}
            word_ratio = sum(best[qw] for qw in q.words) / denominator
    return 0.85 * max(ratio, word_ratio)


def _text_score(q: _Query, prepared: _Prepared) -> float:
    if not q.words:
        return 0.0
    hits = sum(1 for w in q.words if w in prepared.text_words)
    return 0.45 * hits / len(q.words)


def cut_query(query: str) -> str:
    """The part of `query` that is searched: its first MAX_QUERY_LENGTH characters."""
    return query[:MAX_QUERY_LENGTH]


def search(entries: Iterable[Entry], query: str, limit: int | None = 10, min_score: float = 0.45) -> list[Match]:
    """Entries ranked by how well `query` matches their names, then their text.

    Only the first MAX_QUERY_LENGTH characters of `query` are used (see
    `cut_query`). The work is linear in the query and in the entries: each
    entry is prepared once (its names and words are remembered), and the
    expensive similarity is skipped where it cannot change the result.
    """
    q = _Query(normalize(cut_query(query)))
    if not q.text:
        return []
    results = []
    for entry in entries:
        prepared = _prepare(entry)
        best, via = 0.0, entry.term
        for name in prepared.names:
            s = _name_score(q, name, best, min_score)
            if s > best:
                best, via = s, name.shown
        text = _text_score(q, prepared)
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

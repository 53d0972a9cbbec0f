"""The typed content: glossary entries, simulation presets and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CATEGORIES", "CATEGORY_TITLES", "Entry", "Preset", "Problem", "Content"]

CATEGORIES: tuple[str, ...] = ("concept", "hyperparameter", "model-parameter", "tuning-method", "evaluation")
CATEGORY_TITLES: dict[str, str] = {
    "concept": "Concepts",
    "hyperparameter": "Hyperparameters",
    "model-parameter": "Model parameters",
    "tuning-method": "Tuning methods",
    "evaluation": "Evaluation",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located by file and line (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        from .text import printable

        return f"{printable(self.path)}:{self.line}: {printable(self.message)}"


@dataclass(frozen=True)
class Entry:
    """One glossary entry."""

    id: str
    term: str
    category: str
    summary: str
    body: str
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    pronunciation: str = ""
    simulation: str = ""
    sources: tuple[str, ...] = ()
    path: Path | None = None
    links: tuple[str, ...] = ()  # ids linked from the body with glossary:ID

    @property
    def category_title(self) -> str:
        return CATEGORY_TITLES.get(self.category, self.category)


@dataclass(frozen=True)
class Preset:
    """A simulation preset: what the simulator opens for a "Try it"."""

    id: str
    title: str
    description: str
    objective: str
    method: str
    budget: int
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    objective_options: dict[str, Any] = field(default_factory=dict)
    methods: tuple[str, ...] = ()  # compare view when not empty
    seeds: int = 1
    view: str = "run"  # run | inside | compare
    terms: tuple[str, ...] = ()
    locked: tuple[str, ...] = ()  # settings a learner may not change
    path: Path | None = None


@dataclass
class Content:
    """Everything loaded from one content folder, plus every problem found."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    presets: dict[str, Preset] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def by_category(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = {c: [] for c in CATEGORIES}
        for entry in sorted(self.entries.values(), key=lambda e: e.term.lower()):
            groups.setdefault(entry.category, []).append(entry)
        return {c: es for c, es in groups.items() if es}

    def entry(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

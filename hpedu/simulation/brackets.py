"""Hyperband's brackets as a learner sees them: who got how much resource, who was promoted.

Everything comes from the engine: the plan is the strategy's `plan()`, the
entries are the run's `StagedTrial`s (bracket, rung, configuration, value),
the promotions are the ones the strategy recorded when each rung finished
(`HyperbandSearch.promotions`), and the best is the trace's. Within a rung
the entries are listed best first (by the objective's direction, ties in the
order they ran, as the engine ranks them), so the promoted ones lead.

`brackets_view` builds the data, `bracket_lines` lays it out as text lines
for a given width (the TUI widget only colours them), `stage_words` and
`stage_narration` give the simulator's narration its words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .narration import data_part
from .settings import fmt

__all__ = ["Entry", "RungRow", "BracketRow", "BracketsView", "brackets_view", "bracket_lines", "stage_narration",
           "LEGEND"]

LEGEND = "n×r: n configurations on resource r · cN: configuration N · ▲ promoted · ★ best · ◆ newest"


@dataclass(frozen=True)
class Entry:
    """One evaluation in a rung: configuration `config` (from 0), trial `index` (from 0)."""

    config: int
    index: int
    value: float
    promoted: bool  # the strategy sent it on to the next rung
    best: bool  # the run's best trial (fully trained)
    newest: bool


@dataclass(frozen=True)
class RungRow:
    rung: int
    n: int  # configurations the plan gives this rung
    resource: float
    entries: tuple[Entry, ...]  # best first
    decided: bool  # the rung is complete and, unless it is the last, its promotions are known

    @property
    def to_run(self) -> int:
        return self.n - len(self.entries)


@dataclass(frozen=True)
class BracketRow:
    index: int  # position in the plan, from 0
    iteration: int
    s: int
    rungs: tuple[RungRow, ...]

    @property
    def state(self) -> str:
        done = sum(len(r.entries) for r in self.rungs)
        total = sum(r.n for r in self.rungs)
        return "done" if done == total else ("running" if done else "to come")


@dataclass(frozen=True)
class BracketsView:
    brackets: tuple[BracketRow, ...]
    eta: int
    budget: int
    unused: int  # trials of the budget no bracket runs
    score_name: str


def brackets_view(strategy: Any, trials: Sequence[Any], direction: str, best_index: int | None,
                  score_name: str = "value") -> BracketsView:
    """The brackets of a hyperband `strategy` after `trials` (the run's
    trials, in order); `best_index` is the trace's best trial (or None)."""
    plan = strategy.plan()
    promotions = dict(strategy.promotions)
    sign = 1.0 if direction == "minimize" else -1.0
    newest = trials[-1].index if trials else None
    rows = []
    for b in plan:
        rungs = []
        for i, (n, resource) in enumerate(b.rungs):
            told = [t for t in trials if t.bracket == b.index and t.rung == i]
            told.sort(key=lambda t: (sign * t.value if not math.isnan(t.value) else math.inf, t.index))
            sent = set(promotions.get((b.index, i), ()))
            entries = tuple(Entry(t.config, t.index, t.value, t.config in sent, t.index == best_index,
                                  t.index == newest) for t in told)
            rungs.append(RungRow(i, n, resource, entries, len(told) == n))
        rows.append(BracketRow(b.index, b.iteration, b.s, tuple(rungs)))
    used = sum(b.evaluations for b in plan)
    return BracketsView(tuple(rows), int(strategy.opts["eta"]), int(strategy.budget), int(strategy.budget) - used,
                        score_name)


def _entry_text(e: Entry) -> str:
    marks = ("▲" if e.promoted else "") + ("★" if e.best else "") + ("◆" if e.newest else "")
    return f"c{e.config + 1} {fmt(e.value, 3)}{marks}"


def _wrap(head: str, cells: list[str], width: int) -> list[str]:
    """`head` then the cells separated by two spaces, wrapped under the first cell."""
    lines, line = [], head
    indent = " " * len(head)
    for cell in cells:
        if line != head and line != indent and len(line) + 2 + len(cell) > width:
            lines.append(line)
            line = indent
        line += ("" if line in (head, indent) else "  ") + cell
    lines.append(line)
    return lines


def bracket_lines(view: BracketsView, width: int = 80) -> list[tuple[str, str]]:
    """The view as (text, kind) lines no wider than `width` where they can be
    (kind: "title", "bracket", "rung" or "note"); every entry is shown."""
    width = max(width, 24)
    n = len(view.brackets)
    out = [(f"Hyperband: {n} bracket{'s' if n != 1 else ''}, eta {view.eta}: each rung sends its best 1/{view.eta} "
            f"on to {view.eta} times the resource", "title"), (LEGEND, "note")]
    heads = {(b.index, r.rung): f"{r.n}×{fmt(r.resource, 3)}" for b in view.brackets for r in b.rungs}
    pad = max(map(len, heads.values()), default=0)
    for b in view.brackets:
        again = f" · iteration {b.iteration + 1}" if b.iteration else ""
        out.append((f"Bracket {b.index + 1} of {n} · s={b.s}{again} · {b.state}", "bracket"))
        for r in b.rungs:
            head = f" rung {r.rung}: {heads[(b.index, r.rung)]:<{pad}} │ "
            cells = [_entry_text(e) for e in r.entries]
            if r.to_run:
                waiting = r.rung > 0 and not b.rungs[r.rung - 1].decided
                cells.append(f"({r.to_run} to run{', after rung ' + str(r.rung - 1) if waiting else ''})")
            out += [(line, "rung") for line in _wrap(head, cells, width)]
    if view.unused:
        out.append((f"{view.unused} trial{'s' if view.unused != 1 else ''} of the budget of {view.budget} left "
                    "unused: no whole bracket fits in them", "note"))
    return out


def stage_narration(strategy: Any, trial: Any, params: str) -> str:
    """What a hyperband trial was: its bracket, rung, resource, and the
    promotions its rung made when this trial completed it."""
    plan = strategy.plan()
    b = plan[trial.bracket]
    # no "hyperband" (the title says it): at 80 columns the line must fit the narration's rows
    text = (f"bracket {trial.bracket + 1} of {len(plan)} (s={b.s}), rung {trial.rung}: "
            f"c{trial.config + 1} ({params}) on {data_part(trial.resource)}")
    sent = strategy.promotions.get((trial.bracket, trial.rung))
    n_rung = b.rungs[trial.rung][0]
    done = sum(1 for t in strategy.trials if t.bracket == trial.bracket and t.rung == trial.rung)
    if sent is not None and done == n_rung and strategy.trials[-1].index == trial.index:
        names = ", ".join(f"c{c + 1}" for c in sent)
        go = "goes" if len(sent) == 1 else "go"
        text += f" (last of rung {trial.rung}: {names} {go} on to {data_part(b.rungs[trial.rung + 1][1])})"
    return text

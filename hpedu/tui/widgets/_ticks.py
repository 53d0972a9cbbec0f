"""Tick positions and labels that fit the axis, on linear and log10 axes."""

from __future__ import annotations

import math
from typing import Sequence

from textual_plot.axis_formatter import AxisFormatter

__all__ = ["AxisTicks", "format_value"]

# ----- tick labels -----------------------------------------------------------

def _plain(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


def format_value(v: float) -> str:
    """A short tick label for a value on a log axis: 1e-3, 0.01, 0.1, 1, 10, 1e4."""
    if v <= 0 or not math.isfinite(v):
        return "0"
    e = math.floor(math.log10(v) + 1e-9)
    m = v / 10.0**e
    if abs(m - round(m)) < 1e-6:
        m = round(m)
    if -2 <= e <= 3:
        return f"{v:.{max(0, -e)}f}"
    return f"{m:g}e{e}"


class AxisTicks(AxisFormatter):
    """Ticks that fit the axis: at most one label per `gap` cells, 1-2-5 steps
    on a linear axis; decades (then 2 and 5 multiples) on a log10 axis, with
    labels in the value's own units (`1e-3`, `0.01`, `0.1`, `1`)."""

    def __init__(self, horizontal: bool) -> None:
        self.horizontal = horizontal
        self.log = False
        self.cells = 40  # axis length in cells, set before each render
        self.last_labels: list[str] = []

    # AxisFormatter interface -------------------------------------------------
    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        return self.get_ticks_and_labels(min_, max_, max_ticks)[0]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        if not ticks:
            return []
        if self.log:
            labels = [format_value(10.0**t) for t in ticks]
            digits = 2
            while len(set(labels)) < len(labels) and digits <= 6:
                # narrow ranges (0.045, 0.05, 0.055) need more digits to tell ticks apart
                labels = [f"{10.0**t:.{digits}g}" for t in ticks]
                digits += 1
            return labels
        step = (ticks[1] - ticks[0]) if len(ticks) > 1 else abs(ticks[0]) or 1.0
        big = max(abs(t) for t in ticks)
        if big >= 1e5 or (step < 1e-4 and big < 1e-3):
            return [f"{t:.2g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e") for t in ticks]
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        return [_plain(t, decimals) for t in ticks]

    def get_ticks_and_labels(self, min_: float, max_: float, max_ticks: int = 8) -> tuple[list[float], list[str]]:
        """The densest set of ticks whose labels do not collide (at least two when possible)."""
        best: tuple[list[float], list[str]] = ([], [])
        if math.isfinite(min_) and math.isfinite(max_) and max_ > min_ and self.cells >= 2:
            span = max_ - min_
            most = max(2, self.cells // (6 if self.horizontal else 2))
            for ticks in self._candidates(min_, max_):
                if not ticks:
                    continue
                labels = self.get_labels_for_ticks(ticks)
                if 2 <= len(ticks) <= most and self._fits(ticks, labels, span):
                    best = (ticks, labels)
                    break
                if not best[0]:
                    # nothing fits (yet): keep one tick near the middle
                    mid = min(range(len(ticks)), key=lambda i: abs(ticks[i] - (min_ + max_) / 2))
                    best = ([ticks[mid]], self.get_labels_for_ticks([ticks[mid]]))
        self.last_labels = best[1]
        return best

    # -------------------------------------------------------------------------
    def _fits(self, ticks: list[float], labels: list[str], span: float) -> bool:
        spacing = min(b - a for a, b in zip(ticks[:-1], ticks[1:])) / span * self.cells
        if self.horizontal:
            return spacing >= max(len(s) for s in labels) + 2
        return spacing >= (3 if self.cells >= 15 else 2 if self.cells >= 6 else 1)

    def _candidates(self, lo: float, hi: float):
        """Tick sets from the densest to the sparsest."""
        if not self.log:
            yield from self._linear(lo, hi)
            return
        decades = [float(e) for e in range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1)]
        if len(decades) < 3:
            # within a few decades: 1-2-5 multiples, then 1-3 multiples, then decades
            for mults in ((1, 2, 5), (1, 3)):
                sub = [
                    math.log10(m * 10.0**e)
                    for e in range(math.floor(lo) - 1, math.ceil(hi) + 1)
                    for m in mults
                    if lo - 1e-9 <= math.log10(m * 10.0**e) <= hi + 1e-9
                ]
                if len(sub) >= 2:
                    yield sub
        for k in (1, 2, 3, 4, 5, 10, 20, 50):
            # every k-th decade, starting where most of them fit
            yield max((decades[o::k] for o in range(min(k, len(decades)) or 1)), key=len)
        if len(decades) < 2:
            # a narrow range: linear steps in value space
            for vals in self._linear(10.0**lo, 10.0**hi):
                yield [math.log10(v) for v in vals if v > 0]

    @staticmethod
    def _linear(lo: float, hi: float):
        span = hi - lo
        e = math.floor(math.log10(span)) - 2
        for _ in range(6):
            for m in (1.0, 2.0, 5.0):
                step = m * 10.0**e
                start = math.ceil(lo / step - 1e-9)
                stop = math.floor(hi / step + 1e-9)
                if stop - start <= 24:
                    yield [k * step for k in range(start, stop + 1)]
            e += 1

"""`InsidePlot`: a look inside a model-based search on one parameter.

Two panels share the x axis.

Bayesian optimisation (`set_state`):
  top     the Gaussian process mean (a solid braille line, smooth at two
          dots per column) with its ±2 std band (half-blocks), the true
          function (a dotted braille line in a colour of its own, optional),
          the observed trials ● and the next point (vertical line │);
  bottom  the acquisition function, shaded underneath, with ▲ on the curve
          at the next point and the same vertical line.

TPE (`set_densities`):
  top     the observed trials ● (and the true function, optional);
  bottom  l(x), the density of the good trials (solid, ●), and g(x), the
          density of the others (dashed, ■); ▲ on l(x) at the next point.

The next point is the trial that follows (the caller passes the strategy's
own proposal, and `next_why` says in a few words how it was chosen).

The panels do not zoom (they are redrawn at every step).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget

from ._halfblock import KeyLine
from ._paint import series_colors
from .curves import CurveCanvas, Mark, VLine, _Drawn
from .landscape import NEWEST_COLOR

__all__ = ["InsidePlot"]

#: the true function's colour on a dark and on a light background: unlike
#: every series colour and readable over the uncertainty band
TRUTH_COLORS = {True: "#f0f0f0", False: "#303030"}


def _fmt(v: float) -> str:
    return f"{v:.4g}"


class InsidePlot(Widget):
    """The surrogate model (top) and what picks the next point (bottom)."""

    DEFAULT_CSS = """
    InsidePlot {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    InsidePlot > .inside-top {
        height: 3fr;
        min-height: 3;
    }
    InsidePlot > .inside-bottom {
        height: 2fr;
        min-height: 5;
    }
    InsidePlot > .plot-key {
        height: auto;
        max-height: 3;
    }
    """

    def __init__(
        self,
        *,
        title: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.top = CurveCanvas(classes="inside-top", show_x_axis=False, allow_pan_and_zoom=False)
        self.bottom = CurveCanvas(classes="inside-bottom", show_top_margin=False, allow_pan_and_zoom=False)
        self.top.margin_group = self.bottom.margin_group = [self.top, self.bottom]
        self.top.plot_title = title
        self.key = KeyLine(classes="plot-key")
        #: "gp" or "tpe": what was drawn last
        self.mode = ""

    def compose(self) -> ComposeResult:
        yield self.top
        yield self.bottom
        yield self.key

    def set_title(self, title: str, *shorter: str) -> None:
        """The title, and shorter wordings for a narrow plot (longest first)."""
        self.top.set_title(title, *shorter)

    @property
    def _truth_color(self) -> str:
        try:
            return TRUTH_COLORS[bool(self.app.current_theme.dark)]
        except Exception:
            return TRUTH_COLORS[True]

    @property
    def _palette(self) -> list[str]:
        try:
            return series_colors(self.app.current_theme.dark)
        except Exception:
            return series_colors(True)

    # ----- Bayesian optimisation ---------------------------------------------------
    def set_state(
        self,
        x: np.ndarray,
        mean: np.ndarray,
        std: np.ndarray,
        acquisition: np.ndarray,
        observed_x: Sequence[float],
        observed_y: Sequence[float],
        *,
        next_x: float | None = None,
        truth: np.ndarray | None = None,
        log_x: bool = False,
        x_label: str = "x",
        acq_label: str = "EI",
        y_label: str = "value",
        next_why: str = "",
    ) -> None:
        """The GP over x (mean, std, acquisition all shaped like x)."""
        pal = self._palette
        ax, (mean, std, acq, truth_ax) = self._axis(x, log_x, mean=mean, std=std, acquisition=acquisition,
                                                    truth=truth)
        top, bottom = self.top, self.bottom
        # the mean is a braille line (2 x 4 dots a cell) over the half-block band: a half-block
        # line has one pixel a column and drew a smooth mean as a staircase
        series = [_Drawn("GP mean", ax, mean, mean - 2 * std, mean + 2 * std, "", pal[0], "solid", False,
                         thin=True)]
        nxt = self._draw_top(ax, series, truth_ax, observed_x, observed_y, next_x, log_x, y_label)

        finite = acq[np.isfinite(acq)]
        # shade down to 0 for EI and PI (>= 0, often near 0), else to the lowest value (-LCB)
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        base = 0.0 if 0.0 <= lo <= 0.5 * hi else lo
        bottom.drawn_series = [_Drawn(acq_label, ax, acq, np.full_like(acq, base), acq, "", pal[2], "solid", False)]
        self._draw_bottom(ax, acq, nxt, f"{acq_label} (acquisition: higher = try here)", x_label, log_x)
        self.mode = "gp"
        top._rerender()
        bottom._rerender()

        def key(compact: bool, split: bool = False) -> Text:
            t = Text()
            t.append("━━" if compact else "━━━", style=f"bold {pal[0]}")
            t.append(" mean " if compact else " GP mean  ")
            t.append("▀▄", style=pal[0])
            t.append(" ±2σ " if compact else " ±2 std  ")
            if truth is not None:
                t.append("··" if compact else "···", style=f"bold {self._truth_color}")
                t.append(" truth " if compact else " true function  ")
            return self._key_tail(t, compact, split, next_x, next_why or f"where {acq_label} is highest", x_label)

        self.key.set_variants([key(False), key(False, split=True), key(True)])

    # ----- TPE ---------------------------------------------------------------------
    def set_densities(
        self,
        x: np.ndarray,
        good: np.ndarray,
        bad: np.ndarray,
        observed_x: Sequence[float],
        observed_y: Sequence[float],
        next_x: float | None = None,
        *,
        truth: np.ndarray | None = None,
        log_x: bool = False,
        x_label: str = "x",
        y_label: str = "value",
        next_why: str = "",
    ) -> None:
        """TPE's densities l(x) (`good`) and g(x) (`bad`) over x."""
        pal = self._palette
        ax, (good, bad, truth_ax) = self._axis(x, log_x, good=good, bad=bad, truth=truth)
        top, bottom = self.top, self.bottom
        nxt = self._draw_top(ax, [], truth_ax, observed_x, observed_y, next_x, log_x, y_label)

        bottom.drawn_series = [
            _Drawn("l(x) good", ax, good, None, None, "●", pal[2], "solid", False),
            _Drawn("g(x) bad", ax, bad, None, None, "■", pal[3], "dashed", False),
        ]
        bottom.marker_gap = 8
        self._draw_bottom(ax, good, nxt, "densities", x_label, log_x)
        self.mode = "tpe"
        top._rerender()
        bottom._rerender()

        def key(compact: bool, split: bool = False) -> Text:
            t = Text()
            t.append("●━━" if not compact else "●", style=f"bold {pal[2]}")
            t.append(" l(x) good " if compact else " l(x): where the good trials are  ")
            t.append("■━ ━" if not compact else "■", style=f"bold {pal[3]}")
            t.append(" g(x) rest " if compact else " g(x): where the others are  ")
            return self._key_tail(t, compact, split, next_x, next_why or "highest l(x)/g(x)", x_label)

        self.key.set_variants([key(False), key(False, split=True), key(True)])

    # -------------------------------------------------------------------------------
    def _axis(self, x, log_x: bool, **arrays) -> tuple[np.ndarray, list[np.ndarray]]:
        """x on the plot's axis, sorted, and each named array (shaped like x) in
        that order; a None array stays None."""
        self.top.log_x = self.bottom.log_x = log_x
        ax = self.top.to_axis_x(np.asarray(x, float).ravel())
        order = np.argsort(ax, kind="stable")
        out = []
        for name, a in arrays.items():
            if a is None:
                out.append(None)
                continue
            a = np.asarray(a, float).ravel()
            if a.shape != ax.shape:
                raise ValueError(f"{name} must have the shape of x {ax.shape}, got {a.shape}")
            out.append(a[order])
        return ax[order], out

    def _draw_top(self, ax, series: list, truth: np.ndarray | None, observed_x, observed_y, next_x, log_x: bool,
                  y_label: str) -> float | None:
        """The top panel: `series`, the true function, the observed points and the
        line at the next point (returned on the axis, or None)."""
        top = self.top
        if truth is not None:
            # a dotted braille line in a colour of its own, drawn first: where it crosses the
            # mean in a cell, the dots of both lines show (in the mean's colour)
            truth_line = _Drawn("true function", ax, truth, None, None, "", self._truth_color, "dotted", False,
                                thin=True)
            series = [truth_line, *series]
        top.drawn_series = series
        top.marks = self._observed(observed_x, observed_y, log_x, self._palette[1])
        nxt = self._next(next_x, log_x)
        top.vlines = [VLine(nxt, NEWEST_COLOR, "│", "next")] if nxt is not None else []
        top.set_ylabel(y_label)
        # the band far from the data (±2 std where nothing was tried) would squeeze the
        # curves into a few rows: it may widen the view by at most half the curves' span
        top.fit_view(band_reach=0.5)
        return nxt

    def _draw_bottom(self, ax, peak_of: np.ndarray, nxt: float | None, label: str, x_label: str, log_x: bool) -> None:
        """The bottom panel's peak marker, next-point line, title and x axis."""
        bottom = self.bottom
        peak_x, peak_y = self._peak(ax, peak_of, nxt)
        bottom.marks = [Mark(peak_x, peak_y, "▲", f"bold {NEWEST_COLOR}", "peak")] if peak_x is not None else []
        bottom.vlines = list(self.top.vlines)
        bottom.border_label = label
        bottom.set_xlabel(f"{x_label} (log)" if log_x else x_label)
        bottom.fit_view(pad=0.08)

    def _key_tail(self, t: Text, compact: bool, split: bool, next_x: float | None, why: str, x_label: str) -> Text:
        """The legend's common end: observed points and the next point."""
        t.append("●", style=f"bold {self._palette[1]}")
        t.append(" seen " if compact else " observed  ")
        if next_x is not None:
            if split:
                t.append("\n")
            t.append("│▲", style=f"bold {NEWEST_COLOR}")
            t.append(f" next {_fmt(next_x)}" if compact else f" next: {x_label} = {_fmt(next_x)}, {why}")
        return t

    def _observed(self, xs, ys, log_x: bool, color: str) -> list[Mark]:
        ox = self.top.to_axis_x(list(xs))
        oy = np.asarray(list(ys), float)
        if ox.shape != oy.shape:
            raise ValueError(f"observed_x and observed_y must have the same length, got {len(ox)} and {len(oy)}")
        return [Mark(float(a), float(b), "●", f"bold {color}", "observed") for a, b in zip(ox, oy)]

    def _next(self, next_x: float | None, log_x: bool) -> float | None:
        if next_x is None:
            return None
        v = float(self.top.to_axis_x(next_x))
        return v if np.isfinite(v) else None

    @staticmethod
    def _peak(ax: np.ndarray, values: np.ndarray, at: float | None) -> tuple[float | None, float | None]:
        """Where to put ▲: on the curve at `at`, else at the curve's maximum."""
        ok = np.isfinite(ax) & np.isfinite(values)
        if not ok.any():
            return None, None
        if at is None:
            i = int(np.argmax(np.where(ok, values, -np.inf)))
            return float(ax[i]), float(values[i])
        return at, float(np.interp(at, ax[ok], values[ok]))

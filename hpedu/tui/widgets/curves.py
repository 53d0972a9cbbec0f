"""`CurvePlot`: best-so-far / regret curves and compare medians.

Each `Series` is a braille line with its own colour, dash pattern (solid,
dashed, dotted, dash-dot) and marker (●, ■, ▲, ◆ ...), so the series differ
by more than colour. An optional band (`lower`..`upper`, e.g. the quartiles
over seeds) is painted under the line with half-blocks in a dim shade of the
series' colour. `log_y` draws the y axis in log10 (regret): values <= 0 are
drawn at the bottom of the axis, NaN breaks the line.

Keys when the plot has focus: `+` / `-` zoom, arrow keys pan, `0` resets the
view; the mouse wheel zooms, dragging pans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual_hires_canvas import Canvas

from ._halfblock import HalfBlockPlot, KeyLine
from ._paint import DASH_KEYS, DASHES, PIXEL_DASHES, blend, hex_color, raster_polyline, rgb_of, series_colors

__all__ = ["Series", "CurvePlot", "CurveCanvas", "MARKERS", "DASH_ORDER"]

#: markers handed out when several series ask for the same one
MARKERS = ["●", "■", "▲", "◆", "✚", "▼", "★"]
DASH_ORDER = ["solid", "dashed", "dotted", "dashdot"]
#: dash patterns of a `Series(thin=True)` line, in cell widths, coarse enough
#: to show at braille resolution (two dot columns a cell: a 0.5 gap of
#: `DASHES` closes up), and their legend samples (three cells)
THIN_DASHES: dict[str, tuple[float, ...] | None] = {
    "solid": None,
    "dashed": (1.5, 1.5),
    "dotted": (0.2, 0.8),
    "dashdot": (1.5, 1.0, 0.2, 1.0),
}
THIN_KEYS = {"solid": "⠒⠒⠒", "dashed": "⠒ ⠒", "dotted": "⠂⠂⠂", "dashdot": "⠒⠂⠒"}


@dataclass
class Series:
    """One curve. `lower`/`upper` (same length as x) give an optional band.

    `color` ('#rrggbb') and `dash` ('solid', 'dashed', 'dotted', 'dashdot')
    default to the series' position; `steps` draws a staircase (best so far
    holds until the next improvement)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    marker: str = "●"
    color: str | None = None
    dash: str | None = None
    steps: bool = False
    #: paint the band (False keeps lower/upper as data but draws only the line:
    #: several overlapping bands mix into one muddy colour)
    fill: bool = True
    #: a thin braille line instead of a thick half-block one: a line shape of
    #: its own, for telling series apart without colour (NO_COLOR)
    thin: bool = False


@dataclass
class _Drawn:
    """A series ready to draw, in axis space."""

    name: str
    x: np.ndarray
    y: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    marker: str
    color: str
    dash: str
    steps: bool
    fill: bool = True  # paint the band
    thin: bool = False  # a thin braille line instead of a half-block line
    #: the thin line's dash pattern in cell widths (None: `DASHES[dash]`)
    braille_dash: tuple[float, ...] | None = None


@dataclass
class Mark:
    """A single glyph at an axis-space point (observed points, ▲ maxima)."""

    x: float
    y: float
    glyph: str
    style: str
    role: str = ""


@dataclass
class VLine:
    x: float  # axis space
    color: str
    char: str = "│"
    role: str = "vline"


def to_log(values: np.ndarray | None, floor: float) -> np.ndarray | None:
    """log10 of values, with values <= 0 (but not NaN) drawn at `floor`."""
    if values is None:
        return None
    v = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), floor)
    return np.where(np.isnan(v), np.nan, out)


def log_floor(arrays: Sequence[np.ndarray | None]) -> float:
    """One decade below the smallest positive value (0 if there is none)."""
    pos = [a[np.isfinite(a) & (a > 0)] for a in arrays if a is not None]
    pos = [p for p in pos if p.size]
    if not pos:
        return 0.0
    return float(np.floor(np.log10(min(float(p.min()) for p in pos)))) - 1.0


def assign_styles(series: Sequence[Series], dark: bool = True) -> list[tuple[str, str, str]]:
    """(colour, dash, marker) for each series, all three distinct where possible."""
    palette = series_colors(dark)
    used: set[str] = set()
    out = []
    for i, s in enumerate(series):
        color = s.color or palette[i % len(palette)]
        dash = s.dash if s.dash in DASHES else DASH_ORDER[i % len(DASH_ORDER)]
        marker = s.marker  # "" draws no markers
        if marker and marker in used:
            marker = next((m for m in MARKERS if m not in used), marker)
        if marker:
            used.add(marker)
        out.append((color, dash, marker))
    return out


def _staircase(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of a post-step staircase through (x, y)."""
    if len(x) < 2:
        return x, y
    sx = np.repeat(x, 2)[1:]
    sy = np.repeat(y, 2)[:-1]
    return sx, sy


class CurveCanvas(HalfBlockPlot):
    """A plot of series with bands, extra marks and vertical lines."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawn_series: list[_Drawn] = []
        self.marks: list[Mark] = []
        self.vlines: list[VLine] = []
        self.marker_gap = 4
        self._bands_only: tuple[np.ndarray, list[str]] | None = None
        #: cells where markers were drawn last time: role or series name -> cells
        self.drawn: dict[str, list[tuple[int, int]]] = {}

    @property
    def _dark(self) -> bool:
        try:
            return self.app.current_theme.dark
        except Exception:
            return True

    def fit_view(self, *, x_range: tuple[float, float] | None = None, pad: float = 0.06,
                 band_reach: float | None = None) -> None:
        """Limits that show every series, band and mark. With `band_reach` the
        bands widen the y range by at most that fraction of the span of the
        lines and marks on each side (the rest of a band is cut at the edge)."""
        xs, ys, bands = [], [], []
        for s in self.drawn_series:
            xs.append(s.x)
            ys.append(s.y)
            bands += [a for a in (s.lower, s.upper) if a is not None]
        xs += [np.array([m.x for m in self.marks])]
        ys += [np.array([m.y for m in self.marks])]
        xs += [np.array([v.x for v in self.vlines])]
        fx = np.concatenate([np.ravel(a) for a in xs]) if xs else np.array([])
        fy = np.concatenate([np.ravel(a) for a in ys]) if ys else np.array([])
        fx, fy = fx[np.isfinite(fx)], fy[np.isfinite(fy)]
        fb = np.concatenate([np.ravel(a) for a in bands]) if bands else np.array([])
        fb = fb[np.isfinite(fb)]
        if band_reach is not None and fy.size and fb.size:
            lo, hi = float(fy.min()), float(fy.max())
            reach = band_reach * ((hi - lo) or abs(hi) or 1.0)
            fb = np.clip(fb, lo - reach, hi + reach)
        fy = np.concatenate([fy, fb])
        if x_range is not None:
            x0, x1 = float(self.to_axis_x(x_range[0])), float(self.to_axis_x(x_range[1]))
        elif fx.size:
            x0, x1 = float(fx.min()), float(fx.max())
        else:
            x0, x1 = 0.0, 1.0
        if fy.size:
            y0, y1 = float(fy.min()), float(fy.max())
            span = y1 - y0 if y1 > y0 else (abs(y1) or 1.0)
            y0, y1 = y0 - pad * span, y1 + pad * span
        else:
            y0, y1 = 0.0, 1.0
        self.set_view(x0, x1, y0, y1)

    # ----- layer: the bands ------------------------------------------------------
    def _band_masks(self, xs: np.ndarray, ys: np.ndarray) -> list[tuple[np.ndarray, str]]:
        base = self.background_colors[1].hex6
        out = []
        for s in self.drawn_series:
            if s.lower is None or s.upper is None or not s.fill:
                continue
            ok = np.isfinite(s.x) & np.isfinite(s.lower) & np.isfinite(s.upper)
            x, lo, hi = s.x[ok], s.lower[ok], s.upper[ok]
            if x.size == 0:
                continue
            order = np.argsort(x, kind="stable")
            x, lo, hi = x[order], lo[order], hi[order]
            inside = (xs >= x[0]) & (xs <= x[-1])
            if s.steps:
                k = np.clip(np.searchsorted(x, xs, side="right") - 1, 0, len(x) - 1)
                blo, bhi = lo[k], hi[k]
            else:
                blo, bhi = np.interp(xs, x, lo), np.interp(xs, x, hi)
            a, b = np.minimum(blo, bhi), np.maximum(blo, bhi)
            # a pixel is in the band when its centre is, or when the band is
            # thinner than a pixel but passes through it (never invisible)
            half = 0.5 * abs(ys[1] - ys[0]) if len(ys) > 1 else 0.0
            mask = (ys[:, None] >= a[None, :] - half) & (ys[:, None] <= b[None, :] + half) & inside[None, :]
            out.append((mask, blend(s.color, base, 0.38)))
        return out

    def _layer(self):
        xs, ys = self._pixel_centres()
        bands = self._band_masks(xs, ys)
        lines = [s for s in self.drawn_series if not s.thin]
        if not bands and not lines:
            return None
        shape = (len(ys), len(xs))
        idx = np.full(shape, -1, dtype=int)
        palette: list[str] = []
        if bands:
            code = np.zeros(shape, dtype=np.int64)
            for k, (mask, _) in enumerate(bands):
                code |= mask.astype(np.int64) << k
            for v in np.unique(code):
                if v == 0:
                    continue
                cols = [np.array(rgb_of(c), float) for k, (_, c) in enumerate(bands) if v >> k & 1]
                idx[code == v] = len(palette)
                palette.append(hex_color(np.mean(cols, axis=0)))
        self._bands_only = (idx.copy(), list(palette)) if bands else None
        for s in lines:
            x, y = (_staircase(s.x, s.y) if s.steps else (s.x, s.y))
            fx, fy = self._axis_to_pixels(x, y)
            rows, cols = raster_polyline(fx, fy, shape[1], shape[0], PIXEL_DASHES[s.dash])
            idx[rows, cols] = len(palette)
            palette.append(s.color)
        return idx, palette

    def _background(self, layer):
        # a marker on a line sits on the band, not on a block of the line's colour
        return self._bands_only if layer is not None else None

    # ----- overlay: lines, markers, marks -----------------------------------------
    def _draw_overlay(self, canvas: Canvas) -> None:
        self.drawn = {}
        r = self.plot_region
        for v in self.vlines:
            cell = self._cell_of_axis(v.x, (self.view[2] + self.view[3]) / 2)
            if cell is None:
                continue
            for y in range(r.y, r.bottom):
                self.put(canvas, cell[0], y, v.char, v.color)
            self.drawn.setdefault(v.role, []).append(cell)
        for s in self.drawn_series:
            if s.thin:
                x, y = (_staircase(s.x, s.y) if s.steps else (s.x, s.y))
                pattern = s.braille_dash if s.braille_dash is not None else DASHES[s.dash]
                self.draw_polyline(canvas, x, y, f"bold {s.color}", pattern, merge=True)
        for s in self.drawn_series:
            self._draw_markers(canvas, s)
        for m in self.marks:
            cell = self._cell_of_axis(m.x, m.y)
            if cell is not None:
                self.put(canvas, cell[0], cell[1], m.glyph, m.style)
                self.drawn.setdefault(m.role or m.glyph, []).append(cell)

    def _draw_markers(self, canvas: Canvas, s: _Drawn) -> None:
        if not s.marker:
            return
        ok = np.isfinite(s.x) & np.isfinite(s.y)
        last_col = None
        cells = []
        for i in np.flatnonzero(ok)[::-1]:
            cell = self._cell_of_axis(float(s.x[i]), float(s.y[i]))
            if cell is None:
                continue
            if last_col is not None and last_col - cell[0] < self.marker_gap:
                continue
            last_col = cell[0]
            cells.append(cell)
        for cx, cy in cells:
            self.put(canvas, cx, cy, s.marker, f"bold {s.color}")
        self.drawn[s.name] = cells


def legend_text(drawn: Sequence[_Drawn], band_label: str | None = None, *, compact: bool = False,
                split: bool = False) -> Text:
    """marker + line sample + name for each series, and what the bands are
    (on a line of its own with `split`; `compact` leaves out the line samples)."""
    text = Text()
    for k, s in enumerate(drawn):
        if k:
            text.append(" " if compact else "  ")
        sample = (THIN_KEYS if s.thin else DASH_KEYS)[s.dash]
        text.append(s.marker + ("" if compact else sample), style=f"bold {s.color}")
        text.append(f"{'' if compact else ' '}{s.name}")
    banded = [s for s in drawn if s.lower is not None and s.upper is not None and s.fill]
    if band_label and banded:
        text.append("\n" if split else " " if compact else "  ")
        # the sample in the band's own colour when there is one band
        text.append("▀▄", style=banded[0].color if len(banded) == 1 else "dim")
        text.append(f" {band_label}", style="dim")
    return text


class CurvePlot(Widget):
    """Curves against trial number, with optional bands and a legend line."""

    DEFAULT_CSS = """
    CurvePlot {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    CurvePlot > .plot-area {
        height: 1fr;
        min-height: 3;
    }
    CurvePlot > .plot-key {
        height: auto;
        max-height: 3;
    }
    """

    def __init__(
        self,
        *,
        title: str = "",
        log_y: bool = False,
        log_x: bool = False,
        x_label: str = "trial",
        y_label: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.plot = CurveCanvas(classes="plot-area")
        self.plot.plot_title = title
        self.key = KeyLine(classes="plot-key")
        self._series: list[Series] = []
        self._x_range: tuple[float, float] | None = None
        self._band_label: str | None = "middle half of the seeds"
        self._band_label_short: str | Sequence[str] | None = None
        self._log_y = log_y
        self._log_x = log_x
        self._marks: list[Mark] | None = None
        self._labels = (x_label, y_label)
        self.plot.set_xlabel(x_label)
        self.plot.set_ylabel(y_label)

    def compose(self) -> ComposeResult:
        yield self.plot
        yield self.key

    def on_mount(self) -> None:
        self._prepare()

    @property
    def log_y(self) -> bool:
        return self._log_y

    @log_y.setter
    def log_y(self, value: bool) -> None:
        self._log_y = bool(value)
        self._prepare()

    @property
    def log_x(self) -> bool:
        return self._log_x

    @log_x.setter
    def log_x(self, value: bool) -> None:
        self._log_x = bool(value)
        self._prepare()

    def set_marks(self, marks: Sequence[Mark]) -> None:
        """Single glyphs at points given in value units, drawn over the curves
        (e.g. the trials of a 1-D objective: `Mark(x, y, "●", "bold #56b4e9", "trial")`)."""
        self._marks = list(marks)
        self._prepare()

    def set_series(
        self,
        series: Sequence[Series],
        *,
        x_range: tuple[float, float] | None = None,
        band_label: str | None = "middle half of the seeds",
        band_label_short: str | Sequence[str] | None = None,
    ) -> None:
        """Replace the curves. `x_range` fixes the x axis (e.g. (1, budget)) so
        it does not grow with every trial; `band_label` names the bands in the
        legend (`band_label_short` on a narrow plot: one wording or several,
        shorter and shorter; default "bands")."""
        self._series = list(series)
        self._x_range = x_range
        self._band_label = band_label
        self._band_label_short = band_label_short
        self._prepare()

    def set_labels(self, x_label: str, y_label: str) -> None:
        self._labels = (x_label, y_label)
        self._prepare()

    def set_title(self, title: str, *shorter: str) -> None:
        """The title, and shorter wordings for a narrow plot (longest first)."""
        self.plot.set_title(title, *shorter)

    def clear(self) -> None:
        self.set_series([])

    # -------------------------------------------------------------------------
    def _prepare(self) -> None:
        plot = self.plot
        dark = plot._dark if self.is_mounted else True
        styles = assign_styles(self._series, dark)
        plot.log_x, plot.log_y = self._log_x, self._log_y
        marks = self._marks or []
        arrays = [a for s in self._series for a in (s.y, s.lower, s.upper)] + [np.array([m.y for m in marks])]
        floor = log_floor(arrays) if self._log_y else 0.0

        def ty(a):
            if a is None:
                return None
            return to_log(a, floor) if self._log_y else np.asarray(a, dtype=float)

        drawn = []
        for s, (color, dash, marker) in zip(self._series, styles):
            x = plot.to_axis_x(s.x)
            y = ty(s.y)
            if x.shape != y.shape:
                raise ValueError(f"series {s.name!r}: x and y must have the same length, got {x.shape} and {y.shape}")
            lo, hi = ty(s.lower), ty(s.upper)
            for name, band in (("lower", lo), ("upper", hi)):
                if band is not None and band.shape != x.shape:
                    raise ValueError(f"series {s.name!r}: {name} must have the length of x, got {band.shape}")
            drawn.append(_Drawn(s.name, x, y, lo, hi, marker, color, dash, s.steps, fill=s.fill, thin=s.thin,
                                braille_dash=THIN_DASHES[dash] if s.thin else None))
        plot.drawn_series = drawn
        if self._marks is not None:
            plot.marks = [
                Mark(float(plot.to_axis_x(m.x)), float(ty(np.array([m.y]))[0]), m.glyph, m.style, m.role)
                for m in self._marks
            ]
        plot.fit_view(x_range=self._x_range)
        x_label, y_label = self._labels
        plot.set_xlabel(f"{x_label} (log)" if self._log_x and x_label else x_label)
        plot.set_ylabel(f"{y_label} (log)" if self._log_y and y_label and "log" not in y_label else y_label)
        plot._rerender()
        shorts = self._band_label_short or "bands"
        shorts = [shorts] if isinstance(shorts, str) else list(shorts)
        if not self._band_label:
            shorts = [None]
        # the line samples go last: they tell the lines apart without colour
        self.key.set_variants([
            legend_text(drawn, self._band_label),
            *(legend_text(drawn, short) for short in shorts),
            legend_text(drawn, self._band_label, split=True),
            *(legend_text(drawn, short, split=True) for short in shorts),
            *(legend_text(drawn, short, compact=True) for short in shorts),
        ])

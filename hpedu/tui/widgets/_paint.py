"""Colours, dash patterns, a half-block line rasteriser and a faster canvas
for the plot widgets (no widget logic here)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

import numpy as np
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.geometry import Region
from textual.strip import Strip
from textual_hires_canvas import Canvas, TextAlign

__all__ = [
    "VIRIDIS", "colormap", "hex_color", "rgb_of", "blend", "luminance", "contrast_color", "series_colors",
    "DASHES", "DASH_KEYS", "PIXEL_DASHES", "dash_segments", "raster_polyline", "FastCanvas",
]

# ----- colours ---------------------------------------------------------------

#: viridis (matplotlib's perceptually uniform map, CC0) at 17 evenly spaced stops
VIRIDIS = [
    "#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
    "#1f9f88", "#27ad81", "#3dbc74", "#5cc863", "#81d34d", "#aadc32", "#d5e21a", "#fde725",
]

#: Okabe-Ito colour-blind-safe colours, ordered for a dark and a light background
_SERIES_DARK = ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#d55e00", "#0072b2"]
_SERIES_LIGHT = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]


def rgb_of(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b)."""
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def hex_color(rgb: Sequence[float]) -> str:
    r, g, b = (int(round(min(255.0, max(0.0, float(v))))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


@lru_cache(maxsize=4096)
def blend(a: str, b: str, t: float) -> str:
    """Mix colour `a` into `b`: t=1 gives a, t=0 gives b."""
    return hex_color([t * u + (1 - t) * v for u, v in zip(rgb_of(a), rgb_of(b))])


def luminance(color: str) -> float:
    r, g, b = rgb_of(color)
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255.0


@lru_cache(maxsize=4096)
def contrast_color(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    return "#000000" if luminance(background) > 0.55 else "#ffffff"


def colormap(levels: int, stops: Sequence[str] = VIRIDIS) -> list[str]:
    """`levels` colours evenly spaced along the colour stops (first = stop 0)."""
    rgb = np.array([rgb_of(s) for s in stops], float)
    at = np.linspace(0.0, 1.0, len(stops))
    t = np.linspace(0.0, 1.0, levels)
    cols = np.stack([np.interp(t, at, rgb[:, k]) for k in range(3)], axis=1)
    return [hex_color(c) for c in cols]


def series_colors(dark: bool) -> list[str]:
    return list(_SERIES_DARK if dark else _SERIES_LIGHT)


# ----- dashed lines ----------------------------------------------------------

#: line patterns as (on, off, on, off, ...) lengths in cell widths; None = solid
DASHES: dict[str, tuple[float, ...] | None] = {
    "solid": None,
    "dashed": (1.5, 1.0),
    "dotted": (0.5, 0.5),
    "dashdot": (1.5, 0.5, 0.5, 0.5),
}
#: how each pattern is shown in a legend (three cells)
DASH_KEYS = {"solid": "━━━", "dashed": "━ ━", "dotted": "···", "dashdot": "━·━"}
#: the same patterns for half-block lines, in pixels (a half-block pixel is about square)
PIXEL_DASHES: dict[str, tuple[int, ...] | None] = {
    "solid": None,
    "dashed": (3, 2),
    "dotted": (1, 1),
    "dashdot": (4, 1, 1, 1),
}


def raster_polyline(
    fx: np.ndarray, fy: np.ndarray, width: int, height: int, pattern: tuple[int, ...] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (rows, cols) of a polyline through fractional pixel coordinates
    (fx columns, fy rows; NaN breaks the line), clipped to width x height,
    following a dash pattern measured along the line in pixels."""
    fx = np.asarray(fx, float).ravel()
    fy = np.asarray(fy, float).ravel()
    # a point on the right or bottom edge belongs to the last pixel
    fx = np.where(np.abs(fx - width) < 1e-6, width - 1e-6, fx)
    fy = np.where(np.abs(fy - height) < 1e-6, height - 1e-6, fy)
    ok = np.isfinite(fx) & np.isfinite(fy)
    if not ok.any():
        return np.array([], int), np.array([], int)
    # segments between consecutive finite points, and lone finite points
    seg = ok[:-1] & ok[1:]
    lone = ok & ~np.r_[False, seg] & ~np.r_[seg, False]
    x0 = np.r_[fx[:-1][seg], fx[lone]]
    y0 = np.r_[fy[:-1][seg], fy[lone]]
    x1 = np.r_[fx[1:][seg], fx[lone]]
    y1 = np.r_[fy[1:][seg], fy[lone]]
    dx, dy = x1 - x0, y1 - y0
    # at least two samples per pixel crossed, so no pixel on the way is skipped
    n = np.ceil(2 * np.maximum(np.abs(dx), np.abs(dy))).astype(int) + 2
    n = np.minimum(n, 4 * (width + height) + 2)
    which = np.repeat(np.arange(len(n)), n)
    first = np.cumsum(n) - n
    t = (np.arange(n.sum()) - first[which]) / np.maximum(n[which] - 1, 1)
    cols = np.floor(x0[which] + t * dx[which])
    rows = np.floor(y0[which] + t * dy[which])
    keep = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    if pattern:
        length = np.hypot(dx, dy)
        start = np.cumsum(length) - length
        d = start[which] + t * length[which]
        period = float(sum(pattern))
        phase = np.mod(d + 0.5, period)
        on = np.zeros(len(d), bool)
        edge = 0.0
        for k, part in enumerate(pattern):
            if k % 2 == 0:
                on |= (phase >= edge) & (phase < edge + part)
            edge += part
        keep &= on
    return rows[keep].astype(int), cols[keep].astype(int)


def dash_segments(
    points: Sequence[tuple[float, float]], pattern: tuple[float, ...] | None
) -> list[tuple[float, float, float, float]]:
    """Split a polyline (canvas cell coordinates, floats) into the segments of
    a dash pattern for a braille line. Length is measured in cell widths, a
    cell being twice as tall as wide, so dashes look equally long in every
    direction."""
    segs: list[tuple[float, float, float, float]] = []
    if len(points) < 2:
        return segs
    if pattern is None:
        return [(*points[i - 1], *points[i]) for i in range(1, len(points))]
    idx, left, on_ = 0, pattern[0], True
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        length = math.hypot(x1 - x0, 2.0 * (y1 - y0))
        pos = 0.0
        while pos < length - 1e-9:
            step = min(left, length - pos)
            if on_:
                a, b = pos / length, (pos + step) / length
                segs.append((x0 + a * (x1 - x0), y0 + a * (y1 - y0), x0 + b * (x1 - x0), y0 + b * (y1 - y0)))
            pos += step
            left -= step
            if left <= 1e-9:
                idx = (idx + 1) % len(pattern)
                left, on_ = pattern[idx], not on_
    return segs


# ----- the canvas ------------------------------------------------------------

_SIMPLE_MARKUP = re.compile(r"^\[([^\[\]]*)\]([^\[\]]*)$")


class FastCanvas(Canvas):
    """textual-hires-canvas's Canvas with two hot spots made cheap: the base
    style is computed once per style change instead of once per line, and
    `write_text` skips Rich markup parsing for the plain "[style]text" labels
    the plot writes."""

    _base_style: RichStyle | None = None
    _hold = 0
    _before: list[tuple[tuple[str, ...], tuple[str, ...]]] | None = None
    #: called with the canvas before it paints a line (the plot draws first
    #: when its content is out of date or was drawn for another size)
    before_paint = None

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if self._hold and not layout and not recompose:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def hold(self) -> None:
        """Start a redraw: remember the content, refresh nothing until `release`."""
        if not self._hold:
            self._before = [(tuple(b), tuple(st)) for b, st in zip(self._buffer, self._styles)]
        self._hold += 1

    def release(self) -> None:
        """End a redraw: repaint only the lines that changed."""
        self._hold -= 1
        if self._hold:
            return
        before, self._before = self._before, None
        if before is None or len(before) != len(self._buffer):
            super().refresh()
            return
        width = self._canvas_size.width
        changed = [
            y for y, (b, st) in enumerate(zip(self._buffer, self._styles))
            if len(b) != len(before[y][0]) or tuple(b) != before[y][0] or tuple(st) != before[y][1]
        ]
        if changed:
            super().refresh(*(Region(0, y, width, 1) for y in changed))

    def render_line(self, y: int) -> Strip:
        if self.before_paint is not None:
            self.before_paint(self)
        size = self._canvas_size
        if not size.area or y >= size.height:
            return Strip.blank(cell_length=0)
        base = self._base_style
        if base is None:
            base = self._base_style = self.rich_style
        chars, styles = self._buffer[y], self._styles[y]
        segments: list[Segment] = []
        cache = self._style_cache
        start, n = 0, len(chars)
        while start < n:
            st = styles[start]
            end = start + 1
            while end < n and styles[end] == st:
                end += 1
            if st:
                obj = cache.get(st)
                if obj is None:
                    obj = cache[st] = RichStyle.parse(st)
                segments.append(Segment("".join(chars[start:end]), base + obj))
            else:
                segments.append(Segment("".join(chars[start:end]), base))
            start = end
        return Strip(segments, n)

    def write_text(self, x: int, y: int, text: str, align: TextAlign = TextAlign.LEFT) -> None:
        m = _SIMPLE_MARKUP.match(text)
        size = self._canvas_size
        if m is None or not size or y < 0 or y >= size.height:
            return super().write_text(x, y, text, align)
        style, plain = m.group(1), m.group(2)
        if not plain:
            return
        if align == TextAlign.RIGHT:
            x -= len(plain) - 1
        elif align == TextAlign.CENTER:
            div, mod = divmod(len(plain), 2)
            x -= div - (1 if mod == 0 else 0)
        row_b, row_s = self._buffer[y], self._styles[y]
        for k, ch in enumerate(plain):
            if 0 <= x + k < size.width:
                row_b[x + k] = ch
                row_s[x + k] = style
        self.refresh()

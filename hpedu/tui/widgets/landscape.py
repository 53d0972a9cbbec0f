"""`LandscapePlot`: a 2-D objective as a half-block heatmap with the sampled
trials on top.

The heatmap has two colour rows per cell and real axes (textual-plot). The
colour always runs along viridis with *bright = better*, whatever the
direction of the objective. The key under the plot is a colour bar with the
values from low (left) to high (right), its better and worse ends named in
words, and the colour scale drawn (linear, or log of the distance from the
best value: more shades near the best). Markers differ in shape, not only in colour:

    ● recent trial   • older trial   ◆ newest   ★ best so far
    ✚ next proposal  ▣ selected row  12  trial number of the last few trials

When two of them share a cell the more important one is drawn:
next < newest < best < selected (a newest point that is also the best is a
★ in the newest colour).

While a model's landscape is being trained the plot shows its labelled axes
and a progress line in the middle ("training 144 SVCs (3-fold CV each):
38/144", `set_progress`); the landscape replaces it when it is ready.

Keys when the plot has focus: `+` / `-` zoom, arrow keys pan, `0` resets the
view; the mouse wheel zooms around the pointer and dragging pans.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual_hires_canvas import Canvas

from ._halfblock import HalfBlockPlot, KeyLine
from ._paint import blend, colormap, contrast_color

__all__ = ["LandscapePlot", "goodness", "GLYPHS", "NEWEST_COLOR"]

#: marker glyphs, by role
GLYPHS = {"point": "●", "old": "•", "newest": "◆", "best": "★", "next": "✚", "selected": "▣"}
NEWEST_COLOR = "#ff3b6b"
#: points younger than this (in trials) keep the big dot; older ones shrink and fade
RECENT = 5
FADE_AGE = 12
LEVELS = 64


def goodness(z: np.ndarray, better: str = "low", scale: str = "auto") -> tuple[np.ndarray, str]:
    """Map values to [0, 1] with 1 = the best value and 0 = the worst (NaN stays NaN).

    scale "linear" is proportional to the distance from the best value; "log"
    uses log(1 + distance / eps) with eps = range / 1000, so the region near
    the best value gets most of the colours; "auto" picks log when most of the
    landscape sits close to the best value compared with its extremes (a few
    huge values would otherwise paint everything in one colour).
    Returns (t, scale used).
    """
    if better not in ("low", "high"):
        raise ValueError(f"better must be 'low' or 'high', got {better!r}")
    z = np.asarray(z, dtype=float)
    finite = np.isfinite(z)
    if not finite.any():
        return np.full(z.shape, np.nan), "linear"
    zmin, zmax = float(np.min(z[finite])), float(np.max(z[finite]))
    span = zmax - zmin
    if span <= 0:
        return np.where(finite, 1.0, np.nan), "linear"
    d = np.where(finite, (z - zmin) if better == "low" else (zmax - z), np.nan)
    if scale == "auto":
        scale = "log" if float(np.nanmedian(d)) / span < 0.2 else "linear"
    if scale == "log":
        eps = span * 1e-3
        t = 1.0 - np.log1p(d / eps) / np.log1p(span / eps)
    elif scale == "linear":
        t = 1.0 - d / span
    else:
        raise ValueError(f"color scale must be 'auto', 'linear' or 'log', got {scale!r}")
    return np.clip(t, 0.0, 1.0), scale


def _bilinear(gx: np.ndarray, gy: np.ndarray, t: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Sample t (ny, nx) on the grid (gx, gy) at every (ys[i], xs[j]); NaN outside.
    Where an interpolation corner is NaN (not computed yet) the nearest grid
    value is used, so a partly computed landscape shows every computed cell."""
    nx, ny = len(gx), len(gy)
    fx = np.interp(xs, gx, np.arange(nx, dtype=float), left=np.nan, right=np.nan)
    fy = np.interp(ys, gy, np.arange(ny, dtype=float), left=np.nan, right=np.nan)
    okx, oky = np.isfinite(fx), np.isfinite(fy)
    fx, fy = np.where(okx, fx, 0.0), np.where(oky, fy, 0.0)
    ix0 = np.clip(np.floor(fx).astype(int), 0, nx - 1)
    iy0 = np.clip(np.floor(fy).astype(int), 0, ny - 1)
    ix1, iy1 = np.minimum(ix0 + 1, nx - 1), np.minimum(iy0 + 1, ny - 1)
    wx, wy = (fx - ix0)[None, :], (fy - iy0)[:, None]
    v = (
        t[np.ix_(iy0, ix0)] * (1 - wx) * (1 - wy)
        + t[np.ix_(iy0, ix1)] * wx * (1 - wy)
        + t[np.ix_(iy1, ix0)] * (1 - wx) * wy
        + t[np.ix_(iy1, ix1)] * wx * wy
    )
    near = t[np.ix_(np.rint(fy).astype(int), np.rint(fx).astype(int))]
    v = np.where(np.isnan(v), near, v)
    return np.where(oky[:, None] & okx[None, :], v, np.nan)


class HeatPlot(HalfBlockPlot):
    """The plot inside `LandscapePlot` (focusable: zoom and pan keys)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.palette = colormap(LEVELS)  # index 0 = worst (dark), LEVELS-1 = best (bright)
        self._gx: np.ndarray | None = None
        self._gy: np.ndarray | None = None
        self._t: np.ndarray | None = None
        self.points: dict | None = None
        self.label_last = 3
        #: a line drawn in the middle of the plot (training progress), or None
        self.message: str | None = None
        #: where each marker was drawn last time: role -> list of (cell, index)
        self.drawn: dict[str, list[tuple[tuple[int, int], int | None]]] = {}

    def set_grid(self, gx: np.ndarray, gy: np.ndarray, t: np.ndarray) -> None:
        self._gx, self._gy, self._t = gx, gy, t
        self.set_view(float(gx[0]), float(gx[-1]), float(gy[0]), float(gy[-1]))
        self._rerender()

    def _layer(self):
        if self._t is None:
            return None
        xs, ys = self._pixel_centres()
        v = _bilinear(self._gx, self._gy, self._t, xs, ys)
        idx = np.where(np.isfinite(v), np.rint(np.nan_to_num(v) * (LEVELS - 1)), -1).astype(int)
        return idx, self.palette

    def _draw_overlay(self, canvas: Canvas) -> None:
        self.drawn = {k: [] for k in GLYPHS}
        self.drawn["label"] = []
        if self.message:
            self._draw_message(canvas, self.message)
        p = self.points
        if not p:
            return
        xs, ys = p["xs"], p["ys"]
        n = len(xs)
        base = self.background_colors[1].hex6
        taken: set[tuple[int, int]] = set()

        def mark(i: int | None, ax: float, ay: float, role: str, color: str | None = None, extra: str = "") -> tuple[int, int] | None:
            cell = self._cell_of_axis(ax, ay)
            if cell is None:
                return None
            bg = self.cell_background(*cell) or base
            fg = color or contrast_color(bg)
            if role == "old" and i is not None and n - 1 - i >= FADE_AGE:
                fg = blend(fg, bg, 0.55)
            style = f"{extra}{fg} on {bg}"
            self.put(canvas, cell[0], cell[1], GLYPHS[role], style)
            self.drawn[role].append((cell, i))
            taken.add(cell)
            return cell

        for i in range(n):
            mark(i, xs[i], ys[i], "point" if n - 1 - i < RECENT else "old")
        best, newest, sel = p["best"], p["newest"], p["selected"]
        # later marks win a shared cell: next < newest < best < selected
        if p["next"] is not None:
            mark(None, p["next"][0], p["next"][1], "next", None, "bold ")
        if newest is not None and 0 <= newest < n and newest != best:
            mark(newest, xs[newest], ys[newest], "newest", NEWEST_COLOR, "bold ")
        if best is not None and 0 <= best < n:
            color = NEWEST_COLOR if best == newest else None
            mark(best, xs[best], ys[best], "best", color, "bold ")
        if sel is not None and 0 <= sel < n:
            mark(sel, xs[sel], ys[sel], "selected", None, "reverse bold ")
        # trial numbers next to the last few trials, where there is room
        r = self.plot_region
        for i in range(n - 1, max(-1, n - 1 - self.label_last), -1):
            cell = self._cell_of_axis(xs[i], ys[i])
            if cell is None:
                continue
            text = str(p["numbers"][i])
            cx, cy = cell
            for start in (cx + 1, cx - len(text)):
                cells = [(start + k, cy) for k in range(len(text))]
                if all(r.x <= c[0] < r.right and c not in taken for c in cells):
                    for (x, y), ch in zip(cells, text):
                        bg = self.cell_background(x, y) or base
                        fg = NEWEST_COLOR if i == newest else contrast_color(bg)
                        self.put(canvas, x, y, ch, f"bold {fg} on {bg}")
                        taken.add((x, y))
                    self.drawn["label"].append((cells[0], i))
                    break


    def _draw_message(self, canvas: Canvas, message: str) -> None:
        """`message` centred in the plot area, cut to its width (wrapped once at
        ': ' when too long for one line, so the count stays whole)."""
        r = self.plot_region
        if r.width <= 0 or r.height <= 0:
            return
        lines = [message]
        if len(message) > r.width and ": " in message and r.height >= 2:
            head, _, tail = message.rpartition(": ")
            lines = [head + ":", tail]
        top = r.y + max(0, (r.height - len(lines)) // 2)
        for k, line in enumerate(lines[: r.height]):
            line = line[: r.width]
            left = r.x + (r.width - len(line)) // 2
            for i, ch in enumerate(line):
                self.put(canvas, left + i, top + k, ch, "bold")


class LandscapePlot(Widget):
    """A 2-D landscape (heatmap) with the sampled points on top, and a key."""

    DEFAULT_CSS = """
    LandscapePlot {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    LandscapePlot > .plot-area {
        height: 1fr;
        min-height: 3;
    }
    LandscapePlot > .plot-key {
        height: auto;
        max-height: 3;
    }
    """

    def __init__(
        self,
        *,
        title: str = "",
        label_last: int = 3,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.plot = HeatPlot(classes="plot-area")
        self.plot.plot_title = title
        self.plot.label_last = label_last
        self.key = KeyLine(classes="plot-key")
        #: the colour bar: one line, two lines, compact (two short lines)
        self._scale_key: tuple[Text, Text, Text] = (Text(), Text(), Text())
        self._points_key: tuple[Text, Text] = (Text(), Text())
        #: the landscape's value range and colour scale: (best, worst, scale) or None
        self.value_range: tuple[float, float, str] | None = None
        self._progress_key: Text | None = None

    def compose(self) -> ComposeResult:
        yield self.plot
        yield self.key

    # ----- API -------------------------------------------------------------------
    def set_landscape(
        self,
        x: np.ndarray,
        y: np.ndarray,
        z: np.ndarray,
        *,
        x_label: str,
        y_label: str,
        log_x: bool = False,
        log_y: bool = False,
        better: str = "low",
        color_scale: str = "auto",
        end_words: tuple[str, str] = ("worse", "better"),
    ) -> None:
        """Show z (ny, nx) over the grid x (nx,), y (ny,) in parameter units.

        NaN values (not computed yet) are left blank. `better` ("low"/"high")
        says which end is good: the good end is always bright. `color_scale`
        is "auto", "linear" or "log" (see `goodness`). `end_words` name the
        colour bar's bad and good ends (an acquisition map: "try here")."""
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        z = np.asarray(z, dtype=float)
        if z.shape != (len(y), len(x)):
            raise ValueError(f"z must have shape (len(y), len(x)) = {(len(y), len(x))}, got {z.shape}")
        plot = self.plot
        plot.log_x, plot.log_y = log_x, log_y
        gx, gy = plot.to_axis_x(x), plot.to_axis_y(y)
        t, scale = goodness(z, better, color_scale)
        ox, oy = np.argsort(gx), np.argsort(gy)
        gx, gy, t = gx[ox], gy[oy], t[np.ix_(oy, ox)]
        keep_x, keep_y = np.isfinite(gx), np.isfinite(gy)
        gx, gy, t = gx[keep_x], gy[keep_y], t[np.ix_(keep_y, keep_x)]
        plot.set_xlabel(f"{x_label} (log)" if log_x else x_label)
        plot.set_ylabel(f"{y_label} (log)" if log_y else y_label)
        if len(gx) == 0 or len(gy) == 0:
            return
        plot.set_grid(gx, gy, t)
        finite = z[np.isfinite(z)]
        if finite.size:
            plot.message, self._progress_key = None, None  # the values are here: no more progress to show
            lo, hi = float(finite.min()), float(finite.max())
            best, worst = (lo, hi) if better == "low" else (hi, lo)
            self.value_range = (best, worst, scale)
            self._scale_key = (
                self._color_bar(best, worst, better, scale, end_words, compact=False),
                self._color_bar(best, worst, better, scale, end_words, compact=False, split=True),
                self._color_bar(best, worst, better, scale, end_words, compact=True),
            )
        else:
            self.value_range = None
            wait = Text("landscape not computed yet", style="italic")
            self._scale_key = (wait, wait, Text("not computed yet", style="italic"))
        self._update_key()

    def set_points(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        *,
        best: int | None = None,
        newest: int | None = None,
        selected: int | None = None,
        next_point: tuple[float, float] | None = None,
        numbers: Sequence[int] | None = None,
    ) -> None:
        """Draw the sampled trials (parameter units). `best`, `newest` and
        `selected` index into xs; `next_point` is the next proposal;
        `numbers` are the trial numbers shown next to the last few points
        (default 1, 2, ...)."""
        plot = self.plot
        ax, ay = plot.to_axis_x(list(xs)), plot.to_axis_y(list(ys))
        if ax.shape != ay.shape:
            raise ValueError(f"xs and ys must have the same length, got {len(ax)} and {len(ay)}")
        nxt = None
        if next_point is not None:
            nxt = (float(plot.to_axis_x(next_point[0])), float(plot.to_axis_y(next_point[1])))
        nums = list(numbers) if numbers is not None else list(range(1, len(ax) + 1))
        plot.points = {
            "xs": ax.tolist(), "ys": ay.tolist(), "best": best, "newest": newest, "selected": selected,
            "next": nxt, "numbers": nums,
        }
        plot._rerender()
        self._points_key = (
            self._marker_key(len(ax), best, newest, selected, next_point is not None, compact=False),
            self._marker_key(len(ax), best, newest, selected, next_point is not None, compact=True),
        )
        self._update_key()

    def clear_points(self) -> None:
        self.plot.points = None
        self.plot._rerender()
        self._points_key = (Text(), Text())
        self._update_key()

    def set_title(self, title: str, *shorter: str) -> None:
        """The title, and shorter wordings for a narrow plot (longest first)."""
        self.plot.set_title(title, *shorter)

    def set_progress(self, label: str | None, done: int = 0, total: int = 0) -> None:
        """Show '<label>: done/total' in the middle of the plot and on the key
        line (a model's landscape being trained); `None` removes it."""
        if label is None:
            self.plot.message = None
            self._progress_key = None
        else:
            text = f"{label}: {done}/{total}"
            self.plot.message = text
            self._progress_key = Text(text, style="italic")
        self.plot._rerender()
        self._update_key()

    # ----- the key ------------------------------------------------------------------
    def _color_bar(self, best: float, worst: float, better: str, scale: str, end_words: tuple[str, str], *,
                   compact: bool, split: bool = False) -> Text:
        """Values from low (left) to high (right), as on any axis; the colours
        run with them (bright at the better end) and words name both ends and
        the colour scale that was drawn."""
        low, high = min(best, worst), max(best, worst)
        colours = colormap(6 if compact else 10)  # dark (worse) -> bright (better)
        if better == "low":
            colours = colours[::-1]
        bar = Text()
        for c in colours:
            bar.append(" ", style=f"on {c}")
        log = scale == "log"
        text = Text()
        if compact:
            text.append(f"{low:.4g} ", style="bold")
            text.append_text(bar)
            text.append(f" {high:.4g}", style="bold")
            text.append(f"\n{better} = {end_words[1]} ({'log' if log else 'linear'})")
            return text
        left, right = end_words[::-1] if better == "low" else end_words
        text.append(f"{left} ")
        text.append(f"{low:.4g} ", style="bold")
        text.append_text(bar)
        text.append(f" {high:.4g}", style="bold")
        text.append(f" {right}")
        if split:
            text.append("\nlog colour scale: more shades near best" if log else "\nlinear colour scale")
        else:
            text.append(" · log colour scale (more shades near the best)" if log else " · linear colour scale")
        return text

    def _marker_key(self, n: int, best, newest, selected, has_next: bool, *, compact: bool) -> Text:
        text = Text()
        if not n and not has_next:
            return text
        parts: list[tuple[str, str, str, str]] = []
        if n:
            parts.append((GLYPHS["point"], "", "trial", "trial"))
            if n > RECENT:
                parts.append((GLYPHS["old"], "", "older", "older"))
        if newest is not None and newest != best:
            parts.append((GLYPHS["newest"], f"bold {NEWEST_COLOR}", "newest", "new"))
        if best is not None:
            both = best == newest
            parts.append((GLYPHS["best"], f"bold {NEWEST_COLOR}" if both else "bold",
                          "best (newest)" if both else "best", "best"))
        if has_next:
            parts.append((GLYPHS["next"], "bold", "next", "next"))
        if selected is not None:
            parts.append((GLYPHS["selected"], "reverse bold", "selected", "sel"))
        for k, (glyph, style, label, short) in enumerate(parts):
            if k:
                text.append(" " if compact else "  ")
            text.append(glyph, style=style)
            text.append(short if compact else f" {label}")
        return text

    def _update_key(self) -> None:
        """The colour bar and the marker key: one line when they fit, else two,
        else three, else shorter wordings."""
        (scale, scale_2, scale_c), (points, points_c) = self._scale_key, self._points_key
        if self._progress_key is not None:
            scale = scale_2 = scale_c = self._progress_key
        if not points.plain:
            self.key.set_variants([scale, scale_2, scale_c])
            return
        one = Text().join([scale, Text("  │  ", style="dim"), points])
        self.key.set_variants([
            one,
            Text("\n").join([scale, points]),
            Text("\n").join([scale_2, points]),
            Text("\n").join([scale_c, points_c]),
        ])

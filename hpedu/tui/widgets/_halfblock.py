"""The plot shared by the plot widgets: a textual-plot `PlotWidget` whose
empty plot cells are filled with `▀` half-blocks (foreground = upper pixel,
background = lower pixel), and the legend line under a plot. Colours, dashes
and the canvas are in `_paint`, tick labels in `_ticks`.

textual-plot 0.10.1 has no heatmap and no fill-between. `HalfBlockPlot` adds a
*background layer* (two colour rows per cell: a heatmap, an uncertainty band)
and an *overlay* hook (markers, dashed lines) on top of the library's axes,
ticks and zoom/pan. It relies on private parts of textual-plot and
textual-hires-canvas (`PlotWidget._render_plot`, `_scale_rectangle`,
`_x_min`..`_y_max`, `_render_x_label`, `_render_y_label`; `Canvas._buffer`,
`_styles`, `_canvas_size`), so the version is pinned (`textual-plot==0.10.1`)
and `tests/tui/test_plot_widgets.py` keeps a snapshot of the result.

Coordinates: the plot works in *axis space*, which is log10 of the value on a
log axis. `cell_of(x, y)` maps values to a cell of the plot canvas;
`_pixel_centres()` gives the axis-space centre of every half-block pixel. Both
use the same mapping, so a marker sits exactly on the heatmap pixel it names.
"""

from __future__ import annotations

import math
import time
from typing import ClassVar, Sequence

import numpy as np
from rich.markup import escape
from rich.style import Style as RichStyle
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import Static
from textual_hires_canvas import Canvas, TextAlign
from textual_plot import PlotWidget
from textual_plot.plot_widget import Legend, linear_mapper

from ._paint import FastCanvas, dash_segments, hex_color, rgb_of
from ._ticks import AxisTicks

__all__ = ["HalfBlockPlot", "KeyLine"]


_TABLES: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}


def _cell_tables(palette: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(chars, styles) lookup tables indexed by [upper + 1, lower + 1], where
    -1 means an empty pixel: ▀ with foreground upper and background lower."""
    if palette not in _TABLES:
        n = len(palette) + 1
        chars = np.full((n, n), " ", dtype=object)
        styles = np.full((n, n), "", dtype=object)
        for a in range(-1, n - 1):
            for b in range(-1, n - 1):
                if a >= 0 and b >= 0:
                    chars[a + 1, b + 1], styles[a + 1, b + 1] = "▀", f"{palette[a]} on {palette[b]}"
                elif a >= 0:
                    chars[a + 1, b + 1], styles[a + 1, b + 1] = "▀", palette[a]
                elif b >= 0:
                    chars[a + 1, b + 1], styles[a + 1, b + 1] = "▄", palette[b]
        if len(_TABLES) > 32:
            _TABLES.clear()
        _TABLES[palette] = (chars, styles)
    return _TABLES[palette]


class HalfBlockPlot(PlotWidget, inherit_bindings=False):
    """A `PlotWidget` with a half-block background layer and an overlay hook.

    Subclasses override `_layer()` (pixel colours) and `_draw_overlay()`
    (markers and lines, drawn with `put()` and `draw_polyline()`).

    Keys when focused: `+` / `-` zoom, arrow keys pan, `0` resets the view.
    Mouse: the wheel zooms around the pointer, dragging pans.
    """

    BINDINGS: ClassVar = [
        Binding("plus,equals_sign", "zoom_in", "Zoom in", key_display="+"),
        Binding("minus", "zoom_out", "Zoom out", key_display="-"),
        Binding("0", "reset_scales", "Reset zoom"),
        Binding("left", "pan_left", "Pan left", show=False),
        Binding("right", "pan_right", "Pan right", show=False),
        Binding("up", "pan_up", "Pan up", show=False),
        Binding("down", "pan_down", "Pan down", show=False),
    ]

    margin_top = reactive(1)
    margin_bottom = reactive(2)
    margin_left = reactive(6)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        allow_pan_and_zoom: bool = True,
        show_x_axis: bool = True,
        show_top_margin: bool = True,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, allow_pan_and_zoom=allow_pan_and_zoom)
        self.plot_title = ""
        self._title_variants: tuple[str, ...] = ("",)
        #: text written into the top border of the box (compact panels)
        self.border_label = ""
        self.log_x = False
        self.log_y = False
        self._xt, self._yt = AxisTicks(True), AxisTicks(False)
        self.set_x_formatter(self._xt)
        self.set_y_formatter(self._yt)
        #: plots whose left margins are kept equal (stacked panels sharing x)
        self.margin_group: list[HalfBlockPlot] = [self]
        self._needed_margin = 6
        if not show_x_axis:
            self.set_reactive(HalfBlockPlot.margin_bottom, 0)
        if not show_top_margin:
            self.set_reactive(HalfBlockPlot.margin_top, 0)
        self._show_x_axis = show_x_axis
        self._want_view: tuple[float, float, float, float] | None = None
        self._cell_rgb: np.ndarray | None = None  # (H, W, 3) mean colour of each interior cell
        self._cell_valid: np.ndarray | None = None  # (H, W) both pixels painted
        self._cell_any: np.ndarray | None = None  # (H, W) at least one pixel painted
        self.last_render_ms = 0.0
        self._component_cache: dict = {}
        self._render_pending = False
        self._bg_cache: dict[tuple[int, int], str | None] = {}
        self._drawing = False

    def compose(self) -> ComposeResult:
        # PlotWidget.compose with the faster canvas; a canvas about to paint
        # content drawn for another size has the plot drawn first (`_draw_stale`)
        with Grid():
            for name in ("margin-top", "margin-left", "plot", "margin-bottom"):
                canvas = FastCanvas(1, 1, id=name)
                canvas.before_paint = self._before_paint
                yield canvas
        yield Legend(id="legend")

    def _before_paint(self, canvas: Canvas) -> None:
        """A canvas is about to be painted: draw first if a redraw is due or the
        canvas was laid out at another size than it was drawn for. Textual
        paints a frame right after a layout and only then delivers the Resize
        events that redraw the plot; that frame showed a panel just shown (v)
        drawn for its old size (squeezed), or with its old margin."""
        if self._drawing or not (self._needs_rerender or canvas.size != canvas._canvas_size):
            return
        self._drawing = True
        try:
            self._draw()
        finally:
            self._drawing = False

    def get_component_rich_style(self, *names: str, partial: bool = False) -> RichStyle:
        # the plot asks for the same three component styles once per tick
        key = (names, partial)
        cache = self._component_cache
        if key not in cache:
            cache[key] = super().get_component_rich_style(*names, partial=partial)
        return cache[key]

    def notify_style_update(self) -> None:
        self._component_cache = {}
        super().notify_style_update()

    # ----- limits and mapping -------------------------------------------------
    def to_axis_x(self, values: np.ndarray | Sequence[float] | float) -> np.ndarray:
        return _to_axis(values, self.log_x)

    def to_axis_y(self, values: np.ndarray | Sequence[float] | float) -> np.ndarray:
        return _to_axis(values, self.log_y)

    def set_view(self, x0: float, x1: float, y0: float, y1: float) -> None:
        """Set the axis-space limits. They take effect at the next render (so
        this works before the widget is mounted) and keep the user's zoom and
        pan when they are unchanged."""
        if not all(map(math.isfinite, (x0, x1, y0, y1))):
            return
        if x1 <= x0:
            x0, x1 = x0 - 0.5 * (abs(x0) or 1.0), x1 + 0.5 * (abs(x1) or 1.0)
        if y1 <= y0:
            y0, y1 = y0 - 0.5 * (abs(y0) or 1.0), y1 + 0.5 * (abs(y1) or 1.0)
        self._want_view = (float(x0), float(x1), float(y0), float(y1))
        self._rerender()

    def _apply_view(self) -> None:
        want = self._want_view
        if want is None or (self._user_x_min, self._user_x_max, self._user_y_min, self._user_y_max) == want:
            return
        self._user_x_min, self._user_x_max, self._user_y_min, self._user_y_max = want
        self._auto_x_min = self._auto_x_max = self._auto_y_min = self._auto_y_max = False
        self._x_min, self._x_max, self._y_min, self._y_max = want

    @property
    def view(self) -> tuple[float, float, float, float]:
        """The axis-space limits shown now (after zoom and pan)."""
        return self._x_min, self._x_max, self._y_min, self._y_max

    @property
    def plot_region(self):
        """The interior of the axis box, in plot-canvas cells."""
        return self._scale_rectangle

    @property
    def plot_canvas(self) -> Canvas:
        return self.query_one("#plot", Canvas)

    def get_coordinate_from_pixel(self, x: int, y: int) -> tuple[float, float]:
        # textual-plot 0.10.1 divides by the plot area's width and height: a
        # plot squeezed to nothing (a tiny terminal) crashed on an arrow key
        # or a mouse wheel. With no area there is nothing to pan or zoom.
        r = self._scale_rectangle
        if r.width <= 0 or r.height <= 0:
            return self._x_min, self._y_min
        return super().get_coordinate_from_pixel(x, y)

    def cell_of(self, x: float, y: float, *, clamp: bool = True) -> tuple[int, int] | None:
        """The plot-canvas cell showing the point (x, y) given in value units,
        or None when it is outside the view (or not finite)."""
        ax, ay = float(self.to_axis_x(x)), float(self.to_axis_y(y))
        return self._cell_of_axis(ax, ay, clamp=clamp)

    def _cell_of_axis(self, ax: float, ay: float, *, clamp: bool = True) -> tuple[int, int] | None:
        """textual-plot's own mapping (`map_coordinate_to_pixel`: floor in x,
        ceil in y), except that points on the right or top edge of the view
        stay inside the box instead of landing on the axis line."""
        r = self._scale_rectangle
        if not (math.isfinite(ax) and math.isfinite(ay)) or r.width <= 0 or r.height <= 0:
            return None
        x0, x1, y0, y1 = self.view
        px = math.floor(linear_mapper(ax, x0, x1, r.x, r.right))
        py = math.ceil(linear_mapper(ay, y0, y1, r.bottom - 1, r.y - 1))
        if clamp:
            tx, ty = 1e-9 * (x1 - x0), 1e-9 * (y1 - y0)
            if not (x0 - tx <= ax <= x1 + tx and y0 - ty <= ay <= y1 + ty):
                return None
            px = min(max(px, r.x), r.right - 1)
            py = min(max(py, r.y), r.bottom - 1)
        elif not (r.x <= px < r.right and r.y <= py < r.bottom):
            return None
        return px, py

    def _axis_to_canvas(self, ax: np.ndarray, ay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Axis space -> fractional canvas coordinates (cell units)."""
        r = self._scale_rectangle
        x0, x1, y0, y1 = self.view
        return r.x + (ax - x0) / (x1 - x0) * r.width, r.y + (y1 - ay) / (y1 - y0) * r.height

    def _axis_to_pixels(self, ax: np.ndarray, ay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Axis space -> fractional half-block pixel coordinates of the interior
        (columns 0..W, rows 0..2H from the top)."""
        r = self._scale_rectangle
        x0, x1, y0, y1 = self.view
        return (np.asarray(ax, float) - x0) / (x1 - x0) * r.width, (y1 - np.asarray(ay, float)) / (y1 - y0) * 2 * r.height

    def _pixel_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-space centres of the interior's half-block pixels: xs (W,), ys (2H,) top to bottom."""
        r = self._scale_rectangle
        x0, x1, y0, y1 = self.view
        xs = x0 + (np.arange(r.width) + 0.5) / r.width * (x1 - x0)
        ys = y1 - (np.arange(2 * r.height) + 0.5) / (2 * r.height) * (y1 - y0)
        return xs, ys

    # ----- hooks --------------------------------------------------------------
    def _layer(self) -> tuple[np.ndarray, Sequence[str]] | None:
        """Pixel colours of the interior: an int array (2H, W) of palette
        indices (-1 = nothing) and the palette of '#rrggbb' colours."""
        return None

    def _background(self, layer: tuple[np.ndarray, Sequence[str]] | None) -> tuple[np.ndarray, Sequence[str]] | None:
        """The part of the layer that glyphs drawn over it take as background
        (all of it here; curves leave their lines out)."""
        return layer

    def _draw_overlay(self, canvas: Canvas) -> None:
        """Draw markers and lines over the layer (see `put`, `draw_polyline`)."""

    # ----- drawing helpers for overlays ----------------------------------------
    def cell_background(self, cx: int, cy: int) -> str | None:
        """The layer's mean colour under a canvas cell, or None if it is empty."""
        r = self._scale_rectangle
        if self._cell_rgb is None or not (r.x <= cx < r.right and r.y <= cy < r.bottom):
            return None
        key = (cx, cy)
        if key not in self._bg_cache:
            i, j = cy - r.y, cx - r.x
            self._bg_cache[key] = hex_color(self._cell_rgb[i, j].tolist()) if self._cell_any[i, j] else None
        return self._bg_cache[key]

    def put(self, canvas: Canvas, cx: int, cy: int, char: str, style: str) -> None:
        """Put a glyph in a cell of the interior, over the layer's colour."""
        r = self._scale_rectangle
        if not (r.x <= cx < r.right and r.y <= cy < r.bottom):
            return
        bg = self.cell_background(cx, cy)
        if bg and " on " not in style:
            style = f"{style} on {bg}"
        canvas._buffer[cy][cx] = char
        canvas._styles[cy][cx] = style

    def draw_polyline(
        self,
        canvas: Canvas,
        x: np.ndarray,
        y: np.ndarray,
        style: str,
        pattern: tuple[float, ...] | None = None,
        *,
        merge: bool = False,
    ) -> None:
        """A braille line through axis-space points (NaN breaks the line).
        With `merge` its dots join the dots of braille lines already drawn in
        a cell (in this line's style) instead of replacing them, so a line
        crossing another leaves both visible."""
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        cx, cy = self._axis_to_canvas(x, y)
        ok = np.isfinite(cx) & np.isfinite(cy)
        segs: list[tuple[float, float, float, float]] = []
        start = None
        for i in range(len(ok) + 1):
            if i < len(ok) and ok[i]:
                start = i if start is None else start
                continue
            if start is not None:
                pts = list(zip(cx[start:i].tolist(), cy[start:i].tolist()))
                if len(pts) == 1:
                    pts.append(pts[0])
                segs.extend(dash_segments(pts, pattern))
                start = None
        if not segs:
            return
        if not merge:
            canvas.draw_hires_lines(segs, style=style)
            return
        r = self._scale_rectangle
        before = [list(canvas._buffer[y][r.x:r.right]) for y in range(r.y, r.bottom)]
        canvas.draw_hires_lines(segs, style=style)
        for i, old_row in enumerate(before):
            row = canvas._buffer[r.y + i]
            for j, old in enumerate(old_row):
                new = row[r.x + j]
                if new != old and "\u2800" < old <= "\u28ff" and "\u2800" <= new <= "\u28ff":
                    row[r.x + j] = chr(0x2800 | (ord(old) - 0x2800) | (ord(new) - 0x2800))

    # ----- rendering ----------------------------------------------------------
    def _rerender(self) -> None:
        """Redraw once, soon, straight into the canvases. (textual-plot redraws
        from its own `render`, which repaints the screen twice per change: once
        for the plot widget, once more for the canvases it touched.)"""
        self._needs_rerender = True
        if not self.is_mounted:
            return
        if not self._render_pending:
            self._render_pending = True
            self.call_later(self._render_now)

    def _render_now(self) -> None:
        self._render_pending = False
        if self._needs_rerender:
            self._draw()

    def render(self):
        if self._needs_rerender:  # a repaint came first: draw now, as the library does
            self._draw()
        return ""

    def _draw(self) -> None:
        self._sync_canvases()
        self._needs_rerender = False
        self._render_plot()  # sets it again when it could not draw (not on screen, or laid out again)

    def _sync_canvases(self) -> None:
        """Give every canvas its laid-out size before drawing.

        The library resizes its canvases only after a `Canvas.Resize` message
        has set a flag; but a margin change lays the canvases out again while
        a redraw may already be queued, and a plot was then left drawn for its
        old width (right border cut off, ticks in the wrong places) with no
        redraw to come. So the sizes themselves decide, at every draw."""
        for canvas in self.query(Canvas):
            size = canvas.size
            if not size:
                continue
            if size != canvas._canvas_size:
                canvas.reset(size=size)  # and repaint all of it: the redraw repaints only what it changes
            if canvas.id == "plot":
                rect = Region(1, 1, size.width - 2, size.height - 2)
                if self._scale_rectangle != rect:
                    self._scale_rectangle = rect
                    self._position_legend()

    def watch_margin_left(self) -> None:
        super().watch_margin_left()
        self.call_after_refresh(self._rerender)  # once the canvases have their new widths

    @on(Canvas.Resize)
    def _on_canvas_resized(self, event: Canvas.Resize) -> None:
        event.stop()
        self._rerender()

    def _render_plot(self) -> None:
        try:
            canvas = self.query_one("#plot", Canvas)
        except NoMatches:
            return
        self._apply_view()
        if not self.region:
            # not on screen (a hidden panel): nothing is drawn until it is shown (see
            # `_before_paint`), but the margin is made wide enough for the labels at any
            # height it may get, so the first frame it is shown in is right
            self._needs_rerender = True
            heights = range(3, max(4, self.app.size.height), 2)
            self._fit_margin(max(self._margin_for(h) for h in heights))
            return
        size = canvas._canvas_size
        if not size or size.width < 4 or size.height < 3:
            if size:
                canvas.reset()
            return
        t0 = time.perf_counter()
        canvases = [c for c in self.query(FastCanvas)]
        for c in canvases:
            c.hold()
        try:
            self._render_all(canvas, size)
        finally:
            for c in canvases:
                c.release()
        self.last_render_ms = (time.perf_counter() - t0) * 1000

    def _render_all(self, canvas: Canvas, size) -> None:
        if self._fit_margin(self._margin_for(size.height - 2)):
            self._needs_rerender = True  # laid out again first: drawn at the new sizes
            return
        self._xt.cells = max(size.width - 2, 1)
        self._yt.cells = max(size.height - 2, 1)
        self._xt.log, self._yt.log = self.log_x, self.log_y
        super()._render_plot()
        r = self._scale_rectangle
        if r.width <= 0 or r.height <= 0:
            return
        layer = self._layer()
        background = self._background(layer)
        self._prepare_cells(background)
        border = self._save_border(canvas)
        self._draw_overlay(canvas)
        self._paint_layer(canvas, layer, self._strong_cells(layer, background))
        self._restore_border(canvas, border)
        if self.border_label:
            label = f" {self.border_label} "[: max(0, r.width - 2)]
            style = str(self.get_component_rich_style("plot--label"))
            for k, ch in enumerate(label):
                canvas._buffer[0][2 + k] = ch
                canvas._styles[0][2 + k] = style

    def _prepare_cells(self, layer: tuple[np.ndarray, Sequence[str]] | None) -> None:
        self._cell_rgb = self._cell_valid = self._cell_any = None
        self._bg_cache = {}
        if layer is None:
            return
        idx, palette = layer
        pal = np.array([rgb_of(c) for c in palette] + [(0, 0, 0)], float)  # index -1 -> last row
        rgb = pal[idx]  # (2H, W, 3)
        valid = idx >= 0
        top, bot = rgb[0::2], rgb[1::2]
        vt, vb = valid[0::2], valid[1::2]
        both = vt & vb
        mean = np.where(both[..., None], (top + bot) / 2, np.where(vt[..., None], top, bot))
        self._cell_rgb, self._cell_valid, self._cell_any = mean, both, vt | vb

    @staticmethod
    def _strong_cells(layer, background) -> np.ndarray | None:
        """Cells where the layer has pixels of its own (lines), not only background."""
        if layer is None or background is layer:
            return None
        idx = layer[0]
        if background is None:
            own = idx >= 0
        else:
            colours = np.array(list(layer[1]) + [""], dtype=object)
            bg_colours = np.array(list(background[1]) + [""], dtype=object)
            own = colours[idx] != bg_colours[background[0]]
        return own[0::2] | own[1::2]

    def _paint_layer(
        self, canvas: Canvas, layer: tuple[np.ndarray, Sequence[str]] | None, strong: np.ndarray | None = None
    ) -> None:
        """Fill the empty interior cells with half-blocks; give the layer's colour
        as background to cells the overlay or the library drew into. Where the
        layer has a line of its own (`strong`), it wins over thin braille lines."""
        if layer is None:
            return
        idx, palette = layer
        chars_t, styles_t = _cell_tables(tuple(palette))
        r = self._scale_rectangle
        top, bot = idx[0::2] + 1, idx[1::2] + 1
        chars, styles = chars_t[top, bot], styles_t[top, bot]
        buf, sty = canvas._buffer, canvas._styles
        valid = self._cell_valid
        for i in range(r.height):
            y = r.y + i
            row_b, row_s = buf[y], sty[y]
            ch_row, st_row = chars[i], styles[i]
            for j in range(r.width):
                x = r.x + j
                ch = row_b[x]
                if ch == " " or (strong is not None and strong[i, j] and "\u2800" <= ch <= "\u28ff"):
                    row_b[x] = ch_row[j]
                    row_s[x] = st_row[j]
                elif valid is not None and valid[i, j] and " on " not in row_s[x]:
                    row_s[x] = f"{row_s[x]} on {hex_color(self._cell_rgb[i, j])}"

    def _save_border(self, canvas: Canvas) -> list[tuple[int, int, str, str]]:
        r = self._scale_rectangle
        cells = [(x, y) for y in (r.y - 1, r.bottom) for x in range(r.x - 1, r.right + 1)]
        cells += [(x, y) for x in (r.x - 1, r.right) for y in range(r.y, r.bottom)]
        w, h = canvas._canvas_size.width, canvas._canvas_size.height
        return [(x, y, canvas._buffer[y][x], canvas._styles[y][x]) for x, y in cells if 0 <= x < w and 0 <= y < h]

    def _restore_border(self, canvas: Canvas, saved: list[tuple[int, int, str, str]]) -> None:
        for x, y, ch, st in saved:
            canvas._buffer[y][x] = ch
            canvas._styles[y][x] = st

    def _margin_for(self, cells: int) -> int:
        """The left margin the y tick labels of the view need on an axis `cells`
        long: the longest label and two cells, rounded up to an even width
        (labels that change by a cell from step to step, 0.05, 0.045, 1e-3,
        then leave the plot where it is and the screen is not laid out again
        at every step). It depends only on the labels shown now, never on
        earlier ones, so the same data always looks the same."""
        self._yt.cells, self._yt.log = max(cells, 1), self.log_y
        self._yt.get_ticks_and_labels(self._y_min, self._y_max)
        need = max(4, min(10, max((len(s) for s in self._yt.last_labels), default=1) + 2))
        return need + need % 2

    def _fit_margin(self, need: int) -> bool:
        """Give the plots of the margin group the widest margin any of them
        needs. A margin that must grow is set at once, before anything is
        drawn: True, and the canvases are laid out again and drawn at their
        new sizes (drawing now would show a frame with the labels cut and the
        plot at its old width). A margin that may shrink changes soon, after
        this frame, in which the labels fit already."""
        self._needed_margin = need
        want = max(p._needed_margin for p in self.margin_group)
        grew = False
        for p in self.margin_group:
            if p.margin_left < want:
                p.margin_left = want
                grew = True
            elif p.margin_left > want:
                p.call_later(setattr, p, "margin_left", want)
        return grew

    def _render_x_label(self) -> None:
        if not self._show_x_axis or self.margin_bottom < 2:
            return
        canvas = self.query_one("#plot", Canvas)
        margin = self.query_one("#margin-bottom", Canvas)
        margin.write_text(
            canvas.size.width // 2 + self.margin_left,
            self.margin_bottom - 1,
            f"[{self.get_component_rich_style('plot--label')}]{escape(self._x_label)}",
            TextAlign.CENTER,
        )

    def _render_y_label(self) -> None:
        if self.margin_top < 1:
            return
        margin = self.query_one("#margin-top", Canvas)
        if not margin._canvas_size:
            return
        margin.reset(refresh=False)
        width = margin._canvas_size.width
        style = self.get_component_rich_style("plot--label")
        ylab = self._y_label[:width]
        if ylab:
            margin.write_text(0, 0, f"[{style}]{escape(ylab)}", TextAlign.LEFT)
        # two cells after the y label, one before the right edge (a panel's title never
        # runs into the next panel's y label)
        room = width - len(ylab) - 3
        title = self.fitting_title(room)
        if title and room > 3:
            plot_w = width - self.margin_left
            centre = self.margin_left + plot_w // 2
            left = max(len(ylab) + 2, min(centre - len(title) // 2, width - 1 - len(title)))
            margin.write_text(left, 0, f"[b]{escape(title)}", TextAlign.LEFT)

    def fitting_title(self, room: int) -> str:
        """The first wording of the title (longest first) that fits `room`
        cells, else the shortest one cut with '…'."""
        variants = self._title_variants if self._title_variants[:1] == (self.plot_title,) else (self.plot_title,)
        for title in variants:
            if len(title) <= room:
                return title
        title = variants[-1]
        return title[: max(room - 1, 0)] + "…" if room > 0 else ""

    def set_title(self, title: str, *shorter: str) -> None:
        """The title, and shorter wordings for narrow plots (longest first)."""
        self.plot_title = title
        self._title_variants = (title, *shorter)
        self._rerender()


def _to_axis(values, log: bool) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if not log:
        return a
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, np.log10(np.where(a > 0, a, 1.0)), np.nan)


def _pick(variants: Sequence[Text], width: int) -> Text:
    """The first wording whose every line fits `width`, else the last one."""
    if not variants:
        return Text()
    if width <= 0:
        return variants[0]
    for v in variants:
        if max((line.cell_len for line in v.split("\n")), default=0) <= width:
            return v
    return variants[-1]


class _Wordings:
    """A Rich renderable that picks its wording for the width it is rendered
    at: the layout measures its height and the frame paints it at the same,
    current width (a key chosen on Resize, after a panel was shown, painted
    one frame in the old width's wording, wrapped)."""

    def __init__(self, variants: Sequence[Text]) -> None:
        self.variants = list(variants)

    def __rich_console__(self, console, options):
        yield _pick(self.variants, options.max_width)


class KeyLine(Static):
    """A legend under a plot: shows the first of several wordings (most
    detailed first) whose every line fits the width, else the last one."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self._variants: list[Text] = []
        self._shown: list[str] | None = None

    @property
    def text(self) -> Text:
        """The wording shown now."""
        return _pick(self._variants, self.size.width)

    def set_variants(self, variants: Sequence[Text]) -> None:
        variants = [v for v in variants if v is not None]
        key = [v.markup for v in variants]
        if key != self._shown:
            # laid out again only when the wording for this width has another number of lines
            before = self.text.plain.count("\n") if self._shown is not None else -1
            self._variants, self._shown = variants, key
            self.update(_Wordings(variants), layout=self.text.plain.count("\n") != before)

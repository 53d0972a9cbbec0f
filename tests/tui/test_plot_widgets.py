"""The plot widgets: heatmap colours follow z, markers land on the right cells,
log axes, bands, the look-inside panels; one snapshot of the settled widgets.

What is on screen is read back from the plot canvas (character and style of
each cell) and compared with values computed here independently: the
expected cell of a point comes from textual-plot's own data -> pixel mapping
(`PlotWidget.get_pixel_from_coordinate`), colours from the z values.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual_hires_canvas import Canvas

from hpedu.tui.widgets._halfblock import HalfBlockPlot
from hpedu.tui.widgets._paint import blend, colormap
from hpedu.tui.widgets.curves import CurvePlot, Mark, Series
from hpedu.tui.widgets.inside import InsidePlot
from hpedu.tui.widgets.landscape import GLYPHS, LEVELS, NEWEST_COLOR, LandscapePlot

CSS_PATH = Path(__file__).resolve().parents[2] / "hpedu" / "tui" / "app.tcss"


class OneWidget(App):
    CSS_PATH = CSS_PATH

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


# ----- reading the screen back ---------------------------------------------------

def cells(plot: HalfBlockPlot) -> list[tuple[int, int, str, str]]:
    """(x, y, char, style) of every interior cell of the plot canvas."""
    canvas = plot.query_one("#plot", Canvas)
    r = plot.plot_region
    return [(x, y, *canvas.get_pixel(x, y)) for y in range(r.y, r.bottom) for x in range(r.x, r.right)]


def find(plot: HalfBlockPlot, char: str) -> list[tuple[int, int]]:
    return [(x, y) for x, y, ch, _ in cells(plot) if ch == char]


def colors(style: str) -> tuple[str | None, str | None]:
    s = Style.parse(style) if style else Style()
    fg = s.color.triplet.hex if s.color and s.color.triplet else None
    bg = s.bgcolor.triplet.hex if s.bgcolor and s.bgcolor.triplet else None
    return fg, bg


def pixels(plot: HalfBlockPlot) -> dict[tuple[int, int], tuple[str | None, str | None]]:
    """(x, y) -> (upper pixel colour, lower pixel colour) for half-block cells."""
    out = {}
    for x, y, ch, st in cells(plot):
        fg, bg = colors(st)
        if ch == "▀":
            out[x, y] = (fg, bg)
        elif ch == "▄":
            out[x, y] = (bg, fg)
        elif ch == " ":
            out[x, y] = (None, None)
    return out


def bowl(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    X, Y = np.meshgrid(x, y)
    return (X - 0.3) ** 2 + (Y - 0.6) ** 2


# ----- LandscapePlot -----------------------------------------------------------------

async def test_heatmap_colours_follow_z_and_nan_stays_blank() -> None:
    x = np.linspace(0.0, 1.0, 41)
    y = np.linspace(0.0, 1.0, 31)
    z = bowl(x, y)
    z[:, :8] = np.nan  # x < 0.2: not computed yet
    land = LandscapePlot()
    app = OneWidget(land)
    async with app.run_test(size=(70, 30)) as pilot:
        land.set_landscape(x, y, z, x_label="a", y_label="b", color_scale="linear")
        await pilot.pause()
        plot = land.plot
        level = {c: i for i, c in enumerate(colormap(LEVELS))}
        px = pixels(plot)
        assert len(px) > 0.8 * plot.plot_region.area  # half-blocks everywhere
        # the cell of the minimum is the brightest (best) colour, within one level
        cx, cy = plot.cell_of(0.3, 0.6)
        top, bottom = px[cx, cy]
        all_levels = [level[c] for pair in px.values() for c in pair if c in level]
        assert max(all_levels) >= LEVELS - 2
        assert min(level[top], level[bottom]) >= max(all_levels) - 2
        # the far corner (worst value) is the darkest
        fx, fy = plot.cell_of(1.0, 0.0)
        assert max(level[c] for c in px[fx, fy]) <= min(all_levels) + 2
        # along the row of the minimum, colours get darker moving away from it
        row = [max(level[c] for c in px[x_, cy] if c in level) for x_ in range(cx, plot.plot_region.right)]
        assert all(a >= b - 1 for a, b in zip(row, row[1:]))
        assert row[0] - row[-1] > LEVELS // 3
        # NaN cells stay blank: every cell left of x = 0.18 (nearest grid value is NaN)
        r = plot.plot_region
        left = plot.cell_of(0.17, 0.5)[0]
        assert left > r.x
        for x_ in range(r.x, left):
            for y_ in range(r.y, r.bottom):
                assert px[x_, y_] == (None, None)

        # better="high" turns the map around: the minimum becomes the darkest
        land.set_landscape(x, y, z, x_label="a", y_label="b", better="high", color_scale="linear")
        await pilot.pause()
        px = pixels(plot)
        assert max(level[c] for c in px[cx, cy]) <= 2
        key = land.key.text.plain
        # the colour bar runs from the low value (left) to the high one; the words name the ends and the scale
        assert f"worse {np.nanmin(z):.4g} " in key and f" {np.nanmax(z):.4g} better" in key
        assert "linear colour scale" in key and "log" not in key

        def bar_levels(text) -> list[int]:
            """Viridis positions (0 = dark) of the colour bar's cells, left to right."""
            stops = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colormap(LEVELS)], float)
            out = []
            for span in text.spans:
                bg = Style.parse(str(span.style)).bgcolor
                if bg is not None and text.plain[span.start:span.end] == " ":
                    rgb = np.array(bg.triplet, float)
                    out.append(int(np.argmin(((stops - rgb) ** 2).sum(axis=1))))
            return out

        # high is better: dark (worse, low values) on the left, bright on the right
        levels = bar_levels(land.key.text)
        assert len(levels) >= 6 and levels == sorted(levels) and levels[0] < levels[-1]
        # low is better, with a log colour scale: bright on the left (low values), and the words say log
        # (the one-line wording is too wide for 70 columns: it takes two lines)
        land.set_landscape(x, y, z, x_label="a", y_label="b", better="low", color_scale="log")
        await pilot.pause()
        key = land.key.text.plain
        assert key.startswith(f"better {np.nanmin(z):.4g} ") and f" {np.nanmax(z):.4g} worse\n" in key
        assert "log colour scale" in key and "linear" not in key
        levels = bar_levels(land.key.text)
        assert levels == sorted(levels, reverse=True) and levels[0] > levels[-1]


async def test_markers_on_the_right_cells_with_distinct_glyphs() -> None:
    x = np.linspace(-5.0, 10.0, 30)
    y = np.linspace(0.0, 15.0, 30)
    land = LandscapePlot()
    app = OneWidget(land)
    pts_x = [-3.3, 0.7, 4.1, 6.6, 8.2, 2.9]
    pts_y = [1.3, 12.2, 7.7, 3.1, 9.6, 5.4]
    async with app.run_test(size=(90, 32)) as pilot:
        land.set_landscape(x, y, bowl(x, y), x_label="x1", y_label="x2")
        land.set_points(pts_x, pts_y, best=1, newest=5, selected=3, next_point=(-1.2, 13.8))
        await pilot.pause()
        plot = land.plot
        expected = {i: plot.get_pixel_from_coordinate(px_, py_) for i, (px_, py_) in enumerate(zip(pts_x, pts_y))}
        # each glyph once, at textual-plot's own pixel for that point
        assert find(plot, GLYPHS["best"]) == [expected[1]]
        assert find(plot, GLYPHS["newest"]) == [expected[5]]
        assert find(plot, GLYPHS["selected"]) == [expected[3]]
        assert find(plot, GLYPHS["next"]) == [plot.get_pixel_from_coordinate(-1.2, 13.8)]
        # the oldest of six points is drawn smaller (age >= 5), the others as ●
        assert set(find(plot, GLYPHS["point"])) == {expected[2], expected[4]}
        assert find(plot, GLYPHS["old"]) == [expected[0]]
        assert len({GLYPHS[k] for k in ("point", "best", "newest", "selected", "next")}) == 5
        # relative order: larger x is further right, larger y further up
        order_x = sorted(range(len(pts_x)), key=lambda i: pts_x[i])
        assert [expected[i][0] for i in order_x] == sorted(expected[i][0] for i in order_x)
        assert expected[1][1] < expected[4][1] < expected[2][1] < expected[3][1]
        # the newest point is drawn in its own colour too, and numbered
        canvas = plot.query_one("#plot", Canvas)
        assert colors(canvas.get_pixel(*expected[5])[1])[0] == NEWEST_COLOR
        nx_, ny_ = expected[5]
        assert canvas.get_pixel(nx_ + 1, ny_)[0] == "6" or canvas.get_pixel(nx_ - 1, ny_)[0] == "6"
        # the marker keeps the heatmap's colour around it
        assert colors(canvas.get_pixel(*expected[0])[1])[1] is not None

        land.clear_points()
        await pilot.pause()
        assert not any(find(plot, g) for g in GLYPHS.values())


async def test_log_axes_from_1e_5_to_1e_1() -> None:
    gamma = np.logspace(-5, -1, 33)
    c = np.logspace(-2, 2, 25)
    G, C = np.meshgrid(gamma, c)
    z = (np.log10(G) + 3) ** 2 + (np.log10(C)) ** 2
    land = LandscapePlot()
    app = OneWidget(land)
    async with app.run_test(size=(80, 28)) as pilot:
        land.set_landscape(gamma, c, z, x_label="gamma", y_label="C", log_x=True, log_y=True)
        land.set_points([1e-4, 1e-2, 1e-3], [0.1, 10.0, 1.0], best=2)
        await pilot.pause()
        plot = land.plot
        bottom = "".join(plot.query_one("#margin-bottom", Canvas).get_pixel(i, 0)[0]
                         for i in range(plot.query_one("#margin-bottom", Canvas).size.width)).split()
        for label in ("1e-5", "1e-3", "0.01", "0.1"):
            assert label in bottom
        left = plot.query_one("#margin-left", Canvas)
        ylabels = {"".join(left.get_pixel(i, j)[0] for i in range(left.size.width)).strip()
                   for j in range(left.size.height)}
        assert {"0.01", "1", "100"} <= ylabels
        # equal ratios give equal distances
        a, b, m = (plot.cell_of(v, 1.0) for v in (1e-4, 1e-2, 1e-3))
        width = plot.plot_region.width
        assert abs((b[0] - a[0]) - width / 2) <= 1
        assert abs((m[0] - a[0]) - width / 4) <= 1
        assert find(plot, GLYPHS["best"]) == [plot.cell_of(1e-3, 1.0)]
        # the optimum (gamma = 1e-3, C = 1) is the brightest spot
        level = {c_: i for i, c_ in enumerate(colormap(LEVELS))}
        top, bot = pixels(plot)[plot.cell_of(1e-3, 0.55)]  # just below the ★
        assert min(level[top], level[bot]) >= LEVELS - 8


async def test_zoom_keys_keep_the_heatmap_and_reset() -> None:
    x = np.linspace(0.0, 1.0, 21)
    land = LandscapePlot()
    app = OneWidget(land)
    async with app.run_test(size=(60, 24)) as pilot:
        land.set_landscape(x, x, bowl(x, x), x_label="a", y_label="b")
        await pilot.pause()
        plot = land.plot
        full = plot.view
        plot.focus()
        await pilot.press("plus", "plus")
        await pilot.pause()
        zoomed = plot.view
        assert zoomed[1] - zoomed[0] < full[1] - full[0]
        assert len(pixels(plot)) > 0.8 * plot.plot_region.area
        await pilot.press("0")
        await pilot.pause()
        assert plot.view == full


async def test_tiny_terminal_does_not_crash() -> None:
    x = np.linspace(0.0, 1.0, 11)
    land = LandscapePlot()
    curve = CurvePlot()
    inside = InsidePlot()

    class All(App):
        CSS_PATH = CSS_PATH

        def compose(self) -> ComposeResult:
            yield land
            yield curve
            yield inside

    app = All()
    async with app.run_test(size=(80, 24)) as pilot:
        land.set_landscape(x, x, bowl(x, x), x_label="a", y_label="b")
        land.set_points([0.5], [0.5], best=0, newest=0)
        curve.set_series([Series("s", x, x, x - 0.1, x + 0.1)])
        inside.set_state(x, x, x * 0 + 0.1, x, [0.5], [0.5], next_x=0.5)
        for size in ((20, 8), (6, 3), (1, 1), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert find(land.plot, GLYPHS["best"])


async def test_landscape_redraw_is_fast() -> None:
    """A 60x30-cell heatmap with 30 points redraws in a few milliseconds."""
    x = np.linspace(-5.0, 10.0, 50)
    y = np.linspace(0.0, 15.0, 50)
    land = LandscapePlot()
    app = OneWidget(land)
    rng = np.random.default_rng(0)
    async with app.run_test(size=(68, 36)) as pilot:
        land.set_landscape(x, y, bowl(x, y), x_label="a", y_label="b")
        await pilot.pause()
        r = land.plot.plot_region
        assert r.width >= 60 and r.height >= 28
        times = []
        for i in range(10):
            xs, ys = rng.uniform(-5, 10, 30), rng.uniform(0, 15, 30)
            t0 = time.perf_counter()
            land.set_points(xs, ys, best=int(i), newest=29, next_point=(1.0, 2.0))
            land.plot._render_plot()
            times.append(time.perf_counter() - t0)
        # generous bound for a shared machine; the measured median is a few ms
        assert float(np.median(times)) < 0.05


# ----- CurvePlot ---------------------------------------------------------------------

async def test_curve_band_lies_between_lower_and_upper() -> None:
    x = np.arange(1, 21, dtype=float)
    y = 20.0 - x + 3 * np.sin(x / 3)
    lower, upper = y - 2.0 - 0.1 * x, y + 1.5
    curve = CurvePlot(y_label="value")
    app = OneWidget(curve)
    async with app.run_test(size=(70, 26)) as pilot:
        curve.set_series([Series("median", x, y, lower, upper)])
        await pilot.pause()
        plot = curve.plot
        line_color = plot.drawn_series[0].color
        band_color = blend(line_color, plot.background_colors[1].hex6, 0.38)
        r = plot.plot_region
        x0, x1, y0, y1 = plot.view
        band_rows = 0
        for (cx, cy), pair in pixels(plot).items():
            for half, col in enumerate(pair):
                if col != band_color:
                    continue
                band_rows += 1
                # the pixel's centre in data units
                xc = x0 + (cx - r.x + 0.5) / r.width * (x1 - x0)
                yc = y1 - (2 * (cy - r.y) + half + 0.5) / (2 * r.height) * (y1 - y0)
                pix = (y1 - y0) / (2 * r.height)
                assert np.interp(xc, x, lower) - pix <= yc <= np.interp(xc, x, upper) + pix
        assert band_rows > r.width  # the band is more than a line
        # the legend names the series with its marker and line sample
        assert "●━━━ median" in curve.key.text.plain


async def test_curves_differ_by_marker_and_dash_and_log_y_is_safe() -> None:
    x = np.arange(1, 31, dtype=float)
    a = np.maximum(1.0 / x, 0.0)
    b = np.where(x > 20, 0.0, 2.0 / x)  # reaches zero: drawn at the bottom
    c = a.copy()
    c[5] = np.nan  # a gap
    curve = CurvePlot(log_y=True, y_label="regret")
    app = OneWidget(curve)
    async with app.run_test(size=(80, 24)) as pilot:
        curve.set_series([Series("grid", x, a), Series("random", x, b), Series("bayes", x, c)], x_range=(1, 30))
        await pilot.pause()
        plot = curve.plot
        drawn = plot.drawn_series
        assert len({s.marker for s in drawn}) == 3
        assert len({s.dash for s in drawn}) == 3
        for s in drawn:
            assert plot.drawn[s.name], f"no markers for {s.name}"
            assert all(find(plot, s.marker) for s in drawn)
        left = plot.query_one("#margin-left", Canvas)
        ylabels = {"".join(left.get_pixel(i, j)[0] for i in range(left.size.width)).strip()
                   for j in range(left.size.height)} - {""}
        assert ylabels and all(lbl in {"1e-3", "0.01", "0.1", "1", "10"} for lbl in ylabels)
        # zeros sit on the bottom row of the plot
        zero_cells = [plot.cell_of(xi, 1e-300) for xi in x[x > 20]]
        assert all(cell is None or cell[1] == plot.plot_region.bottom - 1 for cell in zero_cells)
        assert "(log)" in plot._y_label


async def test_curve_marks_in_value_units_with_log_x() -> None:
    curve = CurvePlot(log_x=True, x_label="C")
    app = OneWidget(curve)
    async with app.run_test(size=(70, 20)) as pilot:
        xs = np.logspace(-3, 3, 50)
        curve.set_series([Series("truth", xs, np.log10(xs) ** 2, marker="")])
        curve.set_marks([Mark(1e-2, 4.0, "●", "bold", "trial"), Mark(10.0, 1.0, "★", "bold", "best")])
        await pilot.pause()
        plot = curve.plot
        assert find(plot, "★") == [plot.cell_of(10.0, 1.0)]
        assert find(plot, "●") == [plot.cell_of(1e-2, 4.0)]


# ----- InsidePlot --------------------------------------------------------------------

async def test_inside_marks_the_acquisition_maximum_at_next_x() -> None:
    x = np.linspace(0.0, 1.0, 201)
    mean = np.sin(6 * x)
    std = 0.05 + 0.3 * np.abs(np.sin(9 * x))
    acq = np.exp(-((x - 0.7) ** 2) / 0.005)  # peak at 0.7
    inside = InsidePlot()
    app = OneWidget(inside)
    async with app.run_test(size=(80, 30)) as pilot:
        inside.set_state(x, mean, std, acq, [0.1, 0.4, 0.9], list(np.sin(6 * np.array([0.1, 0.4, 0.9]))),
                         next_x=0.7, truth=np.sin(6 * x) + 0.1, x_label="lr", acq_label="EI")
        await pilot.pause()
        top, bottom = inside.top, inside.bottom
        peaks = find(bottom, "▲")
        assert peaks == [bottom.cell_of(0.7, 1.0)]
        col = bottom.get_pixel_from_coordinate(0.7, 0.0)[0]
        assert peaks[0][0] == col
        assert peaks[0][1] == bottom.plot_region.y  # at the top: the maximum
        # the next point's vertical line crosses both panels in the same column
        assert {c[0] for c in find(top, "│")} == {top.cell_of(0.7, 0.0)[0]}
        assert top.cell_of(0.7, 0.0)[0] == col
        # the ±2 std band is painted and the observed points are drawn
        assert len(find(top, "●")) == 3
        assert sum(1 for p in pixels(top).values() if p != (None, None)) > top.plot_region.width
        assert "next: lr = 0.7, where EI is highest" in inside.key.text.plain

        good = np.exp(-((x - 0.3) ** 2) / 0.01)
        bad = np.exp(-((x - 0.6) ** 2) / 0.05)
        inside.set_densities(x, good, bad, [0.2, 0.5], [1.0, 2.0], next_x=0.31)
        await pilot.pause()
        assert find(bottom, "▲") == [bottom.cell_of(0.31, float(np.interp(0.31, x, good)))]
        assert find(bottom, "●") and find(bottom, "■")  # l(x) and g(x) markers
        assert inside.mode == "tpe"


BRAILLE_ROWS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # dot bits of the four rows


def dot_rows(ch: str) -> set[int]:
    """Rows (0-3, top first) of a braille character that have a dot."""
    bits = ord(ch) - 0x2800
    return {k for k, row in enumerate(BRAILLE_ROWS) if bits & (row[0] | row[1])}


async def test_inside_mean_is_smooth_and_the_true_function_is_visible() -> None:
    """The GP mean is a braille line (four dot rows a cell, finer than the two
    pixels of a half-block line), and the true function is drawn in a colour
    of its own where it leaves the mean."""
    from hpedu.tui.widgets.inside import TRUTH_COLORS

    x = np.linspace(0.0, 1.0, 401)
    mean = np.sin(6 * x)
    truth = mean + np.where(x > 0.5, 0.8, 0.0)  # the model is off on the right half only
    inside = InsidePlot()
    app = OneWidget(inside)
    async with app.run_test(size=(80, 30)) as pilot:
        inside.set_state(x, mean, np.full_like(x, 0.02), np.exp(-((x - 0.7) ** 2) / 0.005), [0.1, 0.4], [0.6, 0.7],
                         next_x=0.7, truth=truth)
        for _ in range(3):
            await pilot.pause()
        top = inside.top
        r = top.plot_region
        blue = inside._palette[0]
        mean_rows, truth_cols = set(), set()
        for cx, cy, ch, st in cells(top):
            fg = colors(st)[0]
            if "\u2800" < ch <= "\u28ff" and fg == blue:
                mean_rows |= {4 * (cy - r.y) + k for k in dot_rows(ch)}
            if "\u2800" < ch <= "\u28ff" and fg == TRUTH_COLORS[True]:
                truth_cols.add(cx)
        assert len(mean_rows) > 2 * r.height  # more heights than half-blocks can show
        right = {c for c in range(r.x, r.right) if top._pixel_centres()[0][c - r.x] > 0.55}
        assert len(truth_cols & right) > 0.8 * len(right)  # the truth shows where the model is off
        assert "true function" in inside.key.text.plain


async def test_merged_braille_lines_keep_the_dots_of_both() -> None:
    """Two braille lines crossing one cell: drawn with `merge` the cell holds
    the dots of both lines (without it the second replaced the first)."""
    curve = CurvePlot()
    app = OneWidget(curve)
    x = np.arange(1, 11, dtype=float)
    async with app.run_test(size=(70, 20)) as pilot:
        curve.set_series([Series("run", x, x)], x_range=(1, 10))
        for _ in range(3):
            await pilot.pause()
        plot = curve.plot
        canvas = plot.query_one("#plot", Canvas)
        r = plot.plot_region
        a = (np.array([1.0, 10.0]), np.array([5.3, 5.3]))
        b = (np.array([1.0, 10.0]), np.array([10.0, 1.0]))

        def drawn(*lines) -> dict[tuple[int, int], int]:
            canvas.reset()
            for lx, ly in lines:
                plot.draw_polyline(canvas, lx, ly, "red", merge=True)
            return {(cx, cy): ord(canvas.get_pixel(cx, cy)[0]) - 0x2800 for cy in range(r.y, r.bottom)
                    for cx in range(r.x, r.right) if "\u2800" < canvas.get_pixel(cx, cy)[0] <= "\u28ff"}

        only_a, only_b, both = drawn(a), drawn(b), drawn(a, b)
        shared = set(only_a) & set(only_b)
        assert shared  # the lines cross
        for cell in shared:
            assert both[cell] == only_a[cell] | only_b[cell]
        assert set(both) == set(only_a) | set(only_b)


# ----- snapshot ----------------------------------------------------------------------

class SnapApp(App):
    """LandscapePlot and CurvePlot side by side with fixed data."""

    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield LandscapePlot(id="snap-land", title="branin")
            with Vertical():
                yield CurvePlot(id="snap-curve", title="best so far", log_y=True, y_label="regret")
                yield InsidePlot(id="snap-inside")

    def on_mount(self) -> None:
        b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
        x = np.linspace(-5, 10, 40)
        y = np.linspace(0, 15, 40)
        X, Y = np.meshgrid(x, y)
        Z = (Y - b * X**2 + c * X - 6) ** 2 + 10 * (1 - t) * np.cos(X) + 10
        land = self.query_one(LandscapePlot)
        land.set_landscape(x, y, Z, x_label="x1", y_label="x2")
        px = [-3.0, 9.0, 2.0, 5.5, -1.0, 3.2, 9.5]
        py = [12.0, 3.0, 8.0, 10.0, 4.0, 2.1, 2.6]
        land.set_points(px, py, best=5, newest=6, selected=2, next_point=(3.14, 2.27))
        n = np.arange(1, 21, dtype=float)
        med = [30.0 / n**1.2, 20.0 / n**0.8]
        self.query_one(CurvePlot).set_series(
            [Series(name, n, m, m * 0.5, m * 1.8, steps=True) for name, m in zip(("grid", "random"), med)],
            x_range=(1, 20),
        )
        xx = np.linspace(0, 1, 101)
        ox = np.array([0.1, 0.45, 0.8])
        self.query_one(InsidePlot).set_state(
            xx, np.sin(5 * xx), 0.05 + 0.4 * np.min(np.abs(xx[:, None] - ox), axis=1), np.exp(-((xx - 0.62) ** 2) / 0.01),
            ox, np.sin(5 * ox), next_x=0.62, truth=np.sin(5 * xx) + 0.1 * xx, x_label="x",
        )


def test_snapshot_plots(snap_compare, settle_screen) -> None:
    assert snap_compare(SnapApp(), terminal_size=(120, 36), run_before=settle_screen)


async def test_left_margin_fits_the_labels_in_steps_of_two() -> None:
    curve = CurvePlot(y_label="value")
    app = OneWidget(curve)
    x = np.arange(1, 11, dtype=float)

    async def show(lo: float, hi: float) -> int:
        curve.set_series([Series("run", x, np.linspace(lo, hi, x.size))], x_range=(1, 10))
        for _ in range(3):
            await pilot.pause()
        longest = max(len(s) for s in curve.plot._yt.last_labels)
        margin = curve.plot.margin_left
        assert margin >= longest + 2 and margin % 2 == 0 and margin <= longest + 3
        return margin

    async with app.run_test(size=(70, 20)) as pilot:
        wide = await show(-30000.0, 30000.0)  # "-30000": 6 cells
        assert await show(-3000.0, 3000.0) == wide  # "-3000": one cell narrower, same margin
        narrow = await show(0.0, 9.0)  # one-digit labels
        assert narrow < wide
        assert await show(-30000.0, 30000.0) == wide  # history does not matter


async def test_every_redraw_uses_the_canvas_sizes_laid_out_now() -> None:
    """A plot never stays drawn for an old width. A margin change lays the
    canvases out again while a redraw may already be queued; the EI panel was
    once left drawn for its old width (right border cut off, ticks in the
    wrong places). Here the canvas is given a stale size on purpose, as if it
    had been drawn before the last layout: the next redraw must use the size
    the canvas has on screen."""
    curve = CurvePlot(y_label="value")
    app = OneWidget(curve)
    x = np.arange(1, 11, dtype=float)
    async with app.run_test(size=(70, 20)) as pilot:
        curve.set_series([Series("run", x, x * x)], x_range=(1, 10))
        for _ in range(3):
            await pilot.pause()
        canvas = curve.plot.query_one("#plot", Canvas)
        real = canvas.size
        canvas.reset(size=Size(real.width + 2, real.height))
        curve.set_series([Series("run", x, x * x + 1)], x_range=(1, 10))
        for _ in range(3):
            await pilot.pause()
        assert canvas._canvas_size == real
        right = [canvas.get_pixel(real.width - 1, y)[0] for y in range(real.height)]
        assert all("\u2500" <= ch <= "\u257f" for ch in right), right  # the box's right edge is on screen


async def test_v_paints_the_shown_panel_right_in_its_first_frame(bundled_app) -> None:
    """At 80x24 the simulator shows one panel at a time. After v the first
    frame painted once showed the chart drawn for its old size or margin
    (squeezed, labels cut) or the key in the old width's wording, and two or
    three frames followed before it settled. Every frame painted after v is
    now the settled one; after a new terminal size, every frame shows the
    plot drawn for that size."""
    from hpedu.tui.widgets._paint import FastCanvas

    app = bundled_app()
    frames: list[str] = []
    plots: list[tuple] = []
    recording = [False]
    display = app._display

    def plot_state() -> tuple:
        """What the plots on screen show: each canvas's size, the size it was drawn for, its cells."""
        return tuple((c.size, c._canvas_size, tuple(map(tuple, c._buffer)))
                     for p in app.screen.query(HalfBlockPlot) if p.region for c in p.query(FastCanvas))

    def record(screen, renderable) -> None:
        if recording[0] and renderable is not None:
            frames.append(app.export_screenshot())
            plots.append(plot_state())
        display(screen, renderable)

    app._display = record
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_preset("random-2d")
        await pilot.pause()
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        for view in ("curve", "trials", "settings", "plot"):
            for _ in range(5):
                await pilot.pause(0.05)
            frames.clear()
            recording[0] = True
            await pilot.press("v")
            for _ in range(8):
                await pilot.pause(0.05)
            recording[0] = False
            assert app.screen.view == view
            if view == "trials":
                continue  # the trial table is no plot (its own first frames are its own)
            settled = app.export_screenshot()
            assert frames and all(f == settled for f in frames), f"{view}: {len(set(frames))} different frames"
        # a new terminal size: the plot is drawn for it in the first frame at that size
        # (the footer may change in a later frame: it is no plot)
        for size in ((100, 30), (80, 24)):
            plots.clear()
            recording[0] = True
            await pilot.resize_terminal(*size)
            for _ in range(8):
                await pilot.pause(0.05)
            recording[0] = False
            settled = plot_state()
            assert settled and all(c[0] == c[1] for c in settled)
            assert plots and all(p == settled for p in plots), f"{size}: {len(set(plots))} different plot frames"


async def test_a_growing_margin_never_paints_a_frame_drawn_for_the_old_one() -> None:
    """Longer y labels need a wider left margin: the plot is laid out again
    before it is drawn, and every frame painted shows canvases drawn for the
    sizes they have on screen (once, a frame showed the labels cut and the
    plot at its old width)."""
    from hpedu.tui.widgets._paint import FastCanvas

    curve = CurvePlot(y_label="value")
    app = OneWidget(curve)
    states: list[bool] = []
    recording = [False]
    display = app._display

    def record(screen, renderable) -> None:
        if recording[0] and renderable is not None:
            states.append(all(c.size == c._canvas_size for c in curve.plot.query(FastCanvas)))
        display(screen, renderable)

    app._display = record
    x = np.arange(1, 11, dtype=float)
    async with app.run_test(size=(70, 20)) as pilot:
        curve.set_series([Series("run", x, np.linspace(0.0, 9.0, x.size))], x_range=(1, 10))
        for _ in range(5):
            await pilot.pause(0.02)
        narrow = curve.plot.margin_left
        recording[0] = True
        curve.set_series([Series("run", x, np.linspace(-30000.0, 30000.0, x.size))], x_range=(1, 10))
        for _ in range(8):
            await pilot.pause(0.05)
        recording[0] = False
        assert curve.plot.margin_left > narrow
        assert states and all(states), states

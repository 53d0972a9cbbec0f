"""Compare methods side by side: each on its own small landscape, and their
median best-so-far curves (with quartile bands) over several seeds on one chart.

The seeds run in a worker through the engine's `iter_compare`, so the numbers
are `compare()`'s; progress is shown. Escape stops the work itself: the
engine checks a stop flag between trials, so the worker ends within a trial
(leaving the screen or quitting the app stops it the same way).

Each method's landscape shows one run: by default its median seed (the run
whose final value is the median, so the panels agree with the summary);
`[` / `]` step all panels through the seeds together.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from ...arithmetic import CODE_PREAMBLE
from ...content.model import Preset
from ...simulation import METHOD_TERMS, coords, distinct_values, fmt, important_dimension
from ..widgets.footer import KeyFooter
from ..widgets.settings import Field, SettingsPanel, objective_field, option_field
from ..widgets.curves import CurvePlot, Series
from ..widgets.fitting_table import Column, FittingTable
from ..widgets.landscape import LandscapePlot
from ._panels import PanelViews

VIEWS = ("maps", "curve", "summary", "settings")
VIEW_TITLES = {"maps": "Landscapes", "curve": "Best so far", "summary": "Summary", "settings": "Settings"}
MARKERS = ("●", "✚", "▲", "◆", "■", "✖", "○")
#: each method's line: (dash, thin). Thick half-block or thin braille and the
#: dash pattern tell the lines apart without colour (NO_COLOR), with the markers
LINES = (("solid", False), ("dashed", True), ("dotted", True), ("dashdot", True), ("solid", True),
         ("dashed", False), ("dashdot", False))
SEED_KEYS = Binding.Group("Seeds", compact=True)  # the footer shows "[] Seeds"


@dataclass
class CompareSettings:
    """Everything that defines one comparison."""

    objective: str
    methods: tuple[str, ...]
    budget: int
    seeds: int = 5
    objective_options: dict[str, Any] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per method
    class_code: str | None = None  # seeds derived from a class code (hpedu.classroom)
    seed: int = 0  # the first seed: seeds seed..seed+K-1 (before a class code)

    @classmethod
    def from_preset(cls, preset: Preset, class_code: str | None = None) -> "CompareSettings":
        methods = tuple(preset.methods) or (preset.method,)
        options = {preset.method: dict(preset.options)} if preset.options and preset.method in methods else {}
        return cls(preset.objective, methods, preset.budget, preset.seeds, dict(preset.objective_options), options,
                   class_code=class_code, seed=preset.seed)

    def seed_list(self) -> list[int]:
        """The seeds the runs use: `hpedu.classroom.run_seeds`, as `hpedu compare`
        and `hpedu exercise run` (seed, seed+1, ... or derived from the class code)."""
        from ...classroom import run_seeds

        return run_seeds(self.seed, self.seeds, self.class_code)

    def replace(self, **changes: Any) -> "CompareSettings":
        """A copy with `changes` (its option dicts are copies too)."""
        return dataclasses.replace(copy.deepcopy(self), **changes)

    def start(self, stop: Any = None):
        """The engine's checked step-by-step comparison (ValueError when refused);
        it ends early once `stop()` returns True (asked between trials)."""
        from ...tuning.compare import iter_compare

        options = {m: o for m, o in self.options.items() if m in self.methods}
        return iter_compare(self.objective, list(self.methods), self.budget, self.seed_list(),
                            options=options, objective_options=self.objective_options, stop=stop)

    def code(self) -> str:
        options = {m: o for m, o in self.options.items() if m in self.methods}
        seeds = self.seed_list() if self.class_code or self.seed else self.seeds
        args = f"{self.objective!r}, {list(self.methods)!r}, budget={self.budget}, seeds={seeds}"
        if options:
            args += f", options={options!r}"
        if self.objective_options:
            args += f", objective_options={self.objective_options!r}"
        return (
            CODE_PREAMBLE
            + "from hpedu.tuning import compare\n\n"
            f"comparison = compare({args})\n"
            "for name, r in comparison.methods.items():\n"
            "    print(name, 'median final', r.median_final, 'quartiles', r.q25_final, r.q75_final, 'wins', r.wins)\n"
        )


def compare_fields(settings: CompareSettings, locked: tuple[str, ...] = ()) -> list[Field]:
    from ...tuning.objectives import OBJECTIVES
    from ...tuning.registry import METHODS
    from ...tuning.runner import MAX_BUDGET, MAX_SEEDS

    def methods(raw: Any) -> tuple[str, ...]:
        names = tuple(m.strip() for m in str(raw).split(",") if m.strip())
        if not names:
            raise ValueError(f"methods: name one or more of {', '.join(METHODS)}, separated by commas")
        for m in names:
            if m not in METHODS:
                raise ValueError(f"unknown method {m!r}; choose from: {', '.join(METHODS)}")
        if len(set(names)) != len(names):
            raise ValueError("methods: each method may appear once")
        if len(names) > len(MARKERS):
            raise ValueError(f"methods: at most {len(MARKERS)} at once")
        return names

    def count(what: str, high: int) -> Any:
        def parse(raw: Any) -> int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValueError(f"{what} must be a whole number from 1 to {high}, got {raw!r}") from None
            if not 1 <= value <= high:
                raise ValueError(f"{what} must be a whole number from 1 to {high}, got {value}")
            return value
        return parse

    fields = [
        objective_field(settings.objective, locked="objective" in locked, section="Compare"),
        Field("methods", "methods — which to compare (a,b,…)", ",".join(settings.methods), methods,
              help="method names separated by commas: " + "; ".join(f"{m.name} = {m.title}" for m in METHODS.values()),
              locked="methods" in locked, section="Compare"),
        Field("budget", "budget — trials in each run", settings.budget, count("budget", MAX_BUDGET),
              help=f"trials in every run, a whole number from 1 to {MAX_BUDGET}", locked="budget" in locked,
              section="Compare"),
        Field("seeds", "seeds — runs per method", settings.seeds, count("seeds", MAX_SEEDS),
              help=f"each method runs once per seed, a whole number from 1 to {MAX_SEEDS}; more seeds, steadier medians",
              locked="seeds" in locked, section="Compare"),
    ]
    fields[1].value = settings.methods
    for opt in OBJECTIVES[settings.objective].options:
        value = settings.objective_options.get(opt.name, opt.default)
        f = option_field(opt, opt.parse(value), locked=opt.name in locked, section="Objective")
        f.name = "obj-" + opt.name
        fields.append(f)
    return fields


def objective_title(name: str) -> str:
    """How a title names an objective: its title and its id ("Branin (branin)")."""
    from ...tuning.objectives import OBJECTIVES

    info = OBJECTIVES.get(name)
    return f"{info.title} ({name})" if info is not None else name


def curve_caption(comp: Any, band: str | None = None) -> str:
    """What the comparison chart shows, in words (its axes, scale and band;
    `band`: the method whose band is drawn)."""
    n = len(comp.seeds)
    if comp.optimum is not None:
        what = "median regret: how far the best so far is from the true optimum, lower is better; log scale"
    else:
        better = "lower" if comp.direction == "minimize" else "higher"
        what = f"median best {comp.score_name} so far, {better} is better"
    seeds = f"the middle half of the {n} seed{'s' if n != 1 else ''} (25th to 75th percentile)"
    if band is None or len(comp.methods) < 2:
        return f"Chart: {what}. Shaded band: {seeds}."
    k = len(comp.methods)
    return f"Chart: {what}. Shaded band: {seeds} of {band}, one method at a time (keys 1-{k} pick the method)."


class _StopFlag:
    """Asked by the engine between trials: True once `set()` was called or the
    worker running the comparison was cancelled (the app quitting cancels it)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.worker: Any = None

    def set(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set() or (self.worker is not None and self.worker.is_cancelled)


class CompareScreen(PanelViews, Screen):
    """Several methods, the same objective and budget, K seeds each."""

    VIEWS = VIEWS
    VIEW_TITLES = VIEW_TITLES
    TABS = "cmp-tabs"

    BINDINGS = [
        Binding("r", "rerun", "Run again"),
        Binding("v", "next_view", "View"),
        Binding("o", "toggle_settings", "Settings", show=False),
        Binding("c", "show_code", "Code"),
        Binding("g", "glossary", "Term"),
        # 1..7 shade the band of the method in that place (b is Back elsewhere; no letter is free)
        Binding("1", "band(0)", "Band", key_display="1-7"),
        *(Binding(str(k + 1), f"band({k})", "Band", show=False) for k in range(1, len(MARKERS))),
        Binding("left_square_bracket", "step_seed(-1)", "Previous seed", key_display="[", group=SEED_KEYS),
        Binding("right_square_bracket", "step_seed(1)", "Next seed", key_display="]", group=SEED_KEYS),
        Binding("escape", "escape", "Stop/back", show=False),
    ]

    class Progressed(Message):
        def __init__(self, token: int, step: Any) -> None:
            super().__init__()
            self.token, self.step = token, step

    class Finished(Message):
        def __init__(self, token: int, cancelled: bool, error: str = "") -> None:
            super().__init__()
            self.token, self.cancelled, self.error = token, cancelled, error

    def __init__(self, settings: CompareSettings, *, preset: Preset | None = None, autorun: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.preset = preset
        self.locked = tuple(preset.locked) if preset else ()
        self.autorun = autorun
        self.view = "maps"
        self.comparison: Any = None
        self.first_traces: dict[str, Any] = {}
        #: which seed the landscapes show: None = each method's median seed, else a position in the seed list
        self.shown: int | None = None
        #: the method whose band (middle half of the seeds) the chart shades: one at a time,
        #: as several overlapping bands mix into one colour (None: the one with the most wins)
        self.band: str | None = None
        self.running = False
        self._token = 0
        self._stop = _StopFlag()
        #: set when the current comparison's worker has returned (nothing computes any more)
        self.run_done = threading.Event()
        self.run_done.set()
        self._objective: Any = None
        self._landscape: Any = None
        self._maps_for: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="cmp-title")
        yield Static(id="cmp-tabs")
        with Horizontal(id="cmp-body"):
            yield SettingsPanel(compare_fields(self.settings, self.locked), id="cmp-settings")
            with Vertical(id="cmp-main"):
                yield Horizontal(id="cmp-maps")
                with Horizontal(id="cmp-lower"):
                    yield CurvePlot(id="cmp-curve")
                    with VerticalScroll(id="cmp-summary"):  # the note may be taller than a narrow panel
                        yield Static(id="cmp-summary-text")
                yield ProgressBar(id="cmp-progress", show_eta=False)
        yield Static(id="cmp-narration")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.query_one("#cmp-progress").display = False
        await self._prepare_maps()
        self._update_title()
        if self.autorun:
            self.action_rerun()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 120 or event.size.height < 32, "-narrow")
        self._apply_view()
        self._update_title()

    # ----- landscapes -------------------------------------------------------------
    async def _prepare_maps(self) -> None:
        """One small landscape per method (objectives with two or more
        parameters and a fast vectorised form)."""
        from ...tuning.landscape import evaluate_landscape
        from ...tuning.objectives import get_objective

        s = self.settings
        self._objective = get_objective(s.objective, **s.objective_options)
        obj = self._objective
        box = self.query_one("#cmp-maps", Horizontal)
        await box.remove_children()
        self._maps_for = ()
        self._landscape = None
        has_maps = len(obj.space) >= 2 and obj.fn_batch is not None
        box.set_class(not has_maps, "-empty")
        self.set_class(not has_maps, "-no-maps")
        if not has_maps:
            return
        names = obj.space.names
        self._landscape = land = evaluate_landscape(obj, names[0], names[1], size=40)
        better = "low" if obj.direction == "minimize" else "high"
        plots = []
        for m in s.methods:
            plot = LandscapePlot(id=f"cmp-map-{m}", classes="cmp-map")
            plots.append(plot)
        await box.mount_all(plots)
        for m, plot in zip(s.methods, plots):
            plot.set_landscape(land.x, land.y, land.z, x_label=names[0], y_label=names[1],
                               log_x=land.log_x, log_y=land.log_y, better=better)
            plot.set_title(f"{m}: waiting for its first run…", f"{m}: waiting…", m)
        self._maps_for = tuple(s.methods)

    def shown_run(self, method: str) -> tuple[Any, str]:
        """The run the landscape shows for `method` once the comparison is done,
        and how the panel names it ("median seed 7 of 20", "seed 3 (4 of 20)")."""
        comp = self.comparison
        r = comp.methods[method]
        n = len(comp.seeds)
        median = r.median_position(comp.direction)
        if self.shown is None:
            return r.traces[median], f"median seed {comp.seeds[median]} of {n}"
        j = self.shown
        return r.traces[j], f"seed {comp.seeds[j]} ({j + 1} of {n}{', its median' if j == median else ''})"

    def _draw_shown_maps(self) -> None:
        for method in self.comparison.methods:
            trace, label = self.shown_run(method)
            self._draw_map(method, trace, label)

    def _draw_map(self, method: str, trace: Any, label: str) -> None:
        if method not in self._maps_for or self._objective is None:
            return
        names = self._objective.space.names
        plot = self.query_one(f"#cmp-map-{method}", LandscapePlot)
        trials = trace.trials
        xs = coords(self._objective.space, trials, names[0])
        ys = coords(self._objective.space, trials, names[1])
        best = trace.best.index if trace.best is not None else None
        plot.set_points(xs, ys, best=best, newest=None)
        # best first: it is what the summary compares; then which run this is (cut first on a narrow panel)
        title = f"{method} · best {fmt(trace.best.value) if trace.best else '-'} · {label}"
        imp = important_dimension(self.settings.objective)
        if imp:
            title += f" · {distinct_values(trials, imp)} {imp} values"
        best = f"{fmt(trace.best.value) if trace.best else '-'}"
        # shorter wordings for a narrow panel: the number stays whole
        short = label.split(" (")[0].split(" of ")[0].split(",")[0]  # "median seed 7", "seed 3"
        plot.set_title(title, f"{method} · best {best} · {label}", f"{method} · best {best} · {short}",
                       f"{method} · best {best}", f"{method} {best}")

    # ----- running ------------------------------------------------------------------
    def action_rerun(self) -> None:
        stop = _StopFlag()
        try:
            steps = self.settings.start(stop=stop)
        except ValueError as exc:
            self.query_one("#cmp-narration", Static).update(f"Cannot compare: {exc}")
            self.notify(str(exc), severity="error")
            return
        self._cancel()
        self._token += 1
        self._stop = stop
        self.run_done = threading.Event()
        self.comparison = None
        self.first_traces = {}
        self.shown = None
        self.running = True
        bar = self.query_one("#cmp-progress", ProgressBar)
        bar.display = True
        total = len(self.settings.methods) * self.settings.seeds
        bar.update(total=total, progress=0)
        self.query_one("#cmp-summary-text", Static).update("")
        self.query_one("#cmp-curve", CurvePlot).set_series([])
        self.query_one("#cmp-narration", Static).update(f"Running {total} runs in the background… (Esc stops)")
        self._update_title()
        self._run_comparison(self._token, steps, stop, self.run_done)

    def _cancel(self) -> None:
        """Stop the comparison's work: the engine sees the flag between trials."""
        self._stop.set()
        for w in self.workers:
            if w.group == "compare" and w.is_running:
                w.cancel()
        self.running = False

    def on_unmount(self) -> None:
        self._cancel()  # leaving the screen or quitting the app stops the work too

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _run_comparison(self, token: int, steps: Any, stop: "_StopFlag", done: threading.Event) -> None:
        worker = get_current_worker()
        stop.worker = worker  # the app cancelling its workers (quitting) stops the engine as well
        try:
            for step in steps:
                if stop():
                    break
                self.post_message(self.Progressed(token, step))
        except Exception as exc:
            self.post_message(self.Finished(token, False, str(exc)))
            return
        finally:
            steps.close()
            done.set()
        self.post_message(self.Finished(token, stop()))

    @on(Progressed)
    def _progressed(self, event: Progressed) -> None:
        if event.token != self._token:
            return
        step = event.step
        self.query_one("#cmp-progress", ProgressBar).update(total=step.total, progress=step.done)
        if step.method not in self.first_traces:  # while running: each method's first finished run
            self.first_traces[step.method] = step.trace
            self._draw_map(step.method, step.trace, f"seed {step.seed}, first run")
        if step.comparison is not None:
            self.comparison = step.comparison
            self._draw_shown_maps()
            self._draw_results()

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        if event.token != self._token:
            return
        self.running = False
        self.query_one("#cmp-progress").display = False
        if event.error:
            self.query_one("#cmp-narration", Static).update(f"The comparison failed: {event.error}")
        elif event.cancelled or self.comparison is None:
            self.query_one("#cmp-narration", Static).update("Stopped. r runs the comparison again.")
        self._update_title()

    def action_step_seed(self, delta: int) -> None:
        """Show the next / previous seed on every landscape: median, then seeds 1..K in order, then median again."""
        if self.comparison is None:
            self.notify("The seeds can be stepped through once the comparison is done.", timeout=2)
            return
        n = len(self.comparison.seeds)
        cycle: list[int | None] = [None, *range(n)]
        self.shown = cycle[(cycle.index(self.shown) + delta) % len(cycle)]
        self._draw_shown_maps()
        self._draw_results()

    # ----- results --------------------------------------------------------------------
    def curve_series(self) -> list[Any]:
        """Median best so far (or regret) per method with its quartile band."""
        comp = self.comparison
        series = []
        x = np.arange(1, comp.budget + 1, dtype=float)
        band = self.band_method()
        for i, (name, r) in enumerate(comp.methods.items()):
            med, lo, hi = r.median, r.q25, r.q75
            if comp.optimum is not None:
                sign = 1.0 if comp.direction == "minimize" else -1.0
                med, lo, hi = (np.maximum(sign * (a - comp.optimum), 1e-12) for a in (med, lo, hi))
            keep = np.isfinite(med)
            series.append(Series(name, x[keep], med[keep], lower=lo[keep], upper=hi[keep],
                                 marker=MARKERS[i % len(MARKERS)], fill=name == band,
                                 dash=LINES[i % len(LINES)][0], thin=LINES[i % len(LINES)][1]))
        return series

    def band_method(self) -> str | None:
        """The method whose band the chart shades: the one `b` chose, else the
        one with the most wins (the first of those tied)."""
        comp = self.comparison
        methods = list(comp.methods) if comp is not None else list(self.settings.methods)
        if not methods:
            return None
        if self.band in methods:
            return self.band
        if comp is None:
            return methods[0]
        return max(methods, key=lambda m: (comp.methods[m].wins, -methods.index(m)))

    def action_band(self, place: int) -> None:
        """Shade the band of the method in `place` (0-based; one at a time:
        overlapping bands turn to mud)."""
        if self.comparison is None:
            self.notify("The bands are drawn once the comparison is done.", timeout=2)
            return
        methods = list(self.comparison.methods)
        if not 0 <= place < len(methods):
            self.notify(f"There are {len(methods)} methods: keys 1-{len(methods)} pick one's band.", timeout=2)
            return
        self.band = methods[place]
        self._draw_results()

    def _draw_results(self) -> None:
        comp = self.comparison
        curve = self.query_one("#cmp-curve", CurvePlot)
        regret = comp.optimum is not None
        curve.log_y = regret
        curve.set_labels("trials", "median regret, log scale" if regret else f"median best {comp.score_name}")
        band, n = self.band_method(), len(comp.seeds)
        several = len(comp.methods) > 1
        curve.set_series(
            self.curve_series(),
            band_label=f"{band + ': ' if several else ''}middle half of the {n} seeds"
                       + (f" (1-{len(comp.methods)}: another method's)" if several else ""),
            band_label_short=[f"{band} middle half (1-{len(comp.methods)})", f"{band} (1-{len(comp.methods)})"]
            if several else "middle half",
        )

        methods = list(comp.methods.items())
        imp = important_dimension(comp.objective or "")
        columns = [
            Column("method", [f"{MARKERS[i % len(MARKERS)]} {name}" for i, (name, _) in enumerate(methods)], "left"),
            Column("median", [fmt(r.median_final, 3) for _, r in methods]),
            Column("middle half", [f"{fmt(r.q25_final, 3)}–{fmt(r.q75_final, 3)}" for _, r in methods]),
        ]
        if regret:
            columns.append(Column("regret", [fmt(r.median_regret, 3) for _, r in methods]))
        columns.append(Column("wins", [f"{r.wins:.2f}".rstrip("0").rstrip(".") + (f" ({r.ties} tied)" if r.ties else "")
                                       for _, r in methods]))
        if imp:
            columns.append(Column(f"{imp} tried", [str(distinct_values(self.shown_run(name)[0].trials, imp))
                                                   for name, _ in methods]))
        # every cell whole at any width of the summary: the columns that do not fit go to a second table
        table = FittingTable(columns)
        better = "lower" if comp.direction == "minimize" else "higher"
        n = len(comp.seeds)
        note = curve_caption(comp, band) + f"\nTable: final best {comp.score_name} over {n} seed{'s' if n != 1 else ''} ({better} is better): " \
               f"median of the seeds; middle half: from the 25th to the 75th percentile. "
        if regret:
            note += "regret: the median distance from the true optimum. "
        note += "wins: seeds where a method ended best (ties share)."
        if imp:
            which = "its median seed's run" if self.shown is None else "the run shown above"
            note += f" {imp} tried: distinct values of {imp} in {which}."
        from rich.console import Group
        from rich.text import Text

        self.query_one("#cmp-summary-text", Static).update(Group(table, Text(note, style="dim")))
        self.query_one("#cmp-narration", Static).update(self.narration())

    def narration(self) -> str:
        comp = self.comparison
        if comp is None:
            return ""
        wins = ", ".join(f"{name} {r.wins:g}" for name, r in comp.methods.items())
        text = f"Done: {len(comp.seeds)} seeds × {len(comp.methods)} methods. Wins: {wins}."
        imp = important_dimension(comp.objective or "")
        if imp:
            counts = ", ".join(f"{name} {distinct_values(self.shown_run(name)[0].trials, imp)}" for name in comp.methods)
            text += f" Distinct values of {imp} tried: {counts}."
        if self._maps_for:
            text += (" Landscapes: each method's median seed (its run with the median final value);"
                     if self.shown is None else
                     f" Landscapes: seed {comp.seeds[self.shown]} for every method;")
            text += " [ ] step through the seeds."
        return text

    def _update_title(self) -> None:
        s = self.settings
        head = self.preset.title if self.preset else "Compare methods"
        state = "running" if self.running else "done" if self.comparison is not None else "ready"
        seeds = f"{s.seeds} seed{'s' if s.seeds != 1 else ''}"
        if s.class_code:
            seeds += " from the class code"
        elif s.seed:
            seeds += f" from {s.seed}"
        status = f"{', '.join(s.methods)} · budget {s.budget} · {seeds} · {state}"
        if self.has_class("-narrow"):
            text = f"{status} — [b]{head}[/b]"
        else:
            text = f"[b]{head}[/b] — {objective_title(s.objective)} · {status}"
        self.query_one("#cmp-title", Static).update(text)

    # ----- settings and keys ---------------------------------------------------------------
    @on(SettingsPanel.Changed)
    async def _setting_changed(self, event: SettingsPanel.Changed) -> None:
        event.stop()
        name, value = event.name, event.value
        s = self.settings
        if name == "objective":
            new = s.replace(objective=value, objective_options={})
        elif name.startswith("obj-"):
            new = s.replace(objective_options={**s.objective_options, name[4:]: value})
        else:
            new = s.replace(**{name: value})
        try:
            steps = new.start()
        except ValueError as exc:
            self.query_one(SettingsPanel).show_error(name, str(exc))
            return
        close = getattr(steps, "close", None)
        if close is not None:
            close()
        self.settings = new
        if name == "objective":
            await self.query_one(SettingsPanel).set_fields(compare_fields(new, self.locked))
        if name in ("objective", "methods") or name.startswith("obj-"):
            await self._prepare_maps()
        self.action_rerun()

    def action_show_code(self) -> None:
        from .simulator import CodeModal

        self.app.push_screen(CodeModal([("hpedu", self.settings.code())]))

    def action_glossary(self) -> None:
        from .glossary import GlossaryScreen

        content = getattr(self.app, "content", None)
        terms = list(self.preset.terms) if self.preset else []
        terms += [METHOD_TERMS[m] for m in self.settings.methods if m in METHOD_TERMS]
        for t in terms:
            if content is not None and t in content.entries:
                self.app.push_screen(GlossaryScreen(content, t))
                return
        self.notify("No glossary entry for this.", timeout=2)

    def action_escape(self) -> None:
        if self.running:
            self._cancel()  # the worker ends within a trial (see run_done)
            self._token += 1
            self.query_one("#cmp-progress").display = False
            self.query_one("#cmp-narration", Static).update("Stopped. r runs the comparison again.")
            self._update_title()
        elif isinstance(self.focused, (Input, Select)):
            self.query_one("#cmp-summary").focus() if self.query_one("#cmp-summary").can_focus else self.set_focus(None)
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

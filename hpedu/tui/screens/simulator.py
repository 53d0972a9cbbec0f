"""The simulator: one tuning run, step by step, on its landscape.

Everything drawn comes from the engine through `Simulation` (hpedu.simulation).
Trials, previews of the model and landscapes of real models are computed in
thread workers that post messages; the screen only draws what they send.
Stepping, playing and running to the end follow one state machine
(`RunController`): each worker message carries the generation its worker was
started under, and messages of an older generation change nothing.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, ProgressBar, Select, Static, TabbedContent, TabPane, TextArea
from textual.worker import get_current_worker

from ...content.model import Preset
from ...tuning.base import Trial
from .._gc import freeze_once
from ...simulation import (ACQ_TERMS, METHOD_TERMS, HeatView, InsideView, Job, RunController, RunState, SimSettings,
                           Simulation, Views, compute_views, coords, ensure_imports, fmt, modules_for, python_code,
                           sklearn_code)
from ..widgets.brackets import BracketPanel
from ..widgets.footer import KeyFooter
from ..widgets.settings import SettingsPanel, settings_fields
from ..widgets.trial_table import TrialTable
from ..widgets.curves import CurvePlot, Mark, Series
from ..widgets.hypergrad_view import HypergradPlot
from ..widgets.inside import InsidePlot
from ..widgets.landscape import NEWEST_COLOR, LandscapePlot
from ._panels import PanelViews

#: seconds between trials while playing, slowest to fastest
SPEEDS = (2.0, 1.0, 0.5, 0.25, 0.1, 0.04, 0.0)
DEFAULT_SPEED = 3
VIEWS = ("plot", "curve", "trials", "settings")
VIEW_TITLES = {"plot": "Plot", "curve": "Best so far", "trials": "Trials", "settings": "Settings"}


class CodeModal(ModalScreen[None]):
    """Code that reproduces the run: hpedu's API, and scikit-learn where it applies."""

    BINDINGS = [
        Binding("escape,q", "dismiss_modal", "Close"),
        Binding("y", "copy", "Copy to clipboard"),
    ]

    def __init__(self, sources: list[tuple[str, str]]) -> None:
        super().__init__()
        self.sources = sources

    def compose(self) -> ComposeResult:
        with Vertical(id="code-box", classes="modal-box"):
            yield Static("Show code  ·  y copies the code shown  ·  Esc closes", classes="modal-title")
            with TabbedContent(id="code-tabs"):
                for i, (title, text) in enumerate(self.sources):
                    with TabPane(title, id=f"code-{i}"):
                        yield TextArea(text, read_only=True, id=f"code-text-{i}", classes="code-text")

    def current_text(self) -> str:
        tabs = self.query_one(TabbedContent)
        active = tabs.active or "code-0"
        return self.sources[int(active.removeprefix("code-"))][1]

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.current_text())
        self.notify("Copied to the clipboard (if your terminal allows it). You can also select the text.", timeout=3)

    def action_dismiss_modal(self) -> None:
        self.dismiss(None)


SPEED_KEYS = Binding.Group("Speed")


class SimulatorScreen(PanelViews, Screen):
    """One run of one method on one objective, step by step."""

    VIEWS = VIEWS
    VIEW_TITLES = VIEW_TITLES
    TABS = "sim-tabs"

    # Help comes first: this footer is the longest, and at 80 columns the app's
    # own keys (which come after the screen's) would be cut off.
    BINDINGS = [
        Binding("question_mark,f1", "app.help", "Help", key_display="?"),
        Binding("n,space", "step", "Step", key_display="n"),
        Binding("p", "play", "Play"),
        Binding("plus,equals_sign", "faster", "Faster", key_display="+", group=SPEED_KEYS),
        Binding("minus", "slower", "Slower", key_display="-", group=SPEED_KEYS),
        Binding("e", "run_to_end", "To end", show=False),
        Binding("r", "reset", "Reset", show=False),  # the status line names it; ? lists it
        Binding("d", "toggle_inside", "Inside"),  # i is Hint in exercises
        Binding("v", "next_view", "View"),
        Binding("o", "toggle_settings", "Settings", show=False),
        Binding("c", "show_code", "Code"),
        Binding("g", "glossary_method", "Term"),
        Binding("u", "glossary_acq", "Acq. term", show=False),  # a is Try again in exercises
        Binding("escape", "escape", "Stop/back", show=False),
    ]

    class Stepped(Message):
        """A worker took a trial (it is in `sim.records`)."""

        def __init__(self, generation: int, sim: Simulation, views: Views | None) -> None:
            super().__init__()
            self.generation, self.sim, self.views = generation, sim, views

    class Stopped(Message):
        """A worker's job is over (done, or cancelled)."""

        def __init__(self, generation: int, sim: Simulation, finished: bool) -> None:
            super().__init__()
            self.generation, self.sim, self.finished = generation, sim, finished

    class StepFailed(Message):
        """A step raised: `error` says what went wrong."""

        def __init__(self, generation: int, sim: Simulation, error: str) -> None:
            super().__init__()
            self.generation, self.sim, self.error = generation, sim, error

    class ViewsReady(Message):
        def __init__(self, sim: Simulation, views: Views) -> None:
            super().__init__()
            self.sim, self.views = sim, views

    class LandscapeProgress(Message):
        def __init__(self, token: int, done: int, total: int) -> None:
            super().__init__()
            self.token, self.done, self.total = token, done, total

    class LandscapeReady(Message):
        def __init__(self, token: int, landscape: Any, error: str = "") -> None:
            super().__init__()
            self.token, self.landscape, self.error = token, landscape, error

    def __init__(self, settings: SimSettings, *, preset: Preset | None = None, inside: bool = False,
                 autoplay: bool = False) -> None:
        super().__init__()
        self.settings = settings
        self.preset = preset
        self.locked = tuple(preset.locked) if preset else ()
        self.sim: Simulation | None = None
        self.inside = inside
        self.autoplay = autoplay
        self.speed = DEFAULT_SPEED
        self.view = "plot"
        self.controller = RunController(self._start_job, self._cancel_sim)
        self.selected: int | None = None
        self.landscape: Any = None
        self.truth_line: tuple[np.ndarray, np.ndarray] | None = None
        self._token = 0
        self._trials: list[Trial] = []
        self._best: list[float] = []
        self._views = Views()

    # ----- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="sim-title")
        yield Static(id="sim-tabs")
        with Horizontal(id="sim-body"):
            yield SettingsPanel(settings_fields(self.settings, self.locked), id="sim-settings")
            with Vertical(id="sim-main"):
                yield LandscapePlot(id="sim-landscape")
                yield LandscapePlot(id="sim-acq")
                yield CurvePlot(id="sim-line")
                yield HypergradPlot(id="sim-hypergrad")
                yield InsidePlot(id="sim-inside")
                yield Static(id="sim-inside-note")
                yield BracketPanel(id="sim-brackets")
                yield ProgressBar(id="sim-progress", show_eta=False)
            with Vertical(id="sim-side"):
                yield CurvePlot(id="sim-curve")
                yield TrialTable(id="sim-trials")
        yield Static(id="sim-narration")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#sim-progress").display = False
        try:
            self._start(self.settings)
        except ValueError as exc:
            self.query_one("#sim-narration", Static).update(f"Cannot start: {exc}")
        self.set_focus(None)  # keys go to the screen; Tab reaches the settings and the table
        if self.autoplay:
            self.speed = DEFAULT_SPEED
            self.action_play()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < 120 or event.size.height < 32
        self.set_class(narrow, "-narrow")
        self._apply_view()
        self._update_title()

    def _view_changed(self) -> None:
        self._show_main_widgets()

    def _show_main_widgets(self) -> None:
        if self.sim is None:
            return
        d = len(self.sim.names)
        inside = self.inside and self.sim.has_inside
        self.query_one("#sim-landscape").display = d >= 2 and not inside
        self.query_one("#sim-acq").display = d >= 2 and inside
        hyper = d == 1 and self.sim.settings.method == "hypergradient"  # the steps along the curve
        self.query_one("#sim-line").display = d == 1 and not inside and not hyper
        self.query_one("#sim-hypergrad").display = hyper
        self.query_one("#sim-inside").display = d == 1 and inside
        note = self.query_one("#sim-inside-note")
        note.display = inside
        # with more than two parameters the note also names the slice drawn (x3=…, x4=…): a second line
        note.styles.height = 2 if d > 2 else 1
        self._show_brackets()
        self._draw_points()

    def _show_brackets(self) -> None:
        """Hyperband: its brackets under the plot (instead of the plot on a narrow terminal); d toggles them."""
        assert self.sim is not None
        shown = self.sim.settings.method == "hyperband" and not self.inside
        self.query_one("#sim-brackets").display = shown
        if shown and self.has_class("-narrow"):
            self.query_one("#sim-landscape").display = self.query_one("#sim-line").display = False

    # ----- starting a run --------------------------------------------------------------
    def _start(self, settings: SimSettings) -> None:
        """A fresh run with `settings` (ValueError when the engine refuses them)."""
        sim = Simulation(settings)
        self._cancel_workers()
        self.controller.reset()
        self.sim, self.settings = sim, settings
        self._trials, self._best, self.selected = [], [], None
        self._views = Views()
        table = self.query_one(TrialTable)
        table.setup(sim.names, sim.objective.score_name, sim.strategy.uses_resource, budget=settings.budget)
        self._token += 1
        self.landscape, self.truth_line = None, None
        self._setup_landscape()
        self._show_main_widgets()
        if settings.method == "hyperband":  # the plan before the first trial (no worker runs yet)
            from ...simulation.views import bracket_state

            self.query_one(BracketPanel).show(bracket_state(sim))
        self._draw_all()
        self._narrate("Ready. n steps, p plays (+/- speed), e runs to the end, r resets, c shows the code.")
        self._update_title()
        self._warm_up(sim)
        if sim.has_inside and self.inside or settings.method == "hypergradient":
            self._preview()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self, sim: Simulation) -> None:
        ensure_imports(modules_for(sim.settings.objective, sim.settings.method))  # one thread imports at a time
        sim.strategy.warm_up()
        # The numeric modules are in: move them out of the collector's sight
        # (once per process, see freeze_once). A full collection over them
        # took 40-110 ms and landed in the middle of a step every few dozen steps.
        freeze_once("numeric modules")

    def _setup_landscape(self) -> None:
        from ...tuning.landscape import empty_landscape, evaluate_landscape, shipped_landscape

        sim = self.sim
        assert sim is not None
        obj = sim.objective
        names = sim.names
        axes = (names[0], names[1]) if len(names) >= 2 else (names[0], None)
        if obj.fn_batch is not None and obj.kind == "synthetic":  # a model's data loads in the worker below
            land = evaluate_landscape(obj, axes[0], axes[1], fixed=sim.slice_point() or None)
            self._set_landscape(land)
        elif (shipped := shipped_landscape(obj, axes[0], axes[1])) is not None:
            self._set_landscape(shipped)  # computed ahead and shipped with hpedu: drawn at once, nothing trained
        else:
            if axes[1] is not None:  # labelled axes (and then the progress) while the model trains
                frame = empty_landscape(obj, axes[0], axes[1])
                self.query_one("#sim-landscape", LandscapePlot).set_landscape(
                    frame.x, frame.y, frame.z, x_label=frame.x_name, y_label=str(frame.y_name),
                    log_x=frame.log_x, log_y=frame.log_y)
            self._compute_landscape(self._token, obj, axes[0], axes[1])

    def _set_landscape(self, land: Any) -> None:
        self.landscape = land
        sim = self.sim
        assert sim is not None
        better = "low" if land.direction == "minimize" else "high"
        if land.is_2d:
            plot = self.query_one("#sim-landscape", LandscapePlot)
            plot.set_landscape(land.x, land.y, land.z, x_label=land.x_name, y_label=land.y_name,
                               log_x=land.log_x, log_y=land.log_y, better=better)
            title = f"{sim.objective.title}: {land.score_name} ({better}er is better)"
            if land.fixed:
                title += " · slice at " + ", ".join(f"{k}={fmt(v)}" for k, v in land.fixed.items())
            plot.set_title(title)
        else:
            self.truth_line = (land.x, land.z)
        self._draw_points()

    @work(thread=True, exclusive=True, group="landscape", exit_on_error=False)
    def _compute_landscape(self, token: int, objective: Any, x_name: str, y_name: str | None) -> None:
        from ...tuning.landscape import LandscapeCancelled, evaluate_landscape

        worker = get_current_worker()
        name = getattr(objective, "name", "")

        def progress(done: int, total: int) -> None:
            self._post(self.LandscapeProgress(token, done, total))

        try:
            ensure_imports(modules_for(name, ""))  # never alongside another worker's import
            land = evaluate_landscape(objective, x_name, y_name, progress=progress,
                                      cancelled=lambda: worker.is_cancelled)
        except LandscapeCancelled:
            self._post(self.LandscapeReady(token, None, "landscape stopped (Esc); r computes it again"))
            return
        except Exception as exc:  # a model that fails to train: say so, keep the run usable
            self._post(self.LandscapeReady(token, None, f"landscape failed: {exc}"))
            return
        self._post(self.LandscapeReady(token, land))

    @on(LandscapeProgress)
    def _landscape_progress(self, event: LandscapeProgress) -> None:
        if not self._alive() or event.token != self._token:
            return
        bar = self.query_one("#sim-progress", ProgressBar)
        bar.display = event.done < event.total
        bar.update(total=event.total, progress=event.done)
        if event.done < event.total and self.sim is not None:
            from ...tuning.landscape import training_label

            plot = self.query_one("#sim-landscape", LandscapePlot)
            plot.set_title(f"{self.sim.objective.title} (Esc stops the training)")
            plot.set_progress(training_label(self.sim.objective, event.total), event.done, event.total)

    @on(LandscapeReady)
    def _landscape_ready(self, event: LandscapeReady) -> None:
        if not self._alive() or event.token != self._token:
            return
        self.query_one("#sim-progress").display = False
        if event.landscape is None:
            self.query_one("#sim-landscape", LandscapePlot).set_title(event.error)
            self.query_one("#sim-landscape", LandscapePlot).set_progress(None)
            self.notify(event.error, severity="warning", timeout=4)
            return
        self._set_landscape(event.landscape)
        if event.landscape.from_cache:
            self.notify("Landscape loaded from the cache.", timeout=2)

    # ----- running ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A worker is taking trials (stepping, playing or running to the end)."""
        return self.controller.busy

    @property
    def playing(self) -> bool:
        return self.controller.state is RunState.PLAYING

    def _alive(self) -> bool:
        """The screen is still in the app: a message for a screen that is gone is dropped."""
        return self.is_attached and not (self._closing or self._closed or self._pruning)

    def _post(self, message: Message) -> None:
        """Post from a worker thread unless the screen is gone."""
        if self._alive():
            self.post_message(message)

    def _cancel_sim(self) -> None:
        for w in self.workers:
            if w.group == "sim" and w.is_running:
                w.cancel()

    def _cancel_workers(self) -> None:
        """Stop every worker of this screen (a step that is under way finishes; its message is then stale)."""
        self.controller.pause()
        for w in self.workers:
            if w.group in ("sim", "preview", "landscape") and w.is_running:
                w.cancel()

    def _start_job(self, job: Job) -> None:
        if self.sim is not None:
            self._run_simulation(self.sim, job)

    # not exclusive: the controller cancels what it replaces, and a queued step must not
    # cancel the worker that just finished (its task may still be winding up)
    @work(thread=True, group="sim", exit_on_error=False)
    def _run_simulation(self, sim: Simulation, job: Job) -> None:
        worker = get_current_worker()
        done = 0
        try:
            ensure_imports(modules_for(sim.settings.objective, sim.settings.method))
            while not worker.is_cancelled and (job.count is None or done < job.count):
                trial = sim.step()
                if trial is None:
                    break
                done += 1
                last = sim.finished or (job.count is not None and done >= job.count)
                views = compute_views(sim, self.inside) if (job.pace or last) and not worker.is_cancelled else None
                self._post(self.Stepped(job.generation, sim, views))
                if job.pace and not sim.finished:
                    end = time.monotonic() + SPEEDS[self.speed]
                    while not worker.is_cancelled and time.monotonic() < end:
                        time.sleep(min(0.02, max(0.0, end - time.monotonic())))
        except Exception as exc:  # a step that fails: say so, keep the screen usable
            self._post(self.StepFailed(job.generation, sim, f"{type(exc).__name__}: {exc}"))
            return
        self._post(self.Stopped(job.generation, sim, sim.finished))

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _preview_worker(self, sim: Simulation) -> None:
        ensure_imports(modules_for(sim.settings.objective, sim.settings.method))
        with sim.lock:
            sim.apply_queued()
            views = compute_views(sim, self.inside)
        if not get_current_worker().is_cancelled:
            self._post(self.ViewsReady(sim, views))

    def _preview(self) -> None:
        if self.sim is not None and not self.running:
            self._preview_worker(self.sim)

    def _notice(self, text: str | None) -> None:
        if text:
            self.notify(text, timeout=2)

    def _sync_trials(self) -> None:
        """Draw the trials the simulation has finished and the screen has not shown yet."""
        sim = self.sim
        if sim is None:
            return
        new = sim.records[len(self._trials):]
        if not new:
            return
        table = self.query_one(TrialTable)
        for rec in new:
            before = self._best[-1] if self._best else math.nan
            self._trials.append(rec.trial)
            self._best.append(rec.best)
            improved = not math.isnan(rec.best) and (math.isnan(before) or rec.best != before)
            table.add_trial(rec.trial, rec.best, improved)
        self._narrate(new[-1].narration)
        if sim.finished:
            self.controller.run_over()
        self._draw_points()
        self._draw_curve()

    @on(Stepped)
    def _stepped(self, event: Stepped) -> None:
        if not self._alive() or event.sim is not self.sim:
            return
        self._sync_trials()  # the trials are the simulation's, whoever took them
        if not self.controller.current(event.generation):
            return  # an older worker's: its views and state are out of date
        if event.views is not None and event.views.n_done == len(self._trials):
            self._apply_views(event.views)
            self._draw_points()
        self._update_title()

    @on(Stopped)
    def _stopped(self, event: Stopped) -> None:
        if not self._alive() or event.sim is not self.sim:
            return
        self._sync_trials()
        if not self.controller.stopped(event.generation, event.finished):
            self._update_title()
            return
        self._update_title()
        if self.controller.state is RunState.FINISHED:
            best = event.sim.trace.best
            if best is not None:
                # the summary first: on a small terminal the narration shows two lines
                last = "\n" + event.sim.records[-1].narration if event.sim.records else ""
                self._narrate(f"Done: {len(self._trials)} trials; best {fmt(best.value)} at trial {best.index + 1} "
                              f"({', '.join(f'{k}={fmt(v)}' for k, v in best.params.items())}). r runs again, c shows the code."
                              + last)

    @on(StepFailed)
    def _step_failed(self, event: StepFailed) -> None:
        if not self._alive() or event.sim is not self.sim:
            return
        self._sync_trials()
        if not self.controller.failed(event.generation, event.error):
            return
        self._update_title()
        n = len(self._trials) + 1
        self._narrate(f"Trial {n} failed: {event.error}\nr resets the run; a new setting starts a new one.")
        self.notify(f"Trial {n} failed: {event.error}", severity="error", timeout=6)

    @on(ViewsReady)
    def _views_ready(self, event: ViewsReady) -> None:
        if not self._alive() or event.sim is not self.sim:
            return
        self._sync_trials()
        if event.views.n_done != len(self._trials):
            return  # computed for another number of trials
        self._apply_views(event.views)
        self._draw_points()

    def _apply_views(self, views: Views) -> None:
        self._views = views
        if views.landscape is not None:
            self._set_landscape(views.landscape)
        note = ""
        if views.inside is not None:
            note = views.inside.note
            self._draw_inside_1d(views.inside)
        if views.heat is not None:
            note = views.heat.note
            self._draw_heat(views.heat)
        if views.brackets is not None:
            self.query_one(BracketPanel).show(views.brackets)
        if views.hypergrad is not None:
            self.query_one("#sim-hypergrad", HypergradPlot).show_state(views.hypergrad)
        if self.inside and self.sim is not None and self.sim.has_inside:
            if not self._trials:
                note = "The model appears after the first trial."
            if views.error:
                note = views.error
            self.query_one("#sim-inside-note", Static).update(note, layout=False)

    # ----- drawing ----------------------------------------------------------------------------
    def _draw_all(self) -> None:
        self._draw_points()
        self._draw_curve()
        if self.sim is not None and self.sim.has_inside:
            self.query_one("#sim-acq", LandscapePlot).clear_points()

    def _best_index(self) -> int | None:
        if self.sim is None:
            return None
        sign = 1.0 if self.sim.objective.direction == "minimize" else -1.0
        best, where = math.inf, None
        for t in self._trials:
            if t.resource >= 1.0 - 1e-12 and sign * t.value < best:
                best, where = sign * t.value, t.index
        return where

    def _draw_points(self) -> None:
        sim = self.sim
        if sim is None:
            return
        space, names = sim.objective.space, sim.names
        best = self._best_index()
        newest = self._trials[-1].index if self._trials else None
        if len(names) >= 2:
            xs = coords(space, self._trials, names[0])
            ys = coords(space, self._trials, names[1])
            nxt = self._views.heat.next_point if self._views.heat is not None else None
            for wid in ("#sim-landscape", "#sim-acq"):
                plot = self.query_one(wid, LandscapePlot)
                if plot.display:  # a hidden plot is drawn when it is shown
                    plot.set_points(xs, ys, best=best, newest=newest, selected=self.selected,
                                    next_point=nxt if wid == "#sim-acq" else None)
        else:
            self._draw_line(best, newest)

    def _draw_line(self, best: int | None, newest: int | None) -> None:
        """A 1-D objective without the look inside: the true curve, the trials
        as marks (● trial, ◆ newest, ★ best, ▣ selected)."""
        sim = self.sim
        assert sim is not None
        name = sim.names[0]
        dim = sim.objective.space[name]
        log = bool(getattr(dim, "log", False))
        to_x = (lambda a: np.log10(np.asarray(a, dtype=float))) if log else (lambda a: np.asarray(a, dtype=float))
        xs = to_x(coords(sim.objective.space, self._trials, name))
        ys = np.array([t.value for t in self._trials], dtype=float)
        marks = [Mark(float(x), float(y), "●", "bold #56b4e9", "trial") for x, y in zip(xs, ys)]
        for role, idx, glyph, style in (("newest", newest, "◆", f"bold {NEWEST_COLOR}"),
                                        ("selected", self.selected, "▣", "reverse bold"),
                                        ("best", best, "★", "bold")):
            if idx is not None and idx < len(self._trials):
                marks.append(Mark(float(xs[idx]), float(ys[idx]), glyph, style, role))
        plot = self.query_one("#sim-line", CurvePlot)
        plot.plot.marks = marks
        series = []
        if self.truth_line is not None:
            series.append(Series(f"{sim.objective.score_name} (true curve)", to_x(self.truth_line[0]),
                                 self.truth_line[1], marker="·"))
        plot.set_labels(f"log10 {name}" if log else name, sim.objective.score_name)
        plot.set_series(series, band_label=None)
        plot.set_title("● trial  ◆ newest  ★ best  ▣ selected")

    def _draw_curve(self) -> None:
        sim = self.sim
        if sim is None:
            return
        plot = self.query_one("#sim-curve", CurvePlot)
        x = np.arange(1, len(self._best) + 1, dtype=float)
        y = np.array(self._best, dtype=float)
        keep = np.isfinite(y)
        x, y = x[keep], y[keep]
        opt = sim.objective.optimum
        if opt is not None:
            gap = y - opt if sim.objective.direction == "minimize" else opt - y
            y = np.maximum(gap, 1e-12)
            plot.log_y = True
            plot.set_labels("trial", "regret")
            name = "regret of the best so far"
        else:
            plot.log_y = False
            plot.set_labels("trial", f"best {sim.objective.score_name}")
            name = f"best {sim.objective.score_name} so far"
        plot.set_series([Series(name, x, y, marker="●", steps=True)], x_range=(1, max(2, sim.settings.budget)),
                        band_label=None)

    def _draw_inside_1d(self, view: InsideView) -> None:
        plot = self.query_one("#sim-inside", InsidePlot)
        if view.good is not None:
            plot.set_densities(view.x, view.good, view.bad, view.observed_x, view.observed_y, next_x=view.next_x,
                               next_why=view.next_why)
            return
        truth = self._truth_at(view.x)
        plot.set_state(view.x, view.mean, view.std, view.acquisition, view.observed_x, view.observed_y,
                       next_x=view.next_x, truth=truth, log_x=view.log_x, x_label=view.x_label,
                       acq_label=view.acq_label, next_why=view.next_why)

    def _truth_at(self, x: np.ndarray) -> np.ndarray | None:
        sim = self.sim
        if sim is None:
            return None
        obj = sim.objective
        if obj.fn_batch is not None and len(obj.space) == 1:
            return np.asarray(obj.fn_batch(np.asarray(x, dtype=float)[:, None]), dtype=float)
        if self.truth_line is None:
            return None
        dim = obj.space[sim.names[0]]
        ux = np.array([dim.to_unit(v) for v in x])
        ut = np.array([dim.to_unit(v) for v in self.truth_line[0]])
        return np.interp(ux, ut, self.truth_line[1])

    def _draw_heat(self, view: HeatView) -> None:
        sim = self.sim
        assert sim is not None
        plot = self.query_one("#sim-acq", LandscapePlot)
        names = sim.names
        space = sim.objective.space
        plot.set_landscape(view.x, view.y, view.z, x_label=names[0], y_label=names[1],
                           log_x=bool(getattr(space[names[0]], "log", False)),
                           log_y=bool(getattr(space[names[1]], "log", False)), better="high",
                           end_words=("less promising", "try here"))
        where = f"next ✚ {names[0]}={fmt(view.next_point[0])}, {names[1]}={fmt(view.next_point[1])}" \
            if view.next_point else view.note
        plot.set_title(f"{view.label} (higher = try here) · {where}")

    def _update_title(self) -> None:
        sim = self.sim
        if sim is None:
            return
        head = self.preset.title if self.preset else "Simulator"
        state = {RunState.STEPPING: "running", RunState.IDLE: "done" if sim.finished else "paused"}.get(
            self.controller.state, self.controller.state.value)
        speed = SPEEDS[self.speed]
        pace = "max speed" if speed == 0 else f"{1 / speed:g} trials/s"
        status = f"trial {len(self._trials)}/{sim.settings.budget}"
        b = self._best_index()
        if b is not None:
            status += f" · best {fmt(self._trials[b].value)}"
            if sim.objective.optimum is not None:
                status += f" (regret {fmt(sim.objective.regret(self._trials[b].value), 3)})"
        # running to the end goes as fast as it can: the playing pace does not apply
        status += f" · {state}" if self.controller.state is RunState.RUNNING_TO_END else f" · {state} ({pace})"
        if self.has_class("-narrow"):  # what changes first, so it is never cut off
            text = f"{status} — [b]{head}[/b]"
        else:
            text = f"[b]{head}[/b] — {sim.objective.title} · {sim.method_title} · {status}"
        self.query_one("#sim-title", Static).update(text, layout=False)  # fixed height: no layout pass

    def _narrate(self, text: str) -> None:
        self.query_one("#sim-narration", Static).update(text, layout=False)

    # ----- settings ------------------------------------------------------------------------------
    @on(SettingsPanel.Changed)
    async def _setting_changed(self, event: SettingsPanel.Changed) -> None:
        event.stop()
        sim, name, value = self.sim, event.name, event.value
        panel = self.query_one(SettingsPanel)
        if sim is not None and sim.n_done > 0 and name not in ("objective", "method", "budget", "seed") \
                and not name.startswith("obj-") and sim.strategy.option(name).live:
            try:
                sim.queue_options(**{name: value})
            except ValueError as exc:
                panel.show_error(name, str(exc))
                return
            self._narrate(f"{name} = {fmt(value)}: the next proposal follows it.")
            self._preview()
            return
        new = self.settings
        if name == "objective":
            new = new.replace(objective=value, objective_options={})
        elif name == "method":
            keep = self.preset.options if self.preset and self.preset.method == value else {}
            new = new.replace(method=value, options=dict(keep))
        elif name in ("budget", "seed"):
            new = new.replace(**{name: value})
        elif name.startswith("obj-"):
            new = new.replace(objective_options={**new.objective_options, name[4:]: value})
        else:
            new = new.replace(options={**new.options, **(sim.live_options if sim else {}), name: value})
        try:
            self._start(new)
        except ValueError as exc:
            panel.show_error(name, str(exc))
            return
        if name in ("objective", "method"):
            await panel.set_fields(settings_fields(new, self.locked))
        self._narrate(f"New run: {name.removeprefix('obj-')} = {fmt(value)}. n steps, p plays.")

    # ----- actions ----------------------------------------------------------------------------------
    def action_step(self) -> None:
        """n: one trial (while playing: pause; while a step runs: one more after it)."""
        paused = self.playing
        self._notice(self.controller.step())
        self._after_key(paused)

    def action_play(self) -> None:
        paused = self.running
        self._notice(self.controller.play())
        self._after_key(paused)

    def action_run_to_end(self) -> None:
        self._notice(self.controller.run_to_end())
        self._update_title()

    def _after_key(self, paused: bool) -> None:
        self._update_title()
        if paused and not self.running:
            self._sync_trials()
            self._narrate("Paused. n steps, p plays on.")
            self._preview()

    def action_faster(self) -> None:
        self.speed = min(self.speed + 1, len(SPEEDS) - 1)
        self._update_title()

    def action_slower(self) -> None:
        self.speed = max(self.speed - 1, 0)
        self._update_title()

    def action_reset(self) -> None:
        sim = self.sim
        settings = self.settings
        if sim is not None:
            settings = settings.replace(options={**settings.options, **sim.live_options})
        try:
            self._start(settings)
        except ValueError as exc:
            self.notify(str(exc), severity="error")

    def action_toggle_inside(self) -> None:
        if self.sim is not None and self.sim.settings.method == "hyperband":  # d: brackets <-> plot
            self.inside = not self.inside
            self._show_main_widgets()
            return
        if self.sim is None or not self.sim.has_inside:
            self.notify("The look inside is for Bayesian optimization (bayes) and TPE.", timeout=3)
            return
        self.inside = not self.inside
        self._show_main_widgets()
        if self.inside:
            self._preview()

    def action_show_code(self) -> None:
        if self.sim is None:
            return
        sources = [("hpedu", python_code(self.sim.settings, self.sim.changes))]
        sk = sklearn_code(self.sim.settings)
        if sk:
            sources.append(("scikit-learn", sk))
        self.app.push_screen(CodeModal(sources))

    def _open_term(self, entry_id: str | None) -> None:
        from .glossary import GlossaryScreen

        content = getattr(self.app, "content", None)
        if not entry_id or content is None or entry_id not in content.entries:
            self.notify("No glossary entry for this.", timeout=2)
            return
        self.app.push_screen(GlossaryScreen(content, entry_id))

    def action_glossary_method(self) -> None:
        if self.sim is not None:
            self._open_term(METHOD_TERMS.get(self.sim.settings.method))

    def action_glossary_acq(self) -> None:
        if self.sim is not None and self.sim.settings.method == "bayes":
            self._open_term(ACQ_TERMS.get(self.sim.strategy.opts["acq"]))
        else:
            self.notify("Acquisition functions belong to Bayesian optimization.", timeout=2)

    def action_escape(self) -> None:
        busy = [w for w in self.workers if w.is_running and w.group in ("sim", "landscape", "preview")]
        if busy or self.running:
            self._cancel_workers()
            self._sync_trials()
            self._update_title()
            self._narrate("Stopped. n steps, p plays, r resets.")
        elif isinstance(self.focused, (Input, Select)):
            self.query_one(TrialTable).focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(TrialTable.TrialHighlighted)
    def _trial_highlighted(self, event: TrialTable.TrialHighlighted) -> None:
        self.selected = event.index
        self._draw_points()

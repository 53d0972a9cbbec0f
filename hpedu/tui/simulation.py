"""The simulator's controller: one run stepped by hand, without any UI code.

`Simulation` wraps the engine's `Run` (so every number shown is the engine's)
and adds what the screens need: live option changes recorded by step (so
"show code" can reproduce them), one narration line per trial, the
best-so-far or regret curve, and previews of the strategy's internals (the
Gaussian process and its acquisition, TPE's densities). A lock makes steps
and previews safe to call from a worker thread.

Previews never change what the run does next: before the Bayesian model
takes over (the initial design) the model is fitted on a copy of the
strategy; afterwards the real strategy is asked for its posterior at the
number of trials where its next `ask` would fit it anyway (the fit is cached).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from ..arithmetic import CODE_PREAMBLE
from ..tuning.base import Trial
from ..tuning.trace import plain

if TYPE_CHECKING:
    from ..content.model import Preset
    from ..tuning.objectives.base import Objective
    from ..tuning.runner import Run

__all__ = [
    "SimSettings", "Simulation", "InsideView", "HeatView", "METHOD_TERMS", "ACQ_TERMS", "fmt", "format_params",
    "python_code", "sklearn_code", "distinct_values", "important_dimension",
]

#: glossary entry of each method and acquisition function
METHOD_TERMS = {
    "grid": "grid-search", "random": "random-search", "sobol": "quasi-random-sequence",
    "bayes": "bayesian-optimization", "tpe": "tpe", "halving": "successive-halving",
    "evolution": "evolutionary-algorithms",
}
ACQ_TERMS = {"ei": "expected-improvement", "pi": "probability-of-improvement", "ucb": "upper-confidence-bound"}
ACQ_LABELS = {"ei": "EI", "pi": "PI", "ucb": "UCB"}

#: the dimension that matters, for objectives built to show it
_IMPORTANT = {"low-effective-dim": "x"}


def fmt(value: Any, digits: int = 4) -> str:
    """A short, readable number (4 significant digits); other values as text."""
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}g}"
    return str(value)


def format_params(params: Mapping[str, Any], names: list[str] | None = None) -> str:
    return ", ".join(f"{n}={fmt(params[n])}" for n in (names or list(params)))


@dataclass
class SimSettings:
    """Everything that defines one run."""

    objective: str
    method: str
    budget: int
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    objective_options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_preset(cls, preset: "Preset", class_code: str | None = None) -> "SimSettings":
        """The preset's settings; a class code replaces its seed by one derived from the code."""
        from ..classroom import class_seed

        return cls(preset.objective, preset.method, preset.budget, class_seed(class_code, preset.seed),
                   dict(preset.options), dict(preset.objective_options))

    def replace(self, **changes: Any) -> "SimSettings":
        """A copy with `changes` (its option dicts are copies too)."""
        return dataclasses.replace(copy.deepcopy(self), **changes)

    def prepare(self) -> "Run":
        """The engine's checked Run; ValueError says what is wrong."""
        from ..tuning.runner import prepare_simulation

        return prepare_simulation(self.objective, self.method, self.budget, self.seed,
                                  self.options, self.objective_options)


@dataclass
class InsideView:
    """A 1-D look inside: the model over x, what it will try next."""

    x: np.ndarray  # parameter values
    mean: np.ndarray | None  # in the objective's own units
    std: np.ndarray | None
    acquisition: np.ndarray | None
    observed_x: np.ndarray
    observed_y: np.ndarray
    next_x: float | None
    log_x: bool
    x_label: str
    acq_label: str
    note: str
    good: np.ndarray | None = None  # TPE: l(x) and g(x)
    bad: np.ndarray | None = None


@dataclass
class HeatView:
    """A 2-D look inside: a surface over two parameters (acquisition, or TPE's l/g)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray  # (ny, nx)
    label: str
    next_point: tuple[float, float] | None
    note: str


class Simulation:
    """One run of the engine, stepped one trial at a time."""

    def __init__(self, settings: SimSettings) -> None:
        self.settings = settings
        self.run = settings.prepare()
        self._steps = self.run.steps()
        self.lock = threading.RLock()
        #: live option changes: (number of trials told when changed, options)
        self.changes: list[tuple[int, dict[str, Any]]] = []
        self.narration: list[str] = []
        self._from_model: list[bool] = []
        self._queued: dict[str, Any] = {}
        self._queue_lock = threading.Lock()

    # ----- what the run is --------------------------------------------------
    @property
    def objective(self) -> "Objective":
        return self.run.objective

    @property
    def strategy(self) -> Any:
        return self.run.strategy

    @property
    def trace(self):
        return self.run.trace

    @property
    def names(self) -> list[str]:
        return self.objective.space.names

    @property
    def n_done(self) -> int:
        return len(self.trace.trials)

    @property
    def finished(self) -> bool:
        return self.strategy.finished and not self.strategy._pending

    @property
    def method_title(self) -> str:
        from ..tuning.registry import METHODS

        return METHODS[self.settings.method].title

    @property
    def live_options(self) -> dict[str, Any]:
        live = {o.name: self.strategy.opts[o.name] for o in self.strategy.options if o.live}
        with self._queue_lock:
            live.update(self._queued)
        return live

    # ----- stepping -----------------------------------------------------------
    def _parse_live(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        parsed = {}
        for key, value in raw.items():
            opt = self.strategy.option(key)
            if not opt.live:
                raise ValueError(f"option {key!r} cannot be changed during a run; change it and reset (r)")
            parsed[key] = opt.parse(value)
        return parsed

    def queue_options(self, **raw: Any) -> dict[str, Any]:
        """Check live options now and apply them before the next step or
        preview (never blocks, even while a step runs in another thread)."""
        parsed = self._parse_live(raw)
        with self._queue_lock:
            self._queued.update(parsed)
        return parsed

    def apply_queued(self) -> dict[str, Any]:
        with self._queue_lock:
            queued, self._queued = self._queued, {}
        return self.set_options(**queued) if queued else {}

    def set_options(self, **raw: Any) -> dict[str, Any]:
        """Change live options; they apply to the next proposal. ValueError
        (the option's own message) for unknown, fixed or invalid values."""
        with self.lock:
            parsed = self._parse_live(raw)
            changed = {k: v for k, v in parsed.items() if self.strategy.opts.get(k) != v}
            if not changed:
                return {}
            self.strategy.set_options(**changed)
            n = self.n_done
            if self.changes and self.changes[-1][0] == n:
                self.changes[-1][1].update(changed)
            else:
                self.changes.append((n, dict(changed)))
            return changed

    def step(self) -> Trial | None:
        """Run one trial; None when the run is over."""
        with self.lock:
            self.apply_queued()
            if self.finished:
                return None
            from_model = self._from_model_next()
            try:
                trial = next(self._steps)
            except StopIteration:
                return None
            self._from_model.append(from_model)
            self.narration.append(self.narrate(trial))
            return trial

    def _from_model_next(self) -> bool:
        s, method = self.strategy, self.settings.method
        if method == "bayes":
            return len(s.trials) >= s.n_initial
        if method == "tpe":
            return s.n_told >= s.opts["n_startup"]
        return True

    # ----- words ------------------------------------------------------------------
    def narrate(self, trial: Trial) -> str:
        """One line in plain words about a finished trial."""
        s, method, i = self.strategy, self.settings.method, trial.index
        params = format_params(trial.params, self.names)
        from_model = self._from_model[i] if i < len(self._from_model) else True
        if method == "grid":
            what = f"grid search tried {params}"
        elif method == "random":
            what = f"random search sampled {params}"
        elif method == "sobol":
            what = f"the Sobol sequence placed {params}"
        elif method == "bayes":
            if from_model:
                acq = ACQ_LABELS.get(s.opts["acq"], s.opts["acq"])
                what = f"Bayesian optimization chose {params} (highest {acq})"
            else:
                what = f"Bayesian optimization's initial design placed {params} ({i + 1} of {s.n_initial})"
        elif method == "tpe":
            what = f"TPE picked {params} (high l/g)" if from_model else f"TPE sampled {params} at random (start-up)"
        elif method == "halving":
            part = "all the data" if trial.resource >= 1.0 - 1e-12 else f"{trial.resource:.3g} of the data"
            what = f"successive halving trained {params} on {part}"
        elif method == "evolution":
            gens = getattr(s, "generations", [])
            g = gens[i] if i < len(gens) else None
            what = (f"evolution (generation {g}) tried {params}" if g is not None else f"evolution tried {params}")
        else:
            what = f"{method} tried {params}"
        score = self.objective.score_name
        line = f"trial {i + 1}: {what} → {score} {fmt(trial.value)}"
        best = self.trace.best_so_far
        if trial.resource < 1.0 - 1e-12:
            return line + " (partial training: not counted for the best)"
        now = best[i] if i < best.size else math.nan
        before = best[i - 1] if i > 0 else math.nan
        if not math.isnan(now) and (math.isnan(before) or now != before):
            return line + f"; new best {fmt(now)}"
        return line + (f"; best still {fmt(now)}" if not math.isnan(now) else "")

    # ----- curves ---------------------------------------------------------------------
    def best_curve(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """Trial numbers (1-based), best so far (or regret when the optimum is
        known) and whether it is regret; NaN steps (partial training) left out."""
        trace = self.trace
        regret = trace.regret
        y = trace.best_so_far if regret is None else regret
        x = np.arange(1, y.size + 1, dtype=float)
        keep = np.isfinite(y)
        return x[keep], y[keep], regret is not None

    # ----- looking inside ---------------------------------------------------------------
    @property
    def has_inside(self) -> bool:
        return self.settings.method in ("bayes", "tpe")

    def _preview_strategy(self) -> Any:
        """The strategy to ask for a preview: a copy before the Bayesian model
        takes over, so the real run is untouched (see the module docstring)."""
        s = self.strategy
        if self.settings.method == "bayes" and not s.model_ready:
            return copy.deepcopy(s)
        return s

    def _next_note(self) -> tuple[bool, str]:
        """Whether the next point comes from the model, and a note saying so."""
        s, method = self.strategy, self.settings.method
        if self.finished:
            return False, "the run is over: the model after the last trial"
        if method == "bayes" and not s.model_ready:
            left = s.n_initial - len(s.trials)
            return False, f"initial design: {left} more quasi-random point{'s' if left != 1 else ''} before the model picks"
        if method == "tpe" and s.n_told < s.opts["n_startup"]:
            left = s.opts["n_startup"] - s.n_told
            return False, f"start-up: {left} more random point{'s' if left != 1 else ''} before the densities pick"
        return True, ""

    def inside_1d(self, axis: str | None = None, size: int = 160) -> InsideView | None:
        """The model over one parameter (the others held at the best point so far)."""
        with self.lock:
            if not self.has_inside or not self.trace.trials:
                return None
            space = self.objective.space
            axis = axis or self.names[0]
            j = self.names.index(axis)
            U, xs = self._unit_line(j, size)
            obs_x = np.array([_coord(space[axis], t.params[axis]) for t in self.trace.trials])
            obs_y = self.trace.values
            from_model, note = self._next_note()
            log_x = bool(getattr(space[axis], "log", False))
            if self.settings.method == "bayes":
                s = self._preview_strategy()
                mu, sd = s.posterior(U)
                acq = s.acquisition(U)
                if self.objective.direction == "maximize":
                    mu = -mu
                kind = s.opts["acq"]
                label = ACQ_LABELS.get(kind, kind) + (f" κ={fmt(s.opts['kappa'])}" if kind == "ucb" else "")
                nxt = float(xs[int(np.argmax(acq))]) if from_model else None
                return InsideView(xs, mu, sd, acq, obs_x, obs_y, nxt, log_x, axis, label, note)
            s = self.strategy
            good, bad = s.densities(U)
            ratio = good / np.maximum(bad, 1e-300)
            nxt = float(xs[int(np.argmax(ratio))]) if from_model else None
            return InsideView(xs, None, None, ratio, obs_x, obs_y, nxt, log_x, axis, "l/g", note, good, bad)

    def inside_2d(self, x_name: str, y_name: str, size: int = 48) -> HeatView | None:
        """Acquisition (bayes) or log l/g (TPE) over two parameters, the
        others held at the best point so far."""
        with self.lock:
            if not self.has_inside or not self.trace.trials:
                return None
            space = self.objective.space
            jx, jy = self.names.index(x_name), self.names.index(y_name)
            base = self._base_unit()
            u = np.linspace(0.0, 1.0, size)
            gx, gy = np.meshgrid(u, u)  # (ny, nx)
            U = np.repeat(base[None, :], gx.size, axis=0)
            U[:, jx], U[:, jy] = gx.ravel(), gy.ravel()
            xs = np.array([_coord(space[x_name], space[x_name].from_unit(v)) for v in u])
            ys = np.array([_coord(space[y_name], space[y_name].from_unit(v)) for v in u])
            from_model, note = self._next_note()
            if self.settings.method == "bayes":
                s = self._preview_strategy()
                z = s.acquisition(U)
                kind = s.opts["acq"]
                label = ACQ_LABELS.get(kind, kind) + (f" κ={fmt(s.opts['kappa'])}" if kind == "ucb" else "")
            else:
                good, bad = self.strategy.densities(U)
                z = np.log(np.maximum(good, 1e-300)) - np.log(np.maximum(bad, 1e-300))
                label = "log l/g"
            k = int(np.argmax(z))
            nxt = (float(xs[k % size]), float(ys[k // size])) if from_model else None
            return HeatView(xs, ys, z.reshape(size, size), label, nxt, note)

    def _base_unit(self) -> np.ndarray:
        space = self.objective.space
        best = self.trace.best
        if best is None:
            return np.full(len(space), 0.5)
        return np.asarray(space.to_unit(best.params), dtype=float)

    def _unit_line(self, j: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        space = self.objective.space
        dim = space[self.names[j]]
        u = np.linspace(0.0, 1.0, size)
        U = np.repeat(self._base_unit()[None, :], size, axis=0)
        U[:, j] = u
        xs = np.array([_coord(dim, dim.from_unit(v)) for v in u])
        return U, xs

    def slice_point(self) -> dict[str, Any]:
        """Where to slice an objective with more than two parameters: the best so far."""
        best = self.trace.best
        return dict(best.params) if best is not None else {}


def _coord(dim: Any, value: Any) -> float:
    """A plot coordinate: the value, or a categorical's index."""
    from ..tuning.space import Categorical

    if isinstance(dim, Categorical):
        return float(list(dim.choices).index(value))
    return float(value)


def coords(space: Any, trials: list[Trial], name: str) -> np.ndarray:
    return np.array([_coord(space[name], t.params[name]) for t in trials], dtype=float)


# ----- grid vs random -----------------------------------------------------------------
def important_dimension(objective: str) -> str | None:
    """The parameter that matters, for objectives built to make that point."""
    return _IMPORTANT.get(objective)


def distinct_values(trials: list[Trial], name: str) -> int:
    return len({repr(plain(t.params[name])) for t in trials})


# ----- show code --------------------------------------------------------------------------
def _py(value: Any) -> str:
    return repr(plain(value))


def _kwargs(options: Mapping[str, Any]) -> str:
    return "".join(f", {k}={_py(v)}" for k, v in options.items())


def python_code(settings: SimSettings, changes: list[tuple[int, dict[str, Any]]] | None = None) -> str:
    """A few lines that reproduce the run with hpedu's Python API (live
    option changes included, at the trial where they were made)."""
    changes = list(changes or [])
    opts = dict(settings.options)
    while changes and changes[0][0] == 0:  # changed before the first trial: just the starting options
        opts.update(changes.pop(0)[1])
    obj_args = _kwargs(settings.objective_options)
    lines = [*CODE_PREAMBLE.splitlines(), "from hpedu.tuning import get_objective, minimize, prepare", ""]
    lines.append(f"objective = get_objective({settings.objective!r}{obj_args})")
    call = f"method={settings.method!r}, budget={settings.budget}, seed={settings.seed}{_kwargs(opts)}"
    if not changes:
        lines.append(f"trace = minimize(objective, {call})")
    else:
        table = "{" + ", ".join(f"{n}: {{{', '.join(f'{k!r}: {_py(v)}' for k, v in o.items())}}}"
                                for n, o in changes) + "}"
        lines += [
            f"run = prepare(objective, {call})",
            f"changes = {table}  # after this many trials, as changed in the simulator",
            "for trial in run.steps():",
            "    if trial.index + 1 in changes:",
            "        run.strategy.set_options(**changes[trial.index + 1])",
            "trace = run.trace",
        ]
    lines += [
        "",
        "for t in trace.trials:",
        "    print(t.index, t.params, t.value)",
        "print('best:', trace.best.params, trace.best.value)",
    ]
    return "\n".join(lines) + "\n"


def sklearn_code(settings: SimSettings) -> str | None:
    """The same search with scikit-learn's GridSearchCV / RandomizedSearchCV
    for grid and random search on a model objective; None otherwise."""
    if settings.method not in ("grid", "random"):
        return None
    from ..tuning.objectives.models import MODEL_SPECS
    from ..tuning.space import Categorical, Integer, Real

    spec = MODEL_SPECS.get(settings.objective)
    if spec is None:
        return None
    space = _model_space(spec)
    names = list(space)
    keys = {n: _param_key(spec.estimator_code, n) for n in names}
    imports: dict[str, set[str]] = {"sklearn.datasets": {spec.dataset}, "sklearn.model_selection": {"StratifiedKFold"}}
    if spec.subsample:
        imports["sklearn.model_selection"].add("train_test_split")
    for module, item in spec.imports:
        imports.setdefault(module, set()).add(item)
    body: list[str] = []
    if settings.method == "grid":
        from ..tuning.grid import grid_axes

        imports["sklearn.model_selection"].add("GridSearchCV")
        axes = grid_axes(space, settings.budget)
        start = {n: axes[n][0] for n in names}
        grid = ",\n    ".join(f"{keys[n]!r}: {[plain(v) for v in axes[n]]!r}" for n in names)
        body += [f"param_grid = {{\n    {grid},\n}}",
                 f'search = GridSearchCV(model, param_grid, cv=cv, scoring="{spec.score_name}")']
    else:
        imports["sklearn.model_selection"].add("RandomizedSearchCV")
        dists = []
        start = {}
        for n in names:
            dim = space[n]
            start[n] = plain(dim.from_unit(0.5))
            if isinstance(dim, Categorical):
                dists.append(f"{keys[n]!r}: {list(dim.choices)!r}")
            elif isinstance(dim, Integer):
                imports.setdefault("scipy.stats", set()).add("randint")
                note = "  # hpedu draws this one on a log scale" if dim.log else ""
                dists.append(f"{keys[n]!r}: randint({dim.low}, {dim.high + 1}),{note}")
                continue
            elif isinstance(dim, Real) and dim.log:
                imports.setdefault("scipy.stats", set()).add("loguniform")
                dists.append(f"{keys[n]!r}: loguniform({dim.low!r}, {dim.high!r})")
            else:
                imports.setdefault("scipy.stats", set()).add("uniform")
                dists.append(f"{keys[n]!r}: uniform({dim.low!r}, {dim.high - dim.low!r})")
            dists[-1] += ","
        text = "\n    ".join(dists)
        body += [f"distributions = {{\n    {text}\n}}",
                 "# scikit-learn draws its own random points: the same distributions, not the same points",
                 f"search = RandomizedSearchCV(model, distributions, n_iter={settings.budget}, cv=cv,",
                 f'                            scoring="{spec.score_name}", random_state={settings.seed})']
    lines = [f"from {m} import {', '.join(sorted(items))}" for m, items in sorted(imports.items())]
    lines += ["", f"X, y = {spec.dataset}(return_X_y=True)"]
    if spec.subsample:
        lines.append(f"X, _, y, _ = train_test_split(X, y, train_size={spec.subsample}, stratify=y, random_state=0)")
    lines += [f"{n} = {_py(start[n])}  # a starting value; the search replaces it" for n in names]
    lines += [
        f"model = {spec.estimator_code}",
        f"cv = StratifiedKFold(n_splits={spec.n_folds}, shuffle=True, random_state=0)  # the folds hpedu uses",
        *body,
        "search.fit(X, y)",
        "print(search.best_params_, search.best_score_)",
    ]
    return "\n".join(lines) + "\n"


def _model_space(spec: Any) -> Any:
    from ..tuning.space import Space

    return Space(spec.space)


def _param_key(code: str, name: str) -> str:
    """The `set_params` name of `name` in `code`: `step__name` inside make_pipeline."""
    import re

    if not code.startswith("make_pipeline("):
        return name
    for m in re.finditer(r"(\w+)\(", code):
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        inner = code[m.end():j]
        if m.group(1) != "make_pipeline" and re.search(rf"\b{re.escape(name)}\s*=", inner):
            return f"{m.group(1).lower()}__{name}"
    return name

"""Looking inside Bayesian optimization and TPE: what the views draw.

Every curve comes from the strategy that proposes the next trial (`peek.source`,
a private copy in the state in which it chose the point) and the marker sits
at that proposal, so the point marked "next" is the trial that follows. The
drawn curve or map is only a slice of the space on a grid; where its
brightest spot is not the proposal the note says why (the optimiser searches
the whole space, a point is never tried twice, TPE samples candidates).
Slices pass through the next point (before the model picks and after the run,
through the best trial so far).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .narration import said_min_distance, said_no_repeat
from .settings import ACQ_LABELS, fmt

if TYPE_CHECKING:
    from .session import PeekView, Simulation

__all__ = [
    "InsideView", "HeatView", "Views", "compute_views", "inside_1d", "inside_2d", "coord", "coords",
    "important_dimension", "distinct_values",
]


@dataclass
class InsideView:
    """A 1-D look inside: the model over x, and the next trial."""

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
    next_why: str = ""  # a few words for the legend: how the next point was chosen


@dataclass
class HeatView:
    """A 2-D look inside: a surface over two parameters (acquisition, or TPE's log l/g)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray  # (ny, nx)
    label: str
    next_point: tuple[float, float] | None
    note: str
    #: the other parameters, held where the slice is taken
    fixed: dict[str, Any] = field(default_factory=dict)
    next_params: dict[str, Any] | None = None


def coord(dim: Any, value: Any) -> float:
    """A plot coordinate: the value, or a categorical's index."""
    from ..tuning.space import Categorical

    if isinstance(dim, Categorical):
        return float(list(dim.choices).index(value))
    return float(value)


def coords(space: Any, trials: list, name: str) -> np.ndarray:
    return np.array([coord(space[name], t.params[name]) for t in trials], dtype=float)


def _acq_label(s: Any) -> str:
    kind = s.opts["acq"]
    return ACQ_LABELS.get(kind, kind) + (f" κ={fmt(s.opts['kappa'])}" if kind == "ucb" else "")


def _base_unit(sim: "Simulation", nxt: "PeekView | None") -> np.ndarray:
    if nxt is not None:
        return np.asarray(nxt.unit, dtype=float)
    space, best = sim.objective.space, sim.trace.best
    if best is None:
        return np.full(len(space), 0.5)
    return np.asarray(space.to_unit(best.params), dtype=float)


def _before_model_note(sim: "Simulation") -> str:
    s, method = sim.strategy, sim.settings.method
    if method == "bayes":
        left = s.n_initial - len(s.trials)
        return f"initial design: ✚ is quasi-random; the model picks after {left} more"
    left = s.opts["n_startup"] - s.n_told
    return f"start-up: ✚ is random; the densities pick after {left} more"


def _tried(sim: "Simulation", params: dict[str, Any]) -> bool:
    key = tuple(repr(params[n]) for n in sim.names)
    return any(tuple(repr(t.params[n]) for n in sim.names) == key for t in sim.trace.trials)


def _why_not_peak(sim: "Simulation", nxt: "PeekView", peak_unit: np.ndarray, z_peak: float, z_next: float,
                  cells: int) -> str:
    """Why the proposal is not the brightest drawn point, in a few words that
    fit one line of the note ("" when it is that point)."""
    if np.max(np.abs(np.asarray(peak_unit) - nxt.unit)) <= 1.0 / max(cells - 1, 1) + 1e-12:
        return ""
    if sim.settings.method == "tpe":
        m = nxt.source.opts["n_candidates"]
        return f"TPE keeps the best l/g of {m} points drawn from l(x), not the peak"
    peak_params = sim.objective.space.from_unit(np.clip(peak_unit, 0.0, 1.0))
    tol = 1e-6 * max(abs(z_peak), abs(z_next), 1e-300)
    if z_next >= z_peak - tol:
        return "✚ scores as high: the optimiser searches between the drawn cells"
    if said_min_distance(nxt.reason):
        return "the brightest spot is closer than min_distance to a trial"
    if said_no_repeat(nxt.reason) or _tried(sim, peak_params):
        return "the brightest spot was already tried, and no point is tried twice"
    return "the optimiser settled on a lower peak than the brightest drawn spot"


def inside_1d(sim: "Simulation", axis: str | None = None, size: int = 400) -> InsideView | None:
    """The model over one parameter, through the next point (see the module docstring);
    `size` points, as many as a wide plot has braille dots across (a few ms)."""
    with sim.lock:
        if not sim.has_inside or not sim.trace.trials:
            return None
        space = sim.objective.space
        axis = axis or sim.names[0]
        j = sim.names.index(axis)
        dim = space[axis]
        nxt = sim.peek()
        source = nxt.source if nxt is not None else sim.strategy
        u = np.linspace(0.0, 1.0, size)
        U = np.repeat(_base_unit(sim, nxt)[None, :], size, axis=0)
        U[:, j] = u
        xs = np.array([coord(dim, dim.from_unit(v)) for v in u])
        obs_x = coords(space, sim.trace.trials, axis)
        obs_y = sim.trace.values
        log_x = bool(getattr(dim, "log", False))
        next_x = coord(dim, nxt.params[axis]) if nxt is not None else None
        bayes = sim.settings.method == "bayes"
        if bayes:
            mu, sd = source.posterior(U)
            z = source.acquisition(U)
            if sim.objective.direction == "maximize":
                mu = -mu
            label = _acq_label(source)
        else:
            good, bad = source.densities(U)
            z = good / np.maximum(bad, 1e-300)
            label = "l/g"
        if nxt is None:
            note, why = "the run is over: the model after the last trial", ""
        elif not nxt.from_model:
            note, why = _before_model_note(sim), "initial design" if bayes else "random start-up"
        else:
            k = int(np.argmax(z))
            at = nxt.unit[None, :]
            if bayes:
                z_next = float(source.acquisition(at)[0])
            else:
                g, b = source.densities(at)
                z_next = float(g[0] / max(float(b[0]), 1e-300))
            note = _why_not_peak(sim, nxt, U[k], float(z[k]), z_next, size)
            why = (f"where {label.split()[0]} is highest" if bayes else "highest l(x)/g(x) among the candidates") \
                if not note else "the next trial (see the note)"
        if bayes:
            return InsideView(xs, mu, sd, z, obs_x, obs_y, next_x, log_x, axis, label, note, next_why=why)
        return InsideView(xs, None, None, z, obs_x, obs_y, next_x, log_x, axis, label, note, good, bad, next_why=why)


def inside_2d(sim: "Simulation", x_name: str, y_name: str, size: int = 48) -> HeatView | None:
    """Acquisition (bayes) or log l/g (TPE) over two parameters, the others
    held at the next point (see the module docstring)."""
    with sim.lock:
        if not sim.has_inside or not sim.trace.trials:
            return None
        space = sim.objective.space
        jx, jy = sim.names.index(x_name), sim.names.index(y_name)
        nxt = sim.peek()
        source = nxt.source if nxt is not None else sim.strategy
        base = _base_unit(sim, nxt)
        u = np.linspace(0.0, 1.0, size)
        gx, gy = np.meshgrid(u, u)  # (ny, nx)
        U = np.repeat(base[None, :], gx.size, axis=0)
        U[:, jx], U[:, jy] = gx.ravel(), gy.ravel()
        xs = np.array([coord(space[x_name], space[x_name].from_unit(v)) for v in u])
        ys = np.array([coord(space[y_name], space[y_name].from_unit(v)) for v in u])
        at = base[None, :]
        if sim.settings.method == "bayes":
            z = source.acquisition(U)
            label = _acq_label(source)
            z_next = float(source.acquisition(at)[0]) if nxt is not None else 0.0
        else:
            good, bad = source.densities(U)
            z = np.log(np.maximum(good, 1e-300)) - np.log(np.maximum(bad, 1e-300))
            label = "log l/g"
            if nxt is not None:
                g, b = source.densities(at)
                z_next = float(np.log(max(float(g[0]), 1e-300)) - np.log(max(float(b[0]), 1e-300)))
        others = [n for n in sim.names if n not in (x_name, y_name)]
        best = sim.trace.best
        base_params = dict(nxt.params) if nxt is not None else (
            dict(best.params) if best is not None else space.from_unit(base))
        fixed = {n: base_params[n] for n in others}
        next_point = None
        if nxt is None:
            note = "the run is over: the model after the last trial"
        else:
            next_point = (coord(space[x_name], nxt.params[x_name]), coord(space[y_name], nxt.params[y_name]))
            if not nxt.from_model:
                note = _before_model_note(sim)
            else:
                k = int(np.argmax(z))
                note = _why_not_peak(sim, nxt, U[k], float(z[k]), z_next, size)
        if fixed:
            where = ", ".join(f"{n}={fmt(v)}" for n, v in fixed.items())
            through = "✚" if nxt is not None else "the best trial"
            note = (f"{note} · " if note else "") + f"slice through {through}: {where}"
        return HeatView(xs, ys, z.reshape(size, size), label, next_point, note, fixed,
                        dict(nxt.params) if nxt is not None else None)


# ----- grid vs random --------------------------------------------------------------
#: the dimension that matters, for objectives built to show it
_IMPORTANT = {"low-effective-dim": "x"}


def important_dimension(objective: str) -> str | None:
    """The parameter that matters, for objectives built to make that point."""
    return _IMPORTANT.get(objective)


def distinct_values(trials: list, name: str) -> int:
    from ..tuning.trace import plain

    return len({repr(plain(t.params[name])) for t in trials})


def bracket_state(sim: "Simulation") -> Any:
    """Hyperband's brackets after the trials told so far (see simulation/brackets.py)."""
    from .brackets import brackets_view

    best = sim.trace.best
    return brackets_view(sim.strategy, list(sim.trace.trials), sim.objective.direction,
                         None if best is None else best.index, sim.objective.score_name)


# ----- what a worker computes for the screen after a step ----------------------------------
@dataclass
class Views:
    """The look inside and, for more than two parameters, a new landscape slice."""

    inside: InsideView | None = None
    heat: HeatView | None = None
    landscape: Any = None  # a new slice through an objective with more than two parameters
    n_done: int = 0  # the trials told when these were computed
    error: str = ""  # the look inside failed (the run goes on)
    brackets: Any = None  # hyperband: its brackets, rungs and promotions (simulation/brackets.py)
    hypergrad: Any = None  # hypergradient: curve, steps and slope (simulation/hypergrad.py)


def compute_views(sim: "Simulation", inside: bool) -> Views:
    """What to draw for the simulation's current state (called in a worker thread)."""
    views = Views(n_done=sim.n_done)
    names = sim.names
    if sim.settings.method == "hyperband":
        views.brackets = bracket_state(sim)
    try:
        if sim.settings.method == "hypergradient":
            from .hypergrad import hypergrad_state

            views.hypergrad = hypergrad_state(sim)
        if sim.has_inside and inside:
            if len(names) == 1:
                views.inside = inside_1d(sim)
            else:
                views.heat = inside_2d(sim, names[0], names[1])
        if len(names) > 2 and sim.objective.fn_batch is not None:
            from ..tuning.landscape import evaluate_landscape

            views.landscape = evaluate_landscape(sim.objective, names[0], names[1], fixed=sim.slice_point())
    except Exception as exc:  # the look inside failed; the run itself goes on
        views.error = f"the look inside failed: {type(exc).__name__}: {exc}"
    return views

"""Comparing methods over many seeds: `compare()` and its step-by-step twin `iter_compare()`.

Each (method, seed) pair is an independent, seeded run, so the results are
identical whether the runs happen one after another or in parallel processes
(`n_jobs != 1`, a process pool).

Stopping is real: `iter_compare(..., stop=callable)` asks `stop()` between
trials (in this process) or a few times a second (with a pool) and, when it
says yes, ends without another step; closing the iterator early, an
exception such as KeyboardInterrupt, or `stop` all cancel the runs not
started and shut the pool down with its worker processes killed.

Per method and per step: the median and the quartiles (25th and 75th
percentiles, numpy's default linear interpolation) of best-so-far over seeds.
A method that stops before its budget (a grid smaller than the budget) keeps
its last best for the remaining steps. Per seed, the method(s) with the best
final value win; a tie (values within 1e-9, relative) shares the win, so each
of k tied methods gets 1/k, and `ties` counts the seeds where a method tied.

Budget. By default `budget` is trials per run for every method, whatever
resource a trial used (halving and hyperband train many trials on part of the
data). Each method's `resource` is what its runs really spent: the sum of
their trials' resource fractions, in full trainings. With
`equal_resource=True`, `budget` is instead that total resource per run:
methods without a resource get `budget` trials, and a method with one
(halving, hyperband) gets the largest trial budget from 1 to MAX_BUDGET whose
plan spends at most `budget` full trainings (`trials_for_resource`), so every
method trains at most `budget` models' worth. The curves then run over the
largest trial budget, and a method with fewer trials carries its last best.
For hyperband, `best_brackets` says in which bracket each seed's best trial
was found.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from .runner import (MAX_BUDGET, MAX_SEEDS, check_count, check_jobs, parse_objective_options, prepare,
                     resolve_objective)
from .resources import trials_for_resource
from .trace import Trace, plain

if TYPE_CHECKING:
    from .objectives.base import Objective

__all__ = ["MethodResult", "Comparison", "CompareProgress", "compare", "iter_compare"]

TIE_RTOL = 1e-9


@dataclass
class MethodResult:
    """One method's runs over all seeds and their statistics."""

    method: str
    traces: list[Trace]
    best_so_far: np.ndarray  # (n_seeds, budget)
    median: np.ndarray  # (budget,)
    q25: np.ndarray
    q75: np.ndarray
    final: np.ndarray  # (n_seeds,) final best value of each seed
    final_regret: np.ndarray | None  # (n_seeds,) or None when the optimum is unknown
    wins: float = 0.0
    ties: int = 0
    trial_budget: int = 0  # the trial budget each run was given (a run may stop before it)

    @property
    def resource(self) -> np.ndarray:
        """(n_seeds,) resource each run spent: the sum of its trials' resource fractions (full trainings)."""
        return np.array([float(np.sum(t.resources)) for t in self.traces], dtype=float)

    @property
    def best_brackets(self) -> list[int | None] | None:
        """Per seed, the s of the Hyperband bracket where the run's best trial
        was found (None for a seed without a fully trained trial); None for a
        method without brackets."""
        if not self.traces or not any(hasattr(t, "bracket") for tr in self.traces for t in tr.trials):
            return None
        from .hyperband import bracket_of

        out: list[int | None] = []
        for trace in self.traces:
            best = trace.best
            out.append(None if best is None else bracket_of(trace, best).s)
        return out

    @property
    def median_final(self) -> float:
        return float(self.median[-1]) if self.median.size else math.nan

    @property
    def q25_final(self) -> float:
        return float(self.q25[-1]) if self.q25.size else math.nan

    @property
    def q75_final(self) -> float:
        return float(self.q75[-1]) if self.q75.size else math.nan

    def ranked(self, direction: str) -> list[int]:
        """Positions of the seeds (into `traces` / `final`), best final value
        first; a seed that never finished a full trial comes last; equal
        values keep seed order."""
        sign = 1.0 if direction == "minimize" else -1.0
        keys = [math.inf if math.isnan(v) else sign * float(v) for v in self.final]
        return sorted(range(len(keys)), key=lambda i: (keys[i], i))

    def median_position(self, direction: str) -> int:
        """The position of the median seed: the run whose final value is the
        median (with an even number of seeds, the better of the two middle
        runs, whose value is the one closest to the median's)."""
        order = self.ranked(direction)
        return order[(len(order) - 1) // 2]

    @property
    def median_regret(self) -> float | None:
        if self.final_regret is None:
            return None
        return float(_nanquantiles(self.final_regret[:, None])[0][0])

    @property
    def regret_quartiles(self) -> tuple[float, float] | None:
        if self.final_regret is None:
            return None
        _, lo, hi = _nanquantiles(self.final_regret[:, None])
        return float(lo[0]), float(hi[0])


@dataclass
class Comparison:
    """Several methods on one objective, each over the same seeds."""

    objective: str | None
    budget: int
    seeds: list[int]
    direction: str
    score_name: str
    optimum: float | None
    methods: dict[str, MethodResult] = field(default_factory=dict)
    objective_options: dict[str, Any] = field(default_factory=dict)
    #: the class code the seeds were derived from (hpedu.classroom.run_seeds), None without one
    class_code: str | None = None
    #: True when `budget` is total resource per run (full trainings), not trials (see the module doc)
    equal_resource: bool = False

    def to_dict(self, traces: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "objective": self.objective,
            "budget": self.budget,
            "equal_resource": self.equal_resource,
            "seeds": list(self.seeds),
            "class_code": self.class_code,
            "direction": self.direction,
            "score_name": self.score_name,
            "optimum": self.optimum,
            "objective_options": {k: plain(v) for k, v in self.objective_options.items()},
            "methods": {},
        }
        for name, r in self.methods.items():
            quart = r.regret_quartiles
            entry = {
                "options": dict(r.traces[0].options) if r.traces else {},
                "median": _list(r.median),
                "q25": _list(r.q25),
                "q75": _list(r.q75),
                "final": _list(r.final),
                "median_final": _num(r.median_final),
                "q25_final": _num(r.q25_final),
                "q75_final": _num(r.q75_final),
                "final_regret": None if r.final_regret is None else _list(r.final_regret),
                "median_regret": None if r.median_regret is None else _num(r.median_regret),
                "regret_q25": None if quart is None else _num(quart[0]),
                "regret_q75": None if quart is None else _num(quart[1]),
                "wins": r.wins,
                "ties": r.ties,
                "trial_budget": r.trial_budget,
                "resource": _list(r.resource),
                "best_brackets": r.best_brackets,
            }
            if traces:
                entry["traces"] = [t.to_dict() for t in r.traces]
            out["methods"][name] = entry
        return out

    def to_json(self, indent: int | None = 2, traces: bool = True) -> str:
        return json.dumps(self.to_dict(traces=traces), indent=indent)


@dataclass(frozen=True)
class CompareProgress:
    """Yielded by `iter_compare` after each finished (method, seed) run; the
    last one carries the full `comparison`."""

    done: int
    total: int
    method: str
    seed: int
    trace: Trace
    comparison: Comparison | None = None


def _nanquantiles(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise median, 25th and 75th percentiles ignoring NaN (NaN where a column is all NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanpercentile(matrix, [50, 25, 75], axis=0) if matrix.size else np.full((3, matrix.shape[1]), np.nan)
    return q[0], q[1], q[2]


def _padded(trace: Trace, budget: int) -> np.ndarray:
    """best_so_far over exactly `budget` steps (the last value carried forward)."""
    b = trace.best_so_far[:budget]
    out = np.full(budget, np.nan)
    out[: b.size] = b
    if 0 < b.size < budget:
        out[b.size :] = b[-1]
    return out


def summarize(
    traces: Mapping[str, Sequence[Trace]],
    budget: int,
    seeds: Sequence[int],
    objective: Objective,
    name: str | None,
    trials: Mapping[str, int] | None = None,
    equal_resource: bool = False,
) -> Comparison:
    """Statistics and wins for finished runs (one trace per seed per method).
    `trials` gives each method's trial budget when it is not `budget`
    (equal resource); the curves run over the largest."""
    trials = {m: (trials or {}).get(m, budget) for m in traces}
    steps = max(trials.values(), default=budget)
    comp = Comparison(
        objective=name, budget=budget, seeds=list(seeds), direction=objective.direction,
        score_name=objective.score_name, optimum=objective.optimum,
        objective_options=dict(objective.options) if name else {}, equal_resource=equal_resource,
    )
    for method, runs in traces.items():
        curves = np.array([_padded(t, steps) for t in runs]).reshape(len(runs), steps)
        median, q25, q75 = _nanquantiles(curves)
        final = curves[:, -1].copy()
        regret = None
        if objective.optimum is not None:
            gap = final - objective.optimum if objective.direction == "minimize" else objective.optimum - final
            regret = np.maximum(gap, 0.0)
        comp.methods[method] = MethodResult(method, list(runs), curves, median, q25, q75, final, regret,
                                            trial_budget=trials[method])
    _count_wins(comp)
    return comp


def _count_wins(comp: Comparison) -> None:
    results = list(comp.methods.values())
    sign = 1.0 if comp.direction == "minimize" else -1.0
    for j in range(len(comp.seeds)):
        losses = [sign * r.final[j] for r in results]
        losses = [math.inf if math.isnan(v) else v for v in losses]
        best = min(losses)
        if math.isinf(best) and best > 0:
            continue  # nobody finished a full trial on this seed
        tol = TIE_RTOL * max(1.0, abs(best))
        winners = [r for r, v in zip(results, losses) if v <= best + tol]
        for r in winners:
            r.wins += 1.0 / len(winners)
            if len(winners) > 1:
                r.ties += 1


def _seed_list(seeds: int | Sequence[int]) -> list[int]:
    """A count K (at most MAX_SEEDS) becomes seeds 0..K-1; a list must hold
    1 to MAX_SEEDS distinct whole numbers >= 0."""
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        return list(range(check_count("seeds", int(seeds), MAX_SEEDS)))
    bad = ValueError(f"seeds must be a count from 1 to {MAX_SEEDS} or a list of 1 to {MAX_SEEDS} distinct whole "
                     f"numbers >= 0, got {seeds!r}")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or not seeds or len(seeds) > MAX_SEEDS:
        raise bad
    if any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0 for s in seeds):
        raise bad
    out = [int(s) for s in seeds]
    if len(set(out)) != len(out):
        raise bad
    return out


def _method_list(methods: str | Sequence[str]) -> list[str]:
    names = [m.strip() for m in methods.split(",")] if isinstance(methods, str) else list(methods)
    if not names or any(not isinstance(m, str) or not m for m in names):
        raise ValueError(f"methods must be a non-empty list of method names, got {methods!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"methods: each method may appear once, got {names}")
    return names


def _run_one(spec: Any, method: str, budget: int, seed: int, options: dict[str, Any],
             stop: Callable[[], bool] | None = None) -> Trace | None:
    """One seeded run, or None when `stop()` said so between two trials;
    top-level so a worker process can run it."""
    if isinstance(spec, tuple):  # (registered name, objective options): rebuilt in the worker
        name, objective_options = spec
        run = prepare(name, None, method, budget, seed, objective_options=objective_options, **options)
    else:
        run = prepare(spec, None, method, budget, seed, **options)
    for _ in run.steps():
        if stop is not None and stop():
            return None
    return run.trace


def _quiet_worker() -> None:
    """Pool worker set-up: Ctrl-C goes to the main process, which stops the
    pool; a worker that also took it would print a traceback of its own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def iter_compare(
    objective: "str | Objective",
    methods: str | Sequence[str],
    budget: int,
    seeds: int | Sequence[int],
    n_jobs: int = 1,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    objective_options: Mapping[str, Any] | None = None,
    stop: Callable[[], bool] | None = None,
    equal_resource: bool = False,
) -> Iterator[CompareProgress]:
    """Like `compare`, but yields a `CompareProgress` after each (method, seed)
    run, in order, so a caller can show progress or stop early. Everything is
    checked before the first run (and before the first `next`).

    `stop`, if given, is asked between trials (another thread may flip it):
    once it returns True the iterator ends without finishing the current run.
    Limits: budget 1..MAX_BUDGET, 1..MAX_SEEDS seeds, n_jobs 1..cores or -1.
    With `equal_resource`, `budget` is total resource per run (see the module doc)."""
    names = _method_list(methods)
    check_count("budget", budget, MAX_BUDGET)
    seed_list = _seed_list(seeds)
    jobs = check_jobs(n_jobs)
    obj, name = resolve_objective(objective, objective_options=objective_options)
    options = {k: dict(v) for k, v in (options or {}).items()}
    extra = [k for k in options if k not in names]
    if extra:
        raise ValueError(f"options given for {', '.join(extra)}, which is not among the methods compared: {', '.join(names)}")
    if not isinstance(equal_resource, bool):
        raise ValueError(f"equal_resource must be True or False, got {equal_resource!r}")
    budgets = {m: budget for m in names}
    for method in names:  # builds each strategy once: checks names, options and resource needs
        run = prepare(obj, None, method, budget, seed_list[0], **options.get(method, {}))
        if equal_resource and run.strategy.uses_resource:
            budgets[method] = trials_for_resource(method, budget, obj.space, run.strategy.opts)
    spec: Any = (name, parse_objective_options(name, objective_options)) if isinstance(objective, str) else obj
    tasks = [(m, s) for m in names for s in seed_list]
    if jobs == 1 or len(tasks) == 1:
        runs = _in_process(spec, tasks, budgets, options, stop)
    else:
        runs = _in_pool(spec, tasks, budgets, options, stop, min(jobs, len(tasks)))
    return _summarized(runs, obj, name, names, budget, seed_list, len(tasks), budgets, equal_resource)



def _in_process(spec, tasks, budgets, options, stop) -> Iterator[Trace]:
    for m, s in tasks:
        trace = _run_one(spec, m, budgets[m], s, options.get(m, {}), stop)
        if trace is None:
            return
        yield trace
        if stop is not None and stop():
            return


def _run_shipped(spec_bytes: bytes, method: str, budget: int, seed: int, options: dict[str, Any]) -> Trace:
    """`_run_one` in a worker process; the objective comes pickled by cloudpickle (a user's lambda travels too)."""
    import pickle

    trace = _run_one(pickle.loads(spec_bytes), method, budget, seed, options)
    assert trace is not None
    return trace


def _in_pool(spec, tasks, budgets, options, stop, workers: int) -> Iterator[Trace]:
    """The runs' traces in order, computed by `workers` processes. However it
    ends (done, `stop`, closed early, an exception such as KeyboardInterrupt),
    the runs not started are dropped and the worker processes terminated
    (`multiprocessing.Pool.terminate`) before this returns."""
    import multiprocessing

    try:
        import cloudpickle as pickler  # joblib's own dependency: pickles a user's lambda objective too
    except ImportError:  # pragma: no cover
        import pickle as pickler

    shipped = pickler.dumps(spec)
    # The platform's default start method (fork on Linux: a script without a __main__ guard still works;
    # the app runs its comparisons in one process, so no thread is forked from).
    pool = multiprocessing.get_context().Pool(workers, initializer=_quiet_worker)
    try:
        pending = [pool.apply_async(_run_shipped, (shipped, m, budgets[m], s, options.get(m, {}))) for m, s in tasks]
        for result in pending:
            while True:
                if stop is not None and stop():
                    return
                try:
                    trace = result.get(timeout=0.1)
                    break
                except multiprocessing.TimeoutError:
                    continue
            yield trace
    finally:
        pool.terminate()
        pool.join()


def _summarized(runs: Iterator[Trace], obj, name, names, budget, seed_list, total, budgets,
                equal_resource) -> Iterator[CompareProgress]:
    tasks = [(m, s) for m in names for s in seed_list]
    traces: dict[str, list[Trace]] = {m: [] for m in names}
    try:
        for done, ((m, s), trace) in enumerate(zip(tasks, runs), start=1):
            traces[m].append(trace)
            comp = summarize(traces, budget, seed_list, obj, name, budgets, equal_resource) if done == total else None
            yield CompareProgress(done, total, m, s, trace, comp)
    finally:  # stopping early cancels the runs not started yet (and stops a pool)
        close = getattr(runs, "close", None)
        if close is not None:
            close()


def compare(
    objective: "str | Objective",
    methods: str | Sequence[str],
    budget: int,
    seeds: int | Sequence[int],
    n_jobs: int = 1,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    objective_options: Mapping[str, Any] | None = None,
    class_code: str | None = None,
    equal_resource: bool = False,
) -> Comparison:
    """Run each method once per seed on `objective` and compare them.

    `seeds` is a count K (seeds 0..K-1) or a list of seeds; `options` maps a
    method name to its options; `n_jobs` > 1 runs seeds in parallel processes
    with the same results; `class_code` is only recorded (the seeds come
    derived already, from hpedu.classroom.run_seeds); with `equal_resource`,
    `budget` is total resource per run, not trials (see the module doc)."""
    last = None
    for last in iter_compare(objective, methods, budget, seeds, n_jobs, options, objective_options,
                             equal_resource=equal_resource):
        pass
    assert last is not None and last.comparison is not None
    last.comparison.class_code = class_code or None
    return last.comparison


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _list(a: np.ndarray) -> list[float | None]:
    return [_num(float(x)) for x in a]

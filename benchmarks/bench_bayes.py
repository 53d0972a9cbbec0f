"""Sample efficiency and speed of hpedu's Bayesian optimisation against its peers.

Runs hpedu's `bayes` and `tpe` (when importable), scikit-optimize's
`gp_minimize`, Optuna's TPE and GP samplers and random search (in one
process, or over the seeds in --jobs worker processes) on branin, six-hump
camel, hartmann3, hartmann6, rosenbrock-2d, ackley-2d, styblinski-tang4 and
SVC-on-digits, and prints for each function
and method the median final regret with its quartiles over the seeds, a
bootstrap 90% interval of that median (with 10 seeds it is wide: report
more seeds before calling a difference), and the median overhead per trial
(wall time outside the objective, divided by the number of trials).

Regret: for the synthetic functions, best value found minus the known
optimum. For svc-digits the optimum is unknown: regret is the best
cross-validated accuracy found by ANY method and seed in this run minus the
best accuracy of the run (so 0 means "as good as the best anybody found").

The peers come from the optional `bench` extra (``pip install -e '.[bench]'``;
Optuna's GP sampler also needs PyTorch). Missing peers are skipped with a
note. BLAS, OpenMP and PyTorch are limited to one thread so that the timings
are not distorted by thread oversubscription on a small machine; set
HPEDU_BENCH_THREADS to change that. Run by hand, never in CI:

    python benchmarks/bench_bayes.py                       # everything, about 15 min
    python benchmarks/bench_bayes.py --functions branin --methods bayes,optuna-gp --seeds 3
    python benchmarks/bench_bayes.py --functions hartmann6 --seeds 100 --first-seed 100 --jobs 2
    python benchmarks/bench_bayes.py --methods skopt-gp --seeds 30 --json peers.json   # then:
    python benchmarks/bench_bayes.py --report peers.json bayes.json                     # one set of tables
"""

from __future__ import annotations

import os

_THREADS = os.environ.get("HPEDU_BENCH_THREADS", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, _THREADS)

from hpedu.arithmetic import pin_arithmetic  # noqa: E402

pin_arithmetic()  # the kernels `hpedu` uses (hpedu/arithmetic.py); the workers inherit them

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402

from hpedu.tuning.space import Categorical, Integer, Real, Space  # noqa: E402

FUNCTIONS = ("branin", "six-hump-camel", "hartmann3", "hartmann6", "rosenbrock-2d", "ackley-2d", "styblinski-tang4",
             "svc-digits")
METHODS = ("bayes", "tpe", "skopt-gp", "optuna-gp", "optuna-tpe", "random")


# ----- objectives ------------------------------------------------------------------
@dataclass
class Problem:
    """What the benchmark needs of an objective: a space, a loss and its optimum."""

    name: str
    space: Space
    loss: Callable[[dict[str, Any]], float]  # lower is better
    optimum: float | None  # optimal loss, None if unknown


def _hartmann(d: int) -> tuple[Callable[[dict[str, Any]], float], float]:
    alpha = np.array([1.0, 1.2, 3.0, 3.2])
    if d == 3:
        A = np.array([[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]], dtype=float)
        P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
        opt = -3.86278214782076
    else:
        A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                      [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]], dtype=float)
        P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                             [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
        opt = -3.32236801141551

    def f(p: dict[str, Any]) -> float:
        x = np.array([p[f"x{i + 1}"] for i in range(d)], dtype=float)
        return float(-np.sum(alpha * np.exp(-np.sum(A * (x - P) ** 2, axis=1))))

    return f, opt


def _local_problem(name: str) -> Problem:
    """Inline definitions, used while hpedu.tuning.objectives is unavailable."""
    if name == "branin":
        def branin(p: dict[str, Any]) -> float:
            x1, x2 = p["x1"], p["x2"]
            b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
            return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10
        return Problem(name, Space({"x1": Real(-5, 10), "x2": Real(0, 15)}), branin, 0.397887357729738)
    if name == "six-hump-camel":
        def camel(p: dict[str, Any]) -> float:
            x, y = p["x1"], p["x2"]
            return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
        return Problem(name, Space({"x1": Real(-3, 3), "x2": Real(-2, 2)}), camel, -1.031628453489877)
    if name in ("hartmann3", "hartmann6"):
        d = int(name[-1])
        f, opt = _hartmann(d)
        return Problem(name, Space({f"x{i + 1}": Real(0, 1) for i in range(d)}), f, opt)
    if name == "svc-digits":
        from sklearn.datasets import load_digits
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC

        X, y = load_digits(return_X_y=True)
        X = X / 16.0

        def svc(p: dict[str, Any]) -> float:
            return -float(cross_val_score(SVC(C=p["C"], gamma=p["gamma"]), X, y, cv=3).mean())
        space = Space({"C": Real(1e-3, 1e3, log=True), "gamma": Real(1e-5, 1e1, log=True)})
        return Problem(name, space, svc, None)
    raise ValueError(f"unknown function {name!r}; choose from {', '.join(FUNCTIONS)}")


def get_problem(name: str) -> tuple[Problem, str]:
    """The shared objective from hpedu.tuning.objectives if it exists, else the inline one."""
    try:
        from hpedu.tuning.objectives import get_objective
    except ImportError:
        return _local_problem(name), "inline"
    obj = get_objective(name)
    optimum = None if obj.optimum is None else obj.loss(obj.optimum)
    return Problem(name, obj.space, lambda p: obj.loss(obj(p)), optimum), "hpedu.tuning.objectives"


class Counted:
    """Wraps a loss: times every call, caches repeated points (for slow models)."""

    def __init__(self, loss: Callable[[dict[str, Any]], float], cache: dict | None = None):
        self.loss, self.cache = loss, cache
        self.seconds, self.values = 0.0, []

    def __call__(self, params: dict[str, Any]) -> float:
        t0 = time.perf_counter()
        key = tuple(sorted((k, repr(v)) for k, v in params.items()))
        if self.cache is not None and key in self.cache:
            v = self.cache[key]
        else:
            v = float(self.loss(params))
            if self.cache is not None:
                self.cache[key] = v
        self.seconds += time.perf_counter() - t0
        self.values.append(v)
        return v


# ----- methods ----------------------------------------------------------------------
#: options given to hpedu's bayes (--bayes-option); the method is then reported as "bayes key=value ..."
BAYES_OPTIONS: dict[str, str] = {}


def _run_hpedu(cls: type, problem: Problem, f: Counted, budget: int, seed: int, **options: Any) -> None:
    strategy = cls(problem.space, budget=budget, seed=seed, **options)
    while not strategy.finished:
        params = strategy.ask()
        strategy.tell(params, f(params))


def _hpedu_class(method: str) -> type | None:
    try:
        if method == "bayes":
            from hpedu.tuning.bayes import BayesianSearch
            return BayesianSearch
        if method == "tpe":
            from hpedu.tuning.tpe import TPESearch
            return TPESearch
        if method == "random":
            from hpedu.tuning.random import RandomSearch
            return RandomSearch
    except ImportError:
        return None
    return None


def _run_random(problem: Problem, f: Counted, budget: int, seed: int) -> None:
    cls = _hpedu_class("random")
    if cls is not None:
        return _run_hpedu(cls, problem, f, budget, seed)
    rng = np.random.default_rng(seed)
    for _ in range(budget):
        f(problem.space.sample(rng))


def _skopt_dims(space: Space) -> list:
    from skopt.space import Categorical as SCat, Integer as SInt, Real as SReal

    out = []
    for name, dim in space.items():
        if isinstance(dim, Categorical):
            out.append(SCat(list(dim.choices), name=name))
        elif isinstance(dim, Integer):
            out.append(SInt(dim.low, dim.high, prior="log-uniform" if dim.log else "uniform", name=name))
        else:
            out.append(SReal(dim.low, dim.high, prior="log-uniform" if dim.log else "uniform", name=name))
    return out


def _run_skopt(problem: Problem, f: Counted, budget: int, seed: int) -> None:
    if not hasattr(np, "int"):  # compatibility shim: old scikit-optimize code uses np.int
        np.int = int  # type: ignore[attr-defined]
    from skopt import gp_minimize

    names = problem.space.names

    def g(x: list) -> float:
        return f({n: (v.item() if hasattr(v, "item") else v) for n, v in zip(names, x)})

    gp_minimize(g, _skopt_dims(problem.space), n_calls=budget, random_state=seed)


def _run_optuna(kind: str, problem: Problem, f: Counted, budget: int, seed: int) -> None:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.GPSampler(seed=seed) if kind == "gp" else optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")

    def objective(trial: Any) -> float:
        params: dict[str, Any] = {}
        for name, dim in problem.space.items():
            if isinstance(dim, Categorical):
                params[name] = trial.suggest_categorical(name, list(dim.choices))
            elif isinstance(dim, Integer):
                params[name] = trial.suggest_int(name, dim.low, dim.high, log=dim.log)
            else:
                params[name] = trial.suggest_float(name, dim.low, dim.high, log=dim.log)
        return f(params)

    study.optimize(objective, n_trials=budget)


def available(method: str) -> str | None:
    """None if the method can run here, else why not."""
    try:
        if method in ("bayes", "tpe"):
            return None if _hpedu_class(method) else f"hpedu.tuning.{method} is not importable yet"
        if method == "skopt-gp":
            import skopt  # noqa: F401
        elif method.startswith("optuna"):
            import optuna  # noqa: F401
            if method == "optuna-gp":
                import torch  # noqa: F401
    except ImportError as exc:
        return f"not installed ({exc.name}); pip install -e '.[bench]'"
    return None


def run_one(method: str, problem: Problem, budget: int, seed: int, cache: dict | None) -> dict[str, Any]:
    f = Counted(problem.loss, cache)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "bayes":
            _run_hpedu(_hpedu_class(method), problem, f, budget, seed, **BAYES_OPTIONS)
        elif method == "tpe":
            _run_hpedu(_hpedu_class(method), problem, f, budget, seed)
        elif method == "random":
            _run_random(problem, f, budget, seed)
        elif method == "skopt-gp":
            _run_skopt(problem, f, budget, seed)
        else:
            _run_optuna(method.split("-")[1], problem, f, budget, seed)
    total = time.perf_counter() - t0
    return {"best": min(f.values), "n": len(f.values), "overhead": (total - f.seconds) / len(f.values)}


def _limit_torch_threads() -> None:
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(int(_THREADS))


def _new_cache(problem: Problem) -> dict | None:
    """A cache of evaluated points for slow objectives (those without a known optimum)."""
    return {} if problem.optimum is None else None


_WORKER: dict[str, tuple[Problem, dict | None]] = {}


def _run_in_worker(args: tuple[str, str, int, int, dict[str, str]]) -> dict[str, Any]:
    """run_one in a --jobs worker process: each worker builds its own problem
    (and, for svc-digits, its own cache of evaluated points)."""
    method, fname, budget, seed, bayes_options = args
    BAYES_OPTIONS.update(bayes_options)
    if fname not in _WORKER:
        problem, _ = get_problem(fname)
        _WORKER[fname] = (problem, _new_cache(problem))
    problem, cache = _WORKER[fname]
    return run_one(method, problem, budget, seed, cache)


def run_seeds(method: str, fname: str, problem: Problem, budget: int, seeds: range, cache: dict | None,
              jobs: int) -> list[dict[str, Any]]:
    """run_one for every seed, in this process or in `jobs` worker processes."""
    if jobs <= 1:
        return [run_one(method, problem, budget, seed, cache) for seed in seeds]
    from multiprocessing import get_context

    with get_context("spawn").Pool(jobs, initializer=_limit_torch_threads) as pool:
        return pool.map(_run_in_worker, [(method, fname, budget, seed, BAYES_OPTIONS) for seed in seeds], chunksize=1)


# ----- main -------------------------------------------------------------------------
def _quartiles(xs: list[float]) -> tuple[float, float, float]:
    q = np.percentile(xs, [25, 50, 75])
    return float(q[0]), float(q[1]), float(q[2])


def median_interval(xs: list[float], level: float = 0.9, resamples: int = 2000) -> tuple[float, float]:
    """Bootstrap interval of the median (percentile method, fixed seed): how
    far the median of this many seeds could move with other seeds."""
    x = np.asarray(xs, dtype=float)
    rng = np.random.default_rng(0)
    medians = np.median(x[rng.integers(0, len(x), size=(resamples, len(x)))], axis=1)
    lo, hi = np.percentile(medians, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=0, help="seeds are first-seed .. first-seed+seeds-1")
    ap.add_argument("--budget", type=int, default=30)
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes, each running whole seeds (default 1; overheads are then per process)")
    ap.add_argument("--json", metavar="PATH", help="also save every run's result as JSON")
    ap.add_argument("--bayes-option", metavar="KEY=VALUE", action="append", default=[],
                    help="an option of hpedu's bayes (repeatable), e.g. min_distance=0; reported as 'bayes KEY=VALUE'")
    ap.add_argument("--report", metavar="PATH", nargs="+",
                    help="run nothing: print the tables of results saved by --json (files merged in order)")
    args = ap.parse_args(argv)
    if args.report:
        return report(args.report)
    functions = [s.strip() for s in args.functions.split(",") if s.strip()]
    methods = [s.strip() for s in args.methods.split(",") if s.strip()]
    for name in functions:
        if name not in FUNCTIONS:
            ap.error(f"unknown function {name!r}; choose from {', '.join(FUNCTIONS)}")
    for m in methods:
        if m not in METHODS:
            ap.error(f"unknown method {m!r}; choose from {', '.join(METHODS)}")
    if args.seeds < 1 or args.budget < 1 or args.first_seed < 0 or args.jobs < 1:
        ap.error("--seeds, --budget and --jobs must be at least 1, --first-seed at least 0")
    for item in args.bayes_option:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--bayes-option wants KEY=VALUE, got {item!r}")
        try:
            from hpedu.tuning.bayes import BayesianSearch

            BayesianSearch.check_options({key.strip(): value.strip()})
        except ValueError as exc:
            ap.error(f"--bayes-option {item!r}: {exc}")
        BAYES_OPTIONS[key.strip()] = value.strip()
    _limit_torch_threads()
    runnable = []
    for m in methods:
        why = available(m)
        if why:
            print(f"# skipping {m}: {why}", file=sys.stderr)
        else:
            runnable.append(m)

    seeds = range(args.first_seed, args.first_seed + args.seeds)
    print(f"# budget {args.budget}, seeds {seeds.start}..{seeds.stop - 1}, threads {_THREADS}, jobs {args.jobs}; regret: median [q25, q75]")
    records: list[dict[str, Any]] = []
    for fname in functions:
        problem, source = get_problem(fname)
        cache = _new_cache(problem)
        for m in runnable:
            label = " ".join([m, *(f"{k}={v}" for k, v in BAYES_OPTIONS.items())]) if m == "bayes" else m
            for seed, r in zip(seeds, run_seeds(m, fname, problem, args.budget, seeds, cache, args.jobs)):
                records.append({"function": fname, "method": label, "seed": seed, "optimum": problem.optimum,
                                "source": source, **r})
            print(f"#   {fname} / {m} done", file=sys.stderr, flush=True)
            if args.json:  # saved after every method, so a long run loses little when stopped
                with open(args.json, "w") as fh:
                    json.dump(records, fh, indent=1)
        print_tables([r for r in records if r["function"] == fname])
    return 0


def print_tables(records: list[dict[str, Any]]) -> None:
    """One Markdown table per function: median regret, quartiles, 90% interval of the median, overhead."""
    for fname in dict.fromkeys(r["function"] for r in records):
        rows = [r for r in records if r["function"] == fname]
        reference = rows[0].get("optimum")
        if reference is None:  # svc-digits: the best loss any run found
            reference = min(r["best"] for r in rows)
        seeds = sorted({r["seed"] for r in rows})
        print(f"\n## {fname}  ({rows[0].get('source', '?')}; reference loss {reference:.6g}; "
              f"seeds {seeds[0]}..{seeds[-1]})")
        print("| method | seeds | median regret | q25 | q75 | median 90% CI | overhead ms/trial |")
        print("|---|---|---|---|---|---|---|")
        for m in dict.fromkeys(r["method"] for r in rows):
            rs = [r for r in rows if r["method"] == m]
            regrets = [max(0.0, r["best"] - reference) for r in rs]
            q25, med, q75 = _quartiles(regrets)
            over = statistics.median(r["overhead"] for r in rs) * 1000
            lo, hi = median_interval(regrets)
            print(f"| {m} | {len(rs)} | {med:.3g} | {q25:.3g} | {q75:.3g} | {lo:.3g}-{hi:.3g} | {over:.1f} |", flush=True)


def report(paths: list[str]) -> int:
    """Print the tables of runs saved by --json (several files are merged;
    a later file's runs replace an earlier one's for the same function, method and seed)."""
    merged: dict[tuple[str, str, int], dict[str, Any]] = {}
    for path in paths:
        with open(path) as fh:
            for r in json.load(fh):
                merged[(r["function"], r["method"], r["seed"])] = r
    order = {f: i for i, f in enumerate(FUNCTIONS)}
    print_tables(sorted(merged.values(), key=lambda r: (order.get(r["function"], 99), r["function"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())

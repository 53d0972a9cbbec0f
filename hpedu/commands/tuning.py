"""CLI: objectives, methods, simulate, compare.

Every handler checks its arguments completely (names, counts, options) before
running anything; a problem prints one line `hpedu CMD: error: ...` naming
the valid choices on stderr and returns exit code 2. `simulate` first builds a
checked `Run` (`_prepare_simulation`) and then hands it to an output function,
so other ways of showing a run (a live view) can plug in at that point.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any, Sequence

EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("objectives", help="list the functions and models to tune",
                       description="List the objectives: name and one-line description, then their options.")
    p.set_defaults(handler=cmd_objectives)

    p = sub.add_parser("methods", help="list the tuning methods and their options",
                       description="List the search methods: name and one-line description, then their options with defaults.")
    p.set_defaults(handler=cmd_methods)

    p = sub.add_parser("simulate", help="run one method on one objective and print its trials",
                       description="Run one tuning method on one objective and print every trial and the best result.")
    add_simulate_arguments(p)
    p.set_defaults(handler=cmd_simulate)

    p = sub.add_parser("compare", help="compare methods over several seeds",
                       description="Run several methods with several seeds on one objective and summarize them.")
    add_compare_arguments(p)
    p.set_defaults(handler=cmd_compare)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--objective", required=True, metavar="NAME", help="objective to tune (see 'hpedu objectives')")
    p.add_argument("--budget", type=int, default=30, metavar="N", help="trials per run (default 30)")
    p.add_argument("--objective-option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option of the objective (repeatable)")


def add_simulate_arguments(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--method", default="bayes", metavar="NAME", help="search method (see 'hpedu methods'; default bayes)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option of the method (repeatable)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the trace as JSON (see docs/simulate-json.md)")
    out.add_argument("--csv", action="store_true", help="print the trials as CSV")
    out.add_argument("--watch", action="store_true",
                     help="open the simulator in the terminal app with these settings and play the run to the end")


def add_compare_arguments(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--methods", default="grid,random,bayes", metavar="A,B,...",
                   help="comma-separated methods (default grid,random,bayes)")
    p.add_argument("--seeds", type=int, default=5, metavar="K", help="runs per method, seeds 0..K-1 (default 5)")
    p.add_argument("--jobs", type=int, default=1, metavar="J", help="parallel processes (default 1; -1 = all cores)")
    p.add_argument("--option", action="append", default=[], metavar="METHOD.KEY=VALUE",
                   help="an option of one method, e.g. bayes.acquisition=ucb (repeatable)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the statistics and every trace as JSON")
    out.add_argument("--watch", action="store_true",
                     help="open the comparison in the terminal app with these settings (runs in the app, one process)")


# ----- helpers ---------------------------------------------------------------
def _error(command: str, message: str) -> int:
    print(f"hpedu {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def parse_pairs(items: Sequence[str], flag: str) -> dict[str, str]:
    """`["a=1", "b=x"]` -> `{"a": "1", "b": "x"}`; ValueError on malformed or repeated keys."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key or not value.strip():
            raise ValueError(f"{flag} expects KEY=VALUE, got {item!r}")
        if key in out:
            raise ValueError(f"{flag} {key} is given twice")
        out[key] = value.strip()
    return out


def _fmt(value: Any, digits: int = 4) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _table(header: list[str], rows: list[list[str]], right: list[bool]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return [line(header)] + [line(r) for r in rows]


def _options_lines(options: Sequence[Any]) -> list[str]:
    lines = []
    for o in options:
        live = ", can change during a run" if o.live else ""
        lines.append(f"      {o.name}={o.default!r}  {o.help} ({o.allowed()}{live})")
    return lines


# ----- objectives / methods --------------------------------------------------
def cmd_objectives(args: argparse.Namespace) -> int:
    from hpedu.tuning.objectives import OBJECTIVES

    width = max(map(len, OBJECTIVES), default=0)
    for name, info in OBJECTIVES.items():
        print(f"{name:<{width}}  {info.description}")
        for line in _options_lines(info.options):
            print(line)
    return 0


def cmd_methods(args: argparse.Namespace) -> int:
    from hpedu.tuning.registry import METHODS

    width = max(map(len, METHODS), default=0)
    for name, info in METHODS.items():
        print(f"{name:<{width}}  {info.description}")
        for line in _options_lines(info.load().options):
            print(line)
    return 0


# ----- simulate --------------------------------------------------------------
def _prepare_simulation(args: argparse.Namespace):
    """The checked Run for `args`; ValueError says what is wrong."""
    from hpedu.tuning.runner import prepare_simulation

    options = parse_pairs(args.option, "--option")
    objective_options = parse_pairs(args.objective_option, "--objective-option")
    return prepare_simulation(args.objective, args.method, args.budget, args.seed, options, objective_options)


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        run = _prepare_simulation(args)
    except ValueError as exc:
        return _error("simulate", str(exc))
    if getattr(args, "watch", False):
        return _run_app(simulate_watch_app(args))
    if args.json:
        print(run.run().to_json())
    elif args.csv:
        sys.stdout.write(run.run().to_csv(metadata=False))
    else:
        print_simulation(run)
    return 0


def print_simulation(run: Any) -> None:
    """Run and print a readable table: one row per trial, then the best."""
    trace, strategy = run.trace, run.strategy
    names = run.objective.space.names
    better = "higher" if trace.direction == "maximize" else "lower"
    print(f"{trace.objective} · {trace.method} · budget {trace.budget} · seed {trace.seed} · "
          f"{trace.score_name}, {better} is better")
    for trial in run.steps():  # run everything first: the table needs column widths
        pass
    best = trace.best_so_far
    show_resource = strategy.uses_resource
    header = ["#", *names, *(["resource"] if show_resource else []), trace.score_name, "best so far"]
    rows = []
    for i, t in enumerate(trace.trials):
        now = float(best[i])
        before = float(best[i - 1]) if i else math.nan
        improved = not math.isnan(now) and now == t.value and (math.isnan(before) or now != before)
        row = [str(t.index), *(_fmt(t.params[n]) for n in names)]
        if show_resource:
            row.append(f"{t.resource:.3g}")
        row += [_fmt(t.value, 6), "-" if math.isnan(now) else _fmt(now, 6) + (" *" if improved else "  ")]
        rows.append(row)
    right = [True, *(not isinstance(trace.trials[0].params[n], str) if trace.trials else True for n in names)]
    right += [True] * (len(header) - len(right))
    for line in _table(header, rows, right):
        print(line)
    b = trace.best
    if b is None:
        print("best: no fully trained trial")
        return
    params = ", ".join(f"{n}={_fmt(b.params[n], 6)}" for n in names)
    text = f"best: #{b.index}  {params}  {trace.score_name}={_fmt(b.value, 6)}"
    if trace.optimum is not None:
        regret = trace.regret[-1]
        text += f"  (known optimum {_fmt(trace.optimum, 6)}, regret {_fmt(float(regret), 3)})"
    print(text)


# ----- the live view (--watch) ---------------------------------------------------
def _run_app(app: Any) -> int:
    app.run()
    return app.return_code or 0


def simulate_watch_app(args: argparse.Namespace) -> Any:
    """The app that `hpedu simulate ... --watch` runs: the simulator opens on
    these settings and plays to the end (the tests drive this same app)."""
    from hpedu.cli import content_dir
    from hpedu.tui.app import make_app
    from hpedu.tui.simulation import SimSettings
    from hpedu.tuning.registry import get_method
    from hpedu.tuning.runner import parse_objective_options

    options = get_method(args.method).check_options(parse_pairs(args.option, "--option"))
    objective_options = parse_objective_options(args.objective,
                                                parse_pairs(args.objective_option, "--objective-option"))
    settings = SimSettings(args.objective, args.method, args.budget, args.seed, options, objective_options)
    return make_app(content_dir=content_dir(args),
                    start=lambda app: app.open_simulation(settings, autoplay=True))


def compare_watch_app(args: argparse.Namespace) -> Any:
    """The app that `hpedu compare ... --watch` runs: the comparison view,
    started at once with these settings."""
    from hpedu.cli import content_dir
    from hpedu.tui.app import make_app
    from hpedu.tui.screens.compare import CompareScreen, CompareSettings
    from hpedu.tuning.compare import _method_list

    from hpedu.tuning.registry import get_method
    from hpedu.tuning.runner import parse_objective_options

    options = {m: get_method(m).check_options(o) for m, o in _method_options(args.option).items()}
    objective_options = parse_objective_options(args.objective,
                                                parse_pairs(args.objective_option, "--objective-option"))
    settings = CompareSettings(args.objective, tuple(_method_list(args.methods)), args.budget, args.seeds,
                               objective_options, options)
    return make_app(content_dir=content_dir(args), start=lambda app: app.push_screen(CompareScreen(settings)))


# ----- compare ---------------------------------------------------------------
def _method_options(raw: Sequence[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in parse_pairs(raw, "--option").items():
        method, dot, name = key.partition(".")
        if not dot or not method or not name:
            raise ValueError(f"--option expects METHOD.KEY=VALUE, got {key}={value!r}")
        out.setdefault(method, {})[name] = value
    return out


def cmd_compare(args: argparse.Namespace) -> int:
    from hpedu.tuning.compare import iter_compare

    try:
        steps = iter_compare(
            args.objective, args.methods, args.budget, args.seeds, n_jobs=args.jobs,
            options=_method_options(args.option),
            objective_options=parse_pairs(args.objective_option, "--objective-option"),
        )
    except ValueError as exc:
        return _error("compare", str(exc))
    if getattr(args, "watch", False):
        close = getattr(steps, "close", None)
        if close is not None:
            close()
        return _run_app(compare_watch_app(args))
    progress = sys.stderr.isatty()
    comparison = None
    for step in steps:
        if progress:
            print(f"\r{step.done}/{step.total} runs", end="", file=sys.stderr, flush=True)
        comparison = step.comparison
    if progress:
        print("\r" + " " * 20 + "\r", end="", file=sys.stderr, flush=True)
    assert comparison is not None
    if args.json:
        print(comparison.to_json())
    else:
        print_comparison(comparison)
    return 0


def print_comparison(comp: Any) -> None:
    better = "higher" if comp.direction == "maximize" else "lower"
    seeds = f"{len(comp.seeds)} seed" + ("s" if len(comp.seeds) != 1 else "")
    head = f"{comp.objective} · budget {comp.budget} · {seeds} · final best {comp.score_name}, {better} is better"
    if comp.optimum is not None:
        head += f" · known optimum {_fmt(comp.optimum, 6)}"
    print(head)
    header = ["method", "median", "q25", "q75"]
    if comp.optimum is not None:
        header.append("median regret")
    header.append("wins")
    rows = []
    for name, r in comp.methods.items():
        row = [name, _fmt(r.median_final, 6), _fmt(r.q25_final, 6), _fmt(r.q75_final, 6)]
        if comp.optimum is not None:
            row.append(_fmt(r.median_regret, 3))
        wins = f"{r.wins:.2f}".rstrip("0").rstrip(".")
        row.append(wins + (f" ({r.ties} tied)" if r.ties else ""))
        rows.append(row)
    for line in _table(header, rows, [False] + [True] * (len(header) - 1)):
        print(line)
    print("wins: seeds on which a method had the best final value; a tie shares the win.")

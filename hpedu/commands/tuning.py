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
import statistics
import sys
from typing import Any, Sequence

from .presets import apply_preset, compare_options as _compare_options, objective_options as _objective_options
from .presets import simulate_options as _simulate_options

EXIT_USAGE = 2

SIMULATE_EXAMPLES = """examples:
  hpedu simulate --objective branin --method random --budget 10
  hpedu simulate --preset bayes-1d-ucb
  hpedu simulate --preset bayes-1d-ucb --option kappa=5 --seed 3

With --preset, the preset gives every setting not given here; a flag given
here wins (--option and --objective-option replace the preset's value of that
one key). The presets are the content's presets/ files; an unknown id lists them."""

COMPARE_EXAMPLES = """examples:
  hpedu compare --objective branin --methods grid,random --budget 10 --seeds 3
  hpedu compare --preset compare-branin --seeds 3
  hpedu compare --objective branin --methods random,bayes --option bayes.acq=ucb --budget 10 --seeds 2

With --preset, the preset gives every setting not given here (its methods, or
its one method, and its seeds); a flag given here wins (--option
METHOD.KEY=VALUE replaces the preset's value of that one key)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("objectives", help="list the functions and models to tune",
                       description="List the objectives: name and one-line description, then their options.")
    p.set_defaults(handler=cmd_objectives)

    p = sub.add_parser("methods", help="list the tuning methods and their options",
                       description="List the search methods: name and one-line description, then their options with defaults.")
    p.set_defaults(handler=cmd_methods)

    p = sub.add_parser("simulate", help="run one method on one objective and print its trials",
                       description="Run one tuning method on one objective and print every trial and the best result.",
                       epilog=SIMULATE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_simulate_arguments(p)
    p.set_defaults(handler=cmd_simulate)

    p = sub.add_parser("compare", help="compare methods over several seeds",
                       description="Run several methods with several seeds on one objective and summarize them.",
                       epilog=COMPARE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_compare_arguments(p)
    p.set_defaults(handler=cmd_compare)


def _add_common(p: argparse.ArgumentParser) -> None:
    from hpedu.cli import add_class_code_option
    from hpedu.tuning.runner import MAX_BUDGET

    p.add_argument("--preset", metavar="ID",
                   help="start from a simulation preset of the content (its objective, method(s), options, budget, "
                   "seed and seeds, as the app's Try it opens it); any option given here overrides the preset's value")
    p.add_argument("--objective", metavar="NAME",
                   help="objective to tune (see 'hpedu objectives'); required unless --preset gives it")
    p.add_argument("--budget", type=int, default=None, metavar="N",
                   help=f"trials per run, 1 to {MAX_BUDGET} (default 30, or the preset's)")
    p.add_argument("--objective-option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option of the objective (repeatable)")
    add_class_code_option(p)


def add_simulate_arguments(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--method", default=None, metavar="NAME",
                   help="search method (see 'hpedu methods'; default bayes, or the preset's)")
    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="random seed (default 0, or the preset's); with a class code, the run's seed is derived "
                   "from the code and S")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option of the method (repeatable)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the trace as JSON (see docs/simulate-json.md)")
    out.add_argument("--csv", action="store_true", help="print the trials as CSV")
    out.add_argument("--watch", action="store_true",
                     help="open the simulator in the terminal app with these settings and play the run to the end")


def add_compare_arguments(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--methods", default=None, metavar="A,B,...",
                   help="comma-separated methods (default grid,random,bayes, or the preset's)")
    from hpedu.tuning.runner import MAX_SEEDS, max_jobs

    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="first seed (default 0, or the preset's): the runs use seeds S..S+K-1, or with a class code "
                   "seeds derived from them")
    p.add_argument("--seeds", type=int, default=None, metavar="K",
                   help=f"runs per method, 1 to {MAX_SEEDS} (default 5, or the preset's)")
    p.add_argument("--jobs", type=int, default=1, metavar="J",
                   help=f"parallel processes, 1 to the number of cores ({max_jobs()} here), or -1 for all (default 1)")
    p.add_argument("--option", action="append", default=[], metavar="METHOD.KEY=VALUE",
                   help="an option of one method, e.g. bayes.acq=ucb (repeatable; hpedu methods lists them)")
    p.add_argument("--equal-resource", action="store_true",
                   help="--budget is the total resource of each run in full trainings (the sum of its trials' "
                   "resource fractions), not trials: halving and hyperband get the most trials that spend at most "
                   "that, the other methods --budget trials")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the statistics and every trace as JSON")
    out.add_argument("--watch", action="store_true",
                     help="open the comparison in the terminal app with these settings (runs in the app, one process)")


def check_counts(args: argparse.Namespace) -> None:
    """Every count and seed option of simulate / compare within its limits
    (hpedu.tuning.runner holds the maxima); ValueError names the option,
    the value and what is allowed. Runs before anything else."""
    from hpedu.classroom import MAX_SEED
    from hpedu.tuning.runner import MAX_BUDGET, MAX_SEEDS, max_jobs

    def count(flag: str, value: int, high: int) -> None:
        if not 1 <= value <= high:
            raise ValueError(f"{flag} must be a whole number from 1 to {high}, got {value}")

    count("--budget", args.budget, MAX_BUDGET)
    if not 0 <= args.seed <= MAX_SEED:
        raise ValueError(f"--seed must be a whole number from 0 to {MAX_SEED}, got {args.seed}")
    if hasattr(args, "seeds"):
        count("--seeds", args.seeds, MAX_SEEDS)
    if hasattr(args, "jobs") and args.jobs != -1:
        if not 1 <= args.jobs <= max_jobs():
            raise ValueError(f"--jobs must be a whole number from 1 to {max_jobs()} (the cores of this machine), "
                             f"or -1 for all of them; got {args.jobs}")


# ----- helpers ---------------------------------------------------------------
def _error(command: str, message: str) -> int:
    print(f"hpedu {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _not_found(command: str, exc: Exception) -> int:
    print(f"hpedu {command}: error: {exc}", file=sys.stderr)
    return 1


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
        if info.supports_resource:
            print("      " + _resource_words(name))
    return 0


def _resource_words(name: str) -> str:
    """What a partial resource (halving, hyperband) trains on, for a model
    objective (hpedu.tuning.objectives.models.cross_validate)."""
    from hpedu.tuning.objectives.models import MIN_ROWS_PER_CLASS, MODEL_SPECS

    text = ("resource (halving, hyperband): the share of each CV fold's training rows the model is fitted on "
            f"(nested stratified subsets, at least {MIN_ROWS_PER_CLASS} rows per class; the test rows never change)")
    spec = MODEL_SPECS.get(name)
    if spec is not None and "max_iter" in spec.space:
        text += "; max_iter stays a tuned hyperparameter, never the resource"
    return text


def cmd_methods(args: argparse.Namespace) -> int:
    from hpedu.tuning.registry import METHODS

    width = max(map(len, METHODS), default=0)
    for name, info in METHODS.items():
        print(f"{name:<{width}}  {info.description}")
        for line in _options_lines(info.load().options):
            print(line)
    return 0


# ----- simulate --------------------------------------------------------------
def _class_code(args: argparse.Namespace) -> str | None:
    """--class-code (before or after the command), HPEDU_CLASS_CODE or the pack's; ValueError when invalid."""
    from hpedu.cli import run_class_code

    return run_class_code(args)


def _prepare_simulation(args: argparse.Namespace, code: str | None = None):
    """The checked Run for `args` (its seed derived from `code` when given);
    ValueError says what is wrong."""
    from hpedu.classroom import class_seed
    from hpedu.tuning.runner import prepare_simulation

    options = _simulate_options(args)
    objective_options = _objective_options(args)
    return prepare_simulation(args.objective, args.method, args.budget, class_seed(code, args.seed), options,
                              objective_options)


def simulation_json(trace: Any, class_code: str | None, given_seed: int) -> str:
    """`hpedu simulate --json`: the trace, plus the class code and the seed given (docs/simulate-json.md)."""
    import json

    data = trace.to_dict()
    data["class_code"] = class_code
    data["given_seed"] = given_seed
    return json.dumps(data, indent=2)


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        apply_preset(args, "simulate")
        check_counts(args)
        code = _class_code(args)
        run = _prepare_simulation(args, code)
    except FileNotFoundError as exc:  # --content names no folder (read for its pack's class code)
        return _not_found("simulate", exc)
    except ValueError as exc:
        return _error("simulate", str(exc))
    if getattr(args, "watch", False):
        return _run_app(simulate_watch_app(args))
    if args.json:
        print(simulation_json(run.run(), code, args.seed))
    elif args.csv:
        sys.stdout.write(run.run().to_csv(metadata=False))
    else:
        print_simulation(run, code, args.seed)
    return 0


def _code_note(code: str | None, given_seed: int | None) -> str:
    return f" (from class code {code}, seed {given_seed})" if code else ""


def print_simulation(run: Any, code: str | None = None, given_seed: int | None = None) -> None:
    """Run and print a readable table: one row per trial (numbered from 1), then the best."""
    trace, strategy = run.trace, run.strategy
    names = run.objective.space.names
    better = "higher" if trace.direction == "maximize" else "lower"
    print(f"{trace.objective} · {trace.method} · budget {trace.budget} · seed {trace.seed}{_code_note(code, given_seed)} · "
          f"{trace.score_name}, {better} is better")
    for trial in run.steps():  # run everything first: the table needs column widths
        pass
    best = trace.best_so_far
    show_resource = strategy.uses_resource
    staged = [_stage_words(trace, t) for t in trace.trials] if hasattr(strategy, "plan") and any(
        hasattr(t, "bracket") for t in trace.trials) else None
    header = ["#", *names, *(["bracket", "rung"] if staged else []), *(["resource"] if show_resource else []),
              trace.score_name, "best so far"]
    rows = []
    for i, t in enumerate(trace.trials):
        now = float(best[i])
        before = float(best[i - 1]) if i else math.nan
        improved = not math.isnan(now) and now == t.value and (math.isnan(before) or now != before)
        row = [str(t.index + 1), *(_fmt(t.params[n]) for n in names)]
        if staged:
            row += list(staged[i])
        if show_resource:
            row.append(f"{t.resource:.3g}")
        row += [_fmt(t.value, 6), "-" if math.isnan(now) else _fmt(now, 6) + (" *" if improved else "  ")]
        rows.append(row)
    right = [True, *(not isinstance(trace.trials[0].params[n], str) if trace.trials else True for n in names)]
    right += [True] * (len(header) - len(right))
    for line in _table(header, rows, right):
        print(line)
    if staged and len(trace.trials) < trace.budget:
        left = trace.budget - len(trace.trials)
        print(f"{left} of the {trace.budget} trials left unused: no whole bracket fits in them")
    b = trace.best
    if b is None:
        print("best: no fully trained trial")
        return
    params = ", ".join(f"{n}={_fmt(b.params[n], 6)}" for n in names)
    text = f"best: trial #{b.index + 1}  {params}  {trace.score_name}={_fmt(b.value, 6)}"
    if staged:
        text += f"  (found in bracket {staged[b.index][0]}, rung {staged[b.index][1]})"
    if trace.optimum is not None:
        regret = trace.regret[-1]
        text += f"  (known optimum {_fmt(trace.optimum, 6)}, regret {_fmt(float(regret), 3)})"
    print(text)


def _stage_words(trace: Any, trial: Any) -> tuple[str, str]:
    """A hyperband trial's bracket (numbered from 1, with its s) and rung (from 0)."""
    from hpedu.tuning.hyperband import bracket_of

    return f"{trial.bracket + 1} (s={bracket_of(trace, trial).s})", str(trial.rung)


# ----- the live view (--watch) ---------------------------------------------------
def _run_app(app: Any) -> int:
    from ..cli import run_in_terminal

    return run_in_terminal(app)


def simulate_watch_app(args: argparse.Namespace) -> Any:
    """The app that `hpedu simulate ... --watch` runs: the simulator opens on
    these settings and plays to the end (the tests drive this same app)."""
    from hpedu.cli import content_dir
    from hpedu.tui.app import make_app
    from hpedu.simulation import SimSettings
    from hpedu.tuning.registry import get_method
    from hpedu.tuning.runner import parse_objective_options

    if not hasattr(args, "preset_options"):  # the tests build the app straight from parsed arguments
        apply_preset(args, "simulate")
    options = get_method(args.method).check_options(_simulate_options(args))
    objective_options = parse_objective_options(args.objective, _objective_options(args))
    from hpedu.classroom import class_seed

    code = _class_code(args)
    settings = SimSettings(args.objective, args.method, args.budget, class_seed(code, args.seed), options,
                           objective_options)
    return make_app(content_dir=content_dir(args), class_code=code,
                    start=lambda app: app.open_simulation(settings, autoplay=True,
                                                          inside=getattr(args, "preset_view", "run") == "inside"))


def compare_watch_app(args: argparse.Namespace) -> Any:
    """The app that `hpedu compare ... --watch` runs: the comparison view,
    started at once with these settings."""
    from hpedu.cli import content_dir
    from hpedu.tui.app import make_app
    from hpedu.tui.screens.compare import CompareScreen, CompareSettings
    from hpedu.tuning.compare import _method_list

    from hpedu.tuning.registry import get_method
    from hpedu.tuning.runner import parse_objective_options

    if not hasattr(args, "preset_options"):  # the tests build the app straight from parsed arguments
        apply_preset(args, "compare")
    options = {m: get_method(m).check_options(o) for m, o in _compare_options(args).items()}
    objective_options = parse_objective_options(args.objective, _objective_options(args))
    code = _class_code(args)
    settings = CompareSettings(args.objective, tuple(_method_list(args.methods)), args.budget, args.seeds,
                               objective_options, options, class_code=code, seed=args.seed)
    return make_app(content_dir=content_dir(args), class_code=code,
                    start=lambda app: app.push_screen(CompareScreen(settings)))


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
    from hpedu.classroom import run_seeds
    from hpedu.tuning.compare import iter_compare

    try:
        apply_preset(args, "compare")
        check_counts(args)
        code = _class_code(args)
        seeds = run_seeds(args.seed, args.seeds, code)
        steps = iter_compare(
            args.objective, args.methods, args.budget, seeds, n_jobs=args.jobs,
            options=_compare_options(args),
            objective_options=_objective_options(args),
            equal_resource=args.equal_resource,
        )
        if args.equal_resource and getattr(args, "watch", False):
            steps.close()
            raise ValueError("--equal-resource is not shown in the app yet; leave out --watch (or --equal-resource)")
    except FileNotFoundError as exc:
        return _not_found("compare", exc)
    except ValueError as exc:
        return _error("compare", str(exc))
    if getattr(args, "watch", False):
        steps.close()
        return _run_app(compare_watch_app(args))
    progress = sys.stderr.isatty()
    comparison = None
    try:  # Ctrl-C ends the loop; closing the steps cancels the runs and stops the worker processes
        for step in steps:
            if progress:
                print(f"\r{step.done}/{step.total} runs", end="", file=sys.stderr, flush=True)
            comparison = step.comparison
    finally:
        steps.close()
        if progress:
            print("\r" + " " * 20 + "\r", end="", file=sys.stderr, flush=True)
    assert comparison is not None
    comparison.class_code = code
    comparison.equal_resource = args.equal_resource
    if args.json:
        import json

        data = comparison.to_dict()
        data["given_seed"] = args.seed
        print(json.dumps(data, indent=2))
    else:
        print_comparison(comparison, args.seed)
    return 0


def print_comparison(comp: Any, given_seed: int | None = None) -> None:
    better = "higher" if comp.direction == "maximize" else "lower"
    n = len(comp.seeds)
    if comp.class_code:
        seeds = f"{n} seed{'s' if n != 1 else ''} from class code {comp.class_code}"
    elif given_seed is not None and n > 1:
        seeds = f"seeds {given_seed}..{given_seed + n - 1}"
    else:
        seeds = f"{n} seed" + ("s" if n != 1 else "")
    unit = " full trainings per run (equal resource)" if comp.equal_resource else " trials"
    head = f"{comp.objective} · budget {comp.budget}{unit} · {seeds} · final best {comp.score_name}, {better} is better"
    if comp.optimum is not None:
        head += f" · known optimum {_fmt(comp.optimum, 6)}"
    print(head)
    header = ["method", "median", "q25", "q75"]
    if comp.optimum is not None:
        header.append("median regret")
    partial = any(t.resource < 1.0 for r in comp.methods.values() for tr in r.traces for t in tr.trials)
    if partial or comp.equal_resource:
        header += ["trials", "resource"]
    header.append("wins")
    rows = []
    for name, r in comp.methods.items():
        row = [name, _fmt(r.median_final, 6), _fmt(r.q25_final, 6), _fmt(r.q75_final, 6)]
        if comp.optimum is not None:
            row.append(_fmt(r.median_regret, 3))
        if partial or comp.equal_resource:
            row += [_fmt(statistics.median(len(t.trials) for t in r.traces)),
                    _fmt(statistics.median(r.resource.tolist()), 4)]
        wins = f"{r.wins:.2f}".rstrip("0").rstrip(".")
        row.append(wins + (f" ({r.ties} tied)" if r.ties else ""))
        rows.append(row)
    for line in _table(header, rows, [False] + [True] * (len(header) - 1)):
        print(line)
    print("wins: seeds on which a method had the best final value; a tie shares the win.")
    if partial or comp.equal_resource:
        print("trials: trials the median run made; resource: the median run's total training, in full trainings "
              "(the sum of its trials' resource fractions: a trial on 1/9 of the data counts 1/9).")
    for name, r in comp.methods.items():
        brackets = r.best_brackets
        if brackets is not None:
            counts = {s: brackets.count(s) for s in sorted({b for b in brackets if b is not None}, reverse=True)}
            where = ", ".join(f"s={s} on {k} seed{'s' if k != 1 else ''}" for s, k in counts.items())
            print(f"{name}: the best trial was found in bracket {where}" if where else
                  f"{name}: no fully trained trial")

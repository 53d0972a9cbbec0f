"""The `hpedu` command line: a thin shell over hpedu.content, hpedu.tuning and hpedu.tui.

Each group of sub-commands lives in `hpedu/commands/<group>.py` and exposes
`register(subparsers)`; handlers are imported lazily so `hpedu --help` and the
first screen of the app stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import Iterator, Sequence

from . import __version__
from .arithmetic import pin_arithmetic


def build_parser() -> argparse.ArgumentParser:
    from .commands import content as content_cmds
    from .commands import docs as docs_cmds
    from .commands import exercise as exercise_cmds
    from .commands import pack as pack_cmds
    from .commands import progress as progress_cmds
    from .commands import tuning as tuning_cmds

    parser = argparse.ArgumentParser(
        prog="hpedu",
        description="Learn hyperparameters and hyperparameter tuning: a glossary tied to live simulations.",
        epilog="Run 'hpedu' with no command to open the app. 'hpedu COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"hpedu {__version__}")
    add_content_option(parser)
    add_learner_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = sub.add_parser("app", help="open the terminal app (the default)")
    add_content_option(app)
    add_learner_options(app)
    app.set_defaults(handler=run_app)
    content_cmds.register(sub)
    tuning_cmds.register(sub)
    exercise_cmds.register(sub)
    progress_cmds.register(sub)
    pack_cmds.register(sub)
    docs_cmds.register(sub)
    from .commands import next as next_cmds
    next_cmds.register(sub)
    from .commands import serve as serve_cmds
    serve_cmds.register(sub)
    from .commands import classroom as classroom_cmds
    classroom_cmds.register(sub)
    return parser


APP_OPTIONS = ("--content", "--profile", "--class-code")


def app_only(argv: Sequence[str]) -> bool:
    """True when `argv` only opens the app: no command, no --help or
    --version, each option among APP_OPTIONS with its value."""
    i = 0
    while i < len(argv):
        name, eq, _ = argv[i].partition("=")
        if name not in APP_OPTIONS:
            return False
        if not eq:  # the value is the next word
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return False
            i += 1
        i += 1
    return True


def build_app_parser() -> argparse.ArgumentParser:
    """The parser for opening the app: the options `build_parser` gives the
    app, without loading every command's module (about 15 ms at start-up)."""
    parser = argparse.ArgumentParser(prog="hpedu")
    add_content_option(parser)
    add_learner_options(parser)
    parser.set_defaults(handler=run_app)
    return parser


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="content folder to use instead of the bundled one (also: HPEDU_CONTENT)",
    )


def _checked(module: str, name: str):
    """An argparse type that checks a value with `hpedu.<module>.<name>`, imported only when used."""

    def parse(text: str) -> str:
        import importlib

        check = getattr(importlib.import_module(f"hpedu.{module}"), name)
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name  # argparse names the type in its messages
    return parse


def add_learner_options(parser: argparse.ArgumentParser) -> None:
    """--profile and --class-code, accepted before or after the command."""
    parser.add_argument(
        "--profile",
        metavar="NAME",
        type=_checked("progress", "check_profile"),
        default=argparse.SUPPRESS,
        help="whose progress to use, to keep several learners apart on one machine (also: HPEDU_PROFILE; default 'default')",
    )
    add_class_code_option(parser)


def add_class_code_option(parser: argparse.ArgumentParser) -> None:
    """--class-code; every command that runs simulations takes it after its
    name too (`hpedu simulate ... --class-code X` = `hpedu --class-code X simulate ...`)."""
    parser.add_argument(
        "--class-code",
        metavar="CODE",
        type=_checked("classroom", "check_class_code"),
        default=argparse.SUPPRESS,
        help="derive every simulation seed from this code so a whole class sees identical runs "
        "(also: HPEDU_CLASS_CODE, or class_code in a teacher pack's pack.yaml)",
    )


def learner_profile(args: argparse.Namespace) -> str:
    """--profile, else HPEDU_PROFILE, else 'default'; ValueError for a bad name."""
    from .progress import DEFAULT_PROFILE, check_profile

    return check_profile(getattr(args, "profile", None) or os.environ.get("HPEDU_PROFILE") or DEFAULT_PROFILE)


def class_code(args: argparse.Namespace, content=None) -> str | None:
    """--class-code, else HPEDU_CLASS_CODE, else the loaded pack's class_code, else None."""
    from .classroom import check_class_code

    code = getattr(args, "class_code", None) or os.environ.get("HPEDU_CLASS_CODE")
    if code:
        return check_class_code(code)
    pack = content.extras.get("pack") if content is not None else None
    return (pack.class_code or None) if pack is not None else None


def run_class_code(args: argparse.Namespace) -> str | None:
    """The class code for a command that runs simulations without loading
    the content (simulate, compare): --class-code, else HPEDU_CLASS_CODE,
    else the class_code of the teacher pack named by --content /
    HPEDU_CONTENT, else None. The same order as `class_code`."""
    code = class_code(args)
    if code:
        return code
    chosen = getattr(args, "content", None) or os.environ.get("HPEDU_CONTENT")
    if not chosen:
        return None  # the bundled content has no pack
    from .content.pack import read_pack

    pack, _problems = read_pack(content_dir(args))  # problems are for 'hpedu check' to report
    return (pack.class_code or None) if pack is not None else None


def content_dir(args: argparse.Namespace):
    """The content folder chosen by --content, HPEDU_CONTENT or the bundled copy."""
    from .content.locate import resolve_content_dir

    return resolve_content_dir(getattr(args, "content", None) or os.environ.get("HPEDU_CONTENT") or None)


def terminal_problem() -> str | None:
    """Why the app cannot run here, or None: it needs a terminal on stdin and
    stdout (without one Textual waits for a reply that never comes). A
    Textual driver chosen by the environment (textual-serve, the browser
    driver) brings its own terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        try:
            ok = stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed
            ok = False
        if not ok:
            return (f"the app needs a terminal, and {name} is not one; "
                    "for scripts use the commands (hpedu --help), e.g. hpedu glossary or hpedu simulate")
    return None


def run_in_terminal(app) -> int:
    """Run the app in this terminal; exit 2 with one line when there is none."""
    problem = terminal_problem()
    if problem is not None:
        print(f"hpedu: error: {problem}", file=sys.stderr)
        return 2
    app.run()  # the app pauses collection again until its first screen is up
    return app.return_code or 0


def run_app(args: argparse.Namespace) -> int:
    problem = terminal_problem()
    if problem is not None:  # before loading anything: said within a moment
        print(f"hpedu: error: {problem}", file=sys.stderr)
        return 2
    with no_collection():  # importing Textual and loading content: see no_collection
        from .tui.app import make_app

        from .content import load_content

        try:
            content = load_content(content_dir(args))
            profile = learner_profile(args)
            code = class_code(args, content)
        except FileNotFoundError as exc:
            print(f"hpedu: error: {exc}", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"hpedu: {exc}", file=sys.stderr)
            return 2
        from .progress import DataDirError, check_data_dir

        try:  # the app opens progress later; an unusable HPEDU_DATA_DIR is said now, not as a traceback
            check_data_dir(profile)
        except DataDirError as exc:
            print(f"hpedu: error: {exc}", file=sys.stderr)
            return 2
        app = make_app(content=content, profile=profile, class_code=code)
    return run_in_terminal(app)


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection inside the block. Start-up (imports, parsing
    the command line, loading content) creates many objects and frees few, so
    collecting during it only costs time (~10 ms of the time to the first
    screen); the collector is back on afterwards if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread_by_default(environ: dict[str, str] | os._Environ = os.environ) -> None:
    """Ask numpy's BLAS for one thread unless the user chose a number.

    Every matrix hpedu multiplies is small (a Gaussian process on at most a
    few hundred points, models on scikit-learn's bundled datasets): with more
    threads OpenBLAS spends longer handing work out than doing it (a Bayesian
    proposal after 25 trials took 25-130 ms instead of 13 ms on two cores),
    and `compare` already runs seeds in parallel processes. This must happen
    before numpy is imported, so it is done here and not in the library,
    whose users keep their own settings (hpedu.tuning caps BLAS threads
    around its own Gaussian-process work instead, see tuning/_threads.py).
    """
    if "numpy" in sys.modules:
        return  # too late to matter
    for name in BLAS_THREAD_VARIABLES:
        environ.setdefault(name, "1")


def prepare_numpy() -> bool:
    """Before numpy loads: one BLAS thread and the pinned kernels (the same
    Bayesian runs on every x86-64 machine, hpedu/arithmetic.py), as `hpedu`
    runs; the tests and the benchmarks call it too. True if kernels were pinned."""
    one_blas_thread_by_default()
    return pin_arithmetic()


def main(argv: Sequence[str] | None = None) -> int:
    prepare_numpy()
    argv = list(sys.argv[1:] if argv is None else argv)
    with no_collection():
        parser = build_app_parser() if app_only(argv) else build_parser()
        args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or run_app
    try:
        return int(handler(args) or 0)
    except BrokenPipeError:  # e.g. `hpedu glossary | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

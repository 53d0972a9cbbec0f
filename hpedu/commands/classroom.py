"""CLI: `hpedu class report`, a teacher's table of a whole class's progress (hpedu/class_report.py).

Sources: `--data DIR` (a data folder, one progress file per learner, as
`hpedu serve` keeps it), export files collected from learners, or, with
neither, the data folder this hpedu uses (HPEDU_DATA_DIR or the default).
A damaged file is named on stderr and left out; the report goes on.
Exit status: 0 the report was printed or written (files left out are named),
1 a data folder, export file or content folder named does not exist or the
CSV cannot be written, 2 a usage error (--data with export files, a refused
--csv name, --watch with --csv, a data folder that is a file, no terminal).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .exercise import EXIT_USAGE, fail, load, table

if TYPE_CHECKING:
    from ..class_report import ClassReport

COMMAND = "class report"


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_content_option

    cls = sub.add_parser("class", help="for teachers: a report of a whole class's progress",
                         description="For teachers: a class's progress, per exercise and step.")
    cls_sub = cls.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    p = cls_sub.add_parser(
        "report", help="per exercise and step: started, finished, median score, wrong answers, hints",
        description="Per exercise and step: how many learners started and finished it, the median score, "
        "answers, wrong answers and hints; every exercise of the content is listed. Reads a data folder "
        "(one progress file per learner, as 'hpedu serve' keeps them) or export files collected from "
        "learners (hpedu progress --export NAME.json or NAME.csv). Damaged files are named and left out.",
    )
    p.add_argument("exports", nargs="*", metavar="EXPORT", help="export files (.json or .csv) collected from learners")
    p.add_argument("--data", metavar="DIR",
                   help="a data folder holding profiles/<learner>.json (default: HPEDU_DATA_DIR or your own)")
    p.add_argument("--csv", metavar="FILE", help="write the table to FILE.csv instead of printing it")
    p.add_argument("--by-learner", action="store_true", help="one row per learner and exercise")
    p.add_argument("--watch", action="store_true",
                   help="open the report in the app, refreshed every few seconds (needs a terminal)")
    add_content_option(p)
    p.set_defaults(handler=cmd_report)


def _loader(args: argparse.Namespace, exercises: list[tuple[str, str, int]]) -> tuple[Callable[[], "ClassReport"], str]:
    """A function that reads the sources and builds the report (run again on each refresh), and
    the sources in words. FileNotFoundError / NotADirectoryError for a source that is missing."""
    from ..class_report import build_report, read_data_folder, read_exports

    if args.exports:
        paths = [Path(p).expanduser() for p in args.exports]
        for path in paths:
            if not path.exists():
                raise FileNotFoundError(f"no export file {path}")
            if path.is_dir():
                raise NotADirectoryError(f"{path} is a folder, not an export file (give the files: {path}/*.csv)")

        def load_exports() -> "ClassReport":
            learners, problems = read_exports(paths)
            return build_report(learners, exercises, problems)

        return load_exports, f"{len(paths)} export file{'s' if len(paths) != 1 else ''}"
    from ..progress import data_dir

    folder = Path(args.data).expanduser() if args.data else data_dir()
    read_data_folder(folder)  # missing or not a folder: said now, not on every refresh
    cache: dict[str, Any] = {}  # files unchanged since the last refresh are not read again

    def load_folder() -> "ClassReport":
        learners, problems = read_data_folder(folder, cache)
        return build_report(learners, exercises, problems)

    return load_folder, f"data folder {folder}"


def cmd_report(args: argparse.Namespace) -> int:
    if args.data and args.exports:
        return fail(COMMAND, "give either --data DIR or export files, not both", EXIT_USAGE)
    if args.watch and args.csv:
        return fail(COMMAND, "--watch shows the report in the app; --csv writes a file: choose one", EXIT_USAGE)
    try:
        content = load(args)
    except (FileNotFoundError, ValueError) as exc:
        return fail(COMMAND, str(exc), 1)
    exercises = [(e.id, e.title, len(e.steps)) for e in content.extras.get("exercises", {}).values()]
    try:
        loader, where = _loader(args, exercises)
    except NotADirectoryError as exc:
        return fail(COMMAND, str(exc), EXIT_USAGE)
    except OSError as exc:
        return fail(COMMAND, str(exc) if isinstance(exc, FileNotFoundError) else f"{exc.strerror}: {exc.filename}", 1)
    if args.csv:
        problem = _refused_csv(Path(args.csv).expanduser(), args)
        if problem:
            return fail(COMMAND, f"cannot write {args.csv}: {problem}", EXIT_USAGE)
    if args.watch:
        from ..cli import run_in_terminal, terminal_problem

        problem = terminal_problem()  # said before Textual is even imported
        if problem is not None:
            return fail(COMMAND, problem, EXIT_USAGE)
        return run_in_terminal(report_watch_app(args, loader, where, content))
    report = loader()
    for problem in report.problems:
        print(f"hpedu {COMMAND}: warning: {problem}", file=sys.stderr)
    if args.csv:
        return _write_csv(Path(args.csv).expanduser(), report, args.by_learner)
    _print(report, where, args.by_learner)
    return 0


def _refused_csv(target: Path, args: argparse.Namespace) -> str | None:
    """Why `target` may not receive the report (None: it may): it must be a new or CSV file
    in an existing folder, never a progress file, a profiles folder, or one of the exports read."""
    from ..progress import data_dir

    if target.suffix.lower() != ".csv":
        return "the name must end in .csv"
    parent = target.parent
    if not parent.is_dir():
        return f"the folder {parent} does not exist (create it first)"
    if target.is_dir():
        return "it is a folder"
    folders = [data_dir() / "profiles"]
    if args.data:
        folder = Path(args.data).expanduser()
        folders += [folder / "profiles", folder]
    for folder in folders:
        if folder.is_dir() and os.path.samefile(parent, folder):
            return f"it is in the progress folder {folder}, beside the learners' progress files; write it elsewhere"
    for export in args.exports:
        if target.exists() and os.path.samefile(target, export):
            return "it is one of the export files being read; write the report to another file"
    return None


def _write_csv(target: Path, report: "ClassReport", by_learner: bool) -> int:
    from .._safe_files import atomic_write
    from ..class_report import csv_text
    from ..progress import EXPORT_MODE

    try:
        atomic_write(target, csv_text(report, by_learner), mode=EXPORT_MODE, make_parents=False)
    except OSError as exc:
        return fail(COMMAND, f"cannot write {target}: {exc.strerror or exc}", 1)
    n = len(report.learners)
    print(f"wrote the report of {n} learner{'s' if n != 1 else ''} ({len(report.rows)} exercises) to {target}")
    return 0


def _print(report: "ClassReport", where: str, by_learner: bool) -> None:
    from ..class_report import LEARNER_COLUMNS, SUMMARY_COLUMNS, hints_note, learner_rows, most_wrong_line, summary_rows

    n = len(report.learners)
    print(f"class report · {n} learner{'s' if n != 1 else ''} · {where}")
    if by_learner:
        lines = table(LEARNER_COLUMNS, learner_rows(report))
    else:
        lines = table(SUMMARY_COLUMNS, summary_rows(report))
    for line in lines:
        print(line)
    print(most_wrong_line(report))
    if report.hints_by_step_missing:
        print(hints_note(report))


def report_watch_app(args: argparse.Namespace, loader: Callable[[], "ClassReport"], where: str, content: Any) -> Any:
    """The app `hpedu class report --watch` runs: the report screen, refreshed from the sources."""
    from ..tui.app import make_app
    from ..tui.screens.class_report import ClassReportScreen

    return make_app(content=content,
                    start=lambda app: app.push_screen(ClassReportScreen(loader, where, by_learner=args.by_learner)))

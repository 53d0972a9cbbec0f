"""CLI: `hpedu next` prints the first step of the learning path not done yet
and how to open it; `hpedu next --open` opens the app on that step.

What counts as done, and the time estimate: hpedu/path_progress.py.

Exit status: 0 (also when every step is done: it says so), 1 when the
content has no learning path, 2 for a usage error (an unusable data folder,
`--open` without a terminal).
"""

from __future__ import annotations

import argparse
import sys

from .exercise import EXIT_USAGE, fail, load, open_store

HOW_TO_OPEN = {
    "glossary": "hpedu glossary {ref}",
    "exercise": "hpedu exercise run {ref}",
}


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_content_option, add_learner_options

    p = sub.add_parser("next", help="the next step of the learning path, and how to open it",
                       description="Print the first step of the learning path (content/learning-path.yaml) "
                       "you have not done yet, your progress, and how to open the step; --open opens the app on it.")
    p.add_argument("--open", action="store_true", help="open the app on that step")
    add_content_option(p)
    add_learner_options(p)
    p.set_defaults(handler=cmd_next)


def cmd_next(args: argparse.Namespace) -> int:
    from ..cli import class_code, learner_profile, run_in_terminal, terminal_problem
    from ..path_progress import first_unfinished, path_items, summary
    from ..progress import DataDirError

    if args.open:
        problem = terminal_problem()
        if problem is not None:  # said before loading anything
            return fail("next", problem, EXIT_USAGE)
    try:
        store = open_store(args)
    except (DataDirError, ValueError) as exc:  # ValueError: a bad HPEDU_PROFILE
        return fail("next", str(exc), EXIT_USAGE)
    try:
        content = load(args)
        code = class_code(args, content)
    except FileNotFoundError as exc:
        return fail("next", str(exc), 1)
    except ValueError as exc:
        return fail("next", str(exc), EXIT_USAGE)
    items = path_items(content, store)
    if not items:
        where = content.root / "learning-path.yaml"
        return fail("next", f"the content has no learning path with usable steps ({where}); "
                    "'hpedu check' lists any problems with it", 1)
    index = first_unfinished(items)
    if index is None:
        print(f"Every step of the learning path is done ({len(items)}/{len(items)}).")
        print("Explore further: hpedu glossary, hpedu exercise list, or hpedu to open the app.")
        return 0
    item = items[index]
    kind = {"glossary": "glossary term", "preset": "simulation", "exercise": "exercise"}[item.kind]
    print(f"Next: step {index + 1} of {len(items)}, {item.label} ({kind} {item.ref})")
    print(f"Path: {summary(items)}")
    if not args.open:
        other = HOW_TO_OPEN.get(item.kind)
        print("Open it: hpedu next --open" + (f"   (or: {other.format(ref=item.ref)})" if other else ""))
        return 0
    sys.stdout.flush()
    from ..tui.app import make_app

    def start(app) -> None:
        app.open_step(item.kind, item.ref)

    app = make_app(content=content, start=start, profile=learner_profile(args), class_code=code)
    return run_in_terminal(app)

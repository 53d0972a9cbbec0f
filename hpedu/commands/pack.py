"""CLI: `hpedu pack init DIR`, a starting point for a teacher pack.

The new folder holds a `pack.yaml`, one preset, one exercise and a
`learning-path.yaml` that lists them (so the class's exercises lead the home
screen instead of being mixed in with the bundled ones), all passing
`hpedu check`; the pack is loaded on top of the bundled content, so it may
use every bundled glossary term and preset. See docs/teaching.md.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

PACK_HEADER = """\
# A teacher pack: loaded on top of hpedu's bundled content. Files here with the
# same name as a bundled file replace it; new files are added. See docs/teaching.md.
"""
MAX_TITLE = 80  # characters of a pack title

PRESET = """\
id: my-grid-vs-random
title: "Nine trials: grid or random?"
description: Grid search against random search with nine trials on a function where only x really matters, over ten seeds. Everything is fixed for the class.
objective: low-effective-dim
objective_options: {weight: 0.05}
method: grid
methods: [grid, random]
budget: 9
seed: 0
seeds: 10
view: compare
terms: [grid-search, random-search]
locked: [objective, weight, budget, seeds, methods]
"""

EXERCISE = """\
---
id: my-first-exercise
title: Grid or random with nine trials?
terms: [grid-search, random-search]
difficulty: beginner
summary: Predict which method ends closer to the best x, then let ten seeds decide.
steps:
  - preset: my-grid-vs-random
    run: after
    question: Only x matters much here. Over ten seeds, which method ends with the lower median best value?
    kind: choice
    choices:
      - Grid search
      - Random search
    answer: b  # the letter students type (a is the first choice); the 0-based index (1) works too
    hints:
      - How many different values of x does a 3 x 3 grid try?
    explanation: The grid tries only three values of x; random search tries nine and gets closer.
---
Edit this file, add more under exercises/, and run `hpedu check --content .` in this folder.
"""

README = """\
This is an hpedu teacher pack (see docs/teaching.md in hpedu).

  hpedu check --content {folder}                  check it
  hpedu --content {folder}                        open the app with it
  hpedu --content {folder} exercise run my-first-exercise

pack.yaml           title, class code, and which content it extends
presets/*.yaml      simulations with fixed seeds and locked settings
exercises/*.md      exercises (docs/exercise-format.md)
learning-path.yaml  the home screen's path for this class (it replaces hpedu's
                    own): list each new exercise there, in order
"""

PATH_HEADER = """\
# The home screen's suggested path for this class. It replaces hpedu's own path,
# so list every exercise of the pack here, in the order students should do them
# (without this file they are mixed in with hpedu's bundled exercises).
# Each step is one of:  glossary: TERM-ID   preset: PRESET-ID   exercise: EXERCISE-ID
# Bundled terms and presets may be used; `hpedu check --content .` checks every id.
"""

PATH_STEPS = """\
steps:
  - glossary: grid-search
  - glossary: random-search
  - preset: my-grid-vs-random
  - exercise: my-first-exercise
"""


def check_title(text: str) -> str:
    """A pack title: 1 to MAX_TITLE printable characters (any script, emoji
    too); runs of spaces become one space. ValueError says what is wrong."""
    from ..content.text import printable

    title = " ".join(text.split())
    if not title:
        raise ValueError(f"the title is empty: give 1 to {MAX_TITLE} printable characters")
    bad = next((ch for ch in title if not ch.isprintable()), None)
    if bad is not None:
        shown = printable(bad) if printable(bad) != bad else f"U+{ord(bad):04X}"
        raise ValueError(f"the title holds a character that cannot be shown ({shown}): use printable characters only")
    if len(title) > MAX_TITLE:
        raise ValueError(f"the title is {len(title)} characters long; at most {MAX_TITLE} are allowed")
    return title


def _title_type(text: str) -> str:
    try:
        return check_title(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_title_type.__name__ = "title"


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import _checked

    pack = sub.add_parser("pack", help="create a teacher pack",
                          description="Teacher packs: a folder of presets and exercises used with --content DIR.")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    p = pack_sub.add_parser("init", help="create a new pack folder with a sample preset and exercise")
    p.add_argument("folder", metavar="DIR", help="the folder to create (must not exist or be empty)")
    p.add_argument("--title", default="My class", type=_title_type,
                   help=f"the pack's title, 1 to {MAX_TITLE} printable characters (default 'My class')")
    p.add_argument("--class-code", metavar="CODE", type=_checked("classroom", "check_class_code"), default=argparse.SUPPRESS,
                   help="a class code to put in pack.yaml")
    p.set_defaults(handler=cmd_init)


def pack_yaml(title: str, class_code: str | None) -> str:
    """pack.yaml for a new pack: PyYAML writes the values, so any title
    (quotes, colons, emoji, any script) reads back exactly."""
    from ..content.frontmatter import yaml_module

    values = {"title": title, **({"class_code": class_code} if class_code else {}), "extends": "bundled"}
    return PACK_HEADER + yaml_module().safe_dump(values, allow_unicode=True, sort_keys=False, width=1000)


def learning_path_yaml(title: str) -> str:
    """learning-path.yaml for a new pack: the sample's steps under the pack's title."""
    from ..content.frontmatter import yaml_module

    return PATH_HEADER + yaml_module().safe_dump({"title": title}, allow_unicode=True, width=1000) + PATH_STEPS


def _cannot(folder: Path, exc: OSError) -> int:
    """A clear message for a folder that cannot be made: exit 2 for a name the
    system refuses outright, 1 for anything else (permissions, a read-only or
    special file system)."""
    from ..content.text import printable

    shown = printable(folder, 200)
    if exc.errno == errno.ENAMETOOLONG:
        print(f"hpedu pack init: error: the folder name is too long for the system ({len(str(folder)):,} characters; "
              f"a path holds at most 4,095 and each name in it 255 bytes): {shown}", file=sys.stderr)
        return 2
    print(f"hpedu pack init: error: cannot create the pack in {shown}: {exc.strerror or exc}", file=sys.stderr)
    return 1


def cmd_init(args: argparse.Namespace) -> int:
    from ..content import load_content
    from ..content.text import printable

    folder = Path(args.folder).expanduser()
    shown = printable(folder, 200)
    try:
        existed = folder.exists()
        if existed and (not folder.is_dir() or any(folder.iterdir())):
            print(f"hpedu pack init: error: {shown} already exists and is not an empty folder", file=sys.stderr)
            return 1
    except OSError as exc:
        return _cannot(folder, exc)
    code = getattr(args, "class_code", None)
    files = {
        "pack.yaml": pack_yaml(args.title, code),
        "presets/my-grid-vs-random.yaml": PRESET,
        "exercises/my-first-exercise.md": EXERCISE,
        "learning-path.yaml": learning_path_yaml(args.title),
        "README.txt": README.format(folder=shown),
    }
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _remove_partial(folder, existed)
        return _cannot(folder, exc)
    content = load_content(folder)
    for problem in content.problems:
        print(problem, file=sys.stderr)
    print(f"created the teacher pack {shown}: " + ", ".join(files))
    print(f"next: edit it, then 'hpedu check --content {shown}' and 'hpedu --content {shown}'")
    return 1 if content.problems else 0


def _remove_partial(folder: Path, existed: bool) -> None:
    """Undo a pack init that failed half-way: the folder was empty or new, so
    everything in it is ours."""
    import shutil

    try:
        if not existed:
            shutil.rmtree(folder, ignore_errors=True)
        elif folder.is_dir():
            for child in folder.iterdir():
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() and not child.is_symlink() else child.unlink()
    except OSError:
        pass

"""CLI: `hpedu pack init DIR`, a starting point for a teacher pack.

The new folder holds a `pack.yaml`, one preset and one exercise that pass
`hpedu check`; the pack is loaded on top of the bundled content, so it may
use every bundled glossary term and preset. See docs/teaching.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PACK_YAML = """\
# A teacher pack: loaded on top of hpedu's bundled content. Files here with the
# same name as a bundled file replace it; new files are added. See docs/teaching.md.
title: {title}
{class_code}extends: bundled
"""

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
    answer: 1
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

pack.yaml        title, class code, and which content it extends
presets/*.yaml   simulations with fixed seeds and locked settings
exercises/*.md   exercises (docs/exercise-format.md)
learning-path.yaml (optional) replaces the home screen's suggested path
"""


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import _checked

    pack = sub.add_parser("pack", help="create a teacher pack",
                          description="Teacher packs: a folder of presets and exercises used with --content DIR.")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    p = pack_sub.add_parser("init", help="create a new pack folder with a sample preset and exercise")
    p.add_argument("folder", metavar="DIR", help="the folder to create (must not exist or be empty)")
    p.add_argument("--title", default="My class", help="the pack's title (default 'My class')")
    p.add_argument("--class-code", metavar="CODE", type=_checked("classroom", "check_class_code"), default=argparse.SUPPRESS,
                   help="a class code to put in pack.yaml")
    p.set_defaults(handler=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    import json

    from ..content import load_content

    folder = Path(args.folder).expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"hpedu pack init: error: {folder} already exists and is not an empty folder", file=sys.stderr)
        return 1
    code = getattr(args, "class_code", None)
    files = {
        "pack.yaml": PACK_YAML.format(title=json.dumps(args.title), class_code=f"class_code: {code}\n" if code else ""),
        "presets/my-grid-vs-random.yaml": PRESET,
        "exercises/my-first-exercise.md": EXERCISE,
        "README.txt": README.format(folder=folder),
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content = load_content(folder)
    for problem in content.problems:
        print(problem, file=sys.stderr)
    print(f"created the teacher pack {folder}: " + ", ".join(files))
    print(f"next: edit it, then 'hpedu check --content {folder}' and 'hpedu --content {folder}'")
    return 1 if content.problems else 0

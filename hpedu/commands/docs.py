"""CLI: `hpedu docs [TOPIC]`, the bundled documentation, offline.

The docs (`docs/*.md`) and the worked examples (`examples/`) ship inside the
package: a wheel carries them as `hpedu/_docs` and `hpedu/_examples` (hatch
force-include, like the content as `hpedu/_content`); a source checkout
(editable install) has them at the repository root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "bundled_dir", "docs_dir", "examples_dir", "topics", "cmd_docs"]

#: the folder in the repository -> its name inside the installed package
PACKAGED = {"docs": "_docs", "examples": "_examples"}


def bundled_dir(name: str, package: Path | None = None) -> Path | None:
    """The bundled folder `name` ("docs" or "examples"): inside the installed
    package first, else next to it in a source checkout; None when neither exists."""
    package = package if package is not None else Path(__file__).resolve().parent.parent
    for candidate in (package / PACKAGED[name], package.parent / name):
        if candidate.is_dir():
            return candidate
    return None


def docs_dir(package: Path | None = None) -> Path | None:
    return bundled_dir("docs", package)


def examples_dir(package: Path | None = None) -> Path | None:
    return bundled_dir("examples", package)


def topics(folder: Path) -> dict[str, tuple[Path, str]]:
    """Topic name -> (file, title): every `*.md` in the docs folder, by name;
    the title is the file's first `# ` heading."""
    found = {}
    for path in sorted(folder.glob("*.md")):
        title = ""
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("# "):
                    title = line[2:].strip()
                    break
        found[path.stem] = (path, title)
    return found


def register(sub: argparse._SubParsersAction) -> None:
    docs = sub.add_parser("docs", help="list the bundled documentation, or print one topic (works offline)")
    docs.add_argument("topic", nargs="?", help="a topic, e.g. teaching, content-format, simulator")
    docs.add_argument("--path", action="store_true", help="print where the topic's file (or the docs folder) is")
    docs.set_defaults(handler=cmd_docs)


def cmd_docs(args: argparse.Namespace) -> int:
    folder = docs_dir()
    if folder is None:
        print("hpedu docs: the bundled documentation is missing from this installation "
              f"(looked for {Path(__file__).resolve().parent.parent / PACKAGED['docs']})", file=sys.stderr)
        return 1
    known = topics(folder)
    if args.topic is None:
        if args.path:
            print(folder)
            return 0
        width = max(map(len, known), default=0)
        print("Bundled documentation (hpedu docs TOPIC prints one):")
        for name, (_, title) in known.items():
            print(f"  {name:<{width}}  {title}")
        examples = examples_dir()
        if examples is not None:
            print(f"Worked examples (a teacher pack to copy): {examples}")
        return 0
    name = args.topic.strip().lower().removesuffix(".md")
    if name not in known:
        print(f"hpedu docs: no topic {args.topic!r}; topics: {', '.join(known)}", file=sys.stderr)
        return 1
    path = known[name][0]
    if args.path:
        print(path)
        return 0
    text = path.read_text(encoding="utf-8")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0

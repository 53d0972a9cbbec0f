"""The `hpedu` command line: a thin shell over hpedu.content, hpedu.tuning and hpedu.tui.

Each group of sub-commands lives in `hpedu/commands/<group>.py` and exposes
`register(subparsers)`; handlers are imported lazily so `hpedu --help` and the
first screen of the app stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    from .commands import content as content_cmds
    from .commands import tuning as tuning_cmds

    parser = argparse.ArgumentParser(
        prog="hpedu",
        description="Learn hyperparameters and hyperparameter tuning: a glossary tied to live simulations.",
        epilog="Run 'hpedu' with no command to open the app. 'hpedu COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"hpedu {__version__}")
    add_content_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = sub.add_parser("app", help="open the terminal app (the default)")
    add_content_option(app)
    app.set_defaults(handler=run_app)
    content_cmds.register(sub)
    tuning_cmds.register(sub)
    return parser


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="content folder to use instead of the bundled one (also: HPEDU_CONTENT)",
    )


def content_dir(args: argparse.Namespace):
    """The content folder chosen by --content, HPEDU_CONTENT or the bundled copy."""
    from .content.locate import resolve_content_dir

    return resolve_content_dir(getattr(args, "content", None) or os.environ.get("HPEDU_CONTENT") or None)


def run_app(args: argparse.Namespace) -> int:
    from .tui.app import make_app

    app = make_app(content_dir=content_dir(args))
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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

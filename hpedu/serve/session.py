"""One served learner's app: the process `hpedu serve` starts for each browser tab.

    python -m hpedu.serve.session --content DIR [--class-code CODE] [--ask-name] [--content-checked]

Only the server starts it, with an argument list it builds itself (never a
shell line); the learner's name, when the page gave one, comes in the
environment as HPEDU_PROFILE, already validated by the server and checked
again here; HPEDU_DATA_DIR is the server's data folder. Textual's web driver
(TEXTUAL_DRIVER, set by textual-serve) talks to the server over stdin and
stdout.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Sequence


def _end_with_parent() -> None:
    """Linux: a SIGTERM when the server dies, even by SIGKILL (the web driver
    then quits the app), so no session outlives its server."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the server died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    from ..cli import no_collection, prepare_numpy

    prepare_numpy()
    _end_with_parent()
    parser = argparse.ArgumentParser(prog="python -m hpedu.serve.session")
    parser.add_argument("--content", required=True)
    parser.add_argument("--class-code", default=None)
    parser.add_argument("--ask-name", action="store_true")
    parser.add_argument("--content-checked", action="store_true",
                        help="the server's deep check of the content found nothing: skip the app's own")
    args = parser.parse_args(argv)
    with no_collection():
        from ..classroom import check_class_code
        from ..content import load_content
        from ..progress import DEFAULT_PROFILE, check_profile
        from ..tui.app import make_app

        profile = check_profile(os.environ.get("HPEDU_PROFILE") or DEFAULT_PROFILE)
        code = check_class_code(args.class_code) if args.class_code else None
        content = load_content(args.content)
        app = make_app(content=content, profile=profile, class_code=code, ask_name=args.ask_name)
        if args.content_checked:
            app.deep_check_delay = None  # saves numpy and scipy (about 80 MB) until the learner simulates
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())

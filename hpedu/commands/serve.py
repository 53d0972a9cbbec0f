"""CLI: `hpedu serve` runs the app for a whole class in their browsers.

Every setting is checked before the server starts (exit 2 with one line
naming the value); the content is loaded and its class code settled once,
here, so every session gets the same. The server itself: hpedu/serve/.

Exit status: 0 after Ctrl-C / SIGTERM (every session ended), 1 when the
content folder is missing or the address cannot be listened on, 2 for a
usage error.
"""

from __future__ import annotations

import argparse
import socket
import sys

EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_class_code_option, add_content_option
    from ..serve.config import (
        DEFAULT_HOST, DEFAULT_IDLE_MINUTES, DEFAULT_MAX_SESSIONS, DEFAULT_PORT, IDLE_MINUTES_LIMIT, MAX_SESSIONS_LIMIT,
    )

    p = sub.add_parser(
        "serve", help="serve the app to a class's browsers (one app per tab, progress per learner)",
        description="Serve hpedu to browsers: each tab gets its own app, asks the learner's name (or takes "
        "?name= from the address) and keeps that learner's progress in the server's data folder. "
        "Listens on this machine only unless --host says otherwise; then learners need the join code.",
    )
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for the whole network, "
                   "which requires a join code)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--join-code", metavar="CODE", default=None,
                   help="the code learners type to join (4-64 letters, digits, '-' or '_'; case matters); generated "
                   "(8 characters) and printed when the host is not this machine only. 10 wrong codes within a minute "
                   "from one address lock it out for a minute")
    p.add_argument("--max-sessions", type=int, default=DEFAULT_MAX_SESSIONS, metavar="N",
                   help=f"learners at once, 1-{MAX_SESSIONS_LIMIT} (default {DEFAULT_MAX_SESSIONS}, what a 2-core "
                   "laptop serves: benchmarks/README.md); past it a newcomer gets a 'class is full' page")
    p.add_argument("--idle-minutes", type=float, default=DEFAULT_IDLE_MINUTES, metavar="M",
                   help=f"end a session after M minutes without input: a key, the mouse or a resize (default {DEFAULT_IDLE_MINUTES}, "
                   f"at most {IDLE_MINUTES_LIMIT}); its progress is saved")
    p.add_argument("--data", metavar="DIR", default=None,
                   help="folder for the learners' progress, one file per learner (default: 'classroom' in the "
                   "user data folder)")
    add_content_option(p)
    add_class_code_option(p)
    p.set_defaults(handler=cmd_serve)


def fail(message: str, code: int) -> int:
    print(f"hpedu serve: error: {message}", file=sys.stderr)
    return code


def default_data_dir():
    from ..progress import data_dir

    return data_dir() / "classroom"


def cmd_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..cli import class_code, content_dir
    from ..progress import DataDirError, check_data_dir
    from ..serve.config import ServeConfig, check_join_code, is_loopback, new_join_code

    try:
        join = check_join_code(args.join_code) if args.join_code is not None else None
        if join is None and not is_loopback(args.host):
            join = new_join_code()
        data = Path(args.data).expanduser() if args.data else default_data_dir()
        check_data_dir(folder=data)
        content_folder = content_dir(args)
    except (ValueError, DataDirError) as exc:
        return fail(str(exc), EXIT_USAGE)
    except FileNotFoundError as exc:
        return fail(str(exc), 1)
    from ..content import load_content

    try:
        content = load_content(content_folder)
        deep = load_content(content_folder, deep=True)  # once here, instead of in every session
        code = class_code(args, content)
        config = ServeConfig(host=args.host, port=args.port, content_dir=Path(content_folder).resolve(),
                             data_dir=data.resolve(), class_code=code, max_sessions=args.max_sessions,
                             idle_minutes=args.idle_minutes, join_code=join,
                             content_checked=deep.problems == content.problems)
    except FileNotFoundError as exc:
        return fail(str(exc), 1)
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    try:
        (config.data_dir / "profiles").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return fail(f"cannot create the data folder {config.data_dir}: {exc.strerror or exc}", EXIT_USAGE)
    if deep.problems:
        print(f"hpedu serve: {len(deep.problems)} content problem(s); 'hpedu check' lists them. "
              "Learners can see them with !.", file=sys.stderr)

    from ..serve.server import ClassroomServer

    server = ClassroomServer(config)
    try:
        server.serve(announce=lambda: announce(config))
    except OSError as exc:
        return fail(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}", 1)
    print("hpedu serve: stopped; every session ended.", flush=True)
    return 0


def _addresses(host: str) -> list[str]:
    """Where learners can reach a server on `host`: the host itself, or this machine's address for 0.0.0.0 / ::."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"[{host}]" if ":" in host else host]
    found = []
    try:  # the address this machine uses to reach the network (nothing is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    found.append(socket.gethostname())
    return found


def announce(config) -> None:
    urls = [f"http://{address}:{config.port}/" for address in _addresses(config.host)]
    lines = [f"hpedu serve: open {urls[0]} in a browser" + (f" (or {', '.join(urls[1:])})" if urls[1:] else "")]
    if config.join_code:
        lines.append(f"  join code: {config.join_code}   (learners type it on the first page; "
                     f"or give them {urls[0]}?code={config.join_code})")
    lines.append(f"  a learner's own link: {urls[0]}?name=NAME  (else the app asks the name)")
    lines.append(f"  up to {config.max_sessions} learners at once; a session ends when its tab closes "
                 f"or after {config.idle_minutes:g} min without input")
    if config.class_code:
        lines.append(f"  class code: {config.class_code} (every session's simulations)")
    lines.append(f"  progress: {config.data_dir / 'profiles'} (one file per learner)")
    lines.append(f"  live report for the teacher: hpedu class report --data {config.data_dir} --watch")
    lines.append("  Ctrl-C stops the server and every session.")
    print("\n".join(lines), flush=True)

"""The classroom web server: textual-serve, one app process per browser tab.

How a tab becomes a session:
0. A request that a page of another site made (its Origin header is not
   the address the browser asked for, the Host header), or, on a server for
   this machine only, one under a name that is not this machine's (DNS
   rebinding), is refused (403) before anything else, at `/` and at
   `/ws/<ticket>` (guard.py).
1. `GET /` checks the join code (when the server has one: the `code` field
   of the join form, compared in constant time, then a cookie holding a
   random server token; after 10 wrong codes within a minute from one
   address, that address is refused for a minute, right code included:
   guard.py), the learner's name from `?name=` (the profile
   rules, `hpedu.progress.check_profile`) and the session cap, and only then
   hands out a one-time ticket (a random token, good for TICKET_SECONDS) in
   the page's websocket address `/ws/<ticket>`. A ticket holds a place.
2. `GET /ws/<ticket>` without a valid ticket is refused (403) before
   anything starts. With one, the server starts
   `python -m hpedu.serve.session --content DIR [--class-code C] [--ask-name]`
   (and `--content-checked` when the server's one deep check of the content
   found nothing: the sessions then skip theirs)
   with an argument list it built itself (no shell); the name, if any, goes
   in the environment as HPEDU_PROFILE. Nothing the browser sends chooses a
   command, a content folder or a file path.
3. The session ends when the tab closes (the websocket closes), when the
   app quits, or after `idle_minutes` without input (a key, the mouse, a resize); stopping
   the server (SIGINT, SIGTERM) ends every session, and a session process
   also ends if the server dies (hpedu/serve/session.py).

textual-serve's private API used here, all in this module (checked against
textual-serve 1.1.3): `AppService._open_app_process` is overridden to start
the process without a shell, and sets the `_process` and `_stdin` attributes
that `AppService.run` and `AppService.send_bytes` read.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import math
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..progress import check_profile
from . import pages
from .config import ServeConfig, is_loopback, same_code
from .guard import JoinAttempts, loopback_host, same_origin

TICKET_SECONDS = 60.0
#: seconds between pings to each browser; a tab that has not answered within half of it is taken
#: as gone. textual-serve uses 15 (7.5 s to answer): on a busy laptop serving 20 tabs, browsers
#: answered later than that and sessions ended under learners' hands (benchmarks/README.md).
HEARTBEAT_SECONDS = 60.0
STOP_SECONDS = 3.0  # how long a session's app gets to quit before it is killed
JOIN_COOKIE = "hpedu_join"
#: variables of the server's environment a session must not inherit: the server decides these
_SESSION_DECIDES = ("HPEDU_PROFILE", "HPEDU_CONTENT", "HPEDU_CLASS_CODE", "HPEDU_DATA_DIR", "TEXTUAL")


class SessionAppService(AppService):
    """textual-serve's AppService, started from an argument list without a shell."""

    def __init__(self, argv: list[str], env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        env = dict(self.env, COLUMNS=str(width), ROWS=str(height))
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C in the teacher's terminal goes to the server, which ends each session in order
        )
        self._process = self.process  # read by AppService.run
        self._stdin = self.process.stdin  # read by AppService.send_bytes / send_meta
        return self.process


@dataclass(eq=False)
class Session:
    name: str | None
    service: SessionAppService
    websocket: web.WebSocketResponse
    last_input: float = field(default_factory=time.monotonic)
    ended: str = ""  # why it ended: "tab closed", "idle", "server stopped"


def log(message: str) -> None:
    print(f"hpedu serve: {time.strftime('%H:%M:%S')} {message}", flush=True)


def _clamp(value: Any, low: int, high: int, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


class ClassroomServer(Server):
    """textual-serve's Server with a join code, a session cap, one learner per tab and an idle limit."""

    def __init__(self, config: ServeConfig, *, title: str = "hpedu") -> None:
        super().__init__(command="hpedu", host=config.host, port=config.port, title=title)
        self.config = config
        self.statics_path = Path(__import__("textual_serve").__file__).parent / "static"
        self._join_token = secrets.token_urlsafe(32)  # the cookie a browser gets once it gave the join code
        self.attempts = JoinAttempts()  # wrong join codes per address
        self._loopback_only = is_loopback(config.host)
        self._tickets: dict[str, tuple[str | None, float]] = {}  # ticket -> (learner name, expiry)
        self.sessions: set[Session] = set()
        self.started = 0  # app processes started since the server began (tests, benchmarks)
        self._stopping = False

    # ----- the command line of a session: built here only -----------------
    def session_argv(self, ask_name: bool) -> list[str]:
        argv = [sys.executable, "-m", "hpedu.serve.session", "--content", str(self.config.content_dir)]
        if self.config.class_code:
            argv += ["--class-code", self.config.class_code]
        if ask_name:
            argv.append("--ask-name")
        if self.config.content_checked:
            argv.append("--content-checked")
        return argv

    def session_env(self, name: str | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SESSION_DECIDES}
        env.update({
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_FPS": "30",  # textual-serve uses 60; 30 halves the redraws of a playing simulation
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "TERM_PROGRAM": "textual",
            "HPEDU_DATA_DIR": str(self.config.data_dir),
        })
        if name is not None:
            env["HPEDU_PROFILE"] = check_profile(name)
        return env

    # ----- places ------------------------------------------------------------
    def places_taken(self) -> int:
        now = time.monotonic()
        for ticket in [t for t, (_, expiry) in self._tickets.items() if expiry < now]:
            del self._tickets[ticket]
        return len(self.sessions) + len(self._tickets)

    # ----- HTTP ----------------------------------------------------------------
    def build_web_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
            # no /download/{key}: textual-serve's route for files an app delivers, checked
            # against no join code or origin; hpedu's app delivers none
            web.static("/static", self.statics_path, name="static"),
        ])
        return app

    def _joined(self, request: web.Request) -> bool:
        if self.config.join_code is None:
            return True
        cookie = request.cookies.get(JOIN_COOKIE, "")
        return hmac.compare_digest(cookie.encode("utf-8", "replace"), self._join_token.encode("ascii"))

    def _refusal(self, request: web.Request, what: str) -> str | None:
        """Why a request must be refused before anything else (logged), or None: a page of another site
        made it (its Origin), or it names a host that is not this machine to a server for this machine
        only (a site's name pointed at 127.0.0.1: DNS rebinding)."""
        origin, host = request.headers.get("Origin"), request.headers.get("Host")
        if self._loopback_only and not loopback_host(host):
            log(f"refused {what} for host {host!r} (from {request.remote})")
            return (f"This server is for this machine only: open it as http://127.0.0.1:{self.config.port}/ "
                    f"or http://localhost:{self.config.port}/, not under the name {host!r}.")
        if not same_origin(origin, host):
            log(f"refused {what} from a page of {origin!r} (from {request.remote})")
            return (f"A page of {origin!r} asked to start a session of this class. Open this server's own "
                    "address, the one your teacher gives, instead.")
        return None

    def _locked_response(self, seconds: float) -> web.Response:
        wait = max(1, math.ceil(seconds))
        return web.Response(text=pages.locked_page(wait, self.attempts.limit, self.attempts.window),
                            content_type="text/html", status=429, headers={"Retry-After": str(wait)})

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        html = "text/html"
        refusal = self._refusal(request, "the class page")
        if refusal is not None:
            return web.Response(text=pages.error_page("Refused", refusal), content_type=html, status=403)
        query = request.query
        name = query.get("name", "").strip()
        if not self._joined(request):
            locked = self.attempts.locked_for(request.remote)
            if locked:  # the code is not even compared
                return self._locked_response(locked)
            if "code" not in query:
                return web.Response(text=pages.join_page(ask_code=True, name=name), content_type=html)
            if self.config.join_code is None or not same_code(query.get("code"), self.config.join_code):
                locked = self.attempts.wrong(request.remote)
                if locked:
                    log(f"{self.attempts.limit} wrong join codes from {request.remote}: "
                        f"refused for {locked:g} s")
                    return self._locked_response(locked)
                return web.Response(text=pages.join_page(ask_code=True, name=name,
                                                         error="That join code is not this class's. Check it and try again."),
                                    content_type=html, status=403)
            self.attempts.right(request.remote)
            response = web.HTTPSeeOther(location=str(request.rel_url.with_query({"name": name} if name else {})))
            response.set_cookie(JOIN_COOKIE, self._join_token, httponly=True, samesite="Strict", path="/")
            return response
        if name:
            try:
                name = check_profile(name)
            except ValueError as exc:
                return web.Response(text=pages.join_page(ask_code=False, name=name, error=str(exc)),
                                    content_type=html, status=400)
        if self._stopping:
            return web.Response(text=pages.error_page("The server is stopping", "Ask your teacher."),
                                content_type=html, status=503)
        if self.places_taken() >= self.config.max_sessions:
            return web.Response(text=pages.full_page(self.config.max_sessions), content_type=html, status=503)
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = (name or None, time.monotonic() + TICKET_SECONDS)
        scheme = "wss" if request.secure else "ws"
        ws_url = f"{scheme}://{request.host}/ws/{ticket}"
        font_size = _clamp(query.get("fontsize"), 8, 40, 16)
        return web.Response(text=pages.app_page(websocket_url=ws_url, title=self.title, font_size=font_size),
                            content_type=html, headers={"Cache-Control": "no-store"})

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:  # type: ignore[override]
        refusal = self._refusal(request, "a websocket")
        if refusal is not None:  # checked before the ticket is looked at: it stays unused
            raise web.HTTPForbidden(text=refusal)
        entry = self._tickets.pop(request.match_info["ticket"], None)
        if entry is None or entry[1] < time.monotonic() or self._stopping:
            raise web.HTTPForbidden(text="No such session: open the class page again.")
        name = entry[0]
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        await websocket.prepare(request)
        width = _clamp(request.query.get("width"), 10, 500, 80)
        height = _clamp(request.query.get("height"), 5, 300, 24)
        service = SessionAppService(
            self.session_argv(ask_name=name is None), self.session_env(name),
            write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
            download_manager=self.download_manager,
        )
        session = Session(name, service, websocket)
        self.sessions.add(session)
        watchdog = asyncio.create_task(self._watch_idle(session))
        who = name or "a learner (name asked in the app)"
        try:
            self.started += 1
            await service.start(width, height)
            log(f"session started for {who} ({len(self.sessions)} running)")
            await self._relay(session)
            lost = websocket.exception()
            session.ended = session.ended or (f"the browser stopped answering ({lost})" if lost else "tab closed or app quit")
        except asyncio.CancelledError:
            session.ended = session.ended or "server stopped"
        finally:
            watchdog.cancel()
            await self._end_session(session)
            log(f"session of {who} ended: {session.ended or 'error'} ({len(self.sessions)} running)")
        return websocket

    async def _relay(self, session: Session) -> None:
        """Browser to app: keys, resizes, focus; pings answered here. Anything else is ignored."""
        service, websocket = session.service, session.websocket
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)  # ["focus"] has no data
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                session.last_input = time.monotonic()
                await service.set_terminal_size(_clamp(data.get("width"), 10, 500, 80),
                                                _clamp(data.get("height"), 5, 300, 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _watch_idle(self, session: Session) -> None:
        limit = self.config.idle_seconds
        while True:
            left = session.last_input + limit - time.monotonic()
            if left <= 0:
                session.ended = f"idle for {self.config.idle_minutes:g} min"
                await session.websocket.close(message=b"idle")  # ends _relay, then the process
                return
            await asyncio.sleep(left)

    async def _end_session(self, session: Session) -> None:
        """Ask the app to quit; kill it if it has not within STOP_SECONDS. Safe to call twice."""
        service = session.service
        try:
            await asyncio.wait_for(service.stop(), STOP_SECONDS)
        except (asyncio.TimeoutError, Exception):  # a broken pipe: the app is gone already
            pass
        process = service.process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        if not session.websocket.closed:
            await session.websocket.close()
        self.sessions.discard(session)

    async def end_all(self) -> None:
        self._stopping = True
        self._tickets.clear()
        for session in list(self.sessions):
            session.ended = session.ended or "server stopped"
        await asyncio.gather(*(self._end_session(s) for s in list(self.sessions)), return_exceptions=True)

    # ----- running -----------------------------------------------------------
    async def run(self, announce=None) -> None:
        """Listen until SIGINT or SIGTERM, then end every session and return."""
        runner = web.AppRunner(self.build_web_app(), handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await web.TCPSite(runner, self.config.host, self.config.port).start()
            if announce is not None:
                announce()
            await stop.wait()
        finally:
            await self.end_all()
            await runner.cleanup()

    def serve(self, debug: bool = False, announce=None) -> None:  # type: ignore[override]
        asyncio.run(self.run(announce))

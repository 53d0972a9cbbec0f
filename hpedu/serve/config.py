"""The settings of `hpedu serve`, validated before anything starts.

Pure: standard library only (no aiohttp, no Textual), so the command line
refuses a bad value within a moment and the tests check the rules directly.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: what one 2-core laptop serves with every learner stepping a simulation (benchmarks/README.md, serve_load.py)
DEFAULT_MAX_SESSIONS = 30
MAX_SESSIONS_LIMIT = 200
DEFAULT_IDLE_MINUTES = 30
IDLE_MINUTES_LIMIT = 24 * 60
#: letters a learner cannot confuse when typing a join code read off a projector (no 0/O, 1/l/I)
JOIN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
JOIN_CODE_LENGTH = 8
_JOIN_CODE = re.compile(r"^[A-Za-z0-9_-]{4,64}$")


def is_loopback(host: str) -> bool:
    """True for 'localhost' and loopback addresses (127.0.0.0/8, ::1): only this machine can connect."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to an address others reach


def new_join_code() -> str:
    """A random join code of JOIN_CODE_LENGTH characters from JOIN_ALPHABET (about 40 bits)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def check_join_code(code: str) -> str:
    """`code` stripped; ValueError says what a join code may contain."""
    stripped = code.strip() if isinstance(code, str) else ""
    if not _JOIN_CODE.match(stripped):
        raise ValueError(f"invalid join code {code!r}: use 4 to 64 letters, digits, '-' or '_'")
    return stripped


def same_code(given: str | None, expected: str) -> bool:
    """The join code typed equals the server's, compared in constant time."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))


def check_int(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


@dataclass(frozen=True)
class ServeConfig:
    """Everything a served session is started with; only the server sets it."""

    host: str
    port: int
    content_dir: Path  # resolved, absolute
    data_dir: Path  # resolved, absolute: <data>/profiles/<learner>.json
    class_code: str | None
    max_sessions: int
    idle_minutes: float
    join_code: str | None  # None only on a loopback host without --join-code
    content_checked: bool = False  # the deep check (presets against the engine) found nothing new

    def __post_init__(self) -> None:
        check_int("--port", self.port, 1, 65535)
        check_int("--max-sessions", self.max_sessions, 1, MAX_SESSIONS_LIMIT)
        if not 0 < self.idle_minutes <= IDLE_MINUTES_LIMIT:
            raise ValueError(f"--idle-minutes must be above 0 and at most {IDLE_MINUTES_LIMIT}, got {self.idle_minutes:g}")
        if self.join_code is None and not is_loopback(self.host):
            raise ValueError(f"--host {self.host} is reachable from other machines: a join code is required")
        if self.join_code is not None:
            check_join_code(self.join_code)

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60.0

"""The door of `hpedu serve`: wrong join codes counted per address, and the
page's origin checked. Pure: standard library only, so the rules are tested
directly (tests/unit/test_serve_guard.py) and the server (server.py) only
asks them.

- `JoinAttempts`: after WRONG_CODES_LIMIT wrong join codes from one address
  within WRONG_CODES_WINDOW seconds, that address is refused for
  LOCK_SECONDS, the right code included (it is not even compared). With the
  8-character codes of config.py (31 letters: 31**8, about 8.5e11 codes),
  one address would need about 80,000 years on average to guess one.
- `same_origin`: a browser names the page that opened a websocket or made a
  request in its Origin header; a page of another site must not start
  sessions, so its Origin's host:port must be the one the browser asked for
  (the Host header). `loopback_host` adds what the Origin cannot catch on a
  server for this machine only: a site whose name was made to point at
  127.0.0.1 (DNS rebinding) has an Origin that matches its own Host, so such
  a server answers only to the names of this machine (localhost, 127.x, ::1).
"""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from typing import Callable
from urllib.parse import urlsplit

from .config import is_loopback

WRONG_CODES_LIMIT = 10
WRONG_CODES_WINDOW = 60.0  # seconds
LOCK_SECONDS = 60.0
#: addresses remembered at once; past it the ones with nothing recent are forgotten first
TRACKED_ADDRESSES_LIMIT = 10_000


def address_key(address: str | None) -> str:
    """Who is counted: an IPv4 address, or the /64 network of an IPv6 one (one machine
    may hold a whole /64 and change addresses at will)."""
    if not address:
        return "?"
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class JoinAttempts:
    """Wrong join codes per address; an address with too many is locked out for a while."""

    def __init__(self, *, limit: int = WRONG_CODES_LIMIT, window: float = WRONG_CODES_WINDOW,
                 lock: float = LOCK_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.lock, self.clock = limit, window, lock, clock
        self._wrong: dict[str, deque[float]] = {}  # address -> times of its recent wrong codes
        self._locked: dict[str, float] = {}  # address -> when its lock ends

    def locked_for(self, address: str | None) -> float:
        """Seconds left of this address's lock; 0 when it may try a code."""
        key = address_key(address)
        until = self._locked.get(key)
        if until is None:
            return 0.0
        left = until - self.clock()
        if left <= 0:
            del self._locked[key]
            return 0.0
        return left

    def wrong(self, address: str | None) -> float:
        """Count a wrong code; the seconds of the lock it starts (the limit-th within the window), else 0."""
        key, now = address_key(address), self.clock()
        times = self._wrong.setdefault(key, deque())
        times.append(now)
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            del self._wrong[key]
            self._locked[key] = now + self.lock
            return self.lock
        if len(self._wrong) > TRACKED_ADDRESSES_LIMIT:
            self._forget_old(now)
        return 0.0

    def right(self, address: str | None) -> None:
        """The right code: this address's earlier mistakes are forgotten."""
        self._wrong.pop(address_key(address), None)

    def _forget_old(self, now: float) -> None:
        for key in [k for k, t in self._wrong.items() if t[-1] <= now - self.window]:
            del self._wrong[key]
        for key in [k for k, until in self._locked.items() if until <= now]:
            del self._locked[key]
        while len(self._wrong) > TRACKED_ADDRESSES_LIMIT:  # all recent: the longest quiet goes
            del self._wrong[min(self._wrong, key=lambda k: self._wrong[k][-1])]


def _host_port(netloc: str, default_port: int) -> tuple[str, int] | None:
    if not netloc or "@" in netloc:
        return None
    try:
        parts = urlsplit("//" + netloc)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    if not parts.hostname or parts.path or parts.query or parts.fragment:
        return None
    return parts.hostname.rstrip("."), port if port is not None else default_port


def same_origin(origin: str | None, host: str | None) -> bool:
    """True when there is no Origin header (not a page's script: a typed address, a form, curl)
    or when its host:port is the Host the request was sent to; False for any other site, a
    malformed origin, or 'null' (a sandboxed page or a local file)."""
    if origin is None:
        return True
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/") or parts.query or parts.fragment:
        return False
    default_port = 443 if parts.scheme == "https" else 80
    own = _host_port(parts.netloc, default_port)
    return own is not None and own == _host_port(host or "", default_port)


def loopback_host(host: str | None) -> bool:
    """The Host header names this machine (localhost, 127.0.0.0/8, ::1), with or without a port."""
    found = _host_port(host or "", 80)
    return found is not None and is_loopback(found[0])

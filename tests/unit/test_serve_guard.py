"""hpedu serve's door (hpedu/serve/guard.py): wrong join codes per address, and the page's origin.
The server's use of both, over HTTP: tests/browser/test_serve_door.py."""

from __future__ import annotations

import pytest

from hpedu.serve.guard import JoinAttempts, address_key, loopback_host, same_origin


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def attempts(clock: Clock) -> JoinAttempts:
    return JoinAttempts(limit=10, window=60.0, lock=60.0, clock=clock)


def test_the_tenth_wrong_code_within_a_minute_locks_the_address_for_a_minute():
    clock = Clock()
    door = attempts(clock)
    for _ in range(9):
        assert door.wrong("10.0.0.7") == 0.0
        clock.now += 5
    assert door.locked_for("10.0.0.7") == 0.0
    assert door.wrong("10.0.0.7") == 60.0  # the tenth, 45 s after the first
    assert door.locked_for("10.0.0.7") == 60.0
    assert door.locked_for("10.0.0.8") == 0.0  # another machine is not locked
    clock.now += 59.5
    assert door.locked_for("10.0.0.7") == 0.5
    clock.now += 0.5
    assert door.locked_for("10.0.0.7") == 0.0
    assert door.wrong("10.0.0.7") == 0.0  # the count starts again after a lock


def test_wrong_codes_older_than_the_window_do_not_count():
    clock = Clock()
    door = attempts(clock)
    for _ in range(20):  # one every 7 s: never 10 within 60 s
        assert door.wrong("10.0.0.7") == 0.0
        clock.now += 7
    assert door.locked_for("10.0.0.7") == 0.0


def test_the_right_code_forgets_earlier_mistakes():
    clock = Clock()
    door = attempts(clock)
    for _ in range(9):
        door.wrong("10.0.0.7")
    door.right("10.0.0.7")
    assert door.wrong("10.0.0.7") == 0.0


def test_an_ipv6_machine_is_counted_by_its_64_network():
    assert address_key("2001:db8:1:2::5") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::5") != address_key("2001:db8:1:2::5")
    assert address_key("::ffff:10.0.0.7") == "10.0.0.7"
    clock = Clock()
    door = attempts(clock)
    for i in range(10):
        door.wrong(f"2001:db8:1:2::{i + 1:x}")
    assert door.locked_for("2001:db8:1:2::abcd") == 60.0


@pytest.mark.parametrize(("origin", "host"), [
    (None, "127.0.0.1:8000"),  # no Origin: a typed address, a form, a script outside a browser
    ("http://127.0.0.1:8000", "127.0.0.1:8000"),
    ("http://localhost:8000", "localhost:8000"),
    ("http://LocalHost:8000", "localhost:8000"),
    ("http://192.168.1.20:8000", "192.168.1.20:8000"),  # --host 0.0.0.0, opened at the LAN address
    ("http://[::1]:8000", "[::1]:8000"),
    ("http://mylaptop", "mylaptop:80"),
    ("http://mylaptop:80", "mylaptop"),
    ("https://lab.example.org", "lab.example.org"),  # behind an https proxy that keeps the Host
])
def test_the_servers_own_pages_pass(origin, host):
    assert same_origin(origin, host)


@pytest.mark.parametrize(("origin", "host"), [
    ("http://evil.example", "127.0.0.1:8000"),
    ("http://evil.example:8000", "127.0.0.1:8000"),
    ("http://localhost:8000", "127.0.0.1:8000"),  # another origin for the browser
    ("http://127.0.0.1:8000", "localhost:8000"),
    ("http://127.0.0.1:9000", "127.0.0.1:8000"),  # another server on this machine
    ("http://127.0.0.1", "127.0.0.1:8000"),
    ("http://192.168.1.20:8000", "192.168.1.21:8000"),
    ("null", "127.0.0.1:8000"),  # a sandboxed page or a local file
    ("", "127.0.0.1:8000"),
    ("file://", "127.0.0.1:8000"),
    ("ws://127.0.0.1:8000", "127.0.0.1:8000"),
    ("http://127.0.0.1:8000/page", "127.0.0.1:8000"),
    ("http://x@127.0.0.1:8000", "127.0.0.1:8000"),
    ("http://127.0.0.1:80000", "127.0.0.1:80000"),
    ("http://127.0.0.1:8000", None),  # no Host to compare with
    ("http://127.0.0.1:8000", ""),
])
def test_other_sites_and_malformed_origins_are_refused(origin, host):
    assert not same_origin(origin, host)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "127.0.0.1", "[::1]:8000", "127.8.9.1:80"])
def test_names_of_this_machine(host):
    assert loopback_host(host)


@pytest.mark.parametrize("host", ["evil.example:8000", "192.168.1.20:8000", "localhost.evil.example", "127.0.0.1.evil.example",
                                  "", None, "[::1", "127.0.0.1:x"])
def test_other_names_are_not_this_machine(host):
    assert not loopback_host(host)

"""hpedu serve's settings: refused before anything starts (no browser here; tests/browser runs the server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.serve.config import JOIN_ALPHABET, ServeConfig, is_loopback, new_join_code, same_code


def config(**changes) -> ServeConfig:
    settings = dict(host="127.0.0.1", port=8000, content_dir=Path("/c"), data_dir=Path("/d"), class_code=None,
                    max_sessions=30, idle_minutes=30, join_code=None)
    settings.update(changes)
    return ServeConfig(**settings)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "localhost", "LOCALHOST", "::1", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "mylaptop", "example.org", ""])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback(host)


def test_a_host_others_reach_needs_a_join_code():
    with pytest.raises(ValueError, match="--host 0.0.0.0 is reachable from other machines: a join code is required"):
        config(host="0.0.0.0")
    assert config(host="0.0.0.0", join_code="abcd").join_code == "abcd"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("port", 0, "--port must be between 1 and 65535, got 0"),
    ("max_sessions", 0, "--max-sessions must be between 1 and 200, got 0"),
    ("max_sessions", 201, "--max-sessions must be between 1 and 200, got 201"),
    ("idle_minutes", 0, "--idle-minutes must be above 0 and at most 1440, got 0"),
    ("join_code", "abc", "invalid join code 'abc': use 4 to 64 letters"),
])
def test_bad_settings_are_refused_with_the_value(field, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        config(**{field: value})


def test_join_codes_compare_exactly():
    assert same_code("k7mq2xpa", "k7mq2xpa")
    assert same_code(" k7mq2xpa ", "k7mq2xpa")  # spaces around a typed code
    assert not same_code("k7mq2xp", "k7mq2xpa")
    assert not same_code("K7MQ2XPA", "k7mq2xpa")
    assert not same_code(None, "k7mq2xpa")
    assert not same_code("", "k7mq2xpa")


def test_generated_join_codes():
    codes = {new_join_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 8 and set(c) <= set(JOIN_ALPHABET) for c in codes)
    assert not set(JOIN_ALPHABET) & set("01ilo")  # nothing to misread off a projector


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "70000"], "--port must be between 1 and 65535, got 70000"),
    (["--max-sessions", "0"], "--max-sessions must be between 1 and 200, got 0"),
    (["--idle-minutes", "-1"], "--idle-minutes must be above 0"),
    (["--join-code", "a b"], "invalid join code 'a b'"),
    (["--class-code", "a b"], "invalid class code 'a b'"),
])
def test_the_command_refuses_bad_values_before_serving(args, message, tmp_path, capsys):
    try:
        code = main(["serve", "--data", str(tmp_path / "class"), *args])
    except SystemExit as exc:  # argparse checks the class code
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "class").exists()  # refused before anything was made


def test_the_server_answers_only_its_own_routes() -> None:
    """textual-serve's /download/{key} (files an app delivers, with no join code
    or origin check) is left out: hpedu's app delivers none."""
    from hpedu.serve.server import ClassroomServer

    app = ClassroomServer(config()).build_web_app()
    paths = {r.resource.canonical for r in app.router.routes()}  # GET and its HEAD each
    assert paths == {"/", "/static", "/ws/{ticket}"}

"""How `hpedu` starts: opening the app skips the command modules, the parsed
options are the same as the full parser's, and the collector is back on."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from hpedu import cli


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], True),
        (["--content", "some/dir"], True),
        (["--content=some/dir", "--profile", "ana", "--class-code", "ML-101"], True),
        (["app"], False),
        (["glossary"], False),
        (["--help"], False),
        (["--version"], False),
        (["--content"], False),  # missing value: the full parser says so
        (["--profile", "--content", "x"], False),
        (["--content", "x", "check"], False),
        (["--unknown"], False),
    ],
)
def test_app_only_recognises_a_plain_start(argv: list[str], expected: bool) -> None:
    assert cli.app_only(argv) is expected


@pytest.mark.parametrize("argv", [[], ["--content", "c"], ["--profile", "ana", "--class-code=ML-101"]])
def test_the_app_parser_gives_what_the_full_parser_gives(argv: list[str]) -> None:
    small = vars(cli.build_app_parser().parse_args(argv))
    full = vars(cli.build_parser().parse_args(argv))
    # the full parser leaves the handler out when no command is given: main() then opens the app
    assert small.pop("handler") is cli.run_app and full.pop("handler", cli.run_app) is cli.run_app
    assert full.pop("command") is None
    assert small == full


def test_main_opens_the_app_with_the_small_parser_and_leaves_the_collector_on(monkeypatch) -> None:
    seen: dict = {}

    def fake_run_app(args) -> int:
        seen["args"] = vars(args)
        seen["gc"] = gc.isenabled()
        return 0

    monkeypatch.setattr(cli, "run_app", fake_run_app)
    built: list[str] = []
    monkeypatch.setattr(cli, "build_parser", lambda: built.append("full") or pytest.fail("full parser built"))
    original = cli.build_app_parser

    def small():
        parser = original()
        parser.set_defaults(handler=fake_run_app)
        return parser

    monkeypatch.setattr(cli, "build_app_parser", small)
    assert gc.isenabled()
    assert cli.main(["--profile", "ana"]) == 0
    assert seen["args"]["profile"] == "ana" and built == []
    assert seen["gc"] and gc.isenabled()


def test_a_plain_start_does_not_import_the_command_modules() -> None:
    code = (
        "import sys\n"
        "from hpedu import cli\n"
        "orig = cli.build_app_parser\n"
        "def small():\n"
        "    p = orig(); p.set_defaults(handler=lambda args: 0); return p\n"
        "cli.build_app_parser = small\n"
        "cli.main([])\n"
        "print(sorted(m for m in sys.modules if m.startswith('hpedu.commands')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

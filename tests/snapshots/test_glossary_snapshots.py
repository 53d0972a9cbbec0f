"""Snapshots of the glossary screens in a settled state (fixture content)."""

from __future__ import annotations

from pathlib import Path

from hpedu.content import load_content
from hpedu.tui.app import make_app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "good"


def _app():
    app = make_app(content=load_content(FIXTURE))
    app.deep_check_delay = 3600  # no background check during a snapshot
    return app


def test_home_screen(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24))


def test_glossary_screen(snap_compare) -> None:
    assert snap_compare(_app(), press=["g", "down"], terminal_size=(100, 30))


def test_glossary_search(snap_compare) -> None:
    assert snap_compare(_app(), press=["g", "slash", "w", "e", "i", "g", "h", "t", "enter"], terminal_size=(80, 24))

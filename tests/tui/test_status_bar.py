"""The status bar shows the class code in full, even at 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.tui.app import make_app

CONTENT = Path(__file__).parents[2] / "content"
LONG_CODE = "statistics-101-week3-lab-section"  # 32 characters, the longest a code may be


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))


def _screen_lines(app) -> list[str]:
    """The screen as the terminal shows it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_the_class_code_is_shown_in_full(size) -> None:
    app = make_app(content=load_content(CONTENT), profile="ada-lovelace", class_code=LONG_CODE)
    app.deep_check_delay = 3600
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = _screen_lines(app)
        shown = [line for line in lines if "class code" in line]
        assert shown, "no line shows the class code"
        assert f"class code: {LONG_CODE}" in shown[0]
        assert len(lines[0]) == size[0]

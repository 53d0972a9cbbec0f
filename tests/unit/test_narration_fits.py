"""Every trial's line of the bundled simulations fits the simulator's narration.

The narration has three rows from 80 to 119 columns and two from 120 (see
app.tcss, `#sim-narration`), each one padding column short at both ends. A
longer line was cut at 80x24: Hyperband's "(partial training: not counted ...)"
and Bayesian optimization's min_distance reason lost their ends."""

from __future__ import annotations

import pytest
from textual.content import Content

from hpedu.content import load_content
from hpedu.content.locate import bundled_content_dir
from hpedu.simulation import SimSettings, Simulation

#: (text columns, rows) of the narration: an 80-column terminal (the narrow layout's
#: smallest) and a 120-column one (the wide layout's smallest)
ROOM = [(80 - 2, 3), (120 - 2, 2)]

_CONTENT = load_content(bundled_content_dir())
_PRESETS = [p for p in _CONTENT.presets.values() if not (p.view == "compare" or p.methods)]


def rows(line: str, width: int) -> int:
    return len(Content.from_markup(line).wrap(width))


def test_rows_counts_wrapped_rows() -> None:
    assert rows("x" * 78, 78) == 1 and rows("word " * 20, 78) == 2


@pytest.mark.parametrize("preset", _PRESETS, ids=[p.id for p in _PRESETS])
def test_every_trial_line_fits(preset, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path))
    sim = Simulation(SimSettings.from_preset(preset, None))
    while sim.step() is not None:
        pass
    assert sim.narration
    for line in sim.narration:
        for width, room in ROOM:
            assert rows(line, width) <= room, f"{rows(line, width)} rows at {width} columns: {line}"

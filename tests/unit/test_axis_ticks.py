"""Axis tick labels: they fit and they can be told apart."""

from __future__ import annotations

import math

import pytest

from hpedu.tui.widgets._ticks import AxisTicks


@pytest.mark.parametrize(("lo", "hi"), [(0.044, 0.061), (0.0496, 0.0497), (1.01, 1.09), (2e-5, 3e-5), (1e-3, 1e2)])
@pytest.mark.parametrize("cells", [8, 20, 40])
def test_log_axis_labels_are_distinct(lo: float, hi: float, cells: int) -> None:
    ticks = AxisTicks(horizontal=False)
    ticks.log, ticks.cells = True, cells
    positions, labels = ticks.get_ticks_and_labels(math.log10(lo), math.log10(hi))
    assert positions and len(labels) == len(positions)
    assert len(set(labels)) == len(labels), labels
    for p, label in zip(positions, labels):
        # every label names its own tick to within its printed precision
        assert float(label) == pytest.approx(10.0**p, rel=0.1)


def test_narrow_log_range_gets_more_digits() -> None:
    ticks = AxisTicks(horizontal=False)
    ticks.log, ticks.cells = True, 20
    _, labels = ticks.get_ticks_and_labels(math.log10(0.044), math.log10(0.061))
    assert len(labels) >= 2
    assert any(len(label.rstrip("0")) > len("0.05") for label in labels)

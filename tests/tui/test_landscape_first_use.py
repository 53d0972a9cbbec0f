"""The first Try it (svc-digits): the shipped landscape is drawn at once; without
one (another scikit-learn), the panel shows labelled axes and a labelled
training progress until the trained landscape replaces it."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from hpedu.content import load_content
from hpedu.tui.app import make_app
from hpedu.tui.screens.simulator import SimulatorScreen
from hpedu.tuning import landscape as landscape_mod
from hpedu.tuning.objectives import models as models_mod

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def content():
    return load_content(REPO / "content")


def _app(content):
    app = make_app(content=content)
    app.deep_check_delay = 3600
    return app


async def test_first_try_draws_the_shipped_landscape_at_once(content, monkeypatch) -> None:
    def no_training(*args, **kwargs):
        raise AssertionError("the shipped landscape must be drawn without training")

    monkeypatch.setattr(models_mod, "cross_validate", no_training)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_preset("svc-digits")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulatorScreen)
        # drawn while the screen was set up: no landscape worker at all
        assert screen.landscape is not None and screen.landscape.shipped
        assert not any(w.group == "landscape" for w in screen.workers)
        plot = screen.query_one("#sim-landscape")
        assert plot.value_range is not None and plot.plot.message is None
        assert (plot.plot._x_label, plot.plot._y_label) == ("C (log)", "gamma (log)")
        (path,) = landscape_mod.SHIPPED_DIR.glob("svc-digits-*.npz")
        with np.load(path) as data:
            assert plot.value_range[0] == float(np.max(data["z"]))  # best accuracy, from the file


async def test_without_a_shipped_landscape_the_training_is_labelled(content, monkeypatch, tmp_path) -> None:
    """Another scikit-learn version: no shipped file matches, the model is
    trained, and the panel says what and how far ('training 144 SVCs ...: 38/144')
    on axes named after the parameters."""
    monkeypatch.setattr(landscape_mod, "sklearn_version", lambda: "0.0.1")
    reached, release = threading.Event(), threading.Event()
    calls = []

    def fake_cross_validate(name, params, resource=1.0):
        calls.append(name)
        if len(calls) == 39:  # 38 points are done: hold the 39th until the test has looked
            reached.set()
            release.wait(30)
        return 0.25 + 0.5 * params["C"] / 1e3

    monkeypatch.setattr(models_mod, "cross_validate", fake_cross_validate)
    app = _app(content)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_preset("svc-digits")
        await pilot.pause()
        screen = app.screen
        plot = screen.query_one("#sim-landscape")
        # the axes carry the parameter names from the start, before any point is trained
        assert (plot.plot._x_label, plot.plot._y_label) == ("C (log)", "gamma (log)")
        try:
            for _ in range(600):
                if reached.is_set() and plot.plot.message and plot.plot.message.endswith(": 38/144"):
                    break
                await pilot.pause(0.05)
            assert plot.plot.message == "training 144 SVCs (3-fold CV each): 38/144"
            assert "training 144 SVCs (3-fold CV each): 38/144" in plot.key.text.plain
            assert screen.landscape is None
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(calls) == 144
        assert screen.landscape is not None and not screen.landscape.shipped
        assert plot.plot.message is None and "training" not in plot.key.text.plain
        assert plot.value_range is not None and plot.value_range[0] == pytest.approx(0.75)

"""The settings panel in plain words (issue 14, item 3).

Labels and choice texts come from the engine's registry (`OPTION_WORDS`), the
explanation under the focused field from the option itself (`Option.help`),
the same text `hpedu methods` prints; 0 is shown and accepted as "auto" where
it means automatic; the acquisition "ucb" reads as a lower confidence bound;
a focused field is marked and the first Tab lands on a field."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input, Select, Static

from hpedu.content import load_content
from hpedu.simulation import SimSettings
from hpedu.tui.app import make_app
from hpedu.tui.screens.simulator import SimulatorScreen
from hpedu.tui.widgets.settings import SettingsPanel
from hpedu.tuning import registry
from hpedu.tuning.bayes import BayesianSearch

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


async def _open(app, pilot, settings: SimSettings) -> SimulatorScreen:
    app.open_simulation(settings)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SimulatorScreen)
    return screen


def _text(widget) -> str:
    return str(widget.render())


def _shown_choice(select: Select) -> str:
    """The text a Select shows for its current value."""
    return _text(select.query_one("SelectCurrent #label", Static))


async def test_label_and_explanation_come_from_the_registry_and_the_option(content, monkeypatch, capsys) -> None:
    help_text = "TEST: margin that a new point must beat, in units of sigma"
    options = tuple(dataclasses.replace(o, help=help_text) if o.name == "xi" else o for o in BayesianSearch.options)
    monkeypatch.setattr(BayesianSearch, "options", options)
    monkeypatch.setitem(registry.OPTION_WORDS, "xi", registry.OptionWords("TEST label for xi"))
    # `hpedu methods` prints the very text the panel shows
    from hpedu.commands.tuning import cmd_methods

    cmd_methods(argparse.Namespace())
    assert help_text in capsys.readouterr().out

    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        panel = screen.query_one(SettingsPanel)
        assert _text(panel.query_one("#label-xi", Static)) == "TEST label for xi"
        explanation = panel.query_one("#help-xi", Static)
        assert help_text in _text(explanation)
        assert not explanation.display  # shown only for the focused field
        panel.query_one("#field-xi", Input).focus()
        await pilot.pause()
        await pilot.pause()
        assert explanation.display and explanation.region.height >= 1
        assert panel.query_one("#label-xi").has_class("-focused")
        # another field takes the focus: the explanation follows it
        panel.query_one("#field-kappa", Input).focus()
        await pilot.pause()
        await pilot.pause()
        assert not explanation.display and panel.query_one("#help-kappa").display
        assert "mu - kappa*sigma" in _text(panel.query_one("#help-kappa", Static))


async def test_zero_is_shown_and_accepted_as_auto(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        panel = screen.query_one(SettingsPanel)
        for name in ("n_initial", "length_scale"):
            assert panel.query_one(f"#field-{name}", Input).value == "auto"
        assert panel.query_one("#field-xi", Input).value == "0"  # a real zero stays a number
        # a fixed length-scale, then back to auto: the run follows
        box = panel.query_one("#field-length_scale", Input)
        for text, expected in (("0.3", 0.3), ("auto", 0.0)):
            box.focus()
            await pilot.pause()
            box.value = text
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not box.has_class("-invalid"), panel.errors
            assert screen.sim.strategy.opts["length_scale"] == expected
        assert box.value == "auto"
        # n_initial = auto starts a run whose start-up design is the automatic one
        box = panel.query_one("#field-n_initial", Input)
        box.focus()
        await pilot.pause()
        box.value = "3"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sim.strategy.opts["n_initial"] == 3
        box = screen.query_one(SettingsPanel).query_one("#field-n_initial", Input)
        box.focus()
        await pilot.pause()
        box.value = "AUTO"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sim.strategy.opts["n_initial"] == 0
        assert screen.query_one(SettingsPanel).query_one("#field-n_initial", Input).value == "auto"


async def test_acquisition_reads_lower_confidence_bound_and_keeps_the_value_ucb(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        panel = screen.query_one(SettingsPanel)
        acq = panel.query_one("#field-acq", Select)
        assert _shown_choice(acq) == "expected improvement (EI)"
        assert "acquisition" in _text(panel.query_one("#label-acq", Static))
        acq.value = list(panel.fields["acq"].choices).index("ucb")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert _shown_choice(panel.query_one("#field-acq", Select)) == "lower confidence bound (LCB)"
        assert screen.sim.strategy.opts["acq"] == "ucb"  # the engine's value, as in presets and scripts
        shown = {text for text, _ in panel.query_one("#field-acq", Select)._options}
        assert {"expected improvement (EI)", "probability of improvement (PI)", "lower confidence bound (LCB)"} <= shown
        assert not any("ucb" in text.lower() or "upper" in text.lower() for text in shown)


async def test_objective_and_method_are_shown_by_title(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        panel = screen.query_one(SettingsPanel)
        assert _shown_choice(panel.query_one("#field-objective", Select)) == "Branin"
        assert "(branin, 2-D)" in _text(panel.query_one("#help-objective", Static))
        assert _shown_choice(panel.query_one("#field-method", Select)) == "Bayesian optimization"


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_first_tab_lands_on_a_visible_field(content, size) -> None:
    app = _app(content)
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "bayes", 10, 0))
        assert app.focused is None  # keys go to the screen
        if size[0] < 120:
            while screen.view != "settings":
                await pilot.press("v")
                await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, (Input, Select)) and focused.id == "field-objective"
        assert focused.region.height >= 1 and screen.region.contains_region(focused.region)
        panel = screen.query_one(SettingsPanel)
        assert panel.query_one("#label-objective").has_class("-focused")
        assert panel.query_one("#help-objective").display


async def test_space_still_steps_when_the_simulator_opens(content) -> None:
    app = _app(content)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _open(app, pilot, SimSettings("branin", "random", 10, 0))
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sim.n_done == 1


def test_compare_caption_explains_the_chart_in_words() -> None:
    from hpedu.tui.screens.compare import curve_caption

    regret = SimpleNamespace(seeds=[0, 1, 2], optimum=0.397887, direction="minimize", score_name="value")
    text = curve_caption(regret)
    assert "how far the best so far is from the true optimum" in text and "lower is better" in text
    assert "log scale" in text and "middle half of the 3 seeds" in text
    accuracy = SimpleNamespace(seeds=[0, 1], optimum=None, direction="maximize", score_name="accuracy")
    text = curve_caption(accuracy)
    assert "higher is better" in text and "accuracy" in text
    assert "log" not in text and "regret" not in text

"""The code the simulator shows (`c`) reproduces the run on screen exactly, for
every preset, with and without a class code (the seed in the code is the
derived one, and a comment names the class code)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from hpedu.classroom import class_seed
from hpedu.content import load_content
from hpedu.simulation import SimSettings, Simulation, python_code
from hpedu.tuning.objectives.models import MODEL_SPECS

CONTENT = Path(__file__).resolve().parents[2] / "content"
PRESETS = load_content(CONTENT).presets
#: (preset, method): compare presets run each of their methods
CASES = [(pid, m) for pid, p in PRESETS.items() for m in (p.methods or (p.method,))]
MODEL_BUDGET = 4  # presets that train real models run a few trials only (halving: one bracket's worth)


def _settings(preset_id: str, method: str, code: str | None) -> SimSettings:
    s = SimSettings.from_preset(PRESETS[preset_id], code)
    s = s.replace(method=method, options=dict(s.options) if method == PRESETS[preset_id].method else {})
    if s.objective in MODEL_SPECS:
        s = s.replace(budget=min(s.budget, MODEL_BUDGET if method != "halving" else 9))
    return s


def _run_shown_code(code: str) -> object:
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<shown code>", "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace["trace"]


@pytest.mark.parametrize("class_code", [None, "week3-lab"])
@pytest.mark.parametrize("preset_id,method", CASES, ids=[f"{p}-{m}" for p, m in CASES])
def test_shown_code_reproduces_every_preset(preset_id: str, method: str, class_code: str | None) -> None:
    settings = _settings(preset_id, method, class_code)
    sim = Simulation(settings)
    live = [o.name for o in sim.strategy.options if o.live]
    while sim.step() is not None:
        if sim.n_done == 2 and "kappa" in live:  # a live change mid-run is part of the code too
            sim.set_options(kappa=3.5)
    code = python_code(sim.settings, sim.changes)
    seed = class_seed(class_code, settings.seed)
    assert sim.trace.seed == seed
    assert f"seed={seed}" in code
    if class_code:
        assert seed != settings.seed and f"class code {class_code!r}" in code
    assert _run_shown_code(code).same_trials(sim.trace)

"""The same Bayesian run on every x86-64 machine (hpedu/arithmetic.py).

A machine's processor decides which numpy and OpenBLAS kernels run, and the
kernels round differently. Another processor is imitated here by forcing the
kernels a machine of that kind would pick (OPENBLAS_CORETYPE, and switching
off numpy's AVX-512 loops with NPY_DISABLE_CPU_FEATURES) in fresh `hpedu`
processes: with hpedu's pinning the trials are identical whatever was forced;
without it (HPEDU_NATIVE_ARITHMETIC=1) the same forcing changes the run, which
shows that the imitation reaches the arithmetic at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy  # noqa: F401  (loaded, as in any test run: see the too-late test)
import pytest

from hpedu import arithmetic
from hpedu.arithmetic import NATIVE_VARIABLE, pin_arithmetic, pinned_settings

X86 = bool(pinned_settings())

# kernels of other processors, all safe on any x86-64 machine with AVX2 (as CI machines have)
IMITATIONS = [
    {"OPENBLAS_CORETYPE": "Haswell"},
    {"OPENBLAS_CORETYPE": "Prescott", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512F AVX512_SKX"},
    {"OPENBLAS_CORETYPE": "SandyBridge", "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX2 AVX512F"},
]


def _env(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment without the kernel settings (conftest pinned them), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", NATIVE_VARIABLE)}
    env.update(extra)
    return env


def _bayes_trials(extra_env: dict[str, str]) -> list:
    env = _env(extra_env)
    out = subprocess.run(
        [sys.executable, "-m", "hpedu", "simulate", "--objective", "hartmann6", "--method", "bayes",
         "--budget", "16", "--seed", "3", "--json"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    return [(t["params"], t["value"]) for t in json.loads(out)["trials"]]


def test_x86_settings_name_generic_kernels_and_nothing_elsewhere() -> None:
    s = pinned_settings("x86_64")
    assert s["OPENBLAS_CORETYPE"] == "Prescott"
    switched_off = s["NPY_DISABLE_CPU_FEATURES"].split()
    assert {"X86_V3", "X86_V4", "AVX2", "AVX512F", "AVX512_SKX"} <= set(switched_off)
    assert not {"SSE", "SSE2", "SSE3", "X86_V2"} & set(switched_off)  # baselines: numpy refuses those
    assert pinned_settings("AMD64") == s
    assert pinned_settings("aarch64") == {}
    assert pinned_settings("arm64") == {}


def test_pinning_overrides_the_environment_unless_told_not_to(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "numpy", raising=False)  # as in a fresh `hpedu` process
    env = {"OPENBLAS_CORETYPE": "SkylakeX", "OPENBLAS_NUM_THREADS": "2"}
    assert pin_arithmetic(env, machine="x86_64") is True
    assert env == {**pinned_settings("x86_64"), "OPENBLAS_NUM_THREADS": "2"}

    for native in ("1", "yes"):
        env = {NATIVE_VARIABLE: native, "OPENBLAS_CORETYPE": "SkylakeX"}
        assert pin_arithmetic(env, machine="x86_64") is False
        assert env == {NATIVE_VARIABLE: native, "OPENBLAS_CORETYPE": "SkylakeX"}
    env = {NATIVE_VARIABLE: "0"}
    assert pin_arithmetic(env, machine="x86_64") is True and env["OPENBLAS_CORETYPE"] == "Prescott"

    env = {}
    assert pin_arithmetic(env, machine="aarch64") is False and env == {}


def test_pinning_is_too_late_once_numpy_is_loaded() -> None:
    env: dict[str, str] = {}
    assert arithmetic.pin_arithmetic(env, machine="x86_64") is False
    assert env == {}


@pytest.mark.skipif(not X86, reason="hpedu pins kernels on x86-64 only")
@pytest.mark.slow
def test_a_bayes_run_is_the_same_whatever_kernels_the_processor_would_pick() -> None:
    reference = _bayes_trials({})
    assert len(reference) == 16
    for imitation in IMITATIONS:
        assert _bayes_trials(imitation) == reference, imitation


@pytest.mark.skipif(not X86, reason="hpedu pins kernels on x86-64 only")
@pytest.mark.slow
def test_without_pinning_the_imitated_processors_give_other_runs() -> None:
    runs = [_bayes_trials({**imitation, NATIVE_VARIABLE: "1"}) for imitation in IMITATIONS]
    assert runs[0] != runs[1] and runs[1] != runs[2] and runs[0] != runs[2]


@pytest.mark.skipif(not X86, reason="hpedu pins kernels on x86-64 only")
@pytest.mark.slow
def test_the_code_the_app_shows_reproduces_the_apps_run_on_another_processor() -> None:
    from hpedu.simulation import SimSettings, python_code

    code = python_code(SimSettings("hartmann6", "bayes", 16, 3))
    code += "\nimport json\nprint('TRACE', json.dumps([[t.params, t.value] for t in trace.trials]))\n"
    out = subprocess.run([sys.executable, "-c", code], env=_env(IMITATIONS[0]), capture_output=True, text=True, check=True).stdout
    shown = json.loads(out.split("TRACE ", 1)[1])
    assert [(p, v) for p, v in shown] == _bayes_trials({})


@pytest.mark.skipif(not X86, reason="hpedu pins kernels on x86-64 only")
@pytest.mark.slow
def test_the_readme_example_gives_the_same_trials_on_other_processors(tmp_path) -> None:
    from pathlib import Path

    from hpedu.tuning import Trace

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    api = readme.split("## The Python API", 1)[1]
    code = api.split("```python\n", 1)[1].split("```", 1)[0]
    assert "pin_arithmetic()" in code and 'method="bayes"' in code
    traces = []
    for k, imitation in enumerate(IMITATIONS[:2]):
        folder = tmp_path / str(k)
        folder.mkdir()
        subprocess.run([sys.executable, "-c", code], env=_env(imitation), cwd=folder, capture_output=True, text=True, check=True)
        traces.append(Trace.load(folder / "run.json"))
    assert len(traces[0].trials) == 20
    assert traces[0].same_trials(traces[1])

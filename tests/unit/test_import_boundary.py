"""The pure packages never import a UI library, and hpedu.tuning stays light to import."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

UI = ("textual", "rich")
HEAVY = ("sklearn", "scipy.stats", "scipy.optimize", "joblib")

PROBE = """
import json, sys
{imports}
print(json.dumps(sorted(sys.modules)))
"""


def loaded_after(*modules: str) -> set[str]:
    code = PROBE.format(imports="\n".join(f"import {m}" for m in modules))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0 and "No module named 'hpedu.content." in out.stderr:
        pytest.skip("hpedu.content is still being written")
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout))


def found(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_tuning_imports_neither_ui_nor_scikit_learn() -> None:
    modules = loaded_after("hpedu.tuning")
    assert "hpedu.tuning.runner" in modules
    assert found(modules, UI) == []
    assert found(modules, HEAVY) == []


@pytest.mark.skipif(importlib.util.find_spec("hpedu.content") is None, reason="no hpedu.content package")
def test_tuning_and_content_import_no_ui() -> None:
    modules = loaded_after("hpedu.tuning", "hpedu.content")
    assert "hpedu.content" in modules
    assert found(modules, UI) == []
    assert found(modules, ("sklearn",)) == []


def test_strategy_classes_load_on_first_use() -> None:
    import hpedu.tuning as tuning
    from hpedu.tuning.registry import METHODS

    for name, info in METHODS.items():
        if importlib.util.find_spec("hpedu.tuning" + info.module) is None:
            continue  # not written yet
        cls = getattr(tuning, info.cls)
        assert cls is info.load() and cls.name == name
    with pytest.raises(AttributeError):
        tuning.NoSuchSearch  # noqa: B018


def test_simulation_imports_no_ui() -> None:
    """The simulator's controller, narration, views and code are shared with the
    command line and tested without Textual: importing them loads no UI library."""
    modules = loaded_after("hpedu.simulation", "hpedu.simulation.controller", "hpedu.simulation.views",
                           "hpedu.simulation.code", "hpedu.simulation.narration", "hpedu.simulation.imports")
    assert "hpedu.simulation.session" in modules
    assert found(modules, UI) == []
    assert found(modules, ("sklearn",)) == []
    assert "hpedu.tui" not in modules

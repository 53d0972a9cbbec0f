"""What the app warms in the background after its first screen is all a
Try it's settings panel and strategy need: after `engine_modules()` are in,
loading any method imports nothing more."""

from __future__ import annotations

import json
import subprocess
import sys

from hpedu.simulation.imports import engine_modules, method_module
from hpedu.tuning.registry import METHODS

PROBE = """
import json, sys
from hpedu.cli import prepare_numpy
prepare_numpy()
from hpedu.simulation.imports import engine_modules, ensure_imports
ensure_imports(engine_modules())
before = set(sys.modules)
from hpedu.tuning.registry import METHODS, get_method
from hpedu.simulation.imports import modules_for
for name in METHODS:
    get_method(name)
    ensure_imports(modules_for("branin", name))
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith(("scipy", "sklearn", "numpy")))))
"""


def test_every_method_module_is_warmed() -> None:
    assert set(engine_modules()) >= {method_module(name) for name in METHODS}
    assert method_module("bayes") == "hpedu.tuning.bayes"


def test_after_the_warm_up_no_method_imports_scipy_or_scikit_learn() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []

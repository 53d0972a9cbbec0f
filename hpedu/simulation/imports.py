"""Heavy modules are imported once, by one thread at a time.

Python's import machinery is not safe against two threads importing
overlapping parts of scikit-learn at the same moment: measured here, four
threads importing sklearn.gaussian_process, sklearn.svm, sklearn.model_selection
... together failed about one time in six ("deadlock detected by
_ModuleLock('sklearn.metrics.pairwise')"; in the app, "cannot import name
'clone' from partially initialized module"). Every worker that may need
scikit-learn (a step, a preview, a landscape, the warm-up) calls
`ensure_imports` first: one module-level lock, so whichever worker comes first
imports, and the others wait for it instead of racing it.
"""

from __future__ import annotations

import importlib
import threading
from typing import Iterable

__all__ = ["ensure_imports", "modules_for", "engine_modules", "method_module"]

_LOCK = threading.Lock()
_DONE: set[str] = set()


def modules_for(objective: str, method: str) -> tuple[str, ...]:
    """The scikit-learn modules a run of `method` on `objective` will import."""
    from ..tuning.objectives.models import MODEL_SPECS  # light: scikit-learn loads on first use

    mods: list[str] = []
    if method == "bayes":
        mods.append("sklearn.gaussian_process")
    if objective == "ridge-diabetes":  # its data comes from sklearn.datasets
        mods.append("sklearn.datasets")
    spec = MODEL_SPECS.get(objective)
    if spec is not None:
        mods += ["sklearn.base", "sklearn.datasets", "sklearn.model_selection", "threadpoolctl"]
        mods += [module for module, _ in spec.imports]
    return tuple(dict.fromkeys(mods))


def method_module(method: str) -> str:
    """The module of `method`'s strategy class (importing it loads scipy for some)."""
    from ..tuning.registry import METHODS

    return "hpedu.tuning" + METHODS[method].module


def engine_modules() -> tuple[str, ...]:
    """What the app warms in the background after its first screen: every
    strategy's module (the Bayesian one loads scipy.stats, 0.7-2.4 s here,
    which the simulator's settings panel otherwise imported on the event loop
    at the first Try it) and scikit-learn's Gaussian process."""
    from ..tuning.registry import METHODS

    return (*(method_module(m) for m in METHODS), "sklearn.gaussian_process")


def ensure_imports(modules: Iterable[str]) -> None:
    """Import `modules` (once each), holding the one import lock while doing it."""
    missing = [m for m in modules if m not in _DONE]
    if not missing:
        return
    with _LOCK:
        for m in missing:
            if m not in _DONE:
                importlib.import_module(m)
                _DONE.add(m)

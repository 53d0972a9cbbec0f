"""The same floating-point arithmetic on every x86-64 machine.

A Bayesian search is chaotic in the last bits: it fits kernel
hyperparameters and maximises an acquisition function with L-BFGS-B, so a
difference of one unit in the last place of one Cholesky factor can move a
proposal, and from then on the run is another run. numpy and OpenBLAS pick
their CPU kernels when they load, by what the processor offers (AVX2 or
AVX-512 matrix kernels, AVX-512 versions of exp and log...), and those
kernels round differently. Measured on one machine, by forcing the kernels of
other processors (three OpenBLAS core types, numpy's AVX-512 loops on or off):
a 30-trial `bayes` run on hartmann6 with seed 3 gave six different runs,
ending anywhere from -3.04 to -3.29.

`pin_arithmetic` makes every x86-64 machine use the same kernels: OpenBLAS's
generic SSE3 ("Prescott") kernels and numpy's baseline loops (no
runtime-dispatched AVX / AVX-512 code). On the small matrices hpedu uses this
costs nothing measurable (a `bayes` step and a model trial took the same
time either way). It must run before numpy is imported, so `hpedu` (the
command and the app) calls it first thing, and so do the tests and the
benchmarks; a program using `hpedu.tuning` calls it itself before importing
numpy, or accepts its own machine's kernels.

What it cannot fix: the C library's exp, log and pow have their own variants
for processors with and without FMA (every x86-64 processor since about 2013
has FMA), and other platforms (ARM, macOS with Accelerate) and other versions
of numpy, SciPy or scikit-learn have other kernels.

Every method needs it, not only `bayes`: the synthetic objectives go through
numpy's exp, so unpinned, even a random search on hartmann6 wrote values that
differed in the last digit (-0.0019786257850845225 against ...522), and TPE
and the evolution strategy, which rank those values, made other runs.

Set ``HPEDU_NATIVE_ARITHMETIC=1`` to keep the machine's own kernels.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import MutableMapping

__all__ = ["CODE_PREAMBLE", "NATIVE_VARIABLE", "pin_arithmetic", "pinned_settings"]

NATIVE_VARIABLE = "HPEDU_NATIVE_ARITHMETIC"

#: the first lines of the code the app shows (`c`): a script that starts with
#: them computes as the app does, so it reproduces the app's Bayesian runs
CODE_PREAMBLE = (
    "from hpedu.arithmetic import pin_arithmetic\n"
    "pin_arithmetic()  # before numpy loads: the app's CPU kernels\n"
)

# numpy's runtime-dispatched x86 instruction sets: by x86-64 level since numpy
# 2.4, by single feature before. None of them is ever in numpy's baseline
# (disabling a baseline feature is an error); a name the installed numpy does
# not dispatch only raises an ImportWarning, which `pin_arithmetic` silences.
_NUMPY_DISPATCH_X86 = (
    "X86_V3 X86_V4 AVX512_ICL AVX512_SPR "
    "AVX F16C FMA3 AVX2 FMA4 XOP AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL"
)
_OPENBLAS_CORE_X86 = "Prescott"


def _machine() -> str:
    if hasattr(os, "uname"):
        return os.uname().machine.lower()
    return os.environ.get("PROCESSOR_ARCHITECTURE", "").lower()


def pinned_settings(machine: str | None = None) -> dict[str, str]:
    """The environment variables `pin_arithmetic` sets on this kind of machine
    (empty where hpedu has no pinned kernels to offer)."""
    machine = _machine() if machine is None else machine.lower()
    if machine in ("x86_64", "amd64"):
        return {"OPENBLAS_CORETYPE": _OPENBLAS_CORE_X86, "NPY_DISABLE_CPU_FEATURES": _NUMPY_DISPATCH_X86}
    return {}


def pin_arithmetic(environ: MutableMapping[str, str] = os.environ, machine: str | None = None) -> bool:
    """Choose machine-independent numpy and OpenBLAS kernels (see the module
    docstring). Returns True if the settings were made; False when numpy is
    already loaded (too late), when ``HPEDU_NATIVE_ARITHMETIC`` is set to
    anything but 0 or empty, or on a platform with nothing to pin."""
    if "numpy" in sys.modules:
        return False
    if environ.get(NATIVE_VARIABLE, "") not in ("", "0"):
        return False
    settings = pinned_settings(machine)
    environ.update(settings)  # overrides the user's: the point is that everyone computes alike
    if settings:
        warnings.filterwarnings(  # names this numpy does not dispatch (the list covers every version)
            "ignore", message="During parsing environment variable: 'NPY_DISABLE_CPU_FEATURES'", category=ImportWarning
        )
    return bool(settings)

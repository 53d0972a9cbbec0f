"""One BLAS thread for the small linear algebra of the model-based strategies.

The Gaussian process works on matrices of a few dozen rows. OpenBLAS (which
numpy and scipy ship) splits such calls across all cores once the matrices
pass a size threshold; on this two-core machine that made each Bayesian
proposal after about 22 trials two to eight times slower (12 ms became
25-130 ms, see benchmarks/README.md). `one_blas_thread()` caps every loaded
BLAS library at one thread for the duration of a `with` block and then
restores what was there; blocks may overlap across threads (the first one in
sets the cap, the last one out lifts it). Entering costs about 15 µs; the
libraries are looked up again (~3 ms) whenever modules were imported since
the last look, because an import can load another BLAS (scipy ships its own).

OpenBLAS ignores a cap set from a secondary thread once the main thread has
set one, so this serves library use in the calling thread (scripts, the
benchmarks); the app and the command line also start with one BLAS thread
through the environment (`hpedu.cli.one_blas_thread_by_default`).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any, Iterator

_lock = threading.Lock()
_controller: Any = None
_modules_seen = -1  # len(sys.modules) when the libraries were looked up
_depth = 0
_limiter: Any = None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    global _controller, _modules_seen, _depth, _limiter
    with _lock:
        if _depth == 0:
            if _controller is None or len(sys.modules) != _modules_seen:
                from threadpoolctl import ThreadpoolController

                _controller = ThreadpoolController()
                _modules_seen = len(sys.modules)
            _limiter = _controller.limit(limits=1, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _limiter.restore_original_limits()
                _limiter = None

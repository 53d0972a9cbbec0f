"""BLAS threads: `one_blas_thread` caps them inside a block and lifts the cap
after it (overlapping blocks keep it until the last one leaves); Bayesian
search works under that cap; the command line asks for one thread before
numpy is loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from hpedu.tuning import _threads
from hpedu.tuning._threads import one_blas_thread


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    """Run with two BLAS threads whatever the machine has, so the cap is visible."""
    from threadpoolctl import threadpool_limits

    import scipy.linalg  # scipy ships its own BLAS: load it before setting the count

    scipy.linalg.cholesky(np.eye(3))
    np.linalg.cholesky(np.eye(3))  # numpy's BLAS is loaded
    if not _blas_threads():
        pytest.fail("no BLAS library found by threadpoolctl; numpy should ship one")
    with threadpool_limits(limits=2, user_api="blas"):
        yield


def test_the_cap_holds_inside_and_is_lifted_after(two_blas_threads) -> None:
    assert set(_blas_threads()) == {2}
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
    assert set(_blas_threads()) == {2}


def test_overlapping_blocks_keep_the_cap_until_the_last_leaves(two_blas_threads) -> None:
    entered = threading.Event()
    left = threading.Event()

    def other() -> None:  # enters and leaves while the main thread is inside
        with one_blas_thread():
            entered.set()
        left.set()

    with one_blas_thread():
        t = threading.Thread(target=other)
        t.start()
        assert entered.wait(10) and left.wait(10)
        t.join(10)
        assert set(_blas_threads()) == {1}  # the other thread's exit did not lift it
        assert _threads._depth == 1
    assert set(_blas_threads()) == {2}
    assert _threads._depth == 0


def test_an_error_inside_still_lifts_the_cap(two_blas_threads) -> None:
    with pytest.raises(RuntimeError):
        with one_blas_thread():
            raise RuntimeError("boom")
    assert set(_blas_threads()) == {2}


def test_bayes_proposals_and_previews_run_with_one_blas_thread(two_blas_threads, monkeypatch) -> None:
    from hpedu.tuning import Real
    from hpedu.tuning.bayes import BayesianSearch

    seen: list[list[int]] = []
    original = BayesianSearch._fit

    def fit(self):
        seen.append(_blas_threads())
        return original(self)

    monkeypatch.setattr(BayesianSearch, "_fit", fit)
    s = BayesianSearch({"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}, budget=8, seed=0)
    for _ in range(7):
        p = s.ask()
        s.tell(p, (p["x"] - 0.3) ** 2 + (p["y"] - 0.6) ** 2)
    s.posterior([{"x": 0.5, "y": 0.5}])
    s.acquisition([{"x": 0.5, "y": 0.5}])
    assert seen and all(set(n) == {1} for n in seen)
    assert set(_blas_threads()) == {2}


def test_the_gaussian_process_comes_with_the_bayes_module_not_during_a_run() -> None:
    """hpedu's own GP (scipy.linalg / scipy.optimize) loads with the module, which the app
    imports in its start-up worker; a run then imports nothing more, and never scikit-learn's GP."""
    code = (
        "import sys\n"
        "from hpedu.tuning import Real\n"
        "from hpedu.tuning.bayes import BayesianSearch\n"
        "loaded = set(sys.modules)\n"
        "s = BayesianSearch({'x': Real(0.0, 1.0)}, budget=5, seed=0)\n"
        "s.warm_up()\n"
        "while not s.finished:\n"
        "    p = s.ask(); s.tell(p, (p['x'] - 0.3) ** 2)\n"
        "new = sorted(m for m in set(sys.modules) - loaded if m.startswith(('scipy', 'sklearn')))\n"
        "print('scipy.optimize' in loaded, 'sklearn.gaussian_process' in sys.modules, new)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True False []"


def test_the_command_line_asks_for_one_blas_thread_unless_told_otherwise(monkeypatch) -> None:
    from hpedu import cli

    env: dict[str, str] = {"MKL_NUM_THREADS": "4"}
    monkeypatch.delitem(sys.modules, "numpy")  # as in a fresh `hpedu` process
    cli.one_blas_thread_by_default(env)
    assert env == {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "4"}


def test_the_command_line_leaves_blas_alone_once_numpy_is_loaded() -> None:
    from hpedu import cli

    env: dict[str, str] = {}
    cli.one_blas_thread_by_default(env)  # numpy is loaded in this process: too late to matter
    assert env == {}


def test_a_fresh_hpedu_process_runs_numpy_with_one_blas_thread() -> None:
    code = (
        "import os, sys\n"
        "from hpedu import cli\n"
        "cli.main(['methods'])\n"
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "print('THREADS', *sorted({l['num_threads'] for l in threadpool_info() if l['user_api'] == 'blas'}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in cli_vars()}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.splitlines()[-1] == "THREADS 1"


def cli_vars() -> tuple[str, ...]:
    from hpedu.cli import BLAS_THREAD_VARIABLES

    return BLAS_THREAD_VARIABLES

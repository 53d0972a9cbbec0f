from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

_NUMPY_EARLY = "numpy" in sys.modules

from hpedu.cli import one_blas_thread_by_default  # noqa: E402

# Run numpy with the app's setting (one BLAS thread, set before numpy loads):
# the last bits of a Gaussian-process fit depend on the thread count, and the
# snapshot of the look-inside view must match what `hpedu` draws.
one_blas_thread_by_default()

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    """Caches (parsed content, model landscapes) go to a folder of the test
    run's, never to the user's cache folder."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HPEDU_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def good_content(tmp_path: Path) -> Path:
    """A writable copy of the small, valid fixture content folder."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    return dest


@pytest.fixture(scope="session")
def bundled_content() -> Path:
    return REPO / "content"


def pytest_report_header(config) -> str:
    late = " (numpy was loaded before this conftest: not applied)" if _NUMPY_EARLY else ""
    return f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}{late}"

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

_NUMPY_EARLY = "numpy" in sys.modules

from hpedu.cli import prepare_numpy  # noqa: E402

# Run numpy with the app's settings (one BLAS thread, and the kernels that
# every x86-64 machine shares; both set before numpy loads): the last bits of
# a Gaussian-process fit depend on them, a Bayesian run follows its last bits,
# and the snapshot of the look-inside view must match what `hpedu` draws on
# any machine.
_PINNED = prepare_numpy()

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    """Caches (parsed content, model landscapes) go to a folder of the test
    run's, never to the user's cache folder."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HPEDU_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(autouse=True, scope="session")
def _own_data_dir(tmp_path_factory):
    """Progress (opening a glossary entry or running a preset to its end is
    recorded) goes to a folder of the test run's, never to the user's
    profiles; a test that sets HPEDU_DATA_DIR itself still gets its own."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HPEDU_DATA_DIR", str(tmp_path_factory.mktemp("data")))
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
    pinned = f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}" if _PINNED else "native"
    return f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}{late}; kernels: {pinned}"


async def _settle_screen(pilot, quiet: int = 3, limit: int = 100) -> None:
    """Wait until workers are done and the screen has stopped changing.

    Redraws arrive over several frames (a plot's left margin follows its new
    tick labels, which resizes its canvas, which redraws it), and on a busy
    machine a fixed number of pauses once caught a plot drawn for its old
    width. So: wait until `quiet` screenshots in a row, 50 ms apart, are the
    same (at most `limit` tries; a snapshot then shows what is there)."""
    app = pilot.app
    last, same = None, 0
    for _ in range(limit):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        shot = app.export_screenshot()
        same = same + 1 if shot == last else 0
        if same >= quiet:
            return
        last = shot


@pytest.fixture
def settle_screen():
    """`await settle_screen(pilot)`: let the app finish redrawing (snapshot tests)."""
    return _settle_screen


@pytest.fixture
def bundled_app(tmp_path: Path, monkeypatch):
    """`bundled_app()`: the app on the bundled content, with its own progress
    folder and no background check of presets (tests that want it set
    `deep_check_delay` themselves)."""
    from hpedu.content import load_content
    from hpedu.tui.app import make_app

    monkeypatch.setenv("HPEDU_DATA_DIR", str(tmp_path / "data"))

    def build():
        app = make_app(content=load_content(REPO / "content"))
        app.deep_check_delay = 3600
        return app

    return build


@pytest.fixture
def learner_env(tmp_path: Path, monkeypatch) -> Path:
    """A fresh progress folder and no learner settings from the environment
    (profile, class code, content folder); the folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("HPEDU_DATA_DIR", str(folder))
    for var in ("HPEDU_PROFILE", "HPEDU_CLASS_CODE", "HPEDU_CONTENT"):
        monkeypatch.delenv(var, raising=False)
    return folder

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
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

"""Where hpedu keeps caches: `$HPEDU_CACHE_DIR`, else the user cache folder."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "HPEDU_CACHE_DIR"


def cache_root() -> Path:
    """The folder under which each cache has its own subfolder (created on first write)."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("hpedu"))

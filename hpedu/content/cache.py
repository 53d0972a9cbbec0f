"""A cache of parsed content, so the app's first screen does not wait for YAML.

Parsing the 85 bundled files (and importing PyYAML to do it) took about 40 ms
of the time to the first screen. `load_content` keeps what it parsed in
`$HPEDU_CACHE_DIR/content` (default: the user cache folder from platformdirs)
and reuses it when nothing it depends on has changed:

- the bytes of every file under the content folder (a digest of names and
  contents, so an edit is seen even when the size and modification time stay
  the same), and
- the source of the content layer itself (`hpedu/content/*.py`), hpedu's
  version and Python's, so a new release or a local change never reads an
  old result.

Only plain content folders are cached: a teacher pack (`pack.yaml`) is loaded
on top of a base that its own YAML names, so it is always parsed. Deep loads
(`hpedu check`, the app's background check) never use the cache. A cache file
that cannot be read is ignored and replaced; one that cannot be written is
skipped. The cache holds a pickle, written and read only by this user's own
hpedu (the same trust as the progress files next to it).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Content

__all__ = ["cache_dir", "load_cached", "save_cached"]

FORMAT = 1  # bump when the pickled layout changes in a way the code digest would miss


def cache_dir() -> Path:
    from .._dirs import cache_root

    return cache_root() / "content"


def _code_digest() -> bytes:
    from .. import __version__

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{__version__}|{sys.version_info[:3]}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


def _digest(root: Path) -> str | None:
    """A digest of everything the load depends on, or None when the folder
    cannot be cached (a teacher pack, a symbolic link, a pipe or device, or a
    file that cannot be read): those are loaded, and reported, every time.

    Nothing but regular files is opened, and none larger than the loader's
    limit: a larger file counts by its size and modification time, since the
    loader reports it by its size without reading it.
    """
    from .files import MAX_FILE_BYTES, FileRefused, read_limited

    try:
        if os.path.lexists(root / "pack.yaml"):
            return None
    except (OSError, ValueError):
        return None
    h = hashlib.blake2b(digest_size=20)
    h.update(_code_digest())
    try:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in dirnames:
                if os.path.islink(os.path.join(dirpath, name)):
                    return None
                h.update(b"dir\0" + os.fsencode(os.path.join(dirpath, name)) + b"\0")
            for name in sorted(filenames):
                path = Path(dirpath, name)
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode):
                    return None
                key = os.fsencode(path.relative_to(root)) + b"\0"
                if st.st_size > MAX_FILE_BYTES:
                    h.update(key + f"{st.st_size}|{st.st_mtime_ns}".encode() + b"\0")
                else:
                    h.update(key + read_limited(path) + b"\0")
    except (OSError, FileRefused):
        return None
    return h.hexdigest()


def _file_for(root: Path) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"{key}.pickle"


def load_cached(root: Path) -> "tuple[Content | None, str | None]":
    """(content, digest): the cached content when it is still valid (else
    None), and the digest to save a fresh load under (None: do not cache)."""
    digest = _digest(root)
    if digest is None:
        return None, None
    try:
        with open(_file_for(root), "rb") as fh:
            stored_digest, content = pickle.load(fh)
    except Exception:  # missing, truncated, from another layout: parse again
        return None, digest
    return (content if stored_digest == digest else None), digest


def save_cached(root: Path, digest: str, content: "Content") -> None:
    import tempfile

    target = _file_for(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((digest, content), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # a read-only or full disk: the app works without the cache
        pass

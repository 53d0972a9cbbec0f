"""Files several hpedu processes share: an exclusive lock, atomic writes, stale temporary files.

The lock is an OS lock on a separate lock file (`<name>.lock`, never deleted,
so every process locks the same inode): `fcntl.flock` on Linux and macOS,
`msvcrt.locking` on its first byte on Windows. Both are released by the OS
when the process dies, so a `kill -9` never leaves a profile locked. Waiting is
bounded: after `timeout` seconds `LockTimeout` says which file was busy.
(`flock` on a network file system may be a no-op; progress lives in the
user's local data folder.)

An atomic write goes to `.<name>.<random>.tmp` in the same folder, is flushed
and fsync'd, then renamed over the target (`os.replace`). A process killed
between the two leaves that temporary file behind; `clean_stale_temps` removes
those older than `STALE_SECONDS` (callers do so while holding the lock).

Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
import time
from pathlib import Path
from typing import Iterator

STALE_SECONDS = 300.0  # a temporary file older than this belongs to a writer that died
_POLL = 0.05


class LockTimeout(OSError):
    """The lock was held by another process for longer than the wait allowed."""


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if missing) inside the block.

    OSError when the lock file cannot be created; LockTimeout after `timeout` seconds."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeout(f"{lock_path} is held by another hpedu process (waited {timeout:g} s)")
            time.sleep(_POLL)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def temp_pattern(path: Path) -> re.Pattern[str]:
    """The names `atomic_write` gives its temporary files for `path`."""
    return re.compile(r"^\." + re.escape(Path(path).name) + r"\.[0-9a-f]{12}\.tmp$")


def atomic_write(path: Path, text: str, mode: int = 0o600, make_parents: bool = True) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename.

    `mode` is the new file's permission bits (the umask still applies)."""
    path = Path(path)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # The folder is not fsync'd: after a power cut the file may be the previous
    # version, never a broken one; fsyncing it cost ~9 ms per save here.


def clean_stale_temps(path: Path, now: float | None = None, older_than: float = STALE_SECONDS) -> list[Path]:
    """Delete `atomic_write`'s temporary files for `path` older than `older_than` seconds; returns them."""
    path = Path(path)
    pattern = temp_pattern(path)
    now = time.time() if now is None else now
    removed = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if not pattern.match(name):
            continue
        tmp = path.parent / name
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed.append(tmp)
    return removed

"""Which files of a content folder are read, and reading them without surprises.

Content is read from regular files only, of at most `MAX_FILE_BYTES` each.
Everything else in a content folder gets a message instead of being read:

- a named pipe (FIFO), device or socket (reading one could block forever or
  never end: `/dev/zero`);
- a symbolic link whose target is outside the content folder, or is missing;
- a subfolder (only the files directly in `glossary/`, `presets/` and
  `exercises/` are read);
- a file larger than the limit (checked with `stat` before reading, and
  again on the open file).

Files are opened with O_NONBLOCK, so even a file that turns into a FIFO
between the check and the open cannot block the load.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .text import printable

__all__ = ["MAX_FILE_BYTES", "MAX_PATH_CHARS", "FileRefused", "file_problem", "read_limited", "within"]

MAX_FILE_BYTES = 256 * 1024  # one content file (the largest bundled file is about 9 KB)
MAX_PATH_CHARS = 4096  # PATH_MAX on Linux: longer paths cannot be opened at all


class FileRefused(Exception):
    """A file that is not read, with the reason as its message."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _too_large(size: int) -> str:
    return f"too large: {size:,} bytes; a content file may hold at most {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES // 1024} KB)"


def within(path: str | Path, folder: str | Path) -> bool:
    """True when the resolved `path` is `folder` or inside it (both resolved)."""
    try:
        return os.path.commonpath([os.path.realpath(path), os.path.realpath(folder)]) == os.path.realpath(folder)
    except (OSError, ValueError):
        return False


def file_problem(path: Path, root: Path | None = None) -> str | None:
    """Why `path` is not read as a content file, or None when it is.

    `root` is the content folder: a symbolic link must stay inside it.
    Only `lstat`/`stat` are used: nothing is opened.
    """
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        if root is not None and not within(target, root):
            return (f"a symbolic link to {printable(target)}, outside the content folder "
                    f"{printable(root)}: not read")
        try:
            st = os.stat(path)
        except OSError as exc:
            return f"a symbolic link to {printable(target)} that cannot be followed: {exc.strerror or exc}"
    kind = _kind(st.st_mode)
    if kind == "a folder":
        return "a folder: subfolders are not read (only files directly in this folder are)"
    if kind is not None:
        return f"{kind}: not read"
    if st.st_size > MAX_FILE_BYTES:
        return _too_large(st.st_size)
    return None


def read_limited(path: Path, root: Path | None = None) -> bytes:
    """The bytes of the regular file `path`; FileRefused says why it is not read.

    Checks with `stat` first (nothing but a regular file within the size
    limit is opened), opens without blocking, then checks the open file
    again, and never reads more than MAX_FILE_BYTES + 1 bytes.
    """
    if len(os.fsencode(path)) >= MAX_PATH_CHARS:
        raise FileRefused(f"the path is too long ({len(str(path)):,} characters)")
    why = file_problem(path, root)
    if why is not None:
        raise FileRefused(why)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise FileRefused("the path is too long") from None
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise FileRefused(f"{kind}: not read")
        if st.st_size > MAX_FILE_BYTES:
            raise FileRefused(_too_large(st.st_size))
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise FileRefused(_too_large(size))
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)

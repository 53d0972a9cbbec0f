"""Where the content folder is: --content, HPEDU_CONTENT, or the bundled copy."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_content_dir", "resolve_content_dir"]


def bundled_content_dir() -> Path:
    """The content shipped with hpedu.

    A wheel carries it inside the package as `hpedu/_content`; a source
    checkout (editable install) has it at the repository root.
    """
    package = Path(__file__).resolve().parent.parent
    inside = package / "_content"
    if inside.is_dir():
        return inside
    return package.parent / "content"


def resolve_content_dir(explicit: str | Path | None = None) -> Path:
    """The folder to load; raises FileNotFoundError naming the folder if it is missing."""
    from .text import printable

    path = Path(explicit).expanduser() if explicit else bundled_content_dir()
    try:
        found = path.is_dir()
    except OSError as exc:  # a name too long for the system, say
        raise FileNotFoundError(f"content folder cannot be opened ({exc.strerror or exc}): {printable(path, 200)}") from None
    if not found:
        raise FileNotFoundError(f"content folder not found: {printable(path, 200)}")
    return path

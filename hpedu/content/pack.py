"""Teacher packs: a content folder with a `pack.yaml`, layered over a base folder.

`pack.yaml`:

    title: Statistics 101, week 3
    class_code: stats101-w3        # optional: the class code used unless --class-code is given
    extends: bundled               # bundled (default) | none | a folder, relative to the pack
    description: ...               # optional

A pack that extends a base is loaded on top of it: every file in the pack
replaces the base's file of the same name (`presets/grid-vs-random.yaml`
replaces the bundled preset `grid-vs-random`) or adds to it, so a pack only
holds what it adds or changes and may link to the base's glossary terms.
`extends: none` makes the pack a complete content folder of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import ContentError, parse_yaml_mapping, read_text
from .model import Problem
from .schema import Field, check_fields
from .text import printable

__all__ = ["PACK_FILE", "Pack", "PACK_FIELDS", "read_pack", "content_roots"]

PACK_FILE = "pack.yaml"


def _is_text(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_class_code(v: object) -> bool:
    from ..classroom import CLASS_CODE_PATTERN

    return isinstance(v, str) and bool(CLASS_CODE_PATTERN.match(v))


PACK_FIELDS: dict[str, Field] = {
    "title": Field(True, _is_text, "a non-empty text"),
    "description": Field(False, _is_text, "a non-empty text"),
    "class_code": Field(False, _is_class_code, "1 to 32 letters, digits, '-' or '_'"),
    "extends": Field(False, _is_text, "'bundled', 'none' or a folder relative to the pack"),
}


@dataclass(frozen=True)
class Pack:
    """What a `pack.yaml` says."""

    path: Path  # the pack.yaml file
    title: str
    description: str = ""
    class_code: str = ""
    extends: str = "bundled"

    @property
    def folder(self) -> Path:
        return self.path.parent


def read_pack(root: Path) -> tuple[Pack | None, list[Problem]]:
    """The pack described by `root/pack.yaml` (None when there is none or it is broken)."""
    path = root / PACK_FILE
    try:
        if not os.path.lexists(path):
            return None, []
    except (OSError, ValueError):  # a name too long for the system
        return None, []
    notes: list[Problem] = []  # reported, but the pack still loads

    def note(line: int, message: str) -> None:
        notes.append(Problem(path, line, message))

    try:
        meta, lines = parse_yaml_mapping(read_text(path, root=root, report=note), report=note)
    except ContentError as exc:
        return None, [*notes, Problem(path, exc.line, exc.message)]
    found = [Problem(path, line, msg) for line, msg in check_fields(meta, lines, PACK_FIELDS, default_line=1)]
    if found:
        return None, notes + found
    return Pack(
        path=path,
        title=" ".join(meta["title"].split()),
        description=" ".join((meta.get("description") or "").split()),
        class_code=meta.get("class_code") or "",
        extends=(meta.get("extends") or "bundled").strip(),
    ), notes


def content_roots(root: Path) -> tuple[list[Path], Pack | None, list[Problem]]:
    """The folders to load, base first, the pack (or plain folder) `root` last."""
    from .locate import bundled_content_dir

    pack, problems = read_pack(root)
    if pack is None or pack.extends == "none":
        return [root], pack, problems
    if pack.extends == "bundled":
        base = bundled_content_dir()
    else:
        try:
            base = Path(os.path.normpath(root / Path(pack.extends).expanduser()))
            found = base.is_dir()
            why = "folder not found"
        except (OSError, RuntimeError) as exc:  # a name too long for the system, an unknown ~user
            base, found, why = root / pack.extends, False, f"cannot open the folder ({getattr(exc, 'strerror', None) or exc})"
        if not found:
            line = _key_line(pack.path, "extends")
            return [root], pack, [*problems, Problem(pack.path, line, f"extends: {why}: {printable(base, 200)}")]
    if base.resolve() == root.resolve():
        return [root], pack, problems
    return [base, root], pack, problems


def _key_line(path: Path, key: str) -> int:
    try:
        _, lines = parse_yaml_mapping(read_text(path))
    except ContentError:
        return 1
    return lines.get(key, 1)

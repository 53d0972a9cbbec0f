"""hpedu/tui/_private.py lists every private part of Textual, textual-plot and
textual-hires-canvas that hpedu uses; these tests hold the list against the
installed libraries and against hpedu's own source."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from hpedu.tui import _private

TUI = Path(_private.__file__).parent
LIBRARIES = ("textual", "textual_plot", "textual_hires_canvas")

#: hpedu's own attributes whose names happen to match a private name somewhere
#: in these libraries, on classes that do not inherit it (checked by hand)
OWN_NAMES = {
    "_cache", "_content", "_event", "_headers", "_initial", "_line", "_lines", "_rows", "_start", "_token",
    "_width", "_scroll_cursor_into_view", "_on_focus", "_styles_cache", "_gc_restore",
}


def _owner(spec: str):
    module, _, name = spec.partition(":")
    if not name:  # a module and its private submodules
        owner = importlib.import_module(module)
        for sub in _private.PRIVATE[spec]:
            importlib.import_module(f"{module}.{sub}")
        return owner
    return getattr(importlib.import_module(module), name)


def _instance(cls):
    if not isinstance(cls, type):
        return None
    if cls.__name__ == "Canvas":
        return cls(8, 4)
    if cls.__name__ == "Strip":
        return cls([])
    if cls.__name__ == "MarkdownBlock":
        from markdown_it.token import Token
        from textual.widgets import Markdown

        return cls(Markdown(), Token("paragraph_open", "p", 1))
    if cls.__name__ in ("App", "CommandPalette", "Select"):
        return None  # class attributes only (methods)
    return cls()


@pytest.mark.parametrize("spec", sorted(_private.PRIVATE))
def test_every_listed_private_name_still_exists(spec: str) -> None:
    cls = _owner(spec)
    instance = _instance(cls)
    missing = [name for name in _private.PRIVATE[spec]
               if not hasattr(cls, name) and not (instance is not None and hasattr(instance, name))]
    assert not missing, f"{spec} no longer has {missing}: see hpedu/tui/_private.py"


def _library_private_names() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(r"(?:def\s+|self\.)(_[a-zA-Z]\w*)")
    for lib in LIBRARIES:
        root = Path(importlib.import_module(lib).__file__).parent
        for path in root.rglob("*.py"):
            names.update(pattern.findall(path.read_text(errors="ignore")))
    return names


def test_no_unlisted_private_name_of_the_libraries_is_used() -> None:
    listed = {name for names in _private.PRIVATE.values() for name in names}
    library = _library_private_names()
    used: dict[str, str] = {}
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "_private.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            for name in re.findall(r"\.(_[a-zA-Z]\w*)", code):
                if not name.startswith("__"):
                    used.setdefault(name, f"{path.relative_to(TUI)}:{number}")
    unlisted = {name: where for name, where in used.items()
                if name in library and name not in listed and name not in OWN_NAMES}
    assert not unlisted, f"private names of Textual / textual-plot used but not listed in _private.py: {unlisted}"


def test_accessors() -> None:
    from types import SimpleNamespace

    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    red = Style(color="red")
    assert _private.strip_first_style(Strip([Segment("ab", red)]), None) == red
    assert _private.strip_first_style(Strip([]), "default") == "default"
    bullet, bullet_list, list_item = _private.markdown_list_classes()
    assert [c.__name__ for c in (bullet, bullet_list, list_item)] == ["MarkdownBullet", "MarkdownBulletList",
                                                                      "MarkdownListItem"]
    holder = SimpleNamespace(_blocks=["a", "b"])
    assert _private.take_blocks(holder) == ["a", "b"] and holder._blocks == []

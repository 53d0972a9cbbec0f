"""A method's title and description are written once, in its registry entry.

The strategy classes read them from `registry.METHODS`; a title or description
written again in a strategy module would drift from the registry (as the
halving description once did), so the modules are scanned for one.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.tuning.base import Strategy
from hpedu.tuning.registry import METHODS, get_method

NAMES = list(METHODS)


def _module_file(name: str) -> Path:
    info = METHODS[name]
    spec = importlib.util.find_spec(info.module, "hpedu.tuning")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin)


def _class_body_words(path: Path) -> list[tuple[str, int, str]]:
    """(class, line, attribute) of every title/description set in a class body of `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name) and t.id in ("title", "description"):
                    found.append((node.name, stmt.lineno, t.id))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_no_strategy_module_writes_its_own_title_or_description(name: str) -> None:
    path = _module_file(name)
    assert _class_body_words(path) == [], f"{path.name}: title/description belong in registry.METHODS only"


@pytest.mark.parametrize("name", NAMES)
def test_class_words_are_the_registry_words(name: str) -> None:
    cls = get_method(name)
    info = METHODS[name]
    assert (cls.title, cls.description) == (info.title, info.description)
    assert info.title and info.description and "\n" not in info.description
    # an instance reads the same words as its class
    assert cls.__dict__.get("title") is None and cls.__dict__.get("description") is None


def test_an_unregistered_strategy_shows_its_name() -> None:
    class Mine(Strategy):
        name = "mine"

    assert (Mine.title, Mine.description) == ("mine", "")


def test_a_subclass_of_a_registered_strategy_does_not_borrow_its_words() -> None:
    base = get_method("random")

    class Tweaked(base):  # type: ignore[misc, valid-type]
        pass

    assert Tweaked.title == "random" and Tweaked.description == ""


def test_the_scan_sees_a_title_written_in_a_class(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('class A:\n    title: str = "x"\n    description = "y"\n', encoding="utf-8")
    assert _class_body_words(f) == [("A", 2, "title"), ("A", 3, "description")]


def test_listing_methods_imports_no_strategy_module() -> None:
    code = (
        "import sys\n"
        "from hpedu.tuning.registry import METHODS\n"
        "words = [(m.title, m.description) for m in METHODS.values()]\n"
        "mods = sorted(m for m in sys.modules if m.startswith('sklearn') or m in"
        " {'hpedu.tuning.' + i.module.lstrip('.') for i in METHODS.values()})\n"
        "print(','.join(mods))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

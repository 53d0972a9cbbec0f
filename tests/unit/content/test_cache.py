"""The parsed-content cache: a hit gives the same content without PyYAML,
any change of bytes is seen, packs and deep loads are never cached, and a
broken cache file is replaced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.content import cache, load_content

FIXTURES = Path(__file__).parents[2] / "fixtures"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(tmp_path / "cache"))
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    return dest


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "content").glob("*.pickle"))


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_parse(folder: Path, tmp_path: Path, monkeypatch) -> None:
    first = load_content(folder)
    assert len(_cache_files(tmp_path)) == 1
    parsed: list[Path] = []
    import hpedu.content.loader as loader

    original = loader._load_entry
    monkeypatch.setattr(loader, "_load_entry", lambda path, content: (parsed.append(path), original(path, content)))
    second = load_content(folder)
    assert parsed == []  # nothing was parsed again
    assert second == first and second is not first
    assert second.entries and list(second.entries) == list(first.entries)


def test_an_edit_that_keeps_size_and_time_is_still_seen(folder: Path) -> None:
    first = load_content(folder)
    entry = next(iter(first.entries.values()))
    path = entry.path
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    old = entry.summary
    new = old[::-1] if old[::-1] != old else old.upper()
    assert len(new) == len(old) and new != old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same modification time
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert load_content(folder).entries[entry.id].summary == new


def test_a_new_file_and_a_broken_file_are_seen(folder: Path) -> None:
    before = load_content(folder)
    (folder / "glossary" / "broken-entry.md").write_text("---\nid: [unclosed\n---\nbody\n", encoding="utf-8")
    after = load_content(folder)
    assert len(after.problems) > len(before.problems)
    assert any("broken-entry.md" in str(p.path) for p in after.problems)


def test_a_broken_cache_file_is_ignored_and_replaced(folder: Path, tmp_path: Path) -> None:
    fresh = load_content(folder)
    (target,) = _cache_files(tmp_path)
    target.write_bytes(b"not a pickle")
    assert load_content(folder) == fresh
    assert target.read_bytes() != b"not a pickle"  # written again


def test_a_change_of_the_content_code_is_a_miss(folder: Path, monkeypatch) -> None:
    load_content(folder)
    content, digest = cache.load_cached(folder)
    assert content is not None
    monkeypatch.setattr(cache, "_code_digest", lambda: b"another version of the loader")
    content, new_digest = cache.load_cached(folder)
    assert content is None and new_digest != digest


def test_packs_and_deep_loads_are_never_cached(folder: Path, tmp_path: Path) -> None:
    load_content(folder, deep=True)
    assert _cache_files(tmp_path) == []
    (folder / "pack.yaml").write_text("title: A pack\n", encoding="utf-8")
    assert cache.load_cached(folder) == (None, None)
    load_content(folder)
    assert _cache_files(tmp_path) == []


def test_an_unwritable_cache_folder_changes_nothing(folder: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("HPEDU_CACHE_DIR", str(blocker))
    first = load_content(folder)
    assert load_content(folder) == first


def test_a_cached_load_does_not_import_pyyaml(folder: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from hpedu.content import load_content\n"
        f"c = load_content({str(folder)!r})\n"
        "print(len(c.entries), 'yaml' in sys.modules)\n"
    )
    env = {**os.environ, "HPEDU_CACHE_DIR": str(tmp_path / "cache")}
    run = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split()  # noqa: E731
    n, first = run()
    assert first == "True"  # parsed: PyYAML was needed
    assert run() == [n, "False"]  # from the cache: it was not

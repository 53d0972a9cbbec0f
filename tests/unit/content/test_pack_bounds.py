"""`pack init` and packs: impossible destinations, titles and over-long paths
give clear messages and exit codes, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content
from hpedu.content.pack import read_pack


def test_a_destination_that_cannot_be_created_is_a_clear_error(capsys) -> None:
    assert main(["pack", "init", "/proc/hpedu-no-such/pack"]) == 1
    err = capsys.readouterr().err
    assert "hpedu pack init: error: cannot create the pack in /proc/hpedu-no-such/pack: No such file or directory" in err
    assert "Traceback" not in err


def test_a_destination_below_a_file_is_a_clear_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["pack", "init", str(tmp_path / "notes.txt" / "pack")]) == 1
    assert "cannot create the pack in" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_half_written_pack_is_removed(tmp_path: Path, monkeypatch, capsys) -> None:
    real = Path.write_text

    def full_disk(self: Path, *args, **kwargs):
        if self.name == "my-first-exercise.md":
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    assert main(["pack", "init", str(tmp_path / "pack")]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert not (tmp_path / "pack").exists()


def test_a_folder_name_too_long_for_the_system_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["pack", "init", str(tmp_path / ("a" * 5000))]) == 2
    err = capsys.readouterr().err
    assert "the folder name is too long for the system" in err
    assert len(err) < 600  # the 5,000 characters are not all echoed


@pytest.mark.parametrize("title", ["Week 😀 3", 'Stats: "week 3" # 🎓 draft', "Семинар 3 — 統計 𝔼[x]"])
def test_any_printable_title_reads_back(tmp_path: Path, title: str) -> None:
    assert main(["pack", "init", str(tmp_path / "pack"), "--title", title]) in (0, 1)  # 1: bundled content problems
    pack, problems = read_pack(tmp_path / "pack")
    assert problems == [] and pack is not None
    assert pack.title == title


@pytest.mark.parametrize(("title", "words"), [("", "the title is empty"), ("   ", "the title is empty"),
                                              ("a\x1b[31m", "cannot be shown (\\x1b)"),
                                              ("x" * 81, "81 characters long; at most 80")])
def test_bad_titles_are_usage_errors(tmp_path: Path, capsys, title: str, words: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["pack", "init", str(tmp_path / "pack"), "--title", title])
    assert stop.value.code == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "pack").exists()


def test_an_over_long_extends_is_a_located_problem(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(f"title: Week 3\nextends: {'b' * 5000}\n", encoding="utf-8")
    content = load_content(pack)
    problem, = content.problems
    assert problem.path == pack / "pack.yaml" and problem.line == 2
    assert problem.message.startswith("extends: cannot open the folder (File name too long)")
    assert problem.message.endswith(f"… ({len(str(pack / ('b' * 5000))):,} characters)")  # not all 5,000 echoed


def test_an_over_long_content_folder_is_a_clear_error(capsys) -> None:
    assert main(["check", "--content", "c" * 5000]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hpedu check: content folder cannot be opened (File name too long): ccc")
    assert len(err) < 600

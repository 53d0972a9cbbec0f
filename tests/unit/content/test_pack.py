"""Teacher packs: a folder with pack.yaml is loaded on top of its base content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hpedu.cli import class_code, main
from hpedu.content import load_content

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLE = REPO / "examples" / "teacher-pack"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    dest = tmp_path / "base"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return dest


def make_pack(tmp_path: Path, pack_yaml: str) -> Path:
    pack = tmp_path / "pack"
    (pack / "presets").mkdir(parents=True)
    (pack / "exercises").mkdir()
    (pack / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    return pack


PRESET = """\
id: {id}
title: {title}
description: A preset of the pack.
objective: branin
method: random
budget: 5
seed: 9
terms: [learning-rate]
locked: [budget, seed]
"""


def test_pack_adds_and_overrides_files_of_its_base(tmp_path: Path, base: Path) -> None:
    pack = make_pack(tmp_path, "title: Week 1\nclass_code: w1\nextends: ../base\n")
    (pack / "presets" / "fixture-grid.yaml").write_text(PRESET.format(id="fixture-grid", title="Replaced"))
    (pack / "presets" / "pack-only.yaml").write_text(PRESET.format(id="pack-only", title="Added"))
    shutil.copy(base / "exercises" / "predict-the-grid.md", pack / "exercises" / "pack-exercise.md")
    text = (pack / "exercises" / "pack-exercise.md").read_text().replace("id: predict-the-grid", "id: pack-exercise")
    (pack / "exercises" / "pack-exercise.md").write_text(text)
    content = load_content(pack, deep=True)
    assert content.problems == []
    assert content.root == pack and content.extras["roots"] == [tmp_path / "base", pack]
    assert content.presets["fixture-grid"].title == "Replaced"  # same file name: the pack wins
    assert content.presets["fixture-grid"].path == pack / "presets" / "fixture-grid.yaml"
    assert content.presets["pack-only"].locked == ("budget", "seed")
    assert set(content.extras["exercises"]) == {"learning-rate-basics", "predict-the-grid", "pack-exercise"}
    assert set(content.entries) == {"learning-rate", "batch-size", "regularization-coefficient"}  # from the base
    assert content.extras["pack"].title == "Week 1" and content.extras["pack"].class_code == "w1"


def test_pack_learning_path_replaces_the_base_one(tmp_path: Path, base: Path) -> None:
    (base / "learning-path.yaml").write_text("steps:\n  - glossary: learning-rate\n")
    pack = make_pack(tmp_path, "title: Week 1\nextends: ../base\n")
    assert [s.ref for s in load_content(pack).extras["path"]] == ["learning-rate"]
    (pack / "learning-path.yaml").write_text("title: Week 1\nsteps:\n  - exercise: predict-the-grid\n")
    content = load_content(pack)
    assert [(s.kind, s.ref) for s in content.extras["path"]] == [("exercise", "predict-the-grid")]
    assert content.extras["path_title"] == "Week 1"


def test_extends_none_is_a_complete_folder(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "title: Alone\nextends: none\n")
    (pack / "presets" / "p.yaml").write_text(PRESET.format(id="p", title="T"))
    content = load_content(pack)
    assert content.entries == {}
    assert [str(p).split(": ", 1)[1] for p in content.problems] == [
        "terms 'learning-rate' is not the id of any entry"
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("title: T\nextends: ../nowhere\n", "2: extends: folder not found: {tmp}/nowhere"),
    ("title: T\nclass_code: has space\n", "2: field 'class_code' must be 1 to 32 letters, digits, '-' or '_', got 'has space'"),
    ("title: T\nclasscode: x\n", "2: unknown field 'classcode'; allowed fields: title, description, class_code, extends"),
    ("description: no title\n", "1: missing required field 'title' (a non-empty text)"),
])
def test_bad_pack_yaml_is_reported_with_its_line(tmp_path: Path, text: str, expected: str) -> None:
    pack = make_pack(tmp_path, text)
    content = load_content(pack)
    found = [str(p) for p in content.problems if p.path == pack / "pack.yaml"]
    assert found == [f"{pack / 'pack.yaml'}:{expected.format(tmp=tmp_path)}"]


def test_class_code_comes_from_the_flag_the_environment_or_the_pack(tmp_path: Path, base: Path, monkeypatch) -> None:
    import argparse

    monkeypatch.delenv("HPEDU_CLASS_CODE", raising=False)
    content = load_content(make_pack(tmp_path, "title: T\nclass_code: from-pack\nextends: ../base\n"))
    assert class_code(argparse.Namespace(), content) == "from-pack"
    monkeypatch.setenv("HPEDU_CLASS_CODE", "from-env")
    assert class_code(argparse.Namespace(), content) == "from-env"
    assert class_code(argparse.Namespace(class_code="from-flag"), content) == "from-flag"
    monkeypatch.delenv("HPEDU_CLASS_CODE")
    assert class_code(argparse.Namespace(), load_content(base)) is None


def test_the_example_teacher_pack_passes_check(capsys) -> None:
    assert main(["check", "--content", str(EXAMPLE)]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and "no problems" in out
    content = load_content(EXAMPLE)
    pack = content.extras["pack"]
    assert pack.class_code == "week3-lab" and pack.extends == "bundled"
    ours = {k for k, e in content.extras["exercises"].items() if e.path.is_relative_to(EXAMPLE)}
    assert ours == {"week3-nine-random-trials", "week3-greedy-ucb"}
    for preset_id in ("week3-grid-vs-random", "week3-ucb-small-kappa"):
        preset = content.presets[preset_id]
        assert preset.path.is_relative_to(EXAMPLE) and "budget" in preset.locked
        # the run's seed, or the comparison's number of seeds, is not the students' to change
        assert ("seeds" if preset.methods else "seed") in preset.locked
    assert [s.ref for s in content.extras["path"]][-1] == "week3-greedy-ucb"
    assert len(content.entries) >= 50  # the bundled glossary is there to link to


def test_pack_init_creates_a_pack_that_passes_check(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "week1"
    assert main(["pack", "init", str(folder), "--title", "Week 1: basics", "--class-code", "w1"]) == 0
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "README.txt", "exercises/my-first-exercise.md", "learning-path.yaml", "pack.yaml",
        "presets/my-grid-vs-random.yaml"]
    content = load_content(folder, deep=True)
    assert content.problems == []
    assert content.extras["pack"].title == "Week 1: basics" and content.extras["pack"].class_code == "w1"
    assert "my-first-exercise" in content.extras["exercises"]
    # The pack's own path leads the home screen: its exercise, not the bundled ones.
    path = [(s.kind, s.ref) for s in content.extras["path"]]
    assert ("exercise", "my-first-exercise") in path and ("preset", "my-grid-vs-random") in path
    assert [ref for kind, ref in path if kind == "exercise"] == ["my-first-exercise"]
    assert content.extras["path_title"] == "Week 1: basics"
    # The sample answer is written as the letter students type, and it is the right one.
    text = (folder / "exercises" / "my-first-exercise.md").read_text(encoding="utf-8")
    assert "    answer: b  # the letter students type" in text
    step = content.extras["exercises"]["my-first-exercise"].steps[0]
    assert step.choices[step.answer] == "Random search"
    capsys.readouterr()
    assert main(["pack", "init", str(folder)]) == 1
    assert "already exists and is not an empty folder" in capsys.readouterr().err

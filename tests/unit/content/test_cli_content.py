"""`hpedu check`, `hpedu glossary` and `hpedu search` on a content folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpedu.cli import main


def test_check_ok(good_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(good_content)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 3 glossary entries") and out.count("\n") == 1


def test_check_reports_each_problem_and_exits_1(good_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (good_content / "glossary" / "bad.md").write_text("---\nid: bad\n---\nbody\n", encoding="utf-8")
    assert main(["check", "--content", str(good_content)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    bad = str(good_content / "glossary" / "bad.md")
    assert f"{bad}:1: missing required field 'term' (a non-empty text)" in lines
    assert all(line.startswith(bad + ":") for line in lines)
    assert "problems in" in captured.err


def test_check_uses_environment_variable(good_content: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HPEDU_CONTENT", str(good_content))
    assert main(["check"]) == 0
    assert str(good_content) in capsys.readouterr().out


def test_missing_content_folder(tmp_path: Path, capsys) -> None:
    assert main(["check", "--content", str(tmp_path / "nope")]) == 1
    assert "content folder not found" in capsys.readouterr().err


def test_glossary_lists_terms_with_category(good_content: Path, capsys) -> None:
    assert main(["glossary", "--content", str(good_content)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].split() == ["Batch", "size", "hyperparameter"]


def test_glossary_prints_entry_plain_when_piped(good_content: Path, capsys) -> None:
    assert main(["glossary", "lr", "--content", str(good_content)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Learning rate\n=============\n")
    assert "See batch size." in out  # glossary link reduced to its words
    assert "Related: Batch size, Regularization coefficient" in out


def test_glossary_unknown_term_suggests_and_exits_1(good_content: Path, capsys) -> None:
    assert main(["glossary", "rate", "size", "--content", str(good_content)]) == 1
    err = capsys.readouterr().err
    assert "no entry clearly matches 'rate size'" in err and "Did you mean" in err


def test_search_ranks(good_content: Path, capsys) -> None:
    assert main(["search", "weight", "decay", "--content", str(good_content)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "Regularization coefficient" in first


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("objective: no-such\n", "unknown objective 'no-such'; choose one of: wave-1d"),
        ("method: nope\n", "unknown method 'nope'; choose one of: grid, random"),
        ("options: {kappa: -1}\n", "options: option 'kappa': -1 is out of range"),
        ("locked: [budget, colour]\n", "locked: 'colour' is not a setting of the run view; settings: objective, method"),
        ("budget: 501\n", "field 'budget' must be a whole number from 1 to 500, got 501"),  # the engine's MAX_BUDGET
        ("budget: 0\n", "field 'budget' must be a whole number >= 1, got 0"),
        ("seeds: 101\n", "field 'seeds' must be a whole number from 1 to 100, got 101"),  # MAX_SEEDS
    ],
)
def test_check_validates_presets_against_the_engine(good_content: Path, capsys, line: str, expected: str) -> None:
    base = {
        "id": "id: p\n",
        "title": "title: P\n",
        "description": "description: A preset.\n",
        "objective": "objective: branin\n",
        "method": "method: bayes\n",
        "budget": "budget: 5\n",
    }
    key = line.split(":")[0]
    base[key] = line
    (good_content / "presets").mkdir()
    (good_content / "presets" / "p.yaml").write_text("".join(base.values()), encoding="utf-8")
    assert main(["check", "--content", str(good_content)]) == 1
    out = capsys.readouterr().out
    expected_line = list(base).index(key) + 1 if key in base else 7
    assert f"p.yaml:{expected_line}: {expected}" in out


@pytest.mark.parametrize(
    ("locked", "problem"),
    [
        ("[objective, methods, budget, seeds, weight]", None),
        ("[seeds, seed]", "p.yaml:8: locked: 'seed' is not a setting of the compare view"),
        ("[kappa]", "p.yaml:8: locked: 'kappa' is not a setting of the compare view"),
    ],
)
def test_check_validates_locked_names_of_a_compare_preset(good_content: Path, capsys, locked: str, problem) -> None:
    (good_content / "presets").mkdir()
    # no `view:` line: a methods list alone makes it a comparison
    (good_content / "presets" / "p.yaml").write_text(
        "id: p\ntitle: P\ndescription: A comparison.\nobjective: low-effective-dim\nmethod: grid\n"
        f"budget: 9\nmethods: [grid, random]\nlocked: {locked}\n",
        encoding="utf-8",
    )
    status = main(["check", "--content", str(good_content)])
    out = capsys.readouterr().out
    if problem is None:
        assert status == 0, out
        assert out.startswith("OK: 3 glossary entries, 1 preset, 0 exercises in ")  # singular for one
    else:
        assert status == 1 and problem in out


@pytest.mark.parametrize("value", ["0", "-1", "501", "ten", "2.5"])
def test_search_limit_outside_1_to_500_is_refused(good_content: Path, capsys, value: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["search", "weight", "--limit", value, "--content", str(good_content)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"--limit: must be a whole number from 1 to 500, got {value!r}" in err


def test_search_limit_caps_the_matches(good_content: Path, capsys) -> None:
    assert main(["search", "rate", "--limit", "500", "--content", str(good_content)]) == 0
    many = capsys.readouterr().out.splitlines()
    assert len(many) >= 2
    assert main(["search", "rate", "--limit", "1", "--content", str(good_content)]) == 0
    assert capsys.readouterr().out.splitlines() == many[:1]


def test_a_preset_at_the_engines_limits_is_fine(good_content: Path, capsys) -> None:
    (good_content / "presets").mkdir()
    (good_content / "presets" / "p.yaml").write_text(
        "id: p\ntitle: P\ndescription: A comparison.\nobjective: branin\nmethod: grid\n"
        "budget: 500\nmethods: [grid, random]\nseeds: 100\n", encoding="utf-8")
    assert main(["check", "--content", str(good_content)]) == 0, capsys.readouterr().out


def test_a_plain_content_load_leaves_the_engine_unloaded(tmp_path: Path) -> None:
    """The limits come from hpedu.tuning.runner only in the deep check: a plain
    load (the app's first screen) imports neither the engine nor numpy."""
    import subprocess
    import sys

    code = ("import sys\nfrom hpedu.content import load_content\nfrom hpedu.content.locate import bundled_content_dir\n"
            "c = load_content(bundled_content_dir())\nassert c.presets and not c.problems, c.problems\n"
            "print(sorted(m for m in sys.modules if m.startswith(('numpy', 'hpedu.tuning'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "HPEDU_CACHE_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

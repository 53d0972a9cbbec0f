"""`hpedu check --verify`: claims checked against real runs under several class codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hpedu.classroom import class_seed
from hpedu.cli import main
from hpedu.content import load_content
from hpedu.tuning import simulate
from hpedu.verify import MAX_CODES, verify_codes, verify_content

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]

PRESETS = {
    "fx-random-wave": """\
id: fx-random-wave
title: Five random trials on the 1-D wave
description: A short random search, for the verify tests.
objective: wave-1d
method: random
budget: 5
seed: 0
terms: [regularization-coefficient]
""",
    "fx-grid-wave": """\
id: fx-grid-wave
title: Seven grid points on the 1-D wave
description: A grid draws nothing at random, for the verify tests.
objective: wave-1d
method: grid
budget: 7
seed: 0
terms: [regularization-coefficient]
""",
    "fx-compare": """\
id: fx-compare
title: Grid against random, nine trials, ten seeds
description: Only x matters, for the verify tests.
objective: low-effective-dim
objective_options: {weight: 0.0}
method: grid
methods: [grid, random]
budget: 9
seed: 0
seeds: 10
view: compare
terms: [regularization-coefficient]
""",
}

HEAD = """\
---
id: {id}
title: A title
terms: [learning-rate]
difficulty: beginner
summary: One sentence.
steps:
"""
TAIL = "---\nIntro.\n"


def step(preset: str, verify: str) -> str:
    return (f"  - preset: {preset}\n    question: Which?\n    kind: choice\n    choices: [left, right]\n"
            f"    answer: 0\n    explanation: Because.\n    verify:\n{verify}")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    (dest / "presets").mkdir()
    (dest / "exercises").mkdir()
    for name, text in PRESETS.items():
        (dest / "presets" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return dest


def write(folder: Path, exercise_id: str, steps: str) -> Path:
    path = folder / "exercises" / f"{exercise_id}.md"
    path.write_text(HEAD.format(id=exercise_id) + steps + TAIL, encoding="utf-8")
    return path


def run_check(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_keyed_answer_true_only_for_seed_0_is_caught_for_other_codes(content_dir: Path, capsys) -> None:
    seed0 = simulate("wave-1d", "random", 5, 0).best.value
    path = write(content_dir, "seed-zero-only", step("fx-random-wave", (
        "      - claim: best-value-in\n"
        f"        low: {seed0 - 1e-9!r}\n"
        f"        high: {seed0 + 1e-9!r}\n")))
    codes = verify_codes(2)
    # the other codes really do give other runs with other best values
    others = [simulate("wave-1d", "random", 5, class_seed(c, 0)).best.value for c in codes]
    assert all(abs(v - seed0) > 1e-6 for v in others)

    status, out, err = run_check(capsys, "--content", str(content_dir), "--verify", "--codes", "2")

    assert status == 1
    failures = [line for line in out if line.startswith(f"{path}:")]
    assert len(failures) == 2  # no code passes; each of the two other codes fails
    claim_line = HEAD.count("\n") + 8  # the '- claim:' item under verify:
    for line, c in zip(failures, codes):
        assert line.startswith(f"{path}:{claim_line}: code {c}: fx-random-wave: seed {class_seed(c, 0)}: "
                               "the best value ")
        assert "is outside [" in line
    assert "verify: 2 claims do not hold" in err


def test_claims_the_runs_support_pass(content_dir: Path, capsys) -> None:
    # wave-1d is at least 2.847 (its minimum, at x = 0) and at most 8.7 on [0, 6];
    # a grid draws nothing at random, so its best value is the same for every code;
    # random search tries nine values of the only x that matters, the grid three.
    grid_best = simulate("wave-1d", "grid", 7, 0).best.value
    write(content_dir, "robust", step("fx-random-wave", (
        "      - claim: best-value-in\n        low: 2.84\n        high: 8.7\n"
        "      - claim: count-trials\n        at_least: 5\n        at_most: 5\n"))
        + step("fx-grid-wave", (
            "      - claim: best-value-in\n"
            f"        low: {grid_best - 1e-12!r}\n        high: {grid_best + 1e-12!r}\n"
            "      - claim: best-param-on-edge\n        param: x\n        edge: low\n"))
        + step("fx-compare", (
            "      - claim: median-better\n        method: random\n        than: grid\n"
            "      - claim: wins-at-least\n        method: random\n        wins: 6\n")))

    status, out, err = run_check(capsys, "--content", str(content_dir), "--verify", "--codes", "3")

    assert status == 0, out
    assert out[-1].startswith("verify OK: 6 claims under 4 class codes")


def test_report_counts_each_claim_under_each_code(content_dir: Path) -> None:
    write(content_dir, "robust", step("fx-random-wave", "      - claim: best-value-in\n        low: 2.84\n"
                                                      "        high: 8.7\n"))
    content = load_content(content_dir)
    report = verify_content(content, [None, *verify_codes(2)])
    assert report.failures == [] and report.claims == 1 and report.runs == 3


@pytest.mark.parametrize("verify, line, message", [
    ("      - claim: median-lower\n        method: random\n        than: grid\n", 15,
     "step 1: claim 1: unknown claim 'median-lower'; known claims: median-better, wins-at-least"),
    ("      - claim: best-value-in\n        low: 1\n        hihg: 2\n", 17,
     "step 1: claim 1 (best-value-in): unknown argument 'hihg'; allowed: preset, low, high"),
    ("      - claim: best-value-in\n        low: 3\n", 15, "step 1: claim 1 (best-value-in) needs 'high' (a number)"),
    ("      - claim: median-better\n        method: random\n        than: grid\n", 15,
     "step 1: claim 1 (median-better) compares methods, but preset 'fx-random-wave' is a single run"),
    ("      - claim: best-value-in\n        low: 3\n        high: 1\n", 16,
     "step 1: claim 1 (best-value-in): low (3) is above high (1)"),
    ("      - best-value-in\n", 15, "step 1: claim 1 must be a mapping with 'claim: NAME'"),
])
def test_bad_claims_are_located_errors(content_dir: Path, verify: str, line: int, message: str) -> None:
    path = write(content_dir, "bad-claim", step("fx-random-wave", verify))
    content = load_content(content_dir)
    found = [str(p) for p in content.problems if p.path == path]
    assert any(f.startswith(f"{path}:{line}: {message}") for f in found), found
    assert "bad-claim" not in content.extras["exercises"]


def test_a_claim_on_a_step_without_preset_must_name_one(content_dir: Path) -> None:
    path = write(content_dir, "no-preset", (
        "  - question: Which?\n    kind: choice\n    choices: [left, right]\n    answer: 0\n"
        "    explanation: Because.\n    verify:\n      - claim: best-value-in\n        low: 1\n        high: 9\n"))
    found = [str(p) for p in load_content(content_dir).problems if p.path == path]
    assert found == [f"{path}:14: step 1: claim 1 (best-value-in): the step has no 'preset', so the claim needs "
                     "'preset: ID'"]


def test_codes_are_fixed_distinct_and_bounded(capsys) -> None:
    assert verify_codes(3) == verify_codes(5)[:3]
    assert len(set(verify_codes(MAX_CODES))) == MAX_CODES
    with pytest.raises(ValueError, match="from 0 to 50"):
        verify_codes(MAX_CODES + 1)
    with pytest.raises(SystemExit) as exc:
        main(["check", "--verify", "--codes", str(MAX_CODES + 1)])
    assert exc.value.code == 2 and "--codes: must be a whole number from 0 to 50" in capsys.readouterr().err
    assert main(["check", "--codes", "2"]) == 2
    assert "--codes needs --verify" in capsys.readouterr().err


@pytest.mark.slow
def test_the_bundled_claims_hold_for_a_few_codes() -> None:
    """Every verify: claim of the bundled exercises, with no class code and with one other code
    (.ci/run checks twenty codes, and the example teacher pack)."""
    content = load_content(ROOT / "content")
    report = verify_content(content, [None, *verify_codes(1)])
    assert report.claims >= 30 and not report.failures, [str(f) for f in report.failures]


def test_a_preset_step_without_claims_is_noted_at_its_line(content_dir: Path, capsys) -> None:
    path = write(content_dir, "unchecked", (
        "  - question: First?\n    kind: choice\n    choices: [left, right]\n    answer: 0\n"
        "    explanation: Because.\n"
        "  - preset: fx-grid-wave\n    question: Which?\n    kind: choice\n    choices: [left, right]\n"
        "    answer: 0\n    explanation: Because.\n"))
    status, out, err = run_check(capsys, "--content", str(content_dir), "--verify", "--codes", "0")
    assert status == 0
    assert f"{path}:13: note: this step runs preset 'fx-grid-wave' but has no verify: claims" in err.splitlines()
    assert out[-1].startswith("verify OK: 0 claims under 1 class code (no code)")


def test_trial_numbers_count_from_1_as_tables_show_them(content_dir: Path, capsys) -> None:
    first = simulate("wave-1d", "random", 5, 0).trials[0].value
    write(content_dir, "first-trial", step("fx-random-wave", (
        "      - claim: trial-value-in\n        trial: 1\n"
        f"        low: {first - 1e-12!r}\n        high: {first + 1e-12!r}\n"
        "      - claim: count-trials\n        from: 2\n        to: 4\n        at_least: 3\n        at_most: 3\n")))
    status, out, err = run_check(capsys, "--content", str(content_dir), "--verify", "--codes", "0")
    assert status == 0, out

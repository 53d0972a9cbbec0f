"""Exercise files: the fixtures load; every bad case gives its exact path:line: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hpedu.content import load_content
from hpedu.content.exercises import Exercise, Step

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

GOOD = """\
---
id: {id}
title: A title
terms: [learning-rate]
difficulty: beginner
summary: One sentence.
steps:
  - question: Pick one.
    kind: choice
    choices: [left, right]
    answer: 0
    explanation: Because.
---
Intro.
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """The small glossary fixture plus the two exercise fixtures and their presets."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return dest


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / "exercises" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(content, path: Path) -> list[str]:
    return [str(p) for p in content.problems if p.path == path]


def bad_step(steps_yaml: str) -> str:
    """An otherwise valid exercise whose `steps:` block is `steps_yaml` (line 8 onwards)."""
    head = GOOD.split("steps:\n")[0]
    return head + "steps:\n" + steps_yaml + "---\nIntro.\n"


def test_fixtures_load_into_typed_exercises(content_dir: Path) -> None:
    content = load_content(content_dir, deep=True)
    assert content.problems == []
    exercises = content.extras["exercises"]
    assert list(exercises) == ["learning-rate-basics", "predict-the-grid"]
    assert content.extras["counts"]["exercises"] == 2
    ex = exercises["learning-rate-basics"]
    assert isinstance(ex, Exercise)
    assert (ex.title, ex.difficulty, ex.terms) == ("How big a step?", "beginner", ("learning-rate", "batch-size"))
    assert ex.intro.startswith("The [learning rate](glossary:learning-rate)")
    choice, numeric, order = ex.steps
    assert choice == Step(
        question="Which of these is a hyperparameter?", kind="choice",
        explanation="The learning rate is set before training; the weights are learned.",
        choices=("The weights of the network", "The learning rate", "The training loss"), answer=1,
        hints=("It is chosen before training starts.", "Nothing in training updates it."),
    )
    assert (numeric.answer, numeric.tolerance, numeric.hints) == (0.025, 0.001, ("Halve it once, then once more.",))
    assert order.items == ("0.0001", "0.01", "1.0") and order.answer is None and order.tolerance == 0.0
    grid, comp = exercises["predict-the-grid"].steps
    assert (grid.preset, grid.run) == ("fixture-grid", "after")  # run defaults to after
    assert (comp.preset, comp.run) == ("fixture-compare", "before")
    assert ex.path == content_dir / "exercises" / "learning-rate-basics.md"


CASES = [
    # (front matter replacement, expected "line: message")
    (GOOD.replace("summary: One sentence.\n", "summary: One sentence.\nlevel: easy\n"),
     "7: unknown field 'level'; allowed fields: id, title, terms, difficulty, summary, steps"),
    (GOOD.replace("summary: One sentence.\n", ""),
     "1: missing required field 'summary' (a non-empty text)"),
    (GOOD.replace("difficulty: beginner", "difficulty: easy"),
     "5: field 'difficulty' is 'easy'; allowed: beginner, intermediate, advanced"),
    (GOOD.replace("terms: [learning-rate]", "terms:\n  - learning-rate\n  - learning-rat"),
     "6: terms 'learning-rat' is not the id of any glossary entry; did you mean learning-rate?"),
    (GOOD.replace("terms: [learning-rate]", "terms: []"),
     "4: field 'terms' must name at least one glossary entry"),
    (bad_step("  - not a mapping\n"),
     "8: step 1 must be a mapping of 'key: value' lines (question, kind, ...), got 'not a mapping'"),
    (GOOD.replace("    explanation: Because.\n", "    explanation: Because.\n    hint: try\n"),
     "13: step 1: unknown field 'hint'; allowed fields: question, kind, choices, answer, tolerance, items, hints, "
     "explanation, preset, run, verify"),
    (GOOD.replace("    answer: 0\n", "    answer: 2\n"),
     "11: step 1: field 'answer' is 2, but the choices are numbered 0 to 1 (0-based) or lettered a to b"),
    (GOOD.replace("    answer: 0\n", "    answer: c\n"),
     "11: step 1: field 'answer' is 'c', but there are only 2 choices: write a letter a-b or the 0-based index 0-1"),
    (GOOD.replace("    answer: 0\n", "    answer: 'no'\n"),
     "11: step 1: field 'answer' must be the right choice's letter (a-b) or its 0-based index (0-1), got 'no'"),
    (GOOD.replace("choices: [left, right]", "choices:\n      - left\n      - right\n      - left"),
     "13: step 1: choice 3 repeats choice 1"),
    (GOOD.replace("choices: [left, right]", "choices: [left]"),
     "10: step 1: field 'choices' must hold 2 to 6 choices, got 1"),
    (GOOD.replace("    kind: choice\n", "    kind: multiple\n"),
     "9: step 1: field 'kind' is 'multiple'; allowed: choice, numeric, order"),
    (GOOD.replace("    explanation: Because.\n", ""),
     "8: step 1: missing required field 'explanation' (a non-empty text)"),
    (bad_step("  - question: How many?\n    kind: numeric\n    answer: three\n    explanation: Because.\n"),
     "10: step 1: field 'answer' must be a number, got 'three'"),
    (bad_step("  - question: How many?\n    kind: numeric\n    answer: 3\n    tolerance: -1\n    explanation: Because.\n"),
     "11: step 1: field 'tolerance' must be a number >= 0, got -1"),
    (bad_step("  - question: How many?\n    kind: numeric\n    answer: 3\n    choices: [a, b]\n    explanation: Because.\n"),
     "11: step 1: field 'choices' is not used by a numeric step (only by: choice)"),
    (bad_step("  - question: Sort.\n    kind: order\n    explanation: Because.\n"),
     "8: step 1: an order step needs field 'items'"),
    (bad_step("  - question: Sort.\n    kind: order\n    items:\n      - one\n      - 2\n    explanation: Because.\n"),
     "12: step 1: item 2 must be a non-empty text, got 2 (YAML reads yes, no, on, off, null and numbers as values: "
     "put the text in quotes)"),
    (GOOD.replace("choices: [left, right]", "choices: [Yes, maybe]"),
     "10: step 1: choice 1 must be a non-empty text, got True (YAML reads yes, no, on, off, null and numbers as "
     "values: put the text in quotes)"),
    (GOOD.replace("    explanation: Because.\n", "    explanation: Because.\n    preset: fixture-gird\n"),
     "13: step 1: preset 'fixture-gird' is not the id of any preset; did you mean fixture-grid, fixture-compare?"),
    (GOOD.replace("    explanation: Because.\n", "    explanation: Because.\n    run: after\n"),
     "13: step 1: field 'run' needs a 'preset' to run"),
    (GOOD.replace("    explanation: Because.\n", "    explanation: Because.\n    preset: fixture-grid\n    run: during\n"),
     "14: step 1: field 'run' is 'during'; allowed: before, after"),
    (GOOD.replace("    answer: 0\n", "    answer: 0\n    answer: 1\n"),
     "12: duplicate key 'answer' (first given on line 11)"),
    (GOOD.replace("    explanation: Because.\n", "    explanation: See [this](glossary:nope).\n"),
     "12: step 1: link glossary:'nope' is not the id of any glossary entry"),
    (GOOD.replace("Intro.\n", "Intro.\n\nSee [this](glossary:batch-sise).\n"),
     "16: link glossary:'batch-sise' is not the id of any glossary entry; did you mean batch-size?"),
    (GOOD.replace("title: A title", "title: [unclosed"),
     "4: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    (GOOD.replace("steps:\n", "steps: []\n").split("  - question")[0] + "---\nIntro.\n",
     "7: field 'steps' must hold at least one step"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[1].split(": ", 1)[1][:50] for c in CASES])
def test_each_bad_case_names_file_line_and_problem(content_dir: Path, text: str, expected: str) -> None:
    path = write(content_dir, "broken.md", text.format(id="broken"))
    content = load_content(content_dir)
    found = messages(content, path)
    if "invalid YAML" in expected:  # PyYAML words its own message; the line and the start are ours
        assert len(found) == 1 and found[0].startswith(f"{path}:{expected.split(':')[0]}: invalid YAML"), found
    else:
        assert found == [f"{path}:{expected}"]
    assert "broken" not in content.extras["exercises"]
    assert set(content.extras["exercises"]) == {"learning-rate-basics", "predict-the-grid"}  # the others still load


def test_the_good_template_itself_is_valid(content_dir: Path) -> None:
    path = write(content_dir, "fine.md", GOOD.format(id="fine"))
    content = load_content(content_dir)
    assert messages(content, path) == []
    assert content.extras["exercises"]["fine"].steps[0].choices == ("left", "right")


def test_id_must_equal_the_file_name(content_dir: Path) -> None:
    path = write(content_dir, "other-name.md", GOOD.format(id="broken"))
    assert messages(load_content(content_dir), path) == [
        f"{path}:2: id 'broken' must equal the file name 'other-name'"
    ]


def test_every_problem_of_a_file_is_reported_not_just_the_first(content_dir: Path) -> None:
    text = bad_step(
        "  - question: Pick.\n    kind: choice\n    choices: [a]\n    answer: 5\n    explanation: x\n"
        "  - question: Sort.\n    kind: order\n    items: [a, b]\n    answer: 1\n    explanation: x\n"
    ).format(id="broken")
    path = write(content_dir, "broken.md", text)
    assert messages(load_content(content_dir), path) == [
        f"{path}:10: step 1: field 'choices' must hold 2 to 6 choices, got 1",
        f"{path}:11: step 1: field 'answer' is 5, but the choices are numbered 0 to 0 (0-based) or lettered a to a",
        f"{path}:16: step 2: field 'answer' is not used by an order step (only by: choice, numeric)",
    ]


def test_missing_front_matter_and_bad_bytes(content_dir: Path) -> None:
    a = write(content_dir, "plain.md", "just text\n")
    b = write(content_dir, "bytes.md", b"---\nid: bytes\ntitle: \xff\n---\n")
    content = load_content(content_dir)
    assert messages(content, a) == [f"{a}:1: missing front matter: the file must start with a line '---'"]
    assert messages(content, b) == [f"{b}:3: not valid UTF-8 (byte 0xff at offset 21)"]


def test_other_files_in_the_folder_are_reported(content_dir: Path) -> None:
    path = write(content_dir, "notes.yaml", "id: x\n")
    assert messages(load_content(content_dir), path) == [f"{path}:1: ignored: only .md files are read in exercises/"]


def test_learning_path_may_name_exercises_and_unknown_ones_are_reported(content_dir: Path) -> None:
    path = content_dir / "learning-path.yaml"
    path.write_text("title: T\nsteps:\n  - glossary: learning-rate\n  - exercise: predict-the-grid\n"
                    "  - exercise: no-such-exercise\n", encoding="utf-8")
    content = load_content(content_dir)
    assert messages(content, path) == [f"{path}:5: step 3: exercise 'no-such-exercise' does not exist"]
    assert [(s.kind, s.ref) for s in content.extras["path"]] == [("glossary", "learning-rate"), ("exercise", "predict-the-grid")]


def test_check_command_counts_exercises(content_dir: Path, capsys) -> None:
    from hpedu.cli import main

    assert main(["check", "--content", str(content_dir)]) == 0
    assert "2 exercises" in capsys.readouterr().out


@pytest.mark.parametrize(("written", "index"), [("a", 0), ("b", 1), ("B", 1), ("'b'", 1), ("0", 0), ("1", 1)])
def test_a_choice_answer_is_the_letter_students_type_or_the_0_based_index(
        content_dir: Path, written: str, index: int) -> None:
    text = GOOD.replace("    answer: 0\n", f"    answer: {written}\n").format(id="letters")
    path = write(content_dir, "letters.md", text)
    content = load_content(content_dir)
    assert messages(content, path) == []
    step = content.extras["exercises"]["letters"].steps[0]
    assert step.answer == index
    assert step.choices[step.answer] == ("left", "right")[index]

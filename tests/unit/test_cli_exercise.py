"""`hpedu exercise list|show|run` and `hpedu progress`, driven through main() with stdin fed from text."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.classroom import derive_seed
from hpedu.cli import main
from hpedu.progress import ProgressStore
from hpedu.tuning import compare, simulate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EX = "learning-rate-basics"
# learning-rate-basics: b is right; 0.025 ± 0.001; items shown as a) 0.01 b) 0.0001 c) 1.0, so "b a c" is right.


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(autouse=True)
def data_dir(learner_env: Path) -> Path:
    return learner_env


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch, capsys, argv: list[str], stdin: str = "", tty: bool = False) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", (Terminal if tty else io.StringIO)(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def record(data_dir: Path, exercise: str, profile: str = "default"):
    return ProgressStore.open(profile, data_dir).exercise(exercise)


def test_run_from_stdin_scores_and_records_progress(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    answers = "\n".join(["b", "", "?", "?", "?", "zero", "0.0245", "a a b", "b a c"]) + "\n"
    code, out, err = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", EX], answers)
    assert code == 0, err
    assert "  a) 0.01\n  b) 0.0001\n  c) 1.0" in out  # the shuffled order
    assert "no answer given: type a number" in out
    assert "Hint 1 of 1: Halve it once, then once more." in out
    assert out.count("No more hints for this step.") == 2
    assert "'zero' is not a number" in out
    assert "label 'a' is given twice" in out
    assert out.count("Correct.") == 3
    assert "Score: 3/3 · hints used: 1" in out
    p = record(data_dir, EX)
    assert (p.status, p.score, p.hints_used) == ("done", 3, 1)
    assert [(s.answer, s.correct, s.hints_used) for s in p.steps] == [("b", True, 0), ("0.0245", True, 1), ("b a c", True, 0)]


def test_wrong_answers_show_the_right_one_and_the_explanation(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, ["exercise", "run", EX, "--content", str(content_dir)], "1\n0.5\n3 2 1\n")
    assert code == 0
    assert "Not quite: the answer is b) The learning rate." in out
    assert "Not quite: the answer is 0.025 (± 0.001)." in out
    assert "Not quite: the answer is b a c (0.0001, 0.01, 1.0)." in out
    assert "0.1 / 2 / 2 = 0.025." in out
    assert "Score: 0/3" in out
    assert [s.answer for s in record(data_dir, EX).steps] == ["a", "0.5", "c b a"]


def test_end_of_input_saves_and_the_next_run_resumes(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    argv = ["--content", str(content_dir), "exercise", "run", EX]
    code, out, _ = run(monkeypatch, capsys, argv, "b\n?\n")
    assert code == 3  # stopped before the end: a script can tell
    assert "The input ended at step 2 of 3; 1 answered, progress saved." in out
    p = record(data_dir, EX)
    assert (p.status, p.answered, p.hints_used) == ("in progress", 1, 1)
    code, out, _ = run(monkeypatch, capsys, argv, "0.025\nb a c\n")
    assert "Resuming at step 2 of 3" in out and "Step 1 of 3" not in out
    assert code == 0 and "Score: 3/3 · hints used: 1" in out
    assert record(data_dir, EX).status == "done"
    done = record(data_dir, EX)
    code, out, _ = run(monkeypatch, capsys, argv, "quit\n")  # done: shown in review, nothing asked or changed
    assert code == 0 and "Your answers as recorded:" in out and "> " not in out
    assert record(data_dir, EX) == done
    code, out, _ = run(monkeypatch, capsys, argv + ["--again"], "quit\n")  # a new try is explicit
    assert code == 3 and "Step 1 of 3" in out and "Stopped at step 1 of 3; 0 answered" in out
    p = record(data_dir, EX)
    assert (p.status, p.score, p.attempts, p.best_score) == ("done", 3, 2, 3)


def test_predict_then_run_prints_the_engine_outcome(monkeypatch, capsys, content_dir: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", "predict-the-grid"], "b\n3\n")
    assert code == 0
    trace = simulate("branin", "grid", 9, 0)
    assert f"best value: {trace.best.value:.6g}" in out
    assert f"(trial #{trace.best.index + 1})" in out  # the same numbering as the table
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["#"])
    table = lines[start:lines.index("  (* = new best so far)")]
    assert table[0].split() == ["#", "x1", "x2", "value"] and len(table) == 1 + len(trace.trials)
    for row, t in zip(table[1:], trace.trials):
        assert row.split()[0] == str(t.index + 1) and row.split()[3] == f"{t.value:.6g}"  # numbered from 1
    assert sum(row.endswith("*") for row in table) == len(set(trace.best_so_far.tolist()))
    # run: after -> the question comes before the simulation; run: before -> after it
    assert out.index("Will a 3 x 3 grid") < out.index("Now the simulation decides:") < out.index("best value:")
    comp = compare("low-effective-dim", ["grid", "random"], 9, [0, 1, 2], objective_options={"weight": 0.05})
    for name, r in comp.methods.items():
        assert f"median best {r.median_final:.6g}" in out
    assert out.index("First, the simulation:") < out.index("How many distinct values")
    assert "Score: 2/2" in out


def test_class_code_derives_the_seeds_and_is_recorded(monkeypatch, capsys, content_dir: Path, data_dir: Path) -> None:
    argv = ["--content", str(content_dir), "exercise", "run", "predict-the-grid", "--restart"]
    _, first, _ = run(monkeypatch, capsys, argv + ["--class-code", "Stats-101"], "b\n3\n")
    _, again, _ = run(monkeypatch, capsys, argv + ["--class-code", "stats-101"], "b\n3\n")
    monkeypatch.setenv("HPEDU_CLASS_CODE", "bio-201")
    _, other, _ = run(monkeypatch, capsys, argv, "b\n3\n")
    seed = derive_seed("stats-101", "seed:0")
    assert f"seed {seed} " in first
    comp = compare("low-effective-dim", ["grid", "random"], 9, [derive_seed("stats-101", f"seed:{i}") for i in range(3)],
                   objective_options={"weight": 0.05})
    assert f"median best {comp.methods['random'].median_final:.6g}" in first

    def sims(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith("  ") and ("seed" in line or "best" in line)]

    assert sims(first) == sims(again)
    assert sims(first) != sims(other) and f"seed {derive_seed('bio-201', 'seed:0')} " in other
    assert record(data_dir, "predict-the-grid").class_code == "bio-201"


def test_bad_class_code_and_profile_are_refused(monkeypatch, capsys, content_dir: Path) -> None:
    with pytest.raises(SystemExit):
        run(monkeypatch, capsys, ["--class-code", "no spaces", "exercise", "list"])
    assert "invalid class code" in capsys.readouterr().err
    monkeypatch.setenv("HPEDU_PROFILE", "../../etc")
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "list"])
    assert code == 1 and "invalid profile name" in err


def test_list_shows_status_per_profile(monkeypatch, capsys, content_dir: Path) -> None:
    run(monkeypatch, capsys, ["--content", str(content_dir), "--profile", "ada", "exercise", "run", EX], "b\n")
    _, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "--profile", "ada", "exercise", "list"])
    lines = out.splitlines()
    assert lines[0].split() == ["id", "difficulty", "steps", "status", "title"]
    assert lines[1].split()[:6] == [EX, "beginner", "3", "in", "progress", "1/3"]
    assert lines[2].split()[:4] == ["predict-the-grid", "intermediate", "2", "new"]
    _, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "list", "--profile", "bo"])
    assert out.splitlines()[1].split()[3] == "new"


def test_show_hides_answers_unless_asked(monkeypatch, capsys, content_dir: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "show", EX])
    assert code == 0
    assert out.startswith("How big a step?\n===============\nbeginner · 3 steps · practises: Learning rate, Batch size")
    assert "The learning rate sets how far" in out and "glossary:" not in out
    assert "Answer:" not in out and "0.1 / 2 / 2" not in out
    _, out, _ = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "show", EX, "--answers"])
    assert "Answer: b) The learning rate" in out and "Answer: 0.025 (± 0.001)" in out and "Answer: b a c" in out


def test_unknown_exercise_suggests_close_ids(monkeypatch, capsys, content_dir: Path) -> None:
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), "exercise", "run", "learning-rate-basic"])
    assert code == 2 and "no exercise 'learning-rate-basic'; did you mean learning-rate-basics?" in err


def test_progress_table_export_and_reset(monkeypatch, capsys, content_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    base = ["--content", str(content_dir), "--profile", "ada"]
    run(monkeypatch, capsys, base + ["--class-code", "c1", "exercise", "run", EX], "b\n0.1\nb a c\n")
    code, out, _ = run(monkeypatch, capsys, base + ["progress"])
    assert code == 0
    assert out.splitlines()[0] == f"profile 'ada' · class code c1 · {data_dir / 'profiles' / 'ada.json'}"
    assert out.splitlines()[2].split()[:4] == [EX, "done", "2/3", "0"]
    assert out.splitlines()[3].split()[:3] == ["predict-the-grid", "new", "-/2"]
    assert out.splitlines()[-1] == "1 done, 0 in progress, 1 new"

    code, out, _ = run(monkeypatch, capsys, base + ["progress", "--export", str(tmp_path / "ada.json")])
    assert code == 0 and "wrote the progress of 1 exercise (profile 'ada')" in out
    data = json.loads((tmp_path / "ada.json").read_text())
    assert data["class_code"] == "c1" and data["exercises"][EX]["title"] == "How big a step?"
    assert data["exercises"][EX]["score"] == 2
    run(monkeypatch, capsys, base + ["progress", "--export", str(tmp_path / "ada.csv")])
    rows = (tmp_path / "ada.csv").read_text().splitlines()
    assert rows[1].startswith(f"ada,c1,{EX},How big a step?,done,2,3,3,0,")

    path = data_dir / "profiles" / "ada.json"
    code, out, _ = run(monkeypatch, capsys, base + ["progress", "--reset"], "n\n", tty=True)
    assert code == 1 and f"Delete all progress of profile 'ada' ({path})? [y/N]" in out and path.exists()
    code, out, _ = run(monkeypatch, capsys, base + ["progress", "--reset"], "", tty=True)  # end of input means no
    assert code == 1 and path.exists()
    code, out, _ = run(monkeypatch, capsys, base + ["progress", "--reset"], "yes\n", tty=True)
    assert code == 0 and not path.exists()
    run(monkeypatch, capsys, base + ["exercise", "run", EX], "b\n")
    code, out, _ = run(monkeypatch, capsys, base + ["progress", "--reset", "--yes"])
    assert code == 0 and out == f"deleted {path}\n" and not path.exists()


def test_export_to_an_unknown_format_is_an_error(monkeypatch, capsys, content_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, ["--content", str(content_dir), "progress", "--export", str(tmp_path / "x.txt")])
    assert code == 2 and "must end in .csv or .json" in err


def test_answers_from_a_real_pipe(content_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("b\n0.025\nb a c\n")
    with answers.open() as stdin:
        out = subprocess.run([sys.executable, "-m", "hpedu", "--content", str(content_dir), "exercise", "run", EX],
                             stdin=stdin, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "> b\n" in out.stdout  # answers read from a file are echoed, so the transcript reads well
    assert "Score: 3/3" in out.stdout
    assert record(data_dir, EX).score == 3


def test_csv_export_lists_every_exercise_of_the_content(monkeypatch, capsys, content_dir: Path, tmp_path: Path) -> None:
    base = ["--content", str(content_dir), "--profile", "bo"]
    run(monkeypatch, capsys, base + ["exercise", "run", EX], "b\n")  # one step of one exercise
    code, _, err = run(monkeypatch, capsys, base + ["progress", "--export", str(tmp_path / "bo.csv")])
    assert code == 0, err
    import csv

    rows = list(csv.DictReader((tmp_path / "bo.csv").open(encoding="utf-8")))
    assert [(r["exercise"], r["status"]) for r in rows] == [(EX, "in progress"), ("predict-the-grid", "new")]
    never = rows[1]
    assert never["title"] == "Predict, then run" and never["profile"] == "bo"
    assert (never["answered"], never["score"], never["started"], never["answers"]) == ("0", "0", "", "")


def test_show_and_run_print_markdown_as_plain_text(monkeypatch, capsys, content_dir: Path) -> None:
    shutil.copy(FIXTURES / "exercise-long" / "reading-the-step.md", content_dir / "exercises")
    base = ["--content", str(content_dir), "exercise"]
    code, out, err = run(monkeypatch, capsys, base + ["show", "reading-the-step", "--answers"])
    assert code == 0, err
    flat = " ".join(out.split())
    assert "The learning rate sets how far each step of gradient descent" in flat  # the introduction
    assert "from about 1e-4 to 1." in flat
    assert "After fit() the optimiser has moved every weight many times. Which of these is a learning rate" in flat
    assert "a) The coef_ array that fit() produced" in flat and "b) lr, the step size passed" in flat
    assert "Answer: b) lr, the step size" in flat
    assert "coef_ and the loss are what training produces; see learning rate for how to search" in flat

    code, out2, err = run(monkeypatch, capsys, base + ["run", "reading-the-step"], "?\na\n0.025\n")
    assert code == 0, err
    flat2 = " ".join(out2.split())
    assert "Which one do you write in the code before calling fit()?" in flat2
    assert "Not quite: the answer is b) lr, the step size passed to the optimiser before training." in flat2
    for text in (out, out2):
        assert "`" not in text and "](" not in text and "glossary:" not in text and "**" not in text

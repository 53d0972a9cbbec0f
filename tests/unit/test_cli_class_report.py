"""`hpedu class report`: exit codes, the printed table, CSV files, damaged files named, refused targets."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from hpedu.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# the fixture content: learning-rate-basics (3 steps), predict-the-grid (2 steps)
LRB, GRID = "learning-rate-basics", "predict-the-grid"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    shutil.copytree(FIXTURES / "exercises", dest, dirs_exist_ok=True)
    return dest


def step(answer: str, correct: bool, hints: int = 0) -> dict:
    return {"answer": answer, "correct": correct, "hints_used": hints, "seconds": 2.0,
            "answered": "2026-01-01T10:00:00Z"}


def learner_file(folder: Path, name: str, steps: dict[int, dict], status: str) -> Path:
    score = sum(1 for s in steps.values() if s["correct"])
    data = {"format": "hpedu-progress", "version": 1, "profile": name, "class_code": "",
            "exercises": {LRB: {"status": status, "score": score, "steps_total": 3,
                                "steps": {str(k): v for k, v in steps.items()}, "attempts": 1, "best_score": score,
                                "class_code": "", "started": "2026-01-01T09:00:00Z", "finished": "",
                                "updated": "2026-01-01T10:00:00Z", "attempt": "x"}}}
    path = folder / "profiles" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path, learner_env: Path) -> Path:
    """ada finished 3/3 with 1 hint on step 2; bob finished 1/3 (steps 1 and 3 wrong); cy is at step 2 (step 1 wrong)."""
    folder = tmp_path / "class"
    learner_file(folder, "ada", {0: step("b", True), 1: step("0.025", True, 1), 2: step("b a c", True)}, "done")
    learner_file(folder, "bob", {0: step("a", False), 1: step("0.025", True), 2: step("a b c", False, 2)}, "done")
    learner_file(folder, "cy", {0: step("c", False)}, "in progress")
    return folder


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(text: str) -> dict[tuple[str, str], list[str]]:
    """The printed table: (exercise, "all") for an exercise's row, (exercise, "N") for its step N."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["exercise", "started"])
    out, current = {}, ""
    for line in lines[start + 1:]:
        if line.startswith("most wrong:"):
            break
        cells = line.split()
        if line.startswith("  step "):
            out[(current, cells[1])] = cells[2:]
        else:
            current = cells[0]
            out[(current, "all")] = cells[1:]
    return out


def test_report_of_a_data_folder(capsys, content_dir: Path, data: Path) -> None:
    code, out, err = run(capsys, ["class", "report", "--data", str(data), "--content", str(content_dir)])
    assert code == 0 and err == ""
    assert out.startswith(f"class report · 3 learners · data folder {data}\n")
    rows = rows_of(out)
    # started 3, finished 2 (ada 3, bob 1: median 2), answers 3+3+1 = 7, wrong bob 2 + cy 1 = 3, hints 3
    assert rows[(LRB, "all")] == ["3", "2", "2/3", "7", "3", "3"]
    assert rows[(LRB, "1")] == ["3", "2", "0"]  # ada, bob, cy answered; bob and cy wrong
    assert rows[(LRB, "2")] == ["2", "0", "1"]
    assert rows[(LRB, "3")] == ["2", "1", "2"]
    assert rows[(GRID, "all")] == ["0", "0", "-", "0", "0", "0"]  # nobody started it: still listed
    assert rows[(GRID, "2")] == ["0", "0", "0"]
    assert f"most wrong: {LRB} step 1 (2 of 3); {LRB} step 3 (1 of 2)\n" in out


def test_a_damaged_file_is_named_and_the_report_goes_on(capsys, content_dir: Path, data: Path) -> None:
    bad = data / "profiles" / "eve.json"
    bad.write_text('{"format": "hpedu-progress", "version": 1, "exercises": []}', encoding="utf-8")
    code, out, err = run(capsys, ["class", "report", "--data", str(data), "--content", str(content_dir)])
    assert code == 0
    assert err == f"hpedu class report: warning: {bad}: left out: 'exercises' is [], not a mapping\n"
    assert "3 learners" in out and rows_of(out)[(LRB, "all")][0] == "3"
    assert bad.read_text(encoding="utf-8").startswith('{"format"')  # left as it was
    assert sorted(p.name for p in bad.parent.iterdir()) == ["ada.json", "bob.json", "cy.json", "eve.json"]


def test_by_learner(capsys, content_dir: Path, data: Path) -> None:
    code, out, _ = run(capsys, ["class", "report", "--data", str(data), "--content", str(content_dir), "--by-learner"])
    assert code == 0
    lines = [line.split() for line in out.splitlines()[2:8]]
    assert lines[0] == ["ada", LRB, "done", "3/3", "3", "0", "1"]
    assert lines[1] == ["ada", GRID, "new", "-", "0", "0", "0"]
    assert lines[2] == ["bob", LRB, "done", "1/3", "3", "2", "2", "1", "3"]  # wrong steps 1 and 3
    assert lines[4] == ["cy", LRB, "in", "progress", "0/3", "1", "1", "0", "1"]


def test_csv_file(capsys, tmp_path: Path, content_dir: Path, data: Path) -> None:
    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    code, out, err = run(capsys, ["class", "report", "--data", str(data), "--content", str(content_dir),
                                  "--csv", str(target)])
    assert code == 0, err
    assert out == f"wrote the report of 3 learners (2 exercises) to {target}\n"
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == (1 + 3) + (1 + 2)
    head = rows[0]
    assert (head["exercise"], head["title"], head["step"], head["started"], head["finished"], head["median_score"],
            head["steps"], head["answers"], head["wrong"], head["hints"]) == \
        (LRB, "How big a step?", "", "3", "2", "2", "3", "7", "3", "3")
    assert [(r["step"], r["answers"], r["wrong"], r["hints"]) for r in rows[1:4]] == \
        [("1", "3", "2", "0"), ("2", "2", "0", "1"), ("3", "2", "1", "2")]
    assert (rows[4]["exercise"], rows[4]["started"], rows[4]["median_score"]) == (GRID, "0", "")


def test_exports_in_and_the_report_from_them(capsys, tmp_path: Path, content_dir: Path, data: Path,
                                             monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(data))
    exports = []
    for name, suffix in (("ada", "json"), ("bob", "csv"), ("cy", "json")):
        target = tmp_path / f"{name}.{suffix}"
        assert run(capsys, ["--content", str(content_dir), "--profile", name, "progress", "--export", str(target)])[0] == 0
        exports.append(str(target))
    code, out, err = run(capsys, ["class", "report", "--content", str(content_dir), *exports])
    assert code == 0, err
    assert out.startswith("class report · 3 learners · 3 export files\n")
    rows = rows_of(out)
    assert rows[(LRB, "all")] == ["3", "2", "2/3", "7", "3", "3"]
    # bob's 2 hints on step 3 came in a CSV export: in the total only, and the report says so
    assert rows[(LRB, "3")] == ["2", "1", "0"]
    assert "note: 1 learner from CSV exports: their hints count in each exercise's total only" in out


def test_no_source_named_reads_this_hpedus_data_folder(capsys, content_dir: Path, data: Path, monkeypatch) -> None:
    monkeypatch.setenv("HPEDU_DATA_DIR", str(data))
    code, out, _ = run(capsys, ["class", "report", "--content", str(content_dir)])
    assert code == 0 and out.startswith(f"class report · 3 learners · data folder {data}\n")


@pytest.mark.parametrize("args, code, said", [
    (["--data", "{tmp}/nope"], 1, "no data folder {tmp}/nope"),
    (["{tmp}/nope.csv"], 1, "no export file {tmp}/nope.csv"),
    (["--data", "{tmp}/afile"], 2, "{tmp}/afile is not a folder"),
    (["--data", "{data}", "{tmp}/afile"], 2, "give either --data DIR or export files, not both"),
    (["--data", "{data}", "--watch", "--csv", "{tmp}/r.csv"], 2, "--watch shows the report in the app; --csv writes a file"),
    (["--data", "{data}", "--csv", "{tmp}/r.txt"], 2, "cannot write {tmp}/r.txt: the name must end in .csv"),
    (["--data", "{data}", "--csv", "{tmp}/no/r.csv"], 2, "cannot write {tmp}/no/r.csv: the folder {tmp}/no does not exist"),
    (["--data", "{data}", "--csv", "{data}/profiles/r.csv"], 2,
     "cannot write {data}/profiles/r.csv: it is in the progress folder {data}/profiles"),
    (["--data", "{data}", "--watch"], 2, "the app needs a terminal"),
])
def test_refusals(capsys, tmp_path: Path, content_dir: Path, data: Path, args: list[str], code: int, said: str) -> None:
    (tmp_path / "afile").write_text("x")
    fill = {"tmp": str(tmp_path), "data": str(data)}
    got, out, err = run(capsys, ["class", "report", "--content", str(content_dir), *(a.format(**fill) for a in args)])
    assert got == code
    assert said.format(**fill) in err and out == ""
    assert not (tmp_path / "r.csv").exists() and not (data / "profiles" / "r.csv").exists()


def test_the_csv_never_replaces_an_export_being_read(capsys, tmp_path: Path, content_dir: Path, data: Path) -> None:
    export = tmp_path / "ada.csv"
    export.write_text("profile,exercise,status,score,steps,hints_used,answers\n", encoding="utf-8")
    before = export.read_bytes()
    code, out, err = run(capsys, ["class", "report", "--content", str(content_dir), str(export), "--csv", str(export)])
    assert code == 2 and "it is one of the export files being read" in err
    assert export.read_bytes() == before


def test_help_names_the_command(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["class", "report", "--help"])
    assert stop.value.code == 0
    assert "--by-learner" in capsys.readouterr().out

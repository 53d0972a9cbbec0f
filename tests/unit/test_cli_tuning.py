"""`hpedu objectives`, `methods`, `simulate` and `compare`, run through cli.main."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hpedu.cli import main
from hpedu.tuning import Trace, compare, minimize
from hpedu.tuning.objectives import OBJECTIVES, get_objective
from hpedu.tuning.registry import METHODS, get_method


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_objectives_lists_every_objective_with_its_description(capsys) -> None:
    code, out, err = run(capsys, "objectives")
    assert code == 0 and err == ""
    starts = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith(" ")}
    assert list(starts) == list(OBJECTIVES)
    for name, info in OBJECTIVES.items():
        assert info.description in starts[name]
        for option in info.options:
            assert f"{option.name}={option.default!r}" in out


def test_methods_lists_every_method_and_its_options(capsys) -> None:
    code, out, err = run(capsys, "methods")
    assert code == 0 and err == ""
    starts = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith(" ")}
    assert list(starts) == list(METHODS)
    for name, info in METHODS.items():
        assert info.description in starts[name]
        for option in get_method(name).options:
            assert f"{option.name}={option.default!r}" in out


def test_simulate_json_follows_the_schema_and_equals_minimize(capsys) -> None:
    code, out, err = run(capsys, "simulate", "--objective", "branin", "--method", "random", "--budget", "6",
                         "--seed", "3", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data)[:7] == ["objective", "method", "budget", "seed", "options", "trials", "best"]
    assert (data["objective"], data["method"], data["budget"], data["seed"]) == ("branin", "random", 6, 3)
    assert len(data["trials"]) == 6
    for i, t in enumerate(data["trials"]):
        assert set(t) == {"index", "params", "value", "seconds"} and t["index"] == i
        assert set(t["params"]) == {"x1", "x2"} and all(isinstance(v, float) for v in t["params"].values())
    assert set(data["best"]) == {"index", "params", "value"}
    expected = minimize("branin", method="random", budget=6, seed=3)
    assert Trace.from_json(out).same_trials(expected)
    assert data["best"]["value"] == min(t.value for t in expected.trials)


def test_simulate_options_reach_the_strategy(capsys) -> None:
    code, out, _ = run(capsys, "simulate", "--objective", "branin", "--method", "bayes", "--budget", "2",
                       "--option", "xi=0.25", "--option", "kappa=3", "--json")
    assert code == 0
    options = json.loads(out)["options"]
    assert options["xi"] == 0.25 and options["kappa"] == 3.0


def test_simulate_csv_has_one_row_per_trial(capsys) -> None:
    code, out, _ = run(capsys, "simulate", "--objective", "branin", "--method", "grid", "--budget", "4", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = minimize("branin", method="grid", budget=4, seed=0)
    assert [r["index"] for r in rows] == ["0", "1", "2", "3"]
    assert [float(r["value"]) for r in rows] == [t.value for t in expected.trials]
    assert [float(r["x1"]) for r in rows] == [t.params["x1"] for t in expected.trials]


def test_simulate_table_shows_trials_and_the_best(capsys) -> None:
    code, out, err = run(capsys, "simulate", "--objective", "branin", "--method", "random", "--budget", "5", "--seed", "1")
    assert code == 0 and err == ""
    lines = out.splitlines()
    expected = minimize("branin", method="random", budget=5, seed=1)
    header = lines[1].split()
    assert header[:3] == ["#", "x1", "x2"] and "best" in header
    assert len(lines) == 2 + 5 + 1
    for line, t, best in zip(lines[2:7], expected.trials, expected.best_so_far):
        cells = line.split()
        assert cells[0] == str(t.index + 1)  # trials are numbered from 1 on the screen
        assert float(cells[3]) == pytest.approx(t.value, rel=1e-5)
        assert float(cells[4]) == pytest.approx(best, rel=1e-5)
    assert lines[-1].startswith(f"best: trial #{expected.best.index + 1} ")
    assert f"{expected.best.value:.6g}" in lines[-1] and "regret" in lines[-1]


@pytest.mark.slow
def test_model_objectives_print_their_score_not_a_loss(capsys) -> None:
    name = next(n for n, info in OBJECTIVES.items() if info.kind == "model")
    score = get_objective(name).score_name
    code, out, _ = run(capsys, "simulate", "--objective", name, "--method", "random", "--budget", "2")
    assert code == 0
    assert score in out.splitlines()[1].split() and f"{score}=" in out.splitlines()[-1]
    assert "1 - " not in out and "1-" not in out
    data = json.loads(run(capsys, "simulate", "--objective", name, "--method", "random", "--budget", "2", "--json")[1])
    assert data["score_name"] == score and data["direction"] == "maximize"
    assert data["best"]["value"] == max(t["value"] for t in data["trials"])


@pytest.mark.parametrize(
    "argv, needles",
    [
        (["simulate", "--objective", "nope", "--method", "random"], list(OBJECTIVES)),
        (["simulate", "--objective", "branin", "--method", "nope"], list(METHODS)),
        (["simulate", "--objective", "branin", "--method", "random", "--budget", "0"], ["--budget", "from 1 to 500", "got 0"]),
        (["simulate", "--objective", "branin", "--method", "random", "--seed", "-1"], ["seed"]),
        (["simulate", "--objective", "branin", "--method", "bayes", "--option", "nope=1"], ["xi", "kappa"]),
        (["simulate", "--objective", "branin", "--method", "bayes", "--option", "xi=much"], ["xi", "float"]),
        (["simulate", "--objective", "branin", "--method", "bayes", "--option", "xi"], ["KEY=VALUE"]),
        (["simulate", "--objective", "branin", "--method", "bayes", "--option", "xi=1", "--option", "xi=2"], ["twice"]),
        (["simulate", "--objective", "branin", "--method", "random", "--objective-option", "nope=1"], ["branin"]),
        (["compare", "--objective", "branin", "--methods", "random,nope"], list(METHODS)),
        (["compare", "--objective", "nope", "--methods", "random"], list(OBJECTIVES)),
        (["compare", "--objective", "branin", "--methods", "random", "--seeds", "0"], ["seeds"]),
        (["compare", "--objective", "branin", "--methods", "random", "--budget", "0"], ["budget"]),
        (["compare", "--objective", "branin", "--methods", "random", "--jobs", "0"], ["--jobs", "from 1 to", "-1"]),
        (["compare", "--objective", "branin", "--methods", "random", "--option", "xi=1"], ["METHOD.KEY"]),
        (["compare", "--objective", "branin", "--methods", "random", "--option", "bayes.xi=1"], ["bayes"]),
    ],
)
def test_errors_exit_2_with_one_line_naming_the_choices(capsys, argv: list[str], needles: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"hpedu {argv[0]}: error: ")
    for needle in needles:
        assert needle in err


def test_resource_methods_on_plain_objectives_exit_2(capsys) -> None:
    supporting = [n for n in OBJECTIVES if get_objective(n).supports_resource]
    code, out, err = run(capsys, "simulate", "--objective", "branin", "--method", "halving", "--budget", "9")
    assert code == 2 and out == ""
    assert "resource" in err and len(err.strip().splitlines()) == 1
    for name in supporting:
        assert name in err


def test_argparse_usage_errors_also_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--objective", "branin", "--budget", "many"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--objective", "branin", "--json", "--csv"])
    assert info.value.code == 2
    assert capsys.readouterr().out == ""


def test_compare_table_and_json(capsys) -> None:
    argv = ["compare", "--objective", "branin", "--methods", "random,grid", "--budget", "6", "--seeds", "3"]
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    expected = compare("branin", ["random", "grid"], 6, 3)
    lines = out.splitlines()
    assert lines[1].split()[:4] == ["method", "median", "q25", "q75"] and "regret" in lines[1]
    for line, (name, r) in zip(lines[2:4], expected.methods.items()):
        cells = line.split()
        assert cells[0] == name
        assert [float(c) for c in cells[1:4]] == pytest.approx([r.median_final, r.q25_final, r.q75_final], rel=1e-5)
        assert float(cells[4]) == pytest.approx(r.median_regret, rel=1e-2)
        assert float(cells[5]) == pytest.approx(r.wins, abs=0.005)
    code, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    assert list(data["methods"]) == ["random", "grid"]
    for name, r in expected.methods.items():
        assert data["methods"][name]["median"] == r.median.tolist()
        assert data["methods"][name]["wins"] == r.wins
        assert len(data["methods"][name]["traces"]) == 3


# ----- class codes on simulate and compare ------------------------------------------------
SIM = ["simulate", "--objective", "branin", "--method", "random", "--budget", "4", "--json"]
CMP = ["compare", "--objective", "branin", "--methods", "random,grid", "--budget", "4", "--seeds", "3", "--json"]


def test_class_code_before_or_after_the_command_or_from_the_environment(capsys, monkeypatch) -> None:
    from hpedu.classroom import derive_seed

    monkeypatch.delenv("HPEDU_CLASS_CODE", raising=False)
    plain = json.loads(run(capsys, *SIM)[1])
    before = json.loads(run(capsys, "--class-code", "week3-lab", *SIM)[1])
    after = json.loads(run(capsys, *SIM, "--class-code", "week3-lab")[1])
    monkeypatch.setenv("HPEDU_CLASS_CODE", "week3-lab")
    env = json.loads(run(capsys, *SIM)[1])
    runs = [before, after, env]
    for data in runs:
        data.pop("hpedu_version")
        for t in data["trials"]:
            t.pop("seconds")
    assert before == after == env
    assert before["seed"] == derive_seed("week3-lab", "seed:0") and before["class_code"] == "week3-lab"
    assert before["given_seed"] == 0
    assert plain["seed"] == 0 and plain["class_code"] is None
    assert [t["params"] for t in before["trials"]] != [t["params"] for t in plain["trials"]]
    expected = minimize("branin", method="random", budget=4, seed=derive_seed("week3-lab", "seed:0"))
    assert [t["value"] for t in before["trials"]] == [t.value for t in expected.trials]


def test_compare_seeds_come_from_the_class_code_and_the_start_seed(capsys, monkeypatch) -> None:
    from hpedu.classroom import derive_seed

    monkeypatch.delenv("HPEDU_CLASS_CODE", raising=False)
    plain = json.loads(run(capsys, *CMP, "--seed", "3")[1])
    assert plain["seeds"] == [3, 4, 5] and plain["class_code"] is None and plain["given_seed"] == 3
    assert [t["seed"] for t in plain["methods"]["random"]["traces"]] == [3, 4, 5]
    before = json.loads(run(capsys, "--class-code", "Week3-Lab", *CMP, "--seed", "3")[1])
    after = json.loads(run(capsys, *CMP, "--seed", "3", "--class-code", "week3-lab")[1])
    derived = [derive_seed("week3-lab", f"seed:{s}") for s in (3, 4, 5)]
    assert before["seeds"] == after["seeds"] == derived
    assert before["methods"]["random"]["final"] == after["methods"]["random"]["final"]
    assert after["class_code"] == "week3-lab"
    expected = compare("branin", ["random", "grid"], 4, derived)
    assert after["methods"]["random"]["final"] == expected.methods["random"].final.tolist()
    code, out, _ = run(capsys, *CMP[:-1], "--class-code", "week3-lab")
    assert code == 0 and "from class code week3-lab" in out.splitlines()[0]


def test_an_invalid_class_code_after_the_command_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([*SIM, "--class-code", "has space"])
    assert info.value.code == 2
    assert "1 to 32 letters" in capsys.readouterr().err


# ----- limits on counts -------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv, needles",
    [
        (["simulate", "--objective", "branin", "--budget", "501"], ["--budget", "from 1 to 500", "501"]),
        (["simulate", "--objective", "branin", "--budget", "1000000000"], ["--budget", "from 1 to 500"]),
        (["simulate", "--objective", "branin", "--seed", str(2**31)], ["--seed", "from 0 to 2147483647"]),
        (["compare", "--objective", "branin", "--methods", "random", "--budget", "501"], ["--budget", "500"]),
        (["compare", "--objective", "branin", "--methods", "random", "--seeds", "101"], ["--seeds", "from 1 to 100"]),
        (["compare", "--objective", "branin", "--methods", "random", "--seeds", "1000000000"], ["--seeds", "100"]),
        (["compare", "--objective", "branin", "--methods", "random", "--jobs", "100000"], ["--jobs", "cores"]),
        (["compare", "--objective", "branin", "--methods", "random", "--jobs", "-5"], ["--jobs", "-1", "-5"]),
        (["compare", "--objective", "branin", "--methods", "random", "--seed", "-1"], ["--seed"]),
    ],
)
def test_counts_above_their_maximum_exit_2_before_running(capsys, argv, needles) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"hpedu {argv[0]}: error: ")
    for needle in needles:
        assert needle in err


def test_jobs_may_be_every_core_and_no_more(capsys) -> None:
    import os

    cores = os.cpu_count() or 1
    base = ["compare", "--objective", "branin", "--methods", "random", "--budget", "2", "--seeds", "1"]
    assert run(capsys, *base, "--jobs", str(cores))[0] == 0
    assert run(capsys, *base, "--jobs", "-1")[0] == 0
    code, _, err = run(capsys, *base, "--jobs", str(cores + 1))
    assert code == 2 and f"from 1 to {cores}" in err


def test_a_teacher_packs_class_code_applies_unless_one_is_given(capsys, monkeypatch) -> None:
    from pathlib import Path

    from hpedu.classroom import derive_seed

    monkeypatch.delenv("HPEDU_CLASS_CODE", raising=False)
    pack = str(Path(__file__).resolve().parents[2] / "examples" / "teacher-pack")  # class_code: week3-lab
    data = json.loads(run(capsys, "--content", pack, *SIM)[1])
    assert data["class_code"] == "week3-lab" and data["seed"] == derive_seed("week3-lab", "seed:0")
    data = json.loads(run(capsys, "--content", pack, *SIM, "--class-code", "other")[1])
    assert data["class_code"] == "other" and data["seed"] == derive_seed("other", "seed:0")


def test_a_missing_content_folder_is_not_found(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "--content", str(tmp_path / "nope"), *SIM)
    assert code == 1 and out == "" and "content folder not found" in err


def test_the_option_example_in_compare_help_runs() -> None:
    import re
    import subprocess
    import sys

    help_text = subprocess.run([sys.executable, "-m", "hpedu", "compare", "--help"], capture_output=True,
                               text=True, timeout=120).stdout
    example = re.search(r"e\.g\.\s+(\S+=\S+)", " ".join(help_text.split())).group(1)
    proc = subprocess.run([sys.executable, "-m", "hpedu", "compare", "--objective", "branin", "--methods",
                           "random,bayes", "--budget", "6", "--seeds", "1", "--option", example],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr

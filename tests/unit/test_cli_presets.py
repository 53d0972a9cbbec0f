"""`hpedu simulate --preset ID` and `hpedu compare --preset ID`: the preset fills
what the command line leaves out, flags given win, bad ids are named."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content
from hpedu.simulation import SimSettings
from hpedu.tuning import compare, minimize

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "examples" / "teacher-pack"


@pytest.fixture(autouse=True)
def _env(learner_env) -> None:
    """No class code, profile or content folder from the environment."""


@pytest.fixture(scope="module")
def presets():
    return load_content(REPO / "content").presets


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def trials(data: dict) -> list[tuple]:
    return [(t["params"], t["value"]) for t in data["trials"]]


@pytest.mark.parametrize("preset_id", ["bayes-1d-ucb", "grid-vs-random-weight1", "evolution-2d"])
def test_simulate_preset_runs_what_the_apps_try_it_runs(capsys, presets, preset_id) -> None:
    preset = presets[preset_id]
    code, out, err = run(capsys, "simulate", "--preset", preset_id, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["objective"], data["method"], data["budget"], data["seed"]) == (
        preset.objective, preset.method, preset.budget, preset.seed)
    for key, value in preset.options.items():
        assert data["options"][key] == value
    app_run = SimSettings.from_preset(preset).prepare().run()  # the app's way from a preset to a run
    assert trials(data) == [(t.params, t.value) for t in app_run.trials]


def test_flags_given_override_the_preset_key_by_key(capsys) -> None:
    # bayes-1d-ucb: wave-1d, bayes, acq=ucb, kappa=2, budget 12, seed 0
    code, out, _ = run(capsys, "simulate", "--preset", "bayes-1d-ucb", "--budget", "7", "--seed", "3",
                       "--option", "kappa=5")
    assert code == 0
    data = json.loads(run(capsys, "simulate", "--preset", "bayes-1d-ucb", "--budget", "7", "--seed", "3",
                          "--option", "kappa=5", "--json")[1])
    assert (data["objective"], data["method"], data["budget"], data["seed"]) == ("wave-1d", "bayes", 7, 3)
    assert data["options"]["acq"] == "ucb" and data["options"]["kappa"] == 5.0
    ref = minimize("wave-1d", method="bayes", budget=7, seed=3, acq="ucb", kappa=5.0)
    assert trials(data) == [(t.params, t.value) for t in ref.trials]
    assert out.splitlines()[0].startswith("wave-1d · bayes · budget 7 · seed 3")


def test_another_method_leaves_the_presets_method_options_behind(capsys) -> None:
    data = json.loads(run(capsys, "simulate", "--preset", "bayes-1d-ucb", "--method", "random", "--json")[1])
    assert (data["objective"], data["method"], data["budget"]) == ("wave-1d", "random", 12)
    ref = minimize("wave-1d", method="random", budget=12, seed=0)
    assert trials(data) == [(t.params, t.value) for t in ref.trials]


def test_another_objective_leaves_the_presets_objective_options_behind(capsys) -> None:
    # grid-vs-random-weight1 sets weight=1.0 on low-effective-dim
    on_own = json.loads(run(capsys, "simulate", "--preset", "grid-vs-random-weight1", "--json")[1])
    assert on_own["objective_options"] == {"weight": 1.0}
    data = json.loads(run(capsys, "simulate", "--preset", "grid-vs-random-weight1", "--objective", "branin",
                          "--json")[1])
    assert data["objective"] == "branin" and not data.get("objective_options")


def test_compare_preset_takes_its_methods_and_seeds(capsys, presets) -> None:
    preset = presets["compare-branin"]  # grid, random, bayes; budget 25; 10 seeds
    data = json.loads(run(capsys, "compare", "--preset", "compare-branin", "--budget", "6", "--seeds", "3",
                          "--json")[1])
    assert list(data["methods"]) == list(preset.methods) and data["budget"] == 6 and data["seeds"] == [0, 1, 2]
    ref = compare("branin", list(preset.methods), 6, 3)
    for name, result in ref.methods.items():
        assert data["methods"][name]["final"] == result.final.tolist()


def test_compare_preset_options_reach_its_method_and_option_flags_win(capsys) -> None:
    argv = ["compare", "--preset", "bayes-1d-ucb", "--methods", "random,bayes", "--budget", "5", "--seeds", "2"]
    data = json.loads(run(capsys, *argv, "--json")[1])
    assert data["objective"] == "wave-1d" and data["seeds"] == [0, 1]
    options = data["methods"]["bayes"]["traces"][0]["options"]
    assert options["acq"] == "ucb" and options["kappa"] == 2.0
    ref = compare("wave-1d", ["random", "bayes"], 5, 2, options={"bayes": {"acq": "ucb", "kappa": 2.0}})
    assert data["methods"]["bayes"]["final"] == ref.methods["bayes"].final.tolist()
    data = json.loads(run(capsys, *argv, "--option", "bayes.kappa=7", "--json")[1])
    options = data["methods"]["bayes"]["traces"][0]["options"]
    assert options["acq"] == "ucb" and options["kappa"] == 7.0


def test_a_teacher_packs_preset_with_its_class_code(capsys) -> None:
    from hpedu.classroom import derive_seed

    data = json.loads(run(capsys, "--content", str(PACK), "simulate", "--preset", "week3-ucb-small-kappa",
                          "--json")[1])
    assert (data["objective"], data["budget"], data["given_seed"]) == ("wave-1d", 10, 11)
    assert data["class_code"] == "week3-lab" and data["seed"] == derive_seed("week3-lab", "seed:11")
    assert data["options"]["kappa"] == 0.1


@pytest.mark.parametrize("command", ["simulate", "compare"])
def test_an_unknown_preset_is_a_usage_error_listing_every_preset(capsys, presets, command) -> None:
    code, out, err = run(capsys, command, "--preset", "no-such-preset")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"hpedu {command}: error: ")
    assert "'no-such-preset'" in err
    listed = err.split("valid presets: ")[1].strip().split(", ")
    assert listed == sorted(presets)


@pytest.mark.parametrize("command", ["simulate", "compare"])
def test_objective_is_required_without_a_preset(capsys, command) -> None:
    code, out, err = run(capsys, command, "--budget", "3")
    assert code == 2 and out == ""
    assert err.startswith(f"hpedu {command}: error: --objective is required") and "--preset" in err


def test_a_missing_content_folder_with_a_preset_is_not_found(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "--content", str(tmp_path / "nope"), "simulate", "--preset", "bayes-1d-ucb")
    assert code == 1 and out == "" and "content folder not found" in err


@pytest.mark.parametrize("command", ["simulate", "compare"])
def test_every_example_in_the_help_runs(capsys, command) -> None:
    help_text = subprocess.run([sys.executable, "-m", "hpedu", command, "--help"], capture_output=True,
                               text=True, timeout=120).stdout
    assert "override" in help_text or "wins" in help_text  # the help says flags beat the preset
    examples = [line.strip() for line in help_text.splitlines() if re.match(r"\s+hpedu ", line)]
    assert len(examples) >= 3 and any("--preset" in e for e in examples)
    for example in examples:
        code, _, err = run(capsys, *shlex.split(example)[1:])
        assert code == 0, f"{example}: {err}"

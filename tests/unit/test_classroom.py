"""Class codes: stable derived seeds, so a whole class gets identical runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hpedu import classroom
from hpedu.classroom import MAX_SEED, check_class_code, class_seed, class_seeds, derive_seed, preset_seeds
from hpedu.content.model import Preset
from hpedu.tuning import compare, simulate


def test_derived_seeds_are_pinned_and_ignore_case() -> None:
    # Pinned values: SHA-256 based, so every machine and Python gives these.
    assert derive_seed("stats-101", "seed:0") == 398662997
    assert derive_seed("STATS-101", "seed:0") == 398662997
    assert derive_seed(" stats-101 ", "seed:0") == 398662997
    assert derive_seed("week3-lab", "seed:11") == 687312407


def test_derived_seed_does_not_depend_on_the_process_hash_seed() -> None:
    code = "from hpedu.classroom import derive_seed; print(derive_seed('stats-101', 'seed:0'))"
    outs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        outs.add(out.stdout.strip())
    assert outs == {"398662997"}


def test_different_codes_and_keys_give_different_seeds_in_range() -> None:
    seeds = {derive_seed(f"class-{i}", "seed:0") for i in range(200)}
    assert len(seeds) == 200
    assert all(0 <= s <= MAX_SEED for s in seeds)
    assert derive_seed("a", "seed:0") != derive_seed("a", "seed:1")


@pytest.mark.parametrize("code", ["", "has space", "x" * 33, "é", "a/b", "semi;colon"])
def test_invalid_codes_are_refused_with_the_rule(code: str) -> None:
    with pytest.raises(ValueError, match="use 1 to 32 letters, digits, '-' or '_'"):
        check_class_code(code)


@pytest.mark.parametrize("code", ["a", "A_b-9", "x" * 32])
def test_valid_codes(code: str) -> None:
    assert check_class_code(code) == code


def test_without_a_code_seeds_are_unchanged() -> None:
    assert class_seed(None, 7) == 7 and class_seed("", 7) == 7
    assert class_seeds(None, range(3)) == [0, 1, 2]


def test_class_seeds_stay_distinct_even_on_a_collision(monkeypatch) -> None:
    monkeypatch.setattr(classroom, "derive_seed", lambda code, key: 42)
    assert class_seeds("x", range(3)) == [42, 43, 44]


def preset(**kw) -> Preset:
    base = dict(id="p", title="T", description="D", objective="branin", method="random", budget=8, seed=0)
    return Preset(**{**base, **kw})


def test_preset_seeds_one_for_a_run_k_for_a_comparison() -> None:
    assert preset_seeds(preset(seed=5)) == [5]
    assert preset_seeds(preset(seed=2, methods=("grid", "random"), seeds=3)) == [2, 3, 4]
    assert preset_seeds(preset(seed=5), "c1") == [derive_seed("c1", "seed:5")]
    assert preset_seeds(preset(methods=("grid", "random"), seeds=3), "c1") == [derive_seed("c1", f"seed:{i}") for i in range(3)]


def test_same_code_same_trace_different_codes_differ() -> None:
    p = preset(method="random", budget=8, seed=0)

    def trace(code: str):
        (seed,) = preset_seeds(p, code)
        return simulate(p.objective, p.method, p.budget, seed)

    a, b, c = trace("stats-101"), trace("Stats-101"), trace("bio-201")
    assert a.same_trials(b)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert not a.same_trials(c)
    assert a.seed == derive_seed("stats-101", "seed:0") != c.seed


def test_same_code_same_comparison() -> None:
    p = preset(methods=("grid", "random"), seeds=3, budget=9, objective="low-effective-dim")

    def medians(code: str) -> dict[str, float]:
        comp = compare(p.objective, list(p.methods), p.budget, preset_seeds(p, code))
        return {m: r.median_final for m, r in comp.methods.items()}

    assert medians("x1") == medians("X1")
    assert medians("x1")["random"] != medians("x2")["random"]


# ----- run_seeds: the one seed function ------------------------------------------------
def test_run_seeds_counts_up_from_the_seed_without_a_code() -> None:
    assert classroom.run_seeds(3, 4, None) == [3, 4, 5, 6]
    assert classroom.run_seeds(0, 1, "") == [0]


def test_run_seeds_with_a_code_derives_each_seed_of_the_range() -> None:
    # the keys are the seeds seed..seed+count-1, so a comparison starting at 3 is not one starting at 0
    assert classroom.run_seeds(3, 2, "week3-lab") == [derive_seed("week3-lab", "seed:3"), derive_seed("week3-lab", "seed:4")]
    assert classroom.run_seeds(3, 2, "week3-lab") != classroom.run_seeds(0, 2, "week3-lab")


def test_class_seed_and_preset_seeds_agree_with_run_seeds() -> None:
    assert class_seed("c1", 11) == classroom.run_seeds(11, 1, "c1")[0]
    p = preset(seed=3, methods=("grid", "random"), seeds=10)
    assert preset_seeds(p, "week3-lab") == classroom.run_seeds(3, 10, "week3-lab")


@pytest.mark.parametrize("seed, count, needle", [(-1, 2, "seed"), (2**31, 1, "seed"), (0, 0, "count"), (True, 1, "seed")])
def test_run_seeds_refuses_bad_arguments(seed, count, needle) -> None:
    with pytest.raises(ValueError, match=needle):
        classroom.run_seeds(seed, count, None)

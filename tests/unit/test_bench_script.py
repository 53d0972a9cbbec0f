"""The benchmark script (run by hand) still runs, and --jobs changes only where
the seeds run, not what they find."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")


@pytest.fixture(scope="module")
def bench():
    # imported from its folder on sys.path, as when it is run: the --jobs
    # workers (spawned processes, which inherit sys.path) import it by name
    sys.path.insert(0, BENCHMARKS)
    try:
        yield importlib.import_module("bench_bayes")
    finally:
        sys.path.remove(BENCHMARKS)
        sys.modules.pop("bench_bayes", None)


def _records(bench, tmp_path: Path, *extra: str) -> list[dict]:
    out = tmp_path / f"run{len(extra)}.json"
    argv = ["--functions", "branin", "--methods", "bayes,random", "--seeds", "3", "--first-seed", "5",
            "--budget", "7", "--json", str(out), *extra]
    assert bench.main(argv) == 0
    return json.loads(out.read_text())


def test_jobs_give_the_same_runs_as_one_process(bench, tmp_path: Path, capsys) -> None:
    one = _records(bench, tmp_path)
    two = _records(bench, tmp_path, "--jobs", "2")
    assert [(r["method"], r["seed"]) for r in one] == [(m, s) for m in ("bayes", "random") for s in (5, 6, 7)]
    key = ("method", "seed", "best", "optimum", "n")  # the tables compute regret = best - optimum
    assert [tuple(r[k] for k in key) for r in two] == [tuple(r[k] for k in key) for r in one]
    assert all(r["n"] == 7 and r["best"] >= r["optimum"] for r in one)
    assert "jobs 2" in capsys.readouterr().out


def test_bad_jobs_is_refused(bench, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        bench.main(["--jobs", "0"])
    assert exc.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_median_interval(bench) -> None:
    assert bench.median_interval([0.25] * 7) == (0.25, 0.25)
    xs = [0.1, 0.3, 0.2, 5.0, 0.15, 0.4, 0.05, 1.0, 0.22, 0.6]
    lo, hi = bench.median_interval(xs)
    assert min(xs) <= lo <= float(np.median(xs)) <= hi <= max(xs)
    assert lo < hi
    lo_many, hi_many = bench.median_interval(xs * 20)  # same spread, 20 times the seeds
    assert lo <= lo_many < hi_many <= hi
    assert hi_many - lo_many < (hi - lo) / 2

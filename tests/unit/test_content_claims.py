"""Claims the content makes about runs of the engine: if the engine changes
so that a claim no longer holds, the text has to change with it."""

from __future__ import annotations

from pathlib import Path

from hpedu.tuning import simulate

CONTENT = Path(__file__).parents[2] / "content"


def test_expected_improvement_xi_example() -> None:
    text = (CONTENT / "glossary" / "expected-improvement.md").read_text(encoding="utf-8")
    assert "--objective wave-1d --method bayes --budget 12 --option xi=1 --option min_distance=0" in text
    greedy = simulate("wave-1d", "bayes", 12, 0, {"min_distance": 0.0})
    margin = simulate("wave-1d", "bayes", 12, 0, {"xi": 1.0, "min_distance": 0.0})
    # xi = 1: the points spread out and the global minimum at x = 0 is found
    assert margin.best.params["x"] == 0.0 and margin.regret[-1] == 0.0
    assert max(t.params["x"] for t in margin.trials[5:]) - min(t.params["x"] for t in margin.trials[5:]) > 5.0
    # xi = 0: the run settles in the basin near x = 2.9
    assert abs(greedy.best.params["x"] - 2.9) < 0.1 and greedy.regret[-1] > 0.5
    assert all(abs(t.params["x"] - 2.9) < 0.1 for t in greedy.trials[-3:])
    # over seeds 0-9 that plain xi = 0 finds x = 0 in 9 runs; with the default min_distance it ends at the edge on all 10
    plain = [simulate("wave-1d", "bayes", 12, s, {"min_distance": 0.0}).regret[-1] == 0.0 for s in range(10)]
    spaced = [simulate("wave-1d", "bayes", 12, s).best.params["x"] for s in range(10)]
    assert "9 runs of 10" in text and sum(plain) == 9
    assert "(exactly `x = 0` on nine seeds, 0.0015 on the tenth)" in text
    assert sorted(spaced)[:9] == [0.0] * 9 and round(max(spaced), 4) == 0.0015

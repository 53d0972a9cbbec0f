"""Hyperband: the plan (by hand from the paper's formula), the budget, promotions, the trace fields, compare."""

from __future__ import annotations

import json
import math

import pytest

from hpedu.tuning import Trace, minimize
from hpedu.tuning.base import BudgetExhausted
from hpedu.tuning.compare import compare
from hpedu.tuning.objectives.base import Objective
from hpedu.tuning.hyperband import HyperbandSearch, bracket_of, hyperband_brackets, hyperband_plan, max_s
from hpedu.tuning.resources import planned_resource, trials_for_resource
from hpedu.tuning.space import Categorical, Real, Space
from hpedu.tuning.trace import StagedTrial

SPACE = Space({"x": Real(0.0, 1.0), "k": Categorical(["a", "b"])})


def fn(p: dict, resource: float = 1.0) -> float:
    # the ranking at a low resource is the true ranking plus a resource penalty
    return (p["x"] - 0.7) ** 2 + (0.0 if p["k"] == "b" else 0.05) + (1.0 - resource)


OBJ = Objective(name="toy", title="toy", description="", space=SPACE, fn=fn, supports_resource=True)


def run(budget: int = 30, seed: int = 0, **options) -> HyperbandSearch:
    s = HyperbandSearch(SPACE, budget=budget, seed=seed, **options)
    while not s.finished:
        p = s.ask()
        s.tell(p, fn(p, s.resource))
    return s


# ----- the plan ------------------------------------------------------------------------
def test_r27_eta3_brackets_by_hand() -> None:
    # R = 27 (min_resource 1/27), eta = 3: s_max = floor(log_3 27) = 3, and
    # n = ceil((s_max+1)/(s+1) * eta^s): s=3: 4/4*27 = 27; s=2: 4/3*9 = 12;
    # s=1: 4/2*3 = 6; s=0: 4/1*1 = 4. Rung i of bracket s: floor(n/3^i) at 3^(i-s).
    got = hyperband_brackets(3, 1 / 27)
    assert [s for s, _ in got] == [3, 2, 1, 0]
    assert [[n for n, _ in rungs] for _, rungs in got] == [[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]
    assert [[r for _, r in rungs] for _, rungs in got] == [
        [pytest.approx(1 / 27), pytest.approx(1 / 9), pytest.approx(1 / 3), 1.0],
        [pytest.approx(1 / 9), pytest.approx(1 / 3), 1.0],
        [pytest.approx(1 / 3), 1.0],
        [1.0],
    ]


def test_r81_eta3_matches_the_papers_table() -> None:
    # Li et al. 2018, Table 1 (R = 81, eta = 3): n = 81, 34, 15, 8, 5 and their rungs
    got = [[n for n, _ in rungs] for _, rungs in hyperband_brackets(3, 1 / 81)]
    assert got == [[81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5]]


@pytest.mark.parametrize("eta, r_min, expected", [(3, 1 / 9, 2), (3, 0.1, 2), (3, 1 / 27, 3), (2, 0.001, 9),
                                                  (3, 1.0, 0), (4, 0.25, 1), (4, 0.2, 1)])
def test_s_max(eta: int, r_min: float, expected: int) -> None:
    assert max_s(eta, r_min) == expected


def test_default_plan_for_budget_30() -> None:
    # defaults 1/9, eta 3: brackets of 9+3+1 = 13, 5+1 = 6 and 3 trials; 30 runs s = 2, 1, 0 (22),
    # skips s = 2 (13 > 8 left), runs s = 1 (28), skips s = 0 (3 > 2 left)
    plan = HyperbandSearch(SPACE, budget=30).plan()
    assert [(b.index, b.iteration, b.s, b.evaluations) for b in plan] == [
        (0, 0, 2, 13), (1, 0, 1, 6), (2, 0, 0, 3), (3, 1, 1, 6)]
    assert len(run(budget=30).trials) == 28


def test_a_budget_below_the_cheapest_bracket_runs_a_smaller_bracket_0() -> None:
    plan = hyperband_plan(2, 3, 1 / 9)  # bracket s=0 needs s_max + 1 = 3
    assert [(b.s, b.rungs) for b in plan] == [(0, ((2, 1.0),))]
    s = run(budget=2)
    assert [t.resource for t in s.trials] == [1.0, 1.0]


@pytest.mark.parametrize("budget", list(range(1, 60)) + [100, 250, 500])
@pytest.mark.parametrize("eta, r_min", [(3, 1 / 9), (3, 1 / 27), (2, 0.1), (4, 0.05), (3, 1.0)])
def test_plan_respects_the_budget(budget: int, eta: int, r_min: float) -> None:
    plan = hyperband_plan(budget, eta, r_min)
    used = sum(b.evaluations for b in plan)
    s_max = max_s(eta, r_min)
    assert 1 <= used <= budget
    if budget >= s_max + 1:
        assert budget - used <= s_max  # stops only when not even bracket s=0 fits
        cycle = [s for s, _ in hyperband_brackets(eta, r_min)]
        for b in plan:  # each bracket is whole: the formula's counts
            assert b.rungs == dict(hyperband_brackets(eta, r_min))[b.s]
        # the order follows the cycle s_max..0, skipping only what did not fit
        assert all(cycle.index(a.s) < cycle.index(b.s) for a, b in zip(plan, plan[1:]) if a.iteration == b.iteration)


def test_run_follows_the_plan_and_the_budget() -> None:
    s = run(budget=50)
    expected = [(b.index, i, r) for b in s.plan() for i, (n, r) in enumerate(b.rungs) for _ in range(n)]
    assert [(t.bracket, t.rung, t.resource) for t in s.trials] == expected
    assert len(s.trials) <= 50
    with pytest.raises(BudgetExhausted):
        s.ask()


def test_asking_before_the_rung_is_told_is_refused() -> None:
    s = HyperbandSearch(SPACE, budget=13, seed=0)  # one bracket s=2: 9, 3, 1
    asked = [s.ask() for _ in range(9)]
    with pytest.raises(RuntimeError, match="rung 0 of bracket 0"):
        s.ask()
    for p in asked:
        s.tell(p, fn(p, 1 / 9))
    assert s.ask() is not None


# ----- promotions ------------------------------------------------------------------------
def test_promotions_are_the_best_1_over_eta() -> None:
    s = run(budget=60, eta=3, min_resource=1 / 27)
    for b in s.plan():
        for i in range(len(b.rungs) - 1):
            rung = [t for t in s.trials if t.bracket == b.index and t.rung == i]
            nxt = [t for t in s.trials if t.bracket == b.index and t.rung == i + 1]
            assert len(rung) == b.rungs[i][0] and len(nxt) == len(rung) // 3
            ranked = sorted(rung, key=lambda t: (t.value, t.index))
            assert [t.config for t in nxt] == [t.config for t in ranked[: len(nxt)]]
            assert [t.params for t in nxt] == [t.params for t in ranked[: len(nxt)]]


def test_configurations_are_numbered_in_the_order_drawn() -> None:
    s = run(budget=30)
    firsts = [t.config for t in s.trials if t.rung == 0]
    assert firsts == list(range(len(firsts)))  # each bracket draws new ones
    seen = {}
    for t in s.trials:  # the same number is the same point
        assert seen.setdefault(t.config, t.params) == t.params


def test_the_best_is_the_best_fully_trained_trial() -> None:
    s = run(budget=30)
    full = [t for t in s.trials if t.resource == 1.0]
    assert s.best is min(full, key=lambda t: (t.value, t.index))


# ----- reproducible, traced ----------------------------------------------------------------
def test_same_seed_same_trials_exactly() -> None:
    a = minimize(OBJ, method="hyperband", budget=30, seed=5)
    b = minimize(OBJ, method="hyperband", budget=30, seed=5)
    c = minimize(OBJ, method="hyperband", budget=30, seed=6)
    assert a.same_trials(b) and not a.same_trials(c)
    assert [(t.params, t.value, t.resource, t.bracket, t.rung, t.config) for t in a.trials] == \
        [(t.params, t.value, t.resource, t.bracket, t.rung, t.config) for t in b.trials]


def test_trace_records_bracket_rung_config_and_resource() -> None:
    s = run(budget=30)
    for t in s.trials:
        assert isinstance(t, StagedTrial)
        d = t.to_dict()
        assert (d["bracket"], d["rung"], d["config"], d["resource"]) == (t.bracket, t.rung, t.config, t.resource)
    trace = Trace(objective=None, method="hyperband", budget=30, seed=0, options=dict(s.opts), trials=list(s.trials))
    back = Trace.from_json(trace.to_json())
    assert back.same_trials(trace)
    assert [(t.bracket, t.rung, t.config) for t in back.trials] == [(t.bracket, t.rung, t.config) for t in s.trials]
    assert bracket_of(back, back.trials[-1]).s == 1  # the last bracket of the default plan for 30


def test_old_traces_read_as_before() -> None:
    data = {"method": "random", "budget": 1, "seed": 0, "trials": [{"index": 0, "params": {"x": 0.5}, "value": 1.0}]}
    trace = Trace.from_dict(data)
    assert type(trace.trials[0]) is not StagedTrial
    assert "bracket" not in json.loads(trace.to_json())["trials"][0]


@pytest.mark.parametrize("bad, what", [({"eta": 1}, "'eta'"), ({"min_resource": 0.0}, "'min_resource'"),
                                       ({"min_resource": 2}, "'min_resource'"), ({"R": 27}, "'R'")])
def test_bad_options_are_refused_naming_them(bad: dict, what: str) -> None:
    with pytest.raises(ValueError, match=what):
        HyperbandSearch(SPACE, budget=10, **bad)


# ----- equal resource ---------------------------------------------------------------------
def test_planned_resource_by_hand() -> None:
    # defaults: s=2 spends 9/9 + 3/3 + 1 = 3 trainings, s=1 5/3 + 1, s=0 3
    assert HyperbandSearch.planned_resource(13) == pytest.approx(3.0)
    assert HyperbandSearch.planned_resource(22) == pytest.approx(3.0 + 8 / 3 + 3.0)
    assert planned_resource("random", 7, SPACE, {}) == 7.0
    # halving's dry run: budget 13 -> rungs 9 (1/9), 3 (1/3), 1 -> 3 trainings
    assert planned_resource("halving", 13, SPACE, {"eta": 3, "min_resource": 1 / 9}) == pytest.approx(3.0)


def test_trials_for_resource_takes_the_largest_budget_that_fits() -> None:
    opts = {"eta": 3, "min_resource": 1 / 9}
    t = trials_for_resource("hyperband", 10, SPACE, opts)
    assert HyperbandSearch.planned_resource(t) <= 10 + 1e-9
    assert all(HyperbandSearch.planned_resource(u) > 10 for u in range(t + 1, 501))
    assert t == 24  # 22 trials spend 8.67; 25 and more spend over 10


def test_compare_at_equal_resource() -> None:
    comp = compare(OBJ, ["random", "halving", "hyperband"], budget=10, seeds=3, equal_resource=True)
    assert comp.equal_resource
    assert comp.methods["random"].trial_budget == 10
    assert comp.methods["hyperband"].trial_budget == 24
    # halving, 46 trials: rungs 32 + 10 + 3 = 45 trials, 32/9 + 10/3 + 3 = 9.89 trainings;
    # 47 trials would take 33 + 11 + 3, 10.33 trainings
    assert comp.methods["halving"].trial_budget == 46
    assert list(comp.methods["halving"].resource) == pytest.approx([32 / 9 + 10 / 3 + 3] * 3)
    for r in comp.methods.values():
        assert all(x <= 10 + 1e-9 for x in r.resource)
        assert r.best_so_far.shape == (3, 46)  # the curves run over the largest trial budget
    hb = comp.methods["hyperband"]
    expected = [bracket_of(t, t.best).s for t in hb.traces]
    assert hb.best_brackets == expected and comp.methods["random"].best_brackets is None
    data = comp.to_dict(traces=False)
    assert data["equal_resource"] is True and data["methods"]["hyperband"]["trial_budget"] == 24
    plain = compare(OBJ, ["random", "hyperband"], budget=10, seeds=2)
    assert plain.methods["hyperband"].trial_budget == 10 and not plain.equal_resource


# ----- the command line --------------------------------------------------------------------
@pytest.mark.slow
def test_cli_simulate_json_has_brackets_and_equals_the_api(capsys) -> None:
    from hpedu.cli import main

    code = main(["simulate", "--objective", "knn-wine", "--method", "hyperband", "--budget", "13", "--seed", "2",
                 "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["method"] == "hyperband" and data["options"] == {"eta": 3, "min_resource": 1 / 9}
    # budget 13 = one bracket s=2: 9 configurations on 1/9 of the rows, 3 on 1/3, 1 on all
    assert [(t["bracket"], t["rung"], t["resource"]) for t in data["trials"]] == \
        [(0, 0, 1 / 9)] * 9 + [(0, 1, 1 / 3)] * 3 + [(0, 2, 1.0)]
    assert data["best"]["index"] == 12
    api = minimize("knn-wine", method="hyperband", budget=13, seed=2)
    assert Trace.from_json(out).same_trials(api)


@pytest.mark.slow
def test_cli_compare_equal_resource_says_trials_resource_and_bracket(capsys) -> None:
    from hpedu.cli import main

    code = main(["compare", "--objective", "knn-wine", "--methods", "random,hyperband", "--budget", "3",
                 "--seeds", "1", "--equal-resource"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "budget 3 full trainings per run (equal resource)" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:4]}
    # 3 trainings: random 3 trials; hyperband one bracket s=2, 13 trials (9/9 + 3/3 + 1 = 3): its trial budget
    # is 15 (16 would add bracket s=0), the two trials left over fit no bracket
    assert rows["random"][4:6] == ["3", "3"] and rows["hyperband"][4:6] == ["13", "3"]
    assert "hyperband: the best trial was found in bracket s=2 on 1 seed" in out


def test_cli_compare_equal_resource_refuses_watch(capsys) -> None:
    from hpedu.cli import main

    code = main(["compare", "--objective", "knn-wine", "--methods", "random,hyperband", "--budget", "3",
                 "--equal-resource", "--watch"])
    out, err = capsys.readouterr()
    assert code == 2 and "--equal-resource" in err and out == ""


def test_promotions_record_what_the_next_rung_ran() -> None:
    s = run(budget=30)
    for (bracket, rung), configs in s.promotions.items():
        nxt = [t.config for t in s.trials if t.bracket == bracket and t.rung == rung + 1]
        assert list(configs) == nxt
    # every rung but the last of each bracket promoted
    assert sorted(s.promotions) == [(b.index, i) for b in s.plan() for i in range(len(b.rungs) - 1)]


def test_csv_keeps_the_stages_and_old_csv_reads_as_before() -> None:
    s = run(budget=22)
    trace = Trace(objective=None, method="hyperband", budget=22, seed=0, options=dict(s.opts), trials=list(s.trials))
    text = trace.to_csv()
    assert text.splitlines()[1] == "index,x,k,value,seconds,resource,bracket,rung,config"
    back = Trace.from_csv(text)
    assert back.same_trials(trace)
    assert [(t.bracket, t.rung, t.config) for t in back.trials] == [(t.bracket, t.rung, t.config) for t in s.trials]
    plain = Trace.from_csv("index,x,value,seconds,resource\n0,0.5,1.0,0.0,1.0\n")
    assert type(plain.trials[0]) is not StagedTrial and plain.trials[0].params == {"x": 0.5}


@pytest.mark.slow
def test_cli_table_names_brackets_and_unused_trials(capsys) -> None:
    from hpedu.cli import main

    # budget 4: bracket s=0 (3 configurations on all the data) fits, nothing fits in the 1 trial left
    code = main(["simulate", "--objective", "knn-wine", "--method", "hyperband", "--budget", "4", "--seed", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[1].split() == ["#", "n_neighbors", "weights", "bracket", "rung", "resource", "accuracy", "best", "so",
                                "far"]
    assert [line.split()[3:6] for line in lines[2:5]] == [["1", "(s=0)", "0"]] * 3
    assert "1 of the 4 trials left unused: no whole bracket fits in them" in out
    ref = minimize("knn-wine", method="hyperband", budget=4, seed=1)
    assert f"best: trial #{ref.best.index + 1} " in out and "(found in bracket 1 (s=0), rung 0)" in out


def test_objectives_say_what_the_resource_is(capsys) -> None:
    from hpedu.cli import main
    from hpedu.tuning.objectives import OBJECTIVES

    assert main(["objectives"]) == 0
    out = capsys.readouterr().out.splitlines()
    resource_lines = {}
    name = None
    for line in out:
        if line and not line.startswith(" "):
            name = line.split()[0]
        elif "resource (halving, hyperband)" in line:
            resource_lines[name] = line
    assert set(resource_lines) == {n for n, info in OBJECTIVES.items() if info.supports_resource}
    assert set(resource_lines) >= {"svc-digits", "knn-wine", "tree-depth", "logreg-c", "gbm"}
    assert all("share of each CV fold's training rows" in line for line in resource_lines.values())
    assert "max_iter stays a tuned hyperparameter" in resource_lines["gbm"]

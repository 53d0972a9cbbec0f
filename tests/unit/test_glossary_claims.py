"""Claims the glossary makes, checked against hpedu's engine or scikit-learn.

Each test reads the sentence from the entry and checks the behaviour or the
number it states, so the text and the code cannot drift apart silently. The
last tests check the second-edition shape of every entry (Key takeaways
first, length at 80 columns)."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pytest

from hpedu.content import load_content

CONTENT = Path(__file__).parents[2] / "content"
GLOSSARY = CONTENT / "glossary"
LINK = re.compile(r"\[([^\]]+)\]\(glossary:[^)]*\)")


def body(entry_id: str) -> str:
    """The entry's Markdown body with glossary links reduced to their words."""
    text = (GLOSSARY / f"{entry_id}.md").read_text(encoding="utf-8")
    return LINK.sub(r"\1", text.split("\n---\n", 1)[1])


def front(entry_id: str) -> str:
    return (GLOSSARY / f"{entry_id}.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]


# --- cross-validation folds (random-seed) ------------------------------------


def test_grid_search_scores_every_candidate_on_the_same_folds() -> None:
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    text = body("random-seed")
    assert "so each candidate is scored on different folds" not in text
    assert "`GridSearchCV` and `RandomizedSearchCV` split once and reuse the folds for every candidate" in text
    assert "calling `cross_val_score(model, X, y, cv=KFold(5, shuffle=True))` once per candidate" in text

    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0)
    # three candidates that build the same tree: equal scores on a fold mean the same fold
    grid = {"max_depth": [None, 100, 1000]}
    unseeded = KFold(5, shuffle=True)  # random_state=None
    search = GridSearchCV(tree, grid, cv=unseeded).fit(X, y)
    splits = np.array([search.cv_results_[f"split{i}_test_score"] for i in range(5)])  # (fold, candidate)
    assert np.all(splits == splits[:, :1])
    # the hand-written loop draws new folds for each candidate
    loop = [cross_val_score(tree.set_params(max_depth=d), X, y, cv=unseeded) for d in grid["max_depth"]]
    assert any(not np.array_equal(loop[0], other) for other in loop[1:])


# --- acquisition functions (acquisition-function, expected-improvement, upper-confidence-bound)


def _acq(kind: str, mu: float, sigma: float, best: float, xi: float = 0.0, kappa: float = 0.0) -> float:
    from hpedu.tuning.acquisition import acq_score

    score, _ = acq_score(np.array([mu]), np.array([sigma]), best, kind, xi, kappa)
    return float(score[0])


def test_ei_with_xi_zero_is_standard_ei_and_still_explores() -> None:
    text = body("acquisition-function")
    assert "purely greedy setting (`xi=0`, `kappa=0`)" not in text
    assert "EI with `xi = 0` (standard EI, Jones et al. 1998) rewards both, so it still explores" in text
    assert "PI with `xi = 0` and LCB with `kappa = 0` are greedy" in text
    from hpedu.tuning import BayesianSearch

    defaults = {o.name: o.default for o in BayesianSearch.options}
    assert defaults["acq"] == "ei" and defaults["xi"] == 0.0  # "(the default, `xi=0`)"
    assert defaults["kappa"] == 2.0  # upper-confidence-bound: "(2 is the default)"
    assert "--option acq=ucb --option kappa=2` (2 is the default)" in body("upper-confidence-bound")
    # same mean, more uncertainty: EI (log EI here) is higher, while greedy PI and LCB prefer the sure point
    mu, best = 0.12, 0.10
    assert _acq("ei", mu, 0.05, best) > _acq("ei", mu, 0.02, best)
    assert _acq("ucb", 0.09, 0.05, best, kappa=0.0) == _acq("ucb", 0.09, 0.001, best, kappa=0.0)


def test_ei_at_zero_sigma_tends_to_the_plain_improvement() -> None:
    text = body("expected-improvement")
    assert "when `sigma(x) = 0`, EI is taken to be 0" not in text
    assert "As `sigma(x)` goes to 0, EI tends to `max(0, f_best - mu(x) - xi)`" in text
    best = 1.0
    for mu, xi in [(0.7, 0.0), (0.7, 0.1), (0.95, 0.0)]:
        ei = math.exp(_acq("ei", mu, 1e-9, best, xi=xi))
        assert ei == pytest.approx(max(0.0, best - mu - xi), rel=1e-6)
    # above the incumbent (or within the margin) the limit is 0, not a guess
    assert math.exp(_acq("ei", 1.2, 1e-9, best)) < 1e-12
    assert math.exp(_acq("ei", 0.95, 1e-9, best, xi=0.1)) < 1e-12


def test_ei_worked_example_numbers() -> None:
    text = body("expected-improvement")
    assert "`EI = -0.02 * 0.159 + 0.02 * 0.242 ≈ 0.0017`. With `sigma = 0.05`, EI ≈ 0.0115, almost seven times more" in text
    narrow = math.exp(_acq("ei", 0.12, 0.02, 0.10))
    wide = math.exp(_acq("ei", 0.12, 0.05, 0.10))
    assert narrow == pytest.approx(0.0017, abs=5e-5)
    assert wide == pytest.approx(0.0115, abs=5e-5)
    assert 6.5 < wide / narrow < 7.0


def test_xi_is_in_standard_deviations_in_hpedu() -> None:
    """Scaling and shifting the objective leaves a run with xi = 1 unchanged:
    xi cannot be in the objective's units."""
    from hpedu.tuning import Real, minimize

    text = body("expected-improvement")
    assert "Forgetting that `xi` is in the units of the objective" not in text
    assert "hpedu measures `xi` in standard deviations of the standardised losses" in text
    assert "scikit-optimize (archived in 2024) measured `xi` in the objective's units." in text

    def f(p: dict) -> float:
        return (p["x"] - 1.0) ** 2 + math.sin(3.0 * p["x"])

    space = {"x": Real(-3.0, 3.0)}
    small = minimize(f, space, method="bayes", budget=10, seed=1, xi=1.0)
    large = minimize(lambda p: 1000.0 * f(p) + 7.0, space, method="bayes", budget=10, seed=1, xi=1.0)
    xs = [t.params["x"] for t in small.trials]
    assert [t.params["x"] for t in large.trials] == pytest.approx(xs, abs=1e-6)


def test_lcb_example_and_sign() -> None:
    text = body("upper-confidence-bound")
    assert "Rasmussen & Williams" not in front("upper-confidence-bound")
    assert "Srinivas, Krause, Kakade & Seeger 2010" in front("upper-confidence-bound")
    assert "Auer 2002" in front("upper-confidence-bound")
    assert "For minimisation hpedu uses the lower bound mu − kappa·sigma (LCB)." in text
    assert "`mu = 0.12`, `sigma = 0.03`, `kappa = 2` gives LCB 0.06; `mu = 0.09`, `sigma = 0.005` gives 0.08" in text
    # hpedu maximises kappa*sigma - mu, i.e. picks the smallest mu - kappa*sigma
    assert _acq("ucb", 0.12, 0.03, 0.0, kappa=2.0) == pytest.approx(-0.06)
    assert _acq("ucb", 0.09, 0.005, 0.0, kappa=2.0) == pytest.approx(-0.08)
    assert _acq("ucb", 0.12, 0.03, 0.0, kappa=2.0) > _acq("ucb", 0.09, 0.005, 0.0, kappa=2.0)
    assert _acq("ucb", 0.12, 0.03, 0.0, kappa=0.5) < _acq("ucb", 0.09, 0.005, 0.0, kappa=0.5)


# --- runs on wave-1d (exploration-exploitation, expected-improvement) ----------


def _seeds_finding_zero(options: dict) -> int:
    from hpedu.tuning import compare

    result = compare("wave-1d", "bayes", 12, 10, options={"bayes": options}).methods["bayes"]
    return int((result.final_regret == 0).sum())


def test_kappa_counts_on_wave_1d() -> None:
    text = body("exploration-exploitation")
    assert "with `kappa = 10` it spreads trials evenly and improves the best score slowly" not in text
    assert "`kappa = 10` finds `x = 0` exactly on 9 seeds, `kappa = 2` on 7, `kappa = 0` on 4" in text
    assert [_seeds_finding_zero({"acq": "ucb", "kappa": k}) for k in (10.0, 2.0, 0.0)] == [9, 7, 4]


def test_default_ei_finds_the_edge_on_nine_seeds_of_ten() -> None:
    text = body("expected-improvement")
    assert "Over seeds 0–9 that plain `xi=0` still finds `x = 0` in 9 runs of 10" in text
    assert _seeds_finding_zero({"min_distance": 0.0}) == 9
    assert "exactly `x = 0` on nine seeds" in text  # with the default min_distance
    assert _seeds_finding_zero({}) == 9


# --- regularisation (C is the inverse strength) ------------------------------


def test_c_is_the_inverse_regularisation_strength() -> None:
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    mine = [p for p in GLOSSARY.glob("*.md")]
    wrong = re.compile(r"(?<!inverse )regulari[sz]ation strength `?C`?\b")
    assert [p.name for p in mine if wrong.search(p.read_text(encoding="utf-8"))] == []
    assert "its `C`, the inverse regularisation strength, is a hyperparameter" in body("model-parameter")
    assert "`C` is the **inverse** strength; smaller `C`, stronger penalty" in body("regularization-coefficient")

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    norms = [np.linalg.norm(LogisticRegression(C=c, max_iter=5000).fit(X, y).coef_) for c in (0.001, 0.1, 10.0)]
    assert norms[0] < norms[1] < norms[2]  # smaller C, stronger penalty, smaller weights


def test_weight_decay_is_not_an_alias_of_l2_and_the_text_agrees() -> None:
    fm = front("regularization-coefficient")
    aliases = re.search(r"^aliases: \[(.*)\]$", fm, re.M).group(1).split(", ")
    assert "weight decay" not in aliases
    text = body("regularization-coefficient")
    assert "For plain SGD an L2 penalty and weight decay give the same update" in text
    assert "with Adam they differ" in text and "Loshchilov & Hutter 2019" in fm
    # one SGD step: gradient of data_loss + (lam/2)*|w|^2 equals decaying w by lr*lam
    rng = np.random.default_rng(0)
    w, g, lr, lam = rng.normal(size=5), rng.normal(size=5), 0.1, 0.01
    assert np.allclose(w - lr * (g + lam * w), (1 - lr * lam) * w - lr * g)


# --- hyperparameters and run-time settings ------------------------------------


def test_run_time_settings_are_params_but_do_not_change_the_model() -> None:
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LinearRegression
    from sklearn.svm import SVC

    text = body("hyperparameter")
    assert "every argument of an estimator's constructor is a hyperparameter" not in text
    assert "A learning rate that is ten times too large makes a network diverge" not in text
    assert "some are run-time settings that do not change the fitted model: `n_jobs`, `verbose`, `copy_X`, `cache_size`" in text
    assert "A learning rate far too large tends to make a network diverge" in text

    assert {"n_jobs", "verbose"} <= set(RandomForestClassifier().get_params())
    assert "copy_X" in LinearRegression().get_params() and "cache_size" in SVC().get_params()
    X, y = load_iris(return_X_y=True)
    one = RandomForestClassifier(n_estimators=20, random_state=0, n_jobs=1).fit(X, y)
    two = RandomForestClassifier(n_estimators=20, random_state=0, n_jobs=2, verbose=0).fit(X, y)
    assert np.array_equal(one.predict_proba(X), two.predict_proba(X))
    small = SVC(cache_size=20).fit(X, y)
    large = SVC(cache_size=500).fit(X, y)
    assert np.allclose(small.decision_function(X), large.decision_function(X))


# --- Gaussian processes --------------------------------------------------------


def test_gp_posterior_mean_includes_the_prior_mean_and_noise_stops_interpolation() -> None:
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF

    text = body("gaussian-process")
    assert "`mu(x) = m(x) + k(x, X) (K + s2 I)^-1 (y - m(X))`" in text
    assert "The mean interpolates the data smoothly" not in text
    assert "With `s2 = 0` the mean passes through every observation; with noise it smooths between them" in text
    assert "calibrated" not in text and "calibrated" not in body("surrogate-model")

    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([5.0, 6.0, 4.5, 5.5])
    noise = 0.5
    kernel = RBF(length_scale=1.0)
    gp = GaussianProcessRegressor(kernel=kernel, alpha=noise, optimizer=None, normalize_y=False)
    gp.fit(X, y)
    m = y.mean()  # a constant prior mean: fit the residuals and add it back
    gp_m = GaussianProcessRegressor(kernel=kernel, alpha=noise, optimizer=None).fit(X, y - m)
    x = np.array([[1.5], [10.0]])
    K, kx = kernel(X), kernel(x, X)
    formula = m + kx @ np.linalg.solve(K + noise * np.eye(4), y - m)
    assert gp_m.predict(x) + m == pytest.approx(formula)
    # far from the data the mean returns to m(x), which a zero-mean formula would put at 0
    assert formula[1] == pytest.approx(m, abs=1e-6)
    assert gp.predict(x)[1] == pytest.approx(0.0, abs=1e-6)
    # with noise the mean misses the observations; without it, it goes through them
    assert np.max(np.abs(gp_m.predict(X) + m - y)) > 0.1
    exact = GaussianProcessRegressor(kernel=kernel, alpha=1e-10, optimizer=None).fit(X, y - m)
    assert exact.predict(X) + m == pytest.approx(y, abs=1e-6)


# --- scikit-learn details in entries -------------------------------------------


def test_hist_gradient_boosting_early_stopping_auto_switches_on_above_10000_samples() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    text = body("number-of-trees")
    assert "enables it automatically on large datasets" not in text
    assert '"auto" switches early stopping on when there are more than 10,000 samples; `max_iter` stays the cap' in text
    assert "switches it on when there are more than 10,000 samples" in body("early-stopping")

    rng = np.random.default_rng(0)
    X = rng.normal(size=(10_001, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=10_001) > 0).astype(int)
    big = HistGradientBoostingClassifier(max_iter=15, early_stopping="auto", random_state=0).fit(X, y)
    small = HistGradientBoostingClassifier(max_iter=15, early_stopping="auto", random_state=0).fit(X[:10_000], y[:10_000])
    assert big.do_early_stopping_ and not small.do_early_stopping_
    assert big.n_iter_ <= 15 and small.n_iter_ == 15


def test_grid_value_of_n_estimators_caps_an_early_stopped_run() -> None:
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import GridSearchCV

    text = body("early-stopping")
    assert "so the grid value is never used" not in text
    assert "it is only the cap (`n_estimators_` holds the number fitted)" in text
    X, y = load_breast_cancer(return_X_y=True)
    base = GradientBoostingClassifier(n_iter_no_change=3, validation_fraction=0.2, random_state=0)
    search = GridSearchCV(base, {"n_estimators": [5, 300]}, cv=3).fit(X, y)
    fitted = [GradientBoostingClassifier(n_estimators=n, n_iter_no_change=3, validation_fraction=0.2, random_state=0)
              .fit(X, y).n_estimators_ for n in (5, 300)]
    assert fitted[0] == 5  # the small grid value stops the run before early stopping does
    assert fitted[1] < 300  # early stopping ends the long one
    assert search.best_estimator_.n_estimators_ <= search.best_params_["n_estimators"]


def test_fitting_message_needs_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import GridSearchCV

    for entry in ("grid-search", "trial"):
        assert "with `verbose=1` (default 0, silent)" in body(entry).lower()
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.array([0, 1] * 10)
    grid = {"strategy": ["prior", "most_frequent", "uniform", "stratified"], "random_state": [0, 1, 2, 3]}
    GridSearchCV(DummyClassifier(), grid, cv=5).fit(X, y)
    assert "Fitting" not in capsys.readouterr().out
    GridSearchCV(DummyClassifier(), grid, cv=5, verbose=1).fit(X, y)
    assert "Fitting 5 folds for each of 16 candidates, totalling 80 fits" in capsys.readouterr().out


@pytest.mark.slow
def test_non_nested_cv_is_higher_on_average_not_every_time() -> None:
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
    from sklearn.svm import SVC

    text = body("nested-cross-validation")
    assert "the non-nested one is consistently higher" not in text
    assert "non-nested is higher on average, though not necessarily on every split" in text
    X, y = load_iris(return_X_y=True)
    grid = {"C": [1, 10, 100], "gamma": [0.01, 0.1]}  # scikit-learn's example, 10 of its 30 trials
    gaps = []
    for seed in range(10):
        inner, outer = KFold(4, shuffle=True, random_state=seed), KFold(4, shuffle=True, random_state=seed)
        non_nested = GridSearchCV(SVC(), grid, cv=inner).fit(X, y).best_score_
        nested = cross_val_score(GridSearchCV(SVC(), grid, cv=inner), X, y, cv=outer).mean()
        gaps.append(non_nested - nested)
    assert np.mean(gaps) > 0
    assert min(gaps) <= 0


def test_hyperband_try_it_runs_one_hyperband_iteration() -> None:
    import yaml

    from hpedu.tuning.hyperband import hyperband_plan

    text = body("hyperband")
    assert "hpedu's Try it runs one full Hyperband iteration: three brackets." in text
    assert ("with a budget of 22 trials, one iteration: bracket s = 2 trains 9 random `C`, `gamma` settings on a ninth "
            "of the data, the best 3 on a third, the best 1 on all of it; s = 1 trains 5 on a third, the best 1 on all "
            "of it; s = 0 trains 3 on all of it.") in text
    assert "JMLR 18(185)" in front("hyperband") and "Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar 2018" in front("hyperband")
    preset = yaml.safe_load((CONTENT / "presets" / "hyperband-svc.yaml").read_text(encoding="utf-8"))
    assert re.search(r"^simulation: hyperband-svc$", front("hyperband"), re.M)
    assert (preset["method"], preset["objective"], preset["budget"]) == ("hyperband", "svc-digits", 22)
    plan = hyperband_plan(preset["budget"], preset["options"]["eta"], preset["options"]["min_resource"])
    ninth, third = pytest.approx(1 / 9), pytest.approx(1 / 3)
    assert [(b.s, b.iteration, list(b.rungs)) for b in plan] == [
        (2, 0, [(9, ninth), (3, third), (1, 1.0)]), (1, 0, [(5, third), (1, 1.0)]), (0, 0, [(3, 1.0)])]
    assert sum(b.evaluations for b in plan) == 22


def test_hyperband_bracket_table_follows_li_et_al() -> None:
    rows = re.findall(r"^\| s = (\d) \| (\d+) \| (\d+) \|$", body("hyperband"), re.M)
    R, eta = 81, 3
    s_max = round(math.log(R, eta))
    expected = [(s, math.ceil((s_max + 1) / (s + 1) * eta**s), R // eta**s) for s in range(s_max, -1, -1)]
    assert [(int(s), int(n), int(r)) for s, n, r in rows] == expected


def test_log_scale_numbers() -> None:
    from scipy.stats import loguniform, uniform

    assert "`uniform(1e-5, 1e-1)` puts fewer than 0.1 % of draws below `1e-4`" in body("log-scale")
    assert "- uniform(1e-5, 1e-1) puts 90 % of draws between 0.01 and 0.1." in body("log-scale")
    lin = uniform(1e-5, 1e-1 - 1e-5)
    assert lin.cdf(0.1) - lin.cdf(0.01) == pytest.approx(0.90, abs=0.001)
    assert lin.cdf(1e-4) < 0.001
    log = loguniform(1e-5, 1e-1)
    decades = [log.cdf(10.0 ** (e + 1)) - log.cdf(10.0**e) for e in range(-5, -1)]
    assert decades == pytest.approx([0.25] * 4)


def test_rbf_correlation_at_one_two_three_length_scales() -> None:
    from sklearn.gaussian_process.kernels import RBF

    assert "about 0.61 at distance `l`, 0.14 at `2 l` and 0.01 at `3 l`" in body("length-scale")
    k = RBF(length_scale=0.7)
    values = [k(np.array([[0.0]]), np.array([[d * 0.7]]))[0, 0] for d in (1, 2, 3)]
    assert [round(v, 2) for v in values] == [0.61, 0.14, 0.01]


def test_validation_set_standard_error() -> None:
    from scipy.stats import binom

    assert "the standard error is `sqrt(0.9 * 0.1 / 500)` ≈ 1.3 points" in body("validation-set")
    assert "500 examples at 90 % accuracy give ±1.3 points SE" in body("validation-set")
    assert round(100 * binom(500, 0.9).std() / 500, 1) == 1.3


# --- wording fixes without a number --------------------------------------------


@pytest.mark.parametrize(
    ("entry", "wrong", "right"),
    [
        ("number-of-hidden-layers", "structured data such as images or text", "For images and text (unstructured data)"),
        ("overfitting", "penalties: the regularization coefficient, dropout rate", "not a penalty"),
        ("number-of-features", "`PCA(n_components=...)` sets how many components to keep", "feature *extraction*"),
        ("surrogate-model", "calibrated mean", "honest only as far as its kernel fits the function"),
    ],
)
def test_corrected_wording(entry: str, wrong: str, right: str) -> None:
    text = body(entry)
    assert wrong not in text
    assert right in text


def test_no_entry_leads_with_scikit_optimize() -> None:
    """scikit-optimize was archived in 2024: it may appear as history, never as the code to copy."""
    used = {p.stem for p in GLOSSARY.glob("*.md") if re.search(r"gp_minimize|forest_minimize|from skopt|Real\(.*prior=", p.read_text(encoding="utf-8"))}
    assert used == set()


# --- second-edition shape of every entry ---------------------------------------


def _takeaways(entry_body: str) -> list[str]:
    lines = entry_body.strip().splitlines()
    assert lines[0] == "## Key takeaways", "the body must start with '## Key takeaways'"
    bullets = []
    for line in lines[1:]:
        if line.startswith("- "):
            bullets.append(line)
        elif line.strip() or bullets:
            break
    return bullets


ENTRIES = sorted(p.stem for p in GLOSSARY.glob("*.md"))


@pytest.mark.parametrize("entry_id", ENTRIES)
def test_entry_starts_with_key_takeaways(entry_id: str) -> None:
    bullets = _takeaways(body(entry_id))
    assert 2 <= len(bullets) <= 4, f"{entry_id}: {len(bullets)} takeaways, allowed 2 to 4"
    long = [b for b in bullets if len(b) > 76]
    assert long == [], f"{entry_id}: takeaways longer than 76 characters"


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.mark.parametrize("entry_id", ENTRIES)
def test_entry_fits_the_screen(entry_id: str, content, monkeypatch: pytest.MonkeyPatch) -> None:
    """Title, summary and takeaways in the first 24 lines at 80 columns; the
    whole plain-text entry (`hpedu glossary ID | wc -l`) at most 60 lines."""
    import rich.console

    from hpedu.commands.content import _print_rich, entry_as_text

    entry = content.entries[entry_id]
    assert len(entry_as_text(entry, content).splitlines()) <= 60
    out = io.StringIO()
    real = rich.console.Console
    monkeypatch.setattr(rich.console, "Console", lambda: real(file=out, width=80, color_system=None))
    _print_rich(entry, content)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Key takeaways")
    bullets = [i for i, line in enumerate(lines) if i > start and line.lstrip().startswith("•")]
    end = bullets[len(_takeaways(entry.body)) - 1]
    assert end < 24, f"{entry_id}: the takeaways end on line {end + 1} at 80 columns"

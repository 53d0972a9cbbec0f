"""Claims the newer glossary entries make about scikit-learn, SciPy and hpedu.

Each test reads the sentence from the entry and checks it against the
library, so a wrong number in the text, or a library that changes its
default, makes the test fail and the entry has to be revisited.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

GLOSSARY = Path(__file__).parents[2] / "content" / "glossary"
NUM = r"([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)"  # a number as an entry writes it: 0.9, 1e-4, 20


def entry(entry_id: str) -> str:
    """The entry's text with line breaks and runs of spaces folded to one space."""
    text = (GLOSSARY / f"{entry_id}.md").read_text(encoding="utf-8")
    return " ".join(text.split())


def claim(entry_id: str, pattern: str) -> tuple[str, ...]:
    """The groups of `pattern` in the entry: the values the entry states, to check against the library."""
    match = re.search(pattern, entry(entry_id))
    assert match, f"{entry_id}.md no longer says {pattern!r}"
    return match.groups()


def num(text: str) -> float:
    return float(text)


def small_data(n: int = 120, d: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    return X, y


# --- parameter -----------------------------------------------------------------


def test_parameter_run_time_settings_are_params_and_learned_values_end_in_underscore() -> None:
    text = entry("parameter")
    assert "`n_jobs`, `verbose` and `random_state` are params to scikit-learn" in text
    assert "`coef_`, `support_vectors_`" in text
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.svm import SVC

    assert {"n_jobs", "verbose", "random_state"} <= set(RandomForestClassifier().get_params())
    X, y = small_data()
    svc = SVC().fit(X, y)
    assert hasattr(svc, "support_vectors_") and "support_vectors_" not in svc.get_params()


# --- weight decay, dropout ----------------------------------------------------------


def test_weight_decay_mlp_alpha_default() -> None:
    (alpha,) = claim("weight-decay", rf"`MLPClassifier\(alpha={NUM}\)` is an L2 penalty added to the loss \(the default `alpha`\)")
    from sklearn.neural_network import MLPClassifier

    assert MLPClassifier().alpha == num(alpha)


def test_weight_decay_equals_an_l2_penalty_for_plain_sgd() -> None:
    # The entry's update rule w <- w - lr*grad - lr*wd*w is the SGD step on loss + (wd/2)*||w||^2.
    assert "`w <- w - lr * gradient - lr * wd * w`" in entry("weight-decay")
    assert "`(wd / 2) * ||w||^2`" in entry("weight-decay")
    rng = np.random.default_rng(1)
    w, grad, lr, wd = rng.normal(size=5), rng.normal(size=5), 0.1, 0.01
    decayed = w - lr * grad - lr * wd * w
    penalised_grad = grad + wd * w  # gradient of loss + (wd/2)*||w||^2
    np.testing.assert_allclose(decayed, w - lr * penalised_grad)


def test_dropout_scikit_learn_mlp_has_no_dropout() -> None:
    assert "scikit-learn's `MLPClassifier` has no dropout" in entry("dropout")
    from sklearn.neural_network import MLPClassifier

    assert not [name for name in MLPClassifier().get_params() if "drop" in name]


# --- momentum, optimizer, schedules ------------------------------------------------


def test_momentum_and_adam_defaults_in_scikit_learn_mlp() -> None:
    momentum, nesterov = claim("momentum", rf"`momentum={NUM}` and `nesterovs_momentum=(True|False)` by default")
    beta_1, beta_2 = claim("momentum", rf'`MLPClassifier\(solver="adam", beta_1={NUM}, beta_2={NUM}\)`: the defaults')
    from sklearn.neural_network import MLPClassifier

    mlp = MLPClassifier()
    assert (mlp.momentum, str(mlp.nesterovs_momentum)) == (num(momentum), nesterov)
    assert (mlp.beta_1, mlp.beta_2) == (num(beta_1), num(beta_2))


def test_momentum_steady_gradient_step_grows_to_lr_over_one_minus_beta() -> None:
    assert "`v <- beta * v + gradient`, then `w <- w - lr * v`" in entry("momentum")
    factor, beta = claim("momentum", rf"lr / \(1 - beta\): (\d+)x at {NUM}")
    beta, lr, g = num(beta), 0.01, 2.0
    v, w = 0.0, 0.0
    for _ in range(500):
        v = beta * v + g
        w_new = w - lr * v
        step, w = w - w_new, w_new
    assert step == pytest.approx(num(factor) * lr * g)


def test_optimizer_scikit_learn_solvers() -> None:
    (mlp_solver,) = claim("optimizer", r'`MLPClassifier\(solver="(\w+)"\)` is scikit-learn\'s default')
    logreg_solver, others = claim("optimizer", r'`LogisticRegression\(solver="(\w+)"\)` is the default; (.*?) are the others')
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    assert MLPClassifier().solver == mlp_solver and LogisticRegression().solver == logreg_solver
    listed = set(re.findall(r'`"([a-z-]+)"`', others)) | {logreg_solver}
    assert listed == set(LogisticRegression._parameter_constraints["solver"][0].options)


def test_learning_rate_schedule_mlp_defaults() -> None:
    (schedule,) = claim("learning-rate-schedule", r'`MLPClassifier\(learning_rate="(\w+)"\)` is the default')
    (power_t,) = claim("learning-rate-schedule", rf"`learning_rate_init / t\*\*power_t` \(`power_t={NUM}`\)")
    from sklearn.neural_network import MLPClassifier

    mlp = MLPClassifier()
    assert (mlp.learning_rate, mlp.power_t) == (schedule, num(power_t))


def _fit_mlp(solver: str, schedule: str) -> list[np.ndarray]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = small_data()
    mlp = MLPClassifier(hidden_layer_sizes=(5,), solver=solver, learning_rate=schedule, learning_rate_init=0.05,
                        max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    return mlp.coefs_


def test_learning_rate_schedule_applies_only_to_sgd() -> None:
    text = entry("learning-rate-schedule")
    assert 'Both apply only to `solver="sgd"`' in text
    assert 'Setting `learning_rate="adaptive"` with `solver="adam"` and expecting a change: it is ignored' in text
    for a, b in zip(_fit_mlp("adam", "constant"), _fit_mlp("adam", "invscaling")):
        np.testing.assert_array_equal(a, b)
    differs = [not np.array_equal(a, b) for a, b in zip(_fit_mlp("sgd", "constant"), _fit_mlp("sgd", "invscaling"))]
    assert any(differs)


# --- warm-up, warm-starting ------------------------------------------------------------


def test_warm_up_scikit_learn_mlp_has_no_warm_up() -> None:
    assert "scikit-learn's MLP has no warm-up" in entry("warm-up")
    from sklearn.neural_network import MLPClassifier

    assert not [name for name in MLPClassifier().get_params() if "warmup" in name.replace("_", "")]


def test_warm_starting_a_forest_keeps_the_first_trees_and_adds_the_rest() -> None:
    first, total = claim("warm-starting", rf"`RandomForestClassifier\(n_estimators={NUM}, warm_start=True\)`; after `fit`, set `n_estimators={NUM}`")
    from sklearn.ensemble import RandomForestClassifier

    X, y = small_data()
    forest = RandomForestClassifier(n_estimators=int(first), warm_start=True, random_state=0).fit(X, y)
    before = list(forest.estimators_)
    assert f"the first {first} trees are kept and {int(total) - int(first)} are added" in entry("warm-starting")
    forest.set_params(n_estimators=int(total)).fit(X, y)
    assert len(forest.estimators_) == int(total)
    assert all(a is b for a, b in zip(before, forest.estimators_[: int(first)]))


def test_warm_start_does_not_carry_over_between_grid_search_candidates() -> None:
    assert "the search clones a fresh estimator for every candidate and fold, so nothing carries over" in entry("warm-starting")
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import GridSearchCV

    X, y = small_data()
    grid = {"n_estimators": [5, 10]}
    scores = [GridSearchCV(RandomForestClassifier(random_state=0, warm_start=w), grid, cv=3).fit(X, y)
              .cv_results_["mean_test_score"] for w in (False, True)]
    np.testing.assert_array_equal(scores[0], scores[1])


# --- trees: min_samples_leaf, max_features, subsample ---------------------------------------


def test_min_samples_leaf_defaults() -> None:
    (trees,) = claim("min-samples-leaf", rf"`GradientBoostingClassifier`: default `min_samples_leaf={NUM}`")
    (hist,) = claim("min-samples-leaf", rf"`HistGradientBoostingClassifier`: default {NUM}")
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    for cls in (DecisionTreeClassifier, RandomForestClassifier, GradientBoostingClassifier):
        assert cls().min_samples_leaf == int(trees)
    assert HistGradientBoostingClassifier().min_samples_leaf == int(hist)


def _leaf_sizes(tree) -> np.ndarray:
    t = tree.tree_
    return t.n_node_samples[t.children_left == -1]


def test_min_samples_leaf_bounds_every_leaf_and_a_float_is_a_fraction() -> None:
    assert "`ceil(min_samples_leaf * n_samples)` samples" in entry("min-samples-leaf")
    from sklearn.tree import DecisionTreeClassifier

    X, y = small_data(n=250)
    X = X + np.random.default_rng(3).normal(scale=2.0, size=X.shape)  # noisy: a free tree would make tiny leaves
    assert _leaf_sizes(DecisionTreeClassifier(random_state=0).fit(X, y)).min() == 1
    assert _leaf_sizes(DecisionTreeClassifier(min_samples_leaf=7, random_state=0).fit(X, y)).min() >= 7
    sizes = _leaf_sizes(DecisionTreeClassifier(min_samples_leaf=0.03, random_state=0).fit(X, y))
    assert sizes.min() >= 8  # ceil(0.03 * 250) = 8 rows


def test_min_samples_split_alone_still_allows_leaves_of_one_sample() -> None:
    assert "`min_samples_split=10` still allows leaves of one sample" in entry("min-samples-leaf")
    from sklearn.tree import DecisionTreeClassifier

    X, y = small_data(n=250)
    X = X + np.random.default_rng(3).normal(scale=2.0, size=X.shape)
    assert _leaf_sizes(DecisionTreeClassifier(min_samples_split=10, random_state=0).fit(X, y)).min() == 1


@pytest.mark.slow
def test_min_samples_leaf_in_hpedu_tree_depth_objective_and_grid_run() -> None:
    low, high = claim("min-samples-leaf", rf"searches `min_samples_leaf` from {NUM} to {NUM} on a log scale")
    seven, one, fifty = claim("min-samples-leaf", rf"leaves of 7 samples beat leaves of 1 \({NUM} against {NUM} accuracy\), and leaves of 50 fall to {NUM}")
    from hpedu.tuning import simulate
    from hpedu.tuning.objectives import get_objective

    dim = get_objective("tree-depth").space["min_samples_leaf"]
    assert (dim.low, dim.high, dim.log) == (int(low), int(high), True)
    trace = simulate("tree-depth", "grid", 25, 0)
    deep = [t for t in trace.trials if t.params["max_depth"] >= 6]
    assert deep
    by_leaf = {leaf: {round(t.value, 3) for t in deep if t.params["min_samples_leaf"] == leaf} for leaf in (1, 7, 50)}
    assert by_leaf[7] == {float(seven)} and by_leaf[50] == {float(fifty)}
    assert max(by_leaf[1]) <= float(one) < float(seven)


def test_max_features_defaults() -> None:
    (clf,) = claim("max-features", r'`RandomForestClassifier\(max_features="(\w+)"\)` and `ExtraTreesClassifier` default to')
    (reg,) = claim("max-features", rf"`RandomForestRegressor` defaults to `{NUM}` \(all features\)")
    from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier, RandomForestRegressor

    assert RandomForestClassifier().max_features == clf == ExtraTreesClassifier().max_features
    assert RandomForestRegressor().max_features == float(reg)
    assert "`GradientBoostingClassifier` uses all features by default (`None`)" in entry("max-features")
    assert GradientBoostingClassifier().max_features is None


def test_max_features_counts_per_split() -> None:
    p, sqrt, log2 = claim("max-features", rf'With {NUM} features, `"sqrt"` tries {NUM} per split and `"log2"` tries {NUM}')
    assert "an integer 1 means one feature per split; all is `1.0`" in entry("max-features")
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, int(p)))
    y = (X[:, 0] > 0).astype(int)
    # a list, not a dict: 1 and 1.0 are the same dict key
    fitted = [DecisionTreeClassifier(max_features=mf, random_state=0).fit(X, y).max_features_
              for mf in ("sqrt", "log2", 1, 1.0)]
    assert fitted == [int(sqrt), int(log2), 1, int(p)]


def test_subsample_default_and_out_of_bag_attributes() -> None:
    (default,) = claim("subsample", rf"GradientBoosting default is subsample={NUM} \(all rows\)")
    assert "With `subsample < 1.0` the fitted model has `oob_improvement_` and `oob_scores_`" in entry("subsample")
    assert "`HistGradientBoostingClassifier` has no row subsampling parameter" in entry("subsample")
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier

    assert GradientBoostingClassifier().subsample == float(default)
    X, y = small_data()
    full = GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X, y)
    part = GradientBoostingClassifier(n_estimators=5, subsample=0.8, random_state=0).fit(X, y)
    assert not hasattr(full, "oob_improvement_")
    assert hasattr(part, "oob_improvement_") and hasattr(part, "oob_scores_")
    assert not [name for name in HistGradientBoostingClassifier().get_params() if "sample" in name and "leaf" not in name]


# --- SVM: C and gamma ---------------------------------------------------------------


def test_svm_c_defaults() -> None:
    svc_c, other_c = claim("svm-c", rf"scikit-learn `SVC\(C={NUM}\)` is the default; `LinearSVC` and `LogisticRegression` also default to `C={NUM}`")
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC, LinearSVC

    assert SVC().C == float(svc_c)
    assert LinearSVC().C == LogisticRegression().C == float(other_c)


def test_svm_c_small_c_means_more_support_vectors() -> None:
    assert "Small C: wide margin, many support vectors" in entry("svm-c")
    from sklearn.svm import SVC

    X, y = small_data(n=200)
    X = X + np.random.default_rng(5).normal(scale=0.7, size=X.shape)
    n_small, n_large = (SVC(C=c).fit(X, y).n_support_.sum() for c in (0.01, 100.0))
    assert n_small > n_large


def _svc_digits(C: float, gamma: float) -> float:
    from hpedu.tuning.objectives import get_objective

    return get_objective("svc-digits")({"C": C, "gamma": gamma})


@pytest.mark.slow
def test_svm_c_in_hpedu_svc_digits() -> None:
    low, high = claim("svm-c", rf"searches C from {NUM} to {NUM} on a log scale")
    from hpedu.tuning.objectives import get_objective

    dim = get_objective("svc-digits").space["C"]
    assert (dim.low, dim.high, dim.log) == (float(low), float(high), True)
    (underfit,) = claim("svm-c", rf"`C = 0.01` underfits \({NUM} accuracy at gamma 0.001\)")
    (good,) = claim("svm-c", rf"at gamma 0.001, `C = 1` reaches {NUM}")
    one, thousand = claim("svm-c", rf"at gamma 1e-5 `C = 1` gives {NUM} and `C = 1000` {NUM}")
    assert round(_svc_digits(0.01, 1e-3), 2) == float(underfit)
    assert round(_svc_digits(1.0, 1e-3), 3) == float(good)
    assert round(_svc_digits(1.0, 1e-5), 2) == float(one)
    assert round(_svc_digits(1000.0, 1e-5), 2) == float(thousand)


def test_rbf_gamma_scale_and_auto_formulas() -> None:
    text = entry("rbf-gamma")
    assert '`gamma="scale"` (the default): `1 / (n_features * X.var())`' in text
    assert '`gamma="auto"`: `1 / n_features`' in text
    from sklearn.svm import SVC

    X, y = small_data(d=5)
    X = 3.0 * X + 1.0  # variance far from 1, so "scale" and "auto" differ
    assert SVC().gamma == "scale"
    d = X.shape[1]
    for name, value in (("scale", 1.0 / (d * X.var())), ("auto", 1.0 / d)):
        named = SVC(gamma=name).fit(X, y).decision_function(X)
        explicit = SVC(gamma=value).fit(X, y).decision_function(X)
        np.testing.assert_allclose(named, explicit, rtol=1e-10, atol=1e-10)
    assert not np.allclose(SVC(gamma="scale").fit(X, y).decision_function(X), SVC(gamma="auto").fit(X, y).decision_function(X))


def test_rbf_gamma_kernel_and_length_scale() -> None:
    text = entry("rbf-gamma")
    assert "k(x, x') = exp(-gamma * ||x - x'||^2)" in text
    assert "it equals `1 / (2 * length_scale^2)`" in text
    from sklearn.gaussian_process.kernels import RBF
    from sklearn.metrics.pairwise import rbf_kernel

    X = np.random.default_rng(2).normal(size=(6, 3))
    gamma = 0.37
    sq = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(rbf_kernel(X, gamma=gamma), np.exp(-gamma * sq))
    length_scale = 1.0 / np.sqrt(2 * gamma)
    np.testing.assert_allclose(RBF(length_scale=length_scale)(X), rbf_kernel(X, gamma=gamma))


@pytest.mark.slow
def test_rbf_gamma_in_hpedu_svc_digits() -> None:
    low, high = claim("rbf-gamma", rf"searches gamma from {NUM} to {NUM} on a log scale")
    from hpedu.tuning.objectives import get_objective

    dim = get_objective("svc-digits").space["gamma"]
    assert (dim.low, dim.high, dim.log) == (float(low), float(high), True)
    (good,) = claim("rbf-gamma", rf"gamma 0.001 reaches {NUM} accuracy for any C from 1 to 1000")
    (bad,) = claim("rbf-gamma", rf"gamma 0.03 stays below {NUM} whatever C is")
    for C in (1.0, 1000.0):
        assert round(_svc_digits(C, 1e-3), 3) == float(good)
        assert _svc_digits(C, 0.03) < float(bad)


# --- designs: initial design, Sobol, Latin hypercube --------------------------------------------


def test_initial_design_sizes_in_hpedu() -> None:
    text = entry("initial-design")
    assert "hpedu's bayes uses min(max(5, d), 10) Sobol points; TPE starts with 10" in text
    (startup,) = claim("initial-design", rf"hpedu `tpe`: `n_startup={NUM}` random trials")
    from hpedu.tuning.bayes import BayesianSearch
    from hpedu.tuning.registry import get_method

    assert [BayesianSearch.auto_initial(d) for d in (1, 2, 5, 6, 10, 20)] == [5, 5, 5, 6, 10, 10]
    assert get_method("tpe").option("n_startup").default == int(startup)
    assert get_method("bayes").option("n_initial").default == 0


def test_initial_design_bayes_branin_hands_over_to_the_model_after_five_trials() -> None:
    (n,) = claim("initial-design", rf"\(key `t`, preset `bayes-branin`\): the first {NUM} trials spread")
    assert f"from trial {int(n) + 1} the Gaussian process picks the points" in entry("initial-design")
    from hpedu.tuning.objectives import get_objective
    from hpedu.tuning.registry import get_method

    objective = get_objective("branin")
    search = get_method("bayes")(objective.space, budget=30, seed=0)
    for i in range(int(n) + 1):
        assert search.model_ready == (i >= int(n))
        params = search.ask()
        search.tell(params, objective(params))
    assert search.n_initial == int(n)


def test_sobol_first_power_of_two_points_are_balanced() -> None:
    text = entry("sobol-sequence")
    assert "The first 2^m points are balanced: one in each of 2^m slices per axis." in text
    assert "every `2^a x 2^b` grid of cells with `a + b = m` has one point per cell" in text
    from scipy.stats import qmc

    for seed in range(3):
        points = qmc.Sobol(d=2, scramble=True, seed=seed).random_base2(m=4)  # 16 points
        for a in range(5):
            cells = np.floor(points * [2**a, 2 ** (4 - a)]).astype(int)
            counts = np.zeros((2**a, 2 ** (4 - a)), dtype=int)
            np.add.at(counts, (cells[:, 0], cells[:, 1]), 1)
            assert (counts == 1).all()
    # six axes, 16 points: still one point per slice on each axis alone
    points = qmc.Sobol(d=6, scramble=True, seed=0).random_base2(m=4)
    for axis in range(6):
        assert sorted(np.floor(points[:, axis] * 16).astype(int)) == list(range(16))
    # the contrast the entry draws: random draws are not balanced
    random_points = np.random.default_rng(0).random((16, 2))
    assert len(set(np.floor(random_points[:, 0] * 16).astype(int))) < 16


def test_sobol_warns_off_powers_of_two_and_starts_at_the_origin_unscrambled() -> None:
    text = entry("sobol-sequence")
    assert "`random(n)` with `n` not a power of two warns that the balance is lost" in text
    assert "Unscrambled, the first point is the origin." in text
    from scipy.stats import qmc

    with pytest.warns(UserWarning, match="balance"):
        qmc.Sobol(d=2, seed=0).random(10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qmc.Sobol(d=2, seed=0).random(16)
    np.testing.assert_array_equal(qmc.Sobol(d=3, scramble=False).random(1), [[0.0, 0.0, 0.0]])


def test_latin_hypercube_has_one_point_per_slice_for_any_n() -> None:
    assert "n points: each axis cut into n slices, exactly one point per slice." in entry("latin-hypercube-sampling")
    from scipy.stats import qmc

    for n in (7, 10):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any n is fine, unlike Sobol's powers of two
            points = qmc.LatinHypercube(d=3, seed=0).random(n=n)
        for axis in range(3):
            assert sorted(np.floor(points[:, axis] * n).astype(int)) == list(range(n))


# --- multi-fidelity, ASHA, parallel tuning -------------------------------------------------------


def _preset(name: str) -> dict:
    import yaml

    return yaml.safe_load((GLOSSARY.parent / "presets" / f"{name}.yaml").read_text(encoding="utf-8"))


def test_asha_entry_describes_the_halving_svc_rungs() -> None:
    n0, n1, n2 = claim("asha", rf"{NUM} configurations on a ninth of the data, the best {NUM} on a third, the best {NUM} on all of it")
    from hpedu.tuning.halving import halving_plan
    from hpedu.tuning.registry import get_method

    preset = _preset("halving-svc")
    eta = preset["options"]["eta"]
    min_resource = get_method("halving").option("min_resource").default
    plan = halving_plan(preset["budget"], eta, min_resource)
    assert plan == [(int(n0), pytest.approx(1 / 9)), (int(n1), pytest.approx(1 / 3)), (int(n2), 1.0)]
    (first,) = claim("asha", rf"ASHA would start the second rung after the first {NUM} results")
    assert int(first) == eta  # the first finished trials whose top 1/eta is one trial


def test_multi_fidelity_halving_search_defaults_and_hpedu_resource() -> None:
    resource, factor = claim("multi-fidelity-optimization", rf'`HalvingRandomSearchCV\(est, params, resource="(\w+)", factor={NUM}\)`; both are the defaults')
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV
    from sklearn.svm import SVC

    for cls in (HalvingRandomSearchCV, HalvingGridSearchCV):
        search = cls(SVC(), {"C": [1.0]})
        assert (search.resource, search.factor) == (resource, int(factor))
    from hpedu.tuning.objectives import OBJECTIVES

    assert OBJECTIVES["svc-digits"].supports_resource


def test_parallel_grid_search_gives_the_same_results() -> None:
    assert "`GridSearchCV(..., n_jobs=-1)` fits candidates and folds on all cores; the results are the same as with `n_jobs=1`" in entry("parallel-tuning")
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    X, y = small_data()
    grid = {"C": [0.1, 1.0, 10.0], "gamma": [0.01, 0.1]}
    serial, parallel = (GridSearchCV(SVC(), grid, cv=3, n_jobs=n).fit(X, y) for n in (1, 2))
    np.testing.assert_array_equal(serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"])
    assert serial.best_params_ == parallel.best_params_


# --- learning and validation curves --------------------------------------------------------


def test_learning_curve_default_sizes_and_shapes() -> None:
    text = entry("learning-curve")
    assert "(by default 10%, 32.5%, 55%, 77.5% and 100%, `train_sizes=np.linspace(0.1, 1.0, 5)`)" in text
    n_sizes, n_folds = claim("learning-curve", r"# train_scores.shape == \((\d+), (\d+)\): \d+ training sizes x \d+ folds")
    import inspect

    from sklearn.model_selection import learning_curve
    from sklearn.svm import SVC

    default = inspect.signature(learning_curve).parameters["train_sizes"].default
    np.testing.assert_allclose(default, [0.1, 0.325, 0.55, 0.775, 1.0])
    X, y = small_data(n=150)
    sizes, train_scores, valid_scores = learning_curve(SVC(gamma=0.001), X, y, cv=5)
    assert train_scores.shape == valid_scores.shape == (int(n_sizes), int(n_folds)) and len(sizes) == int(n_sizes)


def test_validation_curve_shape() -> None:
    n_values, n_folds = claim("validation-curve", r"# train.shape == valid.shape == \((\d+), (\d+)\): \d+ values of C x \d+ folds")
    from sklearn.model_selection import validation_curve
    from sklearn.svm import SVC

    X, y = small_data(n=150)
    train, valid = validation_curve(SVC(), X, y, param_name="C", param_range=np.logspace(-2, 3, 6), cv=5)
    assert train.shape == valid.shape == (int(n_values), int(n_folds))


@pytest.mark.slow
def test_validation_curve_of_hpedu_logreg_c() -> None:
    small, middle, large = claim("validation-curve", rf"5-fold accuracy {NUM} at `C = 1e-4` \(underfit\), {NUM} at `C = 1`, {NUM} at `C = 1e4` \(overfit\)")
    from hpedu.tuning.objectives import get_objective

    objective = get_objective("logreg-c")
    dim = objective.space["C"]
    assert (dim.low, dim.high, dim.log) == (1e-4, 1e4, True)
    values = [round(objective({"C": C}), 3) for C in (1e-4, 1.0, 1e4)]
    assert values == [float(small), float(middle), float(large)]
    assert values[1] > max(values[0], values[2])
    (budget,) = claim("validation-curve", rf"learns this curve from {NUM} trials")
    assert _preset("logreg-c")["budget"] == int(budget)


# --- kernels and densities: Matérn, Parzen; CMA-ES ------------------------------------------


def test_matern_default_nu_and_special_cases() -> None:
    (default_nu,) = claim("matern-kernel", rf"scikit-learn's `Matern\(\)` defaults to nu={NUM}, not 2.5")
    text = entry("matern-kernel")
    assert "`nu = 1/2`: `exp(-r / l)`" in text
    assert "`nu = 3/2`: `(1 + sqrt(3) r / l) exp(-sqrt(3) r / l)`" in text
    assert "`nu = 5/2`: `(1 + sqrt(5) r / l + 5 r^2 / (3 l^2)) exp(-sqrt(5) r / l)`" in text
    from sklearn.gaussian_process.kernels import RBF, Matern

    assert Matern().nu == float(default_nu)
    X = np.random.default_rng(4).normal(size=(7, 2))
    r = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    l = 0.8
    np.testing.assert_allclose(Matern(length_scale=l, nu=0.5)(X), np.exp(-r / l), atol=1e-12)
    np.testing.assert_allclose(Matern(length_scale=l, nu=1.5)(X), (1 + np.sqrt(3) * r / l) * np.exp(-np.sqrt(3) * r / l), atol=1e-12)
    m52 = (1 + np.sqrt(5) * r / l + 5 * r**2 / (3 * l**2)) * np.exp(-np.sqrt(5) * r / l)
    np.testing.assert_allclose(Matern(length_scale=l, nu=2.5)(X), m52, atol=1e-12)
    np.testing.assert_allclose(Matern(length_scale=l, nu=np.inf)(X), RBF(length_scale=l)(X), atol=1e-12)


def _fitted_bayes_gp():
    from hpedu.tuning.objectives import get_objective
    from hpedu.tuning.registry import get_method

    objective = get_objective("branin")
    search = get_method("bayes")(objective.space, budget=10, seed=0)
    for _ in range(7):  # 5 Sobol points, then the model proposes
        params = search.ask()
        search.tell(params, objective(params))
    return search.gp.to_sklearn()  # hpedu's own GP, as the scikit-learn model it equals (tests/unit/test_gp.py)


def test_hpedu_bayes_kernel_is_matern_five_halves_with_a_noise_term() -> None:
    assert "hpedu's `bayes` uses `ConstantKernel * Matern(nu=2.5) + WhiteKernel`, with one length-scale per parameter" in entry("matern-kernel")
    assert "(hpedu adds a `WhiteKernel`)" in entry("noisy-objective")
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = _fitted_bayes_gp().kernel_
    assert isinstance(kernel.k1.k1, ConstantKernel) and isinstance(kernel.k2, WhiteKernel)
    assert isinstance(kernel.k1.k2, Matern) and kernel.k1.k2.nu == 2.5
    assert np.shape(kernel.k1.k2.length_scale) == (2,)  # branin has two parameters


def test_parzen_bandwidth_defaults() -> None:
    text = entry("parzen-estimator")
    assert "`gaussian_kde(data)` chooses the bandwidth by Scott's rule, a factor `n^(-1 / (d + 4))`" in text
    (bandwidth,) = claim("parzen-estimator", rf'`KernelDensity\(kernel="gaussian", bandwidth={NUM}\)`; the default bandwidth')
    from scipy.stats import gaussian_kde
    from sklearn.neighbors import KernelDensity

    data = np.random.default_rng(0).normal(size=(2, 50))  # d = 2, n = 50
    assert gaussian_kde(data).factor == pytest.approx(50 ** (-1 / 6))
    assert KernelDensity().bandwidth == float(bandwidth) and KernelDensity().kernel == "gaussian"


def test_parzen_estimate_is_the_average_of_kernels_on_the_points() -> None:
    assert "`p(x) = (1 / n) * sum_i K_h(x - x_i)`" in entry("parzen-estimator")
    from scipy.stats import gaussian_kde, norm

    points = np.array([0.0, 1.0, 3.0])
    kde = gaussian_kde(points)
    h = kde.factor * points.std(ddof=1)
    x = np.linspace(-2, 5, 9)
    np.testing.assert_allclose(kde(x), norm.pdf(x[:, None], loc=points, scale=h).mean(axis=1))


def test_cma_es_default_population_size() -> None:
    (n_params, lam) = claim("cma-es", rf"the default is `lambda = 4 \+ floor\(3 ln n\)` for `n` parameters \({NUM} for {NUM} parameters\)")[::-1]
    assert 4 + int(np.floor(3 * np.log(int(n_params)))) == int(lam)


# --- noise, conditional spaces, importance, several objectives, incumbent -------------------------


@pytest.mark.slow
def test_noisy_objective_tree_scores_over_reshuffled_folds() -> None:
    low, high, shufflings = claim("noisy-objective", rf"5-fold accuracy ranges from {NUM} to {NUM} over {NUM} shufflings of the folds")
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_breast_cancer(return_X_y=True)
    scores = [cross_val_score(DecisionTreeClassifier(max_depth=6, random_state=0), X, y,
                              cv=StratifiedKFold(5, shuffle=True, random_state=r)).mean() for r in range(int(shufflings))]
    assert (round(min(scores), 3), round(max(scores), 3)) == (float(low), float(high))


@pytest.mark.slow
def test_noisy_objective_repeated_cv_defaults_and_frozen_hpedu_folds() -> None:
    splits, repeats = claim("noisy-objective", rf"`RepeatedStratifiedKFold\(n_splits={NUM}, n_repeats={NUM}\)` \(the defaults\)")
    from sklearn.model_selection import RepeatedStratifiedKFold

    X, y = small_data(n=100)
    rskf = RepeatedStratifiedKFold()
    assert rskf.get_n_splits() == int(splits) * int(repeats) and rskf.n_repeats == int(repeats)
    assert "hpedu's model objectives fix their folds (`random_state=0`), so a setting always gets the same score" in entry("noisy-objective")
    from hpedu.tuning.objectives import get_objective

    params = {"max_depth": 6, "min_samples_leaf": 1}
    assert get_objective("tree-depth")(params) == get_objective("tree-depth")(params)


def test_conditional_param_grid_list_of_dicts() -> None:
    a, b, total, product = claim("conditional-search-space", r"# (\d+) \+ (\d+) = (\d+) candidates, instead of (\d+) for a product with gamma for linear too")
    from sklearn.model_selection import ParameterGrid

    branches = [{"kernel": ["linear"], "C": [1, 10]}, {"kernel": ["rbf"], "C": [1, 10], "gamma": [0.01, 0.1]}]
    flat = {"kernel": ["linear", "rbf"], "C": [1, 10], "gamma": [0.01, 0.1]}
    assert [len(ParameterGrid(g)) for g in branches] == [int(a), int(b)]
    assert (len(ParameterGrid(branches)), len(ParameterGrid(flat))) == (int(total), int(product))


def test_conditional_hyperparameters_are_ignored_outside_their_branch() -> None:
    text = entry("conditional-search-space")
    assert '`gamma` not for `kernel="linear"`' in text
    assert 'an MLP\'s `momentum` only for `solver="sgd"`' in text
    from sklearn.svm import SVC

    X, y = small_data()
    linear = [SVC(kernel="linear", gamma=g).fit(X, y).decision_function(X) for g in (0.01, 10.0)]
    np.testing.assert_array_equal(linear[0], linear[1])
    rbf = [SVC(kernel="rbf", gamma=g).fit(X, y).decision_function(X) for g in (0.01, 10.0)]
    assert not np.allclose(rbf[0], rbf[1])
    adam = [_fit_mlp_momentum("adam", m) for m in (0.5, 0.99)]
    sgd = [_fit_mlp_momentum("sgd", m) for m in (0.5, 0.99)]
    assert all(np.array_equal(a, b) for a, b in zip(*adam))
    assert not all(np.array_equal(a, b) for a, b in zip(*sgd))


def _fit_mlp_momentum(solver: str, momentum: float) -> list[np.ndarray]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = small_data()
    mlp = MLPClassifier(hidden_layer_sizes=(5,), solver=solver, momentum=momentum, max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X, y).coefs_


def test_hyperparameter_importance_of_low_effective_dim() -> None:
    (x_share,) = claim("hyperparameter-importance", rf"x alone explains more than {NUM}% of the variance")
    (y_share,) = claim("hyperparameter-importance", rf"y about {NUM}%")
    from hpedu.tuning.objectives import get_objective

    objective = get_objective("low-effective-dim", weight=0.05)
    assert _preset("grid-vs-random")["objective_options"]["weight"] == 0.05
    grid = np.linspace(0.0, 1.0, 101)
    F = np.array([[objective({"x": x, "y": y}) for y in grid] for x in grid])  # F[i, j] = f(x_i, y_j)
    total = F.var()
    assert 100 * F.mean(axis=1).var() / total > float(x_share)  # main effect of x
    assert round(100 * F.mean(axis=0).var() / total, 1) == float(y_share)  # main effect of y


def _pareto_front(points: dict[str, tuple[float, float]]) -> set[str]:
    def dominates(a, b):
        return all(p <= q for p, q in zip(a, b)) and any(p < q for p, q in zip(a, b))

    return {k for k, v in points.items() if not any(dominates(w, v) for w in points.values() if w is not v)}


def test_multi_objective_example_front() -> None:
    found = dict(re.findall(r"([A-D]) \(([0-9.]+, [0-9]+)\)", entry("multi-objective-tuning")))
    points = {k: tuple(float(x) for x in v.split(", ")) for k, v in found.items()}
    assert len(points) == 4
    (front,) = claim("multi-objective-tuning", r"the front is (\w, \w and \w)\.")
    (dominated,) = claim("multi-objective-tuning", r"(\w) is dominated by A")
    assert _pareto_front(points) == set(re.findall(r"\b[A-D]\b", front))
    assert dominated not in _pareto_front(points)


def test_multi_objective_scikit_learn_refit_must_pick_one_metric() -> None:
    assert "`refit` must name the one (or a callable) that picks the final model" in entry("multi-objective-tuning")
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    X, y = small_data()
    scoring = {"accuracy": "accuracy", "f1": "f1"}
    with pytest.raises(ValueError, match="refit"):
        GridSearchCV(SVC(), {"C": [1.0, 10.0]}, scoring=scoring, refit=True, cv=3).fit(X, y)
    search = GridSearchCV(SVC(), {"C": [1.0, 10.0]}, scoring=scoring, refit="f1", cv=3).fit(X, y)
    assert search.best_index_ == int(np.argmax(search.cv_results_["mean_test_f1"]))


def test_incumbent_marks_in_hpedu_simulate() -> None:
    assert "a `*` marks each trial that replaced it" in entry("incumbent")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hpedu", "simulate", "--objective", "multimodal-2d", "--method", "random",
                          "--budget", "25", "--seed", "0"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 25
    best = np.inf
    for row in rows:
        value = float(row[3])
        improved = value < best
        best = min(best, value)
        assert (row[-1] == "*") == improved, row

"""Model objectives: scikit-learn estimators scored by cross-validation."""

from __future__ import annotations

import numpy as np
import pytest

from hpedu.tuning.objectives import OBJECTIVES, get_objective, model_code
from hpedu.tuning.objectives import models
from hpedu.tuning.objectives.models import MIN_ROWS_PER_CLASS, MODEL_SPECS, _stratified_order

#: models trained by cross-validation (a model with a closed form, such as ridge-diabetes, is drawn
#: with its own fn_batch and tested on its own)
MODELS = [n for n, info in OBJECTIVES.items() if info.kind == "model"
          and get_objective(n).fn_batch is None]
SHIPPED = {"load_digits", "load_breast_cancer", "load_wine", "load_iris", "load_diabetes"}
ESTIMATORS = {
    "svc-digits": "SVC",
    "knn-wine": "KNeighborsClassifier",
    "tree-depth": "DecisionTreeClassifier",
    "logreg-c": "LogisticRegression",
    "gbm": "HistGradientBoostingClassifier",
}
# (sensible, terrible) settings; the first should clearly win
CONTRASTS = {
    "svc-digits": ({"C": 10.0, "gamma": 1e-3}, {"C": 0.01, "gamma": 1e-1}),
    "knn-wine": ({"n_neighbors": 25, "weights": "uniform"}, {"n_neighbors": 1, "weights": "uniform"}),
    "tree-depth": ({"max_depth": 4, "min_samples_leaf": 5}, {"max_depth": 1, "min_samples_leaf": 50}),
    "logreg-c": ({"C": 1.0}, {"C": 1e-4}),
    "gbm": ({"learning_rate": 0.1, "max_depth": 3, "max_iter": 100}, {"learning_rate": 1e-3, "max_depth": 1, "max_iter": 10}),
}


def test_the_required_models_are_registered() -> None:
    assert set(ESTIMATORS) <= set(MODELS)
    assert set(MODELS) == set(MODEL_SPECS)


@pytest.mark.parametrize("name", MODELS)
def test_model_objectives_declare_what_they_are(name: str) -> None:
    obj = get_objective(name)
    assert obj.kind == "model" and obj.direction == "maximize" and obj.score_name == "accuracy"
    assert obj.optimum is None and obj.regret(0.9) is None
    assert obj.supports_resource and OBJECTIVES[name].supports_resource
    assert obj.dataset in SHIPPED
    spec = MODEL_SPECS[name]
    assert ESTIMATORS[name] in obj.estimator_code
    for param in obj.space:
        assert f"{param}={param}" in obj.estimator_code
    # the description says the estimator, the dataset, the folds and the score
    text = obj.description
    dataset_words = obj.dataset.removeprefix("load_").replace("_", " ")
    assert ESTIMATORS[name] in text and dataset_words in text
    assert f"{spec.n_folds}-fold" in text and "accuracy" in text


@pytest.mark.parametrize("name", MODELS)
def test_bad_parameters_and_resources_are_refused_before_training(name: str) -> None:
    obj = get_objective(name)
    good = CONTRASTS[name][0]
    param = next(iter(obj.space))
    with pytest.raises(ValueError, match=param):
        obj({k: v for k, v in good.items() if k != param})
    for bad in (0.0, -0.5, 1.5, "half"):
        with pytest.raises(ValueError, match="resource"):
            obj(good, resource=bad)


def test_stratified_order_gives_nested_stratified_prefixes() -> None:
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    order = _stratified_order(y, np.random.default_rng(0))
    assert sorted(order) == list(range(len(y)))
    for k in range(1, len(y) + 1):
        counts = np.bincount(y[order[:k]], minlength=3)
        assert np.all(np.abs(counts - k * np.array([0.6, 0.3, 0.1])) <= 1.0)
    again = _stratified_order(y, np.random.default_rng(0))
    np.testing.assert_array_equal(order, again)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_scores_are_accuracies_and_deterministic(name: str) -> None:
    obj = get_objective(name)
    params = obj.space.sample(np.random.default_rng(7))
    value = obj(params)
    assert 0.0 <= value <= 1.0
    assert obj(params) == value
    for cache in (models._DATA, models._FOLDS, models._CODE):  # nothing hidden in the caches
        cache.pop(name, None)
    assert get_objective(name)(params) == value


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_a_partial_resource_trains_on_fewer_rows(name: str) -> None:
    obj = get_objective(name)
    good = CONTRASTS[name][0]
    partial = obj(good, resource=0.3)
    assert 0.0 <= partial <= 1.0
    assert obj(good, resource=0.3) == partial
    assert obj(good, resource=1.0) == obj(good)
    tiny = obj(good, resource=0.01)  # below the floor of MIN_ROWS_PER_CLASS rows per class: still trains
    assert 0.0 <= tiny <= 1.0


@pytest.mark.slow
def test_svc_score_grows_with_the_resource() -> None:
    obj = get_objective("svc-digits")
    good = CONTRASTS["svc-digits"][0]
    scores = [obj(good, resource=r) for r in (1 / 9, 1 / 3, 1.0)]
    assert scores[0] < scores[1] < scores[2]


@pytest.mark.slow
def test_knn_caps_k_at_the_rows_left_by_a_small_resource() -> None:
    obj = get_objective("knn-wine")
    rows = MIN_ROWS_PER_CLASS * 3
    assert obj({"n_neighbors": 50, "weights": "uniform"}, resource=0.01) == obj(
        {"n_neighbors": rows, "weights": "uniform"}, resource=0.01
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_a_sensible_setting_beats_a_terrible_one(name: str) -> None:
    obj = get_objective(name)
    sensible, terrible = CONTRASTS[name]
    assert obj(sensible) > obj(terrible) + 0.02
    if name in ("svc-digits", "logreg-c", "gbm"):
        assert obj(sensible) > obj(terrible) + 0.2


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_the_shown_code_computes_the_same_score(name: str, capsys) -> None:
    obj = get_objective(name)
    params = CONTRASTS[name][0]
    params = {k: (np.float64(v) if isinstance(v, float) else v) for k, v in params.items()}  # numpy scalars too
    source = model_code(name, params)
    assert obj.dataset in source and obj.estimator_code in source
    namespace: dict = {}
    exec(compile(source, f"<{name} script>", "exec"), namespace)
    assert namespace["scores"].mean() == obj(params)
    assert capsys.readouterr().out.strip() == f"accuracy: {obj(params):.4f}"


def test_model_code_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="svc-digits"):
        model_code("branin", {"x1": 0.0, "x2": 0.0})
    with pytest.raises(ValueError, match="gamma"):
        model_code("svc-digits", {"C": 1.0, "gamma": 5.0})


@pytest.mark.slow
def test_preload_fills_the_caches() -> None:
    for cache in (models._DATA, models._FOLDS, models._CODE):
        cache.pop("logreg-c", None)
    models.preload("logreg-c")
    assert "logreg-c" in models._DATA and "logreg-c" in models._FOLDS and "logreg-c" in models._CODE
    with pytest.raises(ValueError, match="logreg-c"):
        models.preload("branin")

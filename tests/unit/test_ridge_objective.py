"""ridge-diabetes: the closed form against scikit-learn, the exact gradient against finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hpedu.tuning.objectives import OBJECTIVES, get_objective
from hpedu.tuning.objectives.ridge import TRAIN_FRACTION, ridge_data, validation_mse_and_slope

ALPHAS = [1e-4, 3e-3, 0.1, 1.0, 7.0, 300.0, 1e4]


def _sklearn_mse(split: int, alpha: float) -> float:
    """The same model written with scikit-learn alone, from the rule the module documents:
    a permutation from default_rng(split), the first half trains; degree-2 features; a
    scaler fitted on the train half; ridge with an intercept."""
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    X, y = load_diabetes(return_X_y=True)
    order = np.random.default_rng(split).permutation(len(y))
    n = int(round(TRAIN_FRACTION * len(y)))
    tr, va = order[:n], order[n:]
    model = make_pipeline(PolynomialFeatures(2, include_bias=False), StandardScaler(), Ridge(alpha=alpha))
    model.fit(X[tr], y[tr])
    return float(np.mean((model.predict(X[va]) - y[va]) ** 2))


def test_registered_with_a_gradient_and_no_resource() -> None:
    info = OBJECTIVES["ridge-diabetes"]
    obj = get_objective("ridge-diabetes")
    assert info.kind == obj.kind == "model" and not obj.supports_resource and not info.supports_resource
    assert obj.direction == "minimize" and obj.score_name == "mse" and obj.dataset == "load_diabetes"
    assert obj.gradient is not None and obj.fn_batch is not None
    dim = obj.space["alpha"]
    assert (dim.low, dim.high, dim.log) == (1e-4, 1e4, True)
    assert obj.options == {"split": 0}


@pytest.mark.parametrize("split", [0, 7])
@pytest.mark.parametrize("alpha", [1e-3, 1.0, 80.0, 1e4])
def test_validation_mse_is_scikit_learns_ridge(split: int, alpha: float) -> None:
    obj = get_objective("ridge-diabetes", split=split)
    assert obj({"alpha": alpha}) == pytest.approx(_sklearn_mse(split, alpha), rel=1e-9)


def test_the_scaler_sees_the_train_half_only() -> None:
    data = ridge_data(0)
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X_train.std(axis=0), 1.0, atol=1e-12)
    assert np.max(np.abs(data.X_val.mean(axis=0))) > 1e-3  # validation rows were not used to centre
    assert data.X_train.shape == (221, 65) and data.X_val.shape == (221, 65)


@pytest.mark.parametrize("split", [0, 3, 9])
def test_gradient_matches_central_finite_differences(split: int) -> None:
    obj = get_objective("ridge-diabetes", split=split)
    h = 1e-4  # in log10 alpha
    for alpha in ALPHAS:
        z = math.log10(alpha)
        numeric = (obj({"alpha": 10 ** (z + h)}) - obj({"alpha": 10 ** (z - h)})) / (2 * h)
        exact = obj.gradient({"alpha": alpha})["alpha"]
        assert abs(exact - numeric) <= 1e-5 * abs(numeric), (alpha, exact, numeric)
        assert validation_mse_and_slope(ridge_data(split), alpha) == (obj({"alpha": alpha}), exact)


def test_fn_batch_is_fn() -> None:
    obj = get_objective("ridge-diabetes", split=2)
    alphas = np.array(ALPHAS)
    batch = obj.fn_batch(alphas[:, None])
    assert batch.tolist() == [obj({"alpha": a}) for a in alphas]
    with pytest.raises(ValueError, match=r"\(n, 1\)"):
        obj.fn_batch(alphas)


def test_splits_differ_and_repeat() -> None:
    a = get_objective("ridge-diabetes", split=1)({"alpha": 10.0})
    assert get_objective("ridge-diabetes", split=1)({"alpha": 10.0}) == a
    assert get_objective("ridge-diabetes", split=2)({"alpha": 10.0}) != a
    assert get_objective("ridge-diabetes", split="1")({"alpha": 10.0}) == a  # from the command line


@pytest.mark.parametrize("bad", [-1, 1.5, "two", 2**31])
def test_bad_split_is_refused_naming_it(bad) -> None:
    with pytest.raises(ValueError, match="'split'"):
        get_objective("ridge-diabetes", split=bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf, "x"])
def test_bad_alpha_is_refused_naming_it(bad) -> None:
    with pytest.raises(ValueError, match="alpha"):
        validation_mse_and_slope(ridge_data(0), bad)


def test_every_method_runs_on_it_or_is_refused_saying_why() -> None:
    """Methods that need a partial training resource are refused before a trial (ridge has none);
    every other method, hypergradient included, runs and stays in the range."""
    from hpedu.tuning.registry import METHODS, get_method
    from hpedu.tuning.runner import simulate

    obj = get_objective("ridge-diabetes")
    for name in METHODS:
        if get_method(name).uses_resource:
            with pytest.raises(ValueError, match="needs an objective that accepts one"):
                simulate("ridge-diabetes", name, 6, 0)
            continue
        trace = simulate("ridge-diabetes", name, 6, 0)
        assert 1 <= len(trace.trials) <= 6
        for t in trace.trials:
            assert obj.space.contains(t.params) and t.value == obj(t.params)

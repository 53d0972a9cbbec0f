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

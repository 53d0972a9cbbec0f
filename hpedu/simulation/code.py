"""The code the simulator shows (`c`): it reproduces the run on screen exactly.

`python_code` uses hpedu's Python API with the seed the run really used (under
a class code, the derived seed, with a comment naming the code) and the live
option changes at the trial where they were made. `sklearn_code` writes the
same search with scikit-learn's own classes where one exists.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..arithmetic import CODE_PREAMBLE
from ..tuning.trace import plain
from .settings import SimSettings

__all__ = ["python_code", "sklearn_code"]


def _py(value: Any) -> str:
    return repr(plain(value))


def _kwargs(options: Mapping[str, Any]) -> str:
    return "".join(f", {k}={_py(v)}" for k, v in options.items())


def python_code(settings: SimSettings, changes: list[tuple[int, dict[str, Any]]] | None = None) -> str:
    """A few lines that reproduce the run with hpedu's Python API (live
    option changes included, at the trial where they were made)."""
    changes = list(changes or [])
    opts = dict(settings.options)
    while changes and changes[0][0] == 0:  # changed before the first trial: just the starting options
        opts.update(changes.pop(0)[1])
    obj_args = _kwargs(settings.objective_options)
    lines = [*CODE_PREAMBLE.splitlines(), "from hpedu.tuning import get_objective, minimize, prepare", ""]
    lines.append(f"objective = get_objective({settings.objective!r}{obj_args})")
    seed = settings.run_seed
    call = f"method={settings.method!r}, budget={settings.budget}, seed={seed}{_kwargs(opts)}"
    if settings.class_code:
        lines.append(f"# seed {seed}: seed {settings.seed} under class code {settings.class_code!r}")
    if not changes:
        lines.append(f"trace = minimize(objective, {call})")
    else:
        table = "{" + ", ".join(f"{n}: {{{', '.join(f'{k!r}: {_py(v)}' for k, v in o.items())}}}"
                                for n, o in changes) + "}"
        lines += [
            f"run = prepare(objective, {call})",
            f"changes = {table}  # after this many trials, as changed in the simulator",
            "for trial in run.steps():",
            "    if trial.index + 1 in changes:",
            "        run.strategy.set_options(**changes[trial.index + 1])",
            "trace = run.trace",
        ]
    lines += [
        "",
        "for number, t in enumerate(trace.trials, start=1):",
        "    print(number, t.params, t.value)",
        "print('best:', trace.best.params, trace.best.value)",
    ]
    return "\n".join(lines) + "\n"


def sklearn_code(settings: SimSettings) -> str | None:
    """The same search with scikit-learn's GridSearchCV / RandomizedSearchCV
    for grid and random search on a model objective; None otherwise."""
    if settings.method not in ("grid", "random"):
        return None
    from ..tuning.objectives.models import MODEL_SPECS
    from ..tuning.space import Categorical, Integer, Real

    spec = MODEL_SPECS.get(settings.objective)
    if spec is None:
        return None
    space = _model_space(spec)
    names = list(space)
    keys = {n: _param_key(spec.estimator_code, n) for n in names}
    imports: dict[str, set[str]] = {"sklearn.datasets": {spec.dataset}, "sklearn.model_selection": {"StratifiedKFold"}}
    if spec.subsample:
        imports["sklearn.model_selection"].add("train_test_split")
    for module, item in spec.imports:
        imports.setdefault(module, set()).add(item)
    body: list[str] = []
    if settings.method == "grid":
        from ..tuning.grid import grid_axes

        imports["sklearn.model_selection"].add("GridSearchCV")
        axes = grid_axes(space, settings.budget)
        start = {n: axes[n][0] for n in names}
        grid = ",\n    ".join(f"{keys[n]!r}: {[plain(v) for v in axes[n]]!r}" for n in names)
        body += [f"param_grid = {{\n    {grid},\n}}",
                 f'search = GridSearchCV(model, param_grid, cv=cv, scoring="{spec.score_name}")']
    else:
        imports["sklearn.model_selection"].add("RandomizedSearchCV")
        dists = []
        start = {}
        for n in names:
            dim = space[n]
            start[n] = plain(dim.from_unit(0.5))
            if isinstance(dim, Categorical):
                dists.append(f"{keys[n]!r}: {list(dim.choices)!r}")
            elif isinstance(dim, Integer):
                imports.setdefault("scipy.stats", set()).add("randint")
                note = "  # hpedu draws this one on a log scale" if dim.log else ""
                dists.append(f"{keys[n]!r}: randint({dim.low}, {dim.high + 1}),{note}")
                continue
            elif isinstance(dim, Real) and dim.log:
                imports.setdefault("scipy.stats", set()).add("loguniform")
                dists.append(f"{keys[n]!r}: loguniform({dim.low!r}, {dim.high!r})")
            else:
                imports.setdefault("scipy.stats", set()).add("uniform")
                dists.append(f"{keys[n]!r}: uniform({dim.low!r}, {dim.high - dim.low!r})")
            dists[-1] += ","
        text = "\n    ".join(dists)
        body += [f"distributions = {{\n    {text}\n}}",
                 "# scikit-learn draws its own random points: the same distributions, not the same points",
                 f"search = RandomizedSearchCV(model, distributions, n_iter={settings.budget}, cv=cv,",
                 f'                            scoring="{spec.score_name}", random_state={settings.run_seed})']
    lines = [f"from {m} import {', '.join(sorted(items))}" for m, items in sorted(imports.items())]
    lines += ["", f"X, y = {spec.dataset}(return_X_y=True)"]
    if spec.subsample:
        lines.append(f"X, _, y, _ = train_test_split(X, y, train_size={spec.subsample}, stratify=y, random_state=0)")
    lines += [f"{n} = {_py(start[n])}  # a starting value; the search replaces it" for n in names]
    lines += [
        f"model = {spec.estimator_code}",
        f"cv = StratifiedKFold(n_splits={spec.n_folds}, shuffle=True, random_state=0)  # the folds hpedu uses",
        *body,
        "search.fit(X, y)",
        "print(search.best_params_, search.best_score_)",
    ]
    return "\n".join(lines) + "\n"


def _model_space(spec: Any) -> Any:
    from ..tuning.space import Space

    return Space(spec.space)


def _param_key(code: str, name: str) -> str:
    """The `set_params` name of `name` in `code`: `step__name` inside make_pipeline."""
    import re

    if not code.startswith("make_pipeline("):
        return name
    for m in re.finditer(r"(\w+)\(", code):
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        inner = code[m.end():j]
        if m.group(1) != "make_pipeline" and re.search(rf"\b{re.escape(name)}\s*=", inner):
            return f"{m.group(1).lower()}__{name}"
    return name

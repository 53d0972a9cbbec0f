"""Landscapes shipped with the package: what the app draws for every bundled
model, read without training when the key (scikit-learn version, grid, spec)
matches, trained as before when it does not."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hpedu.content import load_content
from hpedu.tuning import landscape as landscape_mod
from hpedu.tuning.landscape import SHIPPED_DIR, default_axes, evaluate_landscape, shipped_landscape
from hpedu.tuning.objectives import OBJECTIVES, get_objective
from hpedu.tuning.objectives import models as models_mod
from hpedu.tuning.space import Integer

REPO = Path(__file__).resolve().parents[2]
#: models trained by cross-validation (a model with a closed form, such as ridge-diabetes, is drawn
#: with its own fn_batch and tested on its own)
MODELS = [name for name, info in OBJECTIVES.items() if info.kind == "model"
          and get_objective(name).fn_batch is None]
REBUILD = "run: python -m hpedu.tuning.landscape_build"


def _installed_sklearn() -> str:
    import sklearn

    return sklearn.__version__


def _shipped(name: str):
    obj = get_objective(name)
    land = shipped_landscape(obj, *default_axes(obj))
    assert land is not None, f"no shipped landscape of {name} for scikit-learn {_installed_sklearn()}; {REBUILD}"
    return obj, land


def _params(obj, land, i: int, j: int | None) -> dict:
    """The parameters of grid cell (i, j), from the landscape's axes."""

    def value(name: str, coords: np.ndarray, choices, k: int):
        if choices is not None:
            return choices[int(coords[k])]
        return int(coords[k]) if isinstance(obj.space[name], Integer) else float(coords[k])

    p = dict(land.fixed)
    p[land.x_name] = value(land.x_name, land.x, land.x_choices, i)
    if j is not None:
        p[land.y_name] = value(land.y_name, land.y, land.y_choices, j)
    return p


def test_every_bundled_model_and_model_preset_has_a_shipped_landscape() -> None:
    """Both the objectives' defaults and every bundled preset that trains a model
    (what the first Try it opens) draw from a shipped file."""
    assert set(MODELS) == {"svc-digits", "knn-wine", "tree-depth", "logreg-c", "gbm"}
    for name in MODELS:
        _shipped(name)
    content = load_content(REPO / "content")
    model_presets = [p for p in content.presets.values() if p.objective in MODELS]
    assert {p.objective for p in model_presets} == set(MODELS)
    for preset in model_presets:
        obj = get_objective(preset.objective, **preset.objective_options)
        assert shipped_landscape(obj, *default_axes(obj)) is not None, preset.id


def test_shipped_grids_are_the_drawn_grids() -> None:
    """The grids are the app's: the first two parameters over their whole
    range, 12 points per axis (24 for one), the others at their centre."""
    _, svc = _shipped("svc-digits")
    assert svc.x_name == "C" and svc.y_name == "gamma" and svc.z.shape == (12, 12)
    assert svc.x[0] == pytest.approx(1e-2) and svc.x[-1] == pytest.approx(1e3)
    assert svc.y[0] == pytest.approx(1e-5) and svc.y[-1] == pytest.approx(1e-1)
    _, logreg = _shipped("logreg-c")
    assert logreg.z.shape == (24,) and logreg.y_name is None
    _, gbm = _shipped("gbm")
    assert (gbm.x_name, gbm.y_name) == ("learning_rate", "max_depth")
    assert list(gbm.y) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert gbm.fixed == {"max_iter": 38}  # 10 * 15 ** 0.5 = 38.7 on the log scale, rounded down
    _, knn = _shipped("knn-wine")
    assert knn.y_choices == ("uniform", "distance") and knn.z.shape == (2, 12)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_shipped_values_are_what_the_installed_scikit_learn_computes(name: str) -> None:
    """Retrain a few cells of each shipped landscape (both corners, the best and
    the worst cell) with plain `cross_validate` and compare EXACTLY: a score is
    the mean over the folds of (correct predictions / test rows), computed by
    the same code in the same order, so the same predictions give the same
    bits; any difference means some prediction changed, which is not rounding."""
    obj, land = _shipped(name)
    z = land.z if land.is_2d else land.z[None, :]
    cells = {(0, 0), (z.shape[0] - 1, z.shape[1] - 1),
             np.unravel_index(int(np.argmax(z)), z.shape), np.unravel_index(int(np.argmin(z)), z.shape)}
    for j, i in sorted((int(a), int(b)) for a, b in cells):
        params = _params(obj, land, i, j if land.is_2d else None)
        assert models_mod.cross_validate(name, params) == z[j, i], (name, params)


def test_loading_a_shipped_landscape_trains_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_training(*args, **kwargs):
        raise AssertionError("a shipped landscape must not train a model")

    monkeypatch.setattr(models_mod, "cross_validate", no_training)
    seen: list[tuple[int, int]] = []
    land = evaluate_landscape(get_objective("svc-digits"), "C", "gamma", directory=tmp_path,
                              progress=lambda d, t: seen.append((d, t)))
    assert land.shipped and not land.from_cache
    (path,) = SHIPPED_DIR.glob(f"svc-digits-sklearn{_installed_sklearn()}-*.npz")
    with np.load(path) as data:
        assert np.array_equal(land.z, data["z"])
    assert seen == [(144, 144)]
    assert not list(tmp_path.iterdir())  # nothing written to the user's cache


def test_loading_a_shipped_landscape_does_not_import_scikit_learn() -> None:
    """The first Try it draws at once: no second spent importing scikit-learn."""
    code = ("import sys; from hpedu.tuning.objectives import get_objective; "
            "from hpedu.tuning.landscape import shipped_landscape; "
            "assert shipped_landscape(get_objective('svc-digits'), 'C', 'gamma') is not None; "
            "print(sorted(m for m in sys.modules if m == 'sklearn' or m.startswith('sklearn.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _counting_svc(calls: list[dict]):
    """svc-digits with a stand-in for training (same name, spec and space)."""

    def fake(params: dict, resource: float = 1.0) -> float:
        calls.append(dict(params))
        return 0.5

    return dataclasses.replace(get_objective("svc-digits"), fn=fake)


def test_another_scikit_learn_version_trains_with_progress(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_svc(calls)
    assert evaluate_landscape(obj, "C", "gamma", directory=tmp_path).shipped and not calls  # the real key matches
    monkeypatch.setattr(landscape_mod, "sklearn_version", lambda: "0.0.1")
    seen: list[tuple[int, int]] = []
    land = evaluate_landscape(obj, "C", "gamma", directory=tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert not land.shipped and len(calls) == 144 and np.all(land.z == 0.5)
    assert seen == [(d, 144) for d in range(145)]
    assert shipped_landscape(obj, "C", "gamma") is None


def test_another_grid_or_slice_or_spec_trains(tmp_path: Path) -> None:
    calls: list[dict] = []
    obj = _counting_svc(calls)
    assert not evaluate_landscape(obj, "C", "gamma", size=3, directory=tmp_path).shipped
    assert len(calls) == 9
    assert not evaluate_landscape(obj, "gamma", "C", size=3, directory=tmp_path / "b").shipped  # axes swapped
    other_spec = dataclasses.replace(obj, estimator_code="SVC(C=C, gamma=gamma, kernel='poly')")
    assert shipped_landscape(other_spec, "C", "gamma") is None
    gbm = get_objective("gbm")
    assert shipped_landscape(gbm, "learning_rate", "max_depth", fixed={"max_iter": 150}) is None


def test_a_tampered_or_foreign_file_is_not_trusted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A file is used only when the key stored inside equals the key asked for."""
    monkeypatch.setattr(landscape_mod, "SHIPPED_DIR", tmp_path)
    (source,) = SHIPPED_DIR.glob(f"svc-digits-sklearn{_installed_sklearn()}-*.npz")
    target = tmp_path / source.name
    obj = get_objective("svc-digits")
    with np.load(source) as data:
        key, z = str(data["key"]), np.array(data["z"])
    shutil.copy(source, target)
    assert shipped_landscape(obj, "C", "gamma") is not None
    changed = json.loads(key)
    changed["spec"] = "another spec"
    np.savez_compressed(target, key=np.array(json.dumps(changed, sort_keys=True)), z=z)
    assert shipped_landscape(obj, "C", "gamma") is None
    np.savez_compressed(target, key=np.array(key), z=z[:6])  # the right key, the wrong shape
    assert shipped_landscape(obj, "C", "gamma") is None
    target.write_bytes(b"not an npz file")
    assert shipped_landscape(obj, "C", "gamma") is None


def test_shipped_files_are_small_and_readable() -> None:
    files = sorted(SHIPPED_DIR.glob("*.npz"))
    assert len(files) >= len(MODELS)
    assert sum(f.stat().st_size for f in files) < 100_000
    assert all(f.stat().st_mode & 0o444 == 0o444 for f in files)  # an installed copy is readable by everyone


def test_training_label_names_the_model_and_the_folds() -> None:
    from hpedu.tuning.landscape import training_label

    assert training_label(get_objective("svc-digits"), 144) == "training 144 SVCs (3-fold CV each)"
    assert training_label(get_objective("knn-wine"), 24) == "training 24 KNeighborsClassifiers (5-fold CV each)"
    assert training_label(get_objective("branin"), 9) == "evaluating branin at 9 grid points"


def test_the_build_writes_what_the_lookup_reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`python -m hpedu.tuning.landscape_build` (here with a stand-in for
    training) writes a readable file under the key the app looks up; --prune
    drops this version's stale file of the same objective, never another version's."""
    from hpedu.tuning.landscape_build import main

    monkeypatch.setattr(models_mod, "cross_validate", lambda name, params, resource=1.0: params["n_neighbors"] / 100)
    monkeypatch.setattr(landscape_mod, "SHIPPED_DIR", tmp_path)
    stale = tmp_path / f"knn-wine-sklearn{_installed_sklearn()}-000000000000.npz"
    other = tmp_path / "knn-wine-sklearn0.0.1-000000000000.npz"
    stale.write_bytes(b"old")
    other.write_bytes(b"other version")
    assert main(["knn-wine", "--directory", str(tmp_path), "--prune"]) == 0
    (written,) = tmp_path.glob(f"knn-wine-sklearn{_installed_sklearn()}-*.npz")
    assert written.stat().st_mode & 0o777 == 0o644 and not stale.exists() and other.exists()
    land = shipped_landscape(get_objective("knn-wine"), "n_neighbors", "weights")
    assert land is not None and land.shipped
    assert np.array_equal(land.z[0], land.x / 100) and np.array_equal(land.z[1], land.x / 100)


def test_the_build_refuses_an_unknown_objective(capsys: pytest.CaptureFixture[str]) -> None:
    from hpedu.tuning.landscape_build import main

    with pytest.raises(SystemExit) as exc:
        main(["branin"])
    assert exc.value.code == 2
    assert "not a bundled model objective: branin; choose from: svc-digits, knn-wine" in capsys.readouterr().err

"""The landscape of an objective: its values on a grid over one or two parameters.

What the simulator draws under the sampled points. Synthetic objectives are
evaluated at once with their vectorised `fn_batch`; real models are trained at
every grid point (a coarse grid, 12 x 12 by default), one point at a time so a
caller can show progress and cancel, and the result is cached on disk.

Parameters that are not on an axis are held fixed (`fixed`; by default at the
centre of their range), so a 3-D or 6-D objective is shown as a 2-D slice.
A categorical axis uses the choice's index (0, 1, ...) as its coordinate.

Landscapes of the bundled models come with the package (`_landscapes/`,
written by `python -m hpedu.tuning.landscape_build`): one small compressed
`.npz` per model, keyed by everything its values depend on (objective and
options, axes, grid size, fixed values, the model's spec and the
scikit-learn version). When the key matches, the landscape is read from
there and nothing is trained; with another scikit-learn version (or another
grid) it is trained as below. The disk cache covers everything else.

The cache lives in `$HPEDU_CACHE_DIR/landscapes` or, without that variable,
in the user cache folder (platformdirs). One `.npz` file per objective,
options, axes, grid size, fixed values and hpedu version; it is written to a
temporary file and renamed, so a crash never leaves half a file. A file that
cannot be read or does not match its key is moved aside (`.corrupt`) and the
landscape is computed again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from .space import Categorical, Dimension, Space
from .trace import plain

if TYPE_CHECKING:
    from .objectives.base import Objective

__all__ = ["Landscape", "LandscapeCancelled", "axis_values", "cache_dir", "evaluate_landscape", "default_size",
           "default_axes", "empty_landscape", "shipped_landscape", "shipped_path", "training_label", "SHIPPED_DIR"]

#: Grid points per axis: synthetic functions (cheap) and trained models (coarse).
SYNTHETIC_SIZE = {1: 240, 2: 64}
MODEL_SIZE = {1: 24, 2: 12}
#: Where the landscapes of the bundled models are shipped (see the module docstring).
SHIPPED_DIR = Path(__file__).with_name("_landscapes")


class LandscapeCancelled(Exception):
    """Raised by `evaluate_landscape` when `cancelled()` turned true."""


@dataclass
class Landscape:
    """Objective values on a grid: `z[j, i]` is the value at (`x[i]`, `y[j]`);
    for one axis `y` is None and `z` has the shape of `x`."""

    objective: str
    x_name: str
    x: np.ndarray
    z: np.ndarray
    y_name: str | None = None
    y: np.ndarray | None = None
    log_x: bool = False
    log_y: bool = False
    x_choices: tuple[Any, ...] | None = None  # categorical axis: the labels of 0, 1, ...
    y_choices: tuple[Any, ...] | None = None
    fixed: dict[str, Any] = field(default_factory=dict)
    direction: str = "minimize"
    score_name: str = "value"
    from_cache: bool = False  # read from the user's disk cache
    shipped: bool = False  # read from the landscapes shipped with the package

    @property
    def is_2d(self) -> bool:
        return self.y_name is not None

    @property
    def best_value(self) -> float:
        z = self.z[np.isfinite(self.z)]
        if not z.size:
            return math.nan
        return float(z.min() if self.direction == "minimize" else z.max())


def default_size(objective: "Objective", n_axes: int) -> int:
    """Grid points per axis: fine for synthetic functions, coarse for models."""
    table = SYNTHETIC_SIZE if objective.fn_batch is not None else MODEL_SIZE
    return table[1 if n_axes == 1 else 2]


def axis_values(dim: Dimension, n: int) -> tuple[list[Any], np.ndarray]:
    """The parameter values along one axis (at most `n`, evenly spaced in the
    dimension's own scale; every choice of a categorical) and their plot
    coordinates (the values themselves, or choice indices)."""
    if isinstance(dim, Categorical):
        values = list(dim.choices)
        return values, np.arange(len(values), dtype=float)
    values = list(dict.fromkeys(plain(v) for v in dim.grid(n)))  # integers may repeat
    return values, np.array(values, dtype=float)


def cache_dir() -> Path:
    """Where landscapes are cached (created on first write)."""
    from .._dirs import cache_root

    return cache_root() / "landscapes"


def _version() -> str:
    from .. import __version__

    return __version__


def _fixed_values(space: Space, axes: list[str], fixed: Mapping[str, Any] | None) -> dict[str, Any]:
    out = {}
    for name, dim in space.items():
        if name in axes:
            continue
        if fixed is not None and name in fixed:
            out[name] = plain(fixed[name])
        else:
            out[name] = plain(dim.from_unit(0.5))
    return out


def default_axes(objective: "Objective") -> tuple[str, str | None]:
    """The parameters the app draws: the first two (or the only one)."""
    names = objective.space.names
    return (names[0], names[1]) if len(names) >= 2 else (names[0], None)


@dataclass
class _Plan:
    """What a landscape evaluation computes: the empty landscape, its points and its key parts."""

    land: Landscape
    points: list[dict[str, Any]]
    shape: tuple[int, ...]
    axes: list[str]
    size: int
    rest: dict[str, Any]


def _plan(objective: "Objective", x_name: str, y_name: str | None, size: int | None,
          fixed: Mapping[str, Any] | None) -> _Plan:
    space = objective.space
    axes = [x_name] if y_name is None else [x_name, y_name]
    for name in axes:
        if name not in space:
            raise ValueError(f"landscape: {name!r} is not a parameter of {objective.name!r}; parameters: {space.names}")
    if y_name is not None and y_name == x_name:
        raise ValueError("landscape: the two axes must be different parameters")
    n = int(size or default_size(objective, len(axes)))
    if n < 2:
        raise ValueError(f"landscape: size must be at least 2, got {n}")
    rest = _fixed_values(space, axes, fixed)
    xv, xc = axis_values(space[x_name], n)
    if y_name is not None:
        yv, yc = axis_values(space[y_name], n)
    else:
        yv, yc = [None], None
    x_dim, y_dim = space[x_name], space[y_name] if y_name else None
    shape = (len(yv), len(xv)) if y_name else (len(xv),)
    land = Landscape(
        objective=objective.name, x_name=x_name, x=xc, z=np.full(shape, np.nan), y_name=y_name, y=yc,
        log_x=bool(getattr(x_dim, "log", False)), log_y=bool(getattr(y_dim, "log", False)),
        x_choices=tuple(x_dim.choices) if isinstance(x_dim, Categorical) else None,
        y_choices=tuple(y_dim.choices) if isinstance(y_dim, Categorical) else None,
        fixed=rest, direction=objective.direction, score_name=objective.score_name,
    )
    points = [{**rest, x_name: a, **({y_name: b} if y_name else {})} for b in yv for a in xv]
    return _Plan(land, points, shape, axes, n, rest)


def empty_landscape(objective: "Objective", x_name: str, y_name: str | None = None, *, size: int | None = None,
                    fixed: Mapping[str, Any] | None = None) -> Landscape:
    """The landscape's grid and axes with every value NaN (nothing evaluated):
    what to draw while a model's landscape is being trained."""
    return _plan(objective, x_name, y_name, size, fixed).land


def evaluate_landscape(
    objective: "Objective",
    x_name: str,
    y_name: str | None = None,
    *,
    size: int | None = None,
    fixed: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    cache: bool | None = None,
    directory: Path | None = None,
    shipped: bool = True,
) -> Landscape:
    """Evaluate `objective` on a grid over `x_name` (and `y_name`).

    `size` is the number of points per axis (`default_size` when None).
    A bundled model whose shipped landscape matches (see `shipped_landscape`;
    `shipped=False` skips it) is read at once. Otherwise a model is trained
    point by point: `progress(done, total)` is called once before the first
    point (0 done) and after each, and `cancelled()` is checked before each;
    when it returns True, `LandscapeCancelled` is raised. `cache` defaults to
    True for objectives without `fn_batch` (trained models); `directory`
    overrides `cache_dir()`.
    """
    plan = _plan(objective, x_name, y_name, size, fixed)
    land, points, shape = plan.land, plan.points, plan.shape
    x_dim, y_dim = objective.space[x_name], objective.space[y_name] if y_name else None

    if objective.fn_batch is not None and not isinstance(x_dim, Categorical) and not isinstance(y_dim, Categorical):
        names = objective.space.names
        X = np.array([[float(p[name]) for name in names] for p in points], dtype=float)
        land.z = np.asarray(objective.fn_batch(X), dtype=float).reshape(shape)
        if progress is not None:
            progress(len(points), len(points))
        return land

    if shipped:
        z = _read_shipped(objective, plan)
        if z is not None:
            land.z, land.shipped = z, True
            if progress is not None:
                progress(len(points), len(points))
            return land

    use_cache = objective.fn_batch is None if cache is None else cache
    folder = directory if directory is not None else cache_dir()
    key = json.dumps({
        "objective": objective.name, "options": {k: plain(v) for k, v in objective.options.items()},
        "axes": plan.axes, "size": plan.size, "fixed": plan.rest, "version": _version(),
    }, sort_keys=True, default=repr)
    path = folder / f"{objective.name}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.npz"
    if use_cache:
        z = _read_cache(path, key, shape)
        if z is not None:
            land.z, land.from_cache = z, True
            if progress is not None:
                progress(len(points), len(points))
            return land

    z = np.empty(len(points))
    if progress is not None:
        progress(0, len(points))
    for i, p in enumerate(points):
        if cancelled is not None and cancelled():
            raise LandscapeCancelled(f"stopped after {i} of {len(points)} points")
        z[i] = float(objective(p))
        if progress is not None:
            progress(i + 1, len(points))
    land.z = z.reshape(shape)
    if use_cache:
        _write_cache(path, key, land.z)
    return land


# ----- landscapes shipped with the package ------------------------------------------
@functools.lru_cache(maxsize=1)
def sklearn_version() -> str | None:
    """The installed scikit-learn's version, read from its metadata (scikit-learn
    itself is not imported: that takes about a second)."""
    from importlib import metadata

    try:
        return metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        return None


def _model_spec(objective: "Objective") -> Any:
    """The `ModelSpec` a bundled model objective was built from, or None for
    anything else (a synthetic function, a model of one's own)."""
    if objective.kind != "model" or objective.fn_batch is not None:
        return None
    from .objectives.models import MODEL_SPECS

    spec = MODEL_SPECS.get(objective.name)
    if spec is None or (objective.estimator_code, objective.dataset) != (spec.estimator_code, spec.dataset):
        return None
    return spec


def shipped_key(objective: "Objective", plan: _Plan) -> str | None:
    """The key of a shipped landscape: everything its values depend on. None
    when the objective is not a bundled model or scikit-learn is missing."""
    spec, version = _model_spec(objective), sklearn_version()
    if spec is None or version is None:
        return None
    return json.dumps({
        "objective": objective.name, "options": {k: plain(v) for k, v in objective.options.items()},
        "axes": plan.axes, "size": plan.size, "fixed": plan.rest, "spec": repr(spec), "scikit-learn": version,
    }, sort_keys=True, default=repr)


def shipped_path(objective: "Objective", x_name: str, y_name: str | None = None, *, size: int | None = None,
                 fixed: Mapping[str, Any] | None = None, directory: Path | None = None) -> tuple[Path, str] | None:
    """Where the shipped landscape for these settings is (or would be) stored,
    and its key; None when no landscape of this objective can be shipped."""
    plan = _plan(objective, x_name, y_name, size, fixed)
    key = shipped_key(objective, plan)
    if key is None:
        return None
    return _shipped_file(objective.name, key, directory), key


def _shipped_file(name: str, key: str, directory: Path | None = None) -> Path:
    version = json.loads(key)["scikit-learn"]
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return (directory if directory is not None else SHIPPED_DIR) / f"{name}-sklearn{version}-{digest}.npz"


def _read_shipped(objective: "Objective", plan: _Plan) -> np.ndarray | None:
    """The shipped values when a file with exactly this key exists, else None
    (never raises; the package folder is never written)."""
    key = shipped_key(objective, plan)
    if key is None:
        return None
    path = _shipped_file(objective.name, key)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            stored_key = str(data["key"])
            z = np.array(data["z"], dtype=float)
    except Exception:
        return None
    if stored_key != key or z.shape != plan.shape or not np.isfinite(z).all():
        return None
    return z


def shipped_landscape(objective: "Objective", x_name: str, y_name: str | None = None, *, size: int | None = None,
                      fixed: Mapping[str, Any] | None = None) -> Landscape | None:
    """The shipped landscape of a bundled model when its key matches (same
    scikit-learn version, grid, fixed values and spec), else None. Trains nothing."""
    plan = _plan(objective, x_name, y_name, size, fixed)
    z = _read_shipped(objective, plan)
    if z is None:
        return None
    plan.land.z, plan.land.shipped = z, True
    return plan.land


def training_label(objective: "Objective", total: int) -> str:
    """What training a model's landscape does, for a progress line:
    'training 144 SVCs (3-fold CV each)'."""
    from .objectives.models import MODEL_SPECS

    spec = MODEL_SPECS.get(objective.name) if objective.kind == "model" else None
    if spec is None:
        return f"evaluating {objective.name} at {total} grid points"
    model = spec.imports[-1][1]
    return f"training {total} {model}{'' if total == 1 else 's'} ({spec.n_folds}-fold CV each)"


def _read_cache(path: Path, key: str, shape: tuple[int, ...]) -> np.ndarray | None:
    """The cached values, or None when absent; an unreadable or mismatched
    file is moved aside to `<name>.corrupt` (never raises)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            stored_key = str(data["key"])
            z = np.array(data["z"], dtype=float)
        if stored_key != key or z.shape != shape:
            raise ValueError("the cached landscape does not match its key")
        return z
    except Exception:
        try:
            os.replace(path, path.with_suffix(".corrupt"))
        except OSError:
            pass
        return None


def _write_cache(path: Path, key: str, z: np.ndarray) -> None:
    """Write atomically: a temporary file in the same folder, then a rename.
    A cache that cannot be written is silently skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem + ".", suffix=".tmp.npz", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, key=np.array(key), z=z)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass


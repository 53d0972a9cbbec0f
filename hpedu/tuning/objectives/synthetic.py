"""Synthetic test functions for teaching and benchmarking (numpy only).

Every function here is written once, vectorised over an (n, d) array of
points in parameter space (columns in the order of the space); the scalar
`fn(params)` is that same code on one row, so a heatmap drawn from `fn_batch`
shows exactly what the strategies see. All of them are to be minimised.

The standard benchmarks (branin, six-hump camel, hartmann3, hartmann6, rosenbrock,
ackley, styblinski-tang4) use the
constants of Surjanovic & Bingham's Virtual Library of Simulation Experiments
(https://www.sfu.ca/~ssurjano/optimization.html). The optima of the teaching
functions were found by a dense grid refined with scipy.optimize; the tests
recompute them.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..space import Real, Space
from .base import Objective

__all__ = [
    "wave_1d", "bowl_2d", "multimodal_2d", "branin", "six_hump_camel", "hartmann3", "hartmann6",
    "low_effective_dim", "WAVE_MIN", "MULTIMODAL_WELLS", "LOW_DIM_X", "LOW_DIM_H_MIN", "LOW_DIM_Y",
    "rosenbrock", "ackley", "styblinski_tang4", "STYBLINSKI_TANG_X",
]

Batch = Callable[[np.ndarray], np.ndarray]


def _make(meta: dict[str, Any], space: dict[str, Real], core: Batch, optimum: float,
          optimum_params: list[tuple[float, ...]], options: dict[str, Any] | None = None) -> Objective:
    """An Objective whose `fn` and `fn_batch` share the vectorised `core`."""
    names = list(space)
    d = len(names)

    def fn_batch(X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != d:
            raise ValueError(f"fn_batch: expected an array of shape (n, {d}) with columns {names}, got {X.shape}")
        return core(X)

    def fn(params: dict[str, Any]) -> float:
        return float(core(np.array([[float(params[n]) for n in names]]))[0])

    return Objective(
        **meta,
        space=Space(space),
        fn=fn,
        fn_batch=fn_batch,
        direction="minimize",
        score_name="value",
        optimum=float(optimum),
        optimum_params=tuple(dict(zip(names, map(float, p))) for p in optimum_params),
        kind="synthetic",
        options=dict(options or {}),
    )


# ----- teaching functions ----------------------------------------------------------
#: Minimum of the wave on [0, 6]: at the left edge, f(0) = 2 + 6 sin 3. The
#: only interior local minimum is at x = 2.874339 (f = 3.468668).
WAVE_MIN = 2.0 + 6.0 * math.sin(3.0)


def wave_1d(meta: dict[str, Any]) -> Objective:
    """f(x) = 2(x-3) sin(x-3) + 2 + 0.5x on [0, 6]."""

    def core(X: np.ndarray) -> np.ndarray:
        u = X[:, 0] - 3.0
        return 2.0 * u * np.sin(u) + 2.0 + 0.5 * X[:, 0]

    return _make(meta, {"x": Real(0.0, 6.0)}, core, WAVE_MIN, [(0.0,)])


_BOWL_CENTER = np.array([1.0, -0.5])
_BOWL_ANGLE = math.radians(30.0)
_BOWL_ROT = np.array([[math.cos(_BOWL_ANGLE), math.sin(_BOWL_ANGLE)],
                      [-math.sin(_BOWL_ANGLE), math.cos(_BOWL_ANGLE)]])
_BOWL_STRETCH = np.array([1.0, 6.0])


def bowl_2d(meta: dict[str, Any]) -> Objective:
    """A quadratic bowl, six times steeper across than along its 30-degree axis; minimum 0 at (1, -0.5)."""

    def core(X: np.ndarray) -> np.ndarray:
        uv = (X - _BOWL_CENTER) @ _BOWL_ROT.T
        return (uv**2) @ _BOWL_STRETCH

    space = {"x": Real(-3.0, 3.0), "y": Real(-3.0, 3.0)}
    return _make(meta, space, core, 0.0, [tuple(_BOWL_CENTER)])


#: Gaussian wells (centre x, centre y, depth, width) on a gentle bowl 0.04 (x^2 + y^2).
MULTIMODAL_WELLS = np.array([
    [-1.6, 1.3, 1.0, 0.7],
    [1.5, 1.4, 0.9, 0.6],
    [0.9, -1.5, 1.4, 0.45],  # the deepest and narrowest: the global minimum
    [-1.7, -1.5, 0.7, 0.5],
    [0.2, 0.2, 0.5, 0.5],
])
_MULTIMODAL_MIN = -1.2796794394478868
_MULTIMODAL_ARGMIN = (0.8894274491, -1.4821682848)


def multimodal_2d(meta: dict[str, Any]) -> Objective:
    """Five Gaussian wells of different depths on a gentle bowl: five local minima, one global."""
    w = MULTIMODAL_WELLS

    def core(X: np.ndarray) -> np.ndarray:
        d2 = ((X[:, None, :] - w[None, :, :2]) ** 2).sum(axis=-1)
        return 0.04 * (X**2).sum(axis=-1) - (w[:, 2] * np.exp(-d2 / (2.0 * w[:, 3] ** 2))).sum(axis=-1)

    space = {"x": Real(-3.0, 3.0), "y": Real(-3.0, 3.0)}
    return _make(meta, space, core, _MULTIMODAL_MIN, [_MULTIMODAL_ARGMIN])


# ----- standard benchmarks (Surjanovic & Bingham) ------------------------------------
def branin(meta: dict[str, Any]) -> Objective:
    """Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points."""
    b, c, t = 5.1 / (4.0 * math.pi**2), 5.0 / math.pi, 1.0 / (8.0 * math.pi)

    def core(X: np.ndarray) -> np.ndarray:
        x1, x2 = X[:, 0], X[:, 1]
        return (x2 - b * x1**2 + c * x1 - 6.0) ** 2 + 10.0 * (1.0 - t) * np.cos(x1) + 10.0

    space = {"x1": Real(-5.0, 10.0), "x2": Real(0.0, 15.0)}
    argmins = [(-math.pi, 12.275), (math.pi, 2.275), (3.0 * math.pi, 2.475)]
    return _make(meta, space, core, 5.0 / (4.0 * math.pi), argmins)


def six_hump_camel(meta: dict[str, Any]) -> Objective:
    """Six-hump camel on x1 in [-3, 3], x2 in [-2, 2]; minimum -1.031628 at two points."""

    def core(X: np.ndarray) -> np.ndarray:
        x1, x2 = X[:, 0], X[:, 1]
        return (4.0 - 2.1 * x1**2 + x1**4 / 3.0) * x1**2 + x1 * x2 + (-4.0 + 4.0 * x2**2) * x2**2

    space = {"x1": Real(-3.0, 3.0), "x2": Real(-2.0, 2.0)}
    argmins = [(0.0898420131, -0.7126564033), (-0.0898420131, 0.7126564033)]
    return _make(meta, space, core, -1.0316284534898774, argmins)


_HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_HARTMANN3_A = np.array([[3.0, 10.0, 30.0], [0.1, 10.0, 35.0], [3.0, 10.0, 30.0], [0.1, 10.0, 35.0]])
_HARTMANN3_P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
_HARTMANN6_A = np.array([
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
])
_HARTMANN6_P = 1e-4 * np.array([
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
])


def _hartmann_core(A: np.ndarray, P: np.ndarray) -> Batch:
    def core(X: np.ndarray) -> np.ndarray:
        inner = ((X[:, None, :] - P[None, :, :]) ** 2 * A[None, :, :]).sum(axis=-1)
        return -(np.exp(-inner) @ _HARTMANN_ALPHA)

    return core


def hartmann3(meta: dict[str, Any]) -> Objective:
    """Hartmann 3-D on the unit cube; minimum -3.86278."""
    space = {f"x{i + 1}": Real(0.0, 1.0) for i in range(3)}
    argmin = (0.1145888678, 0.5556488945, 0.8525469844)
    return _make(meta, space, _hartmann_core(_HARTMANN3_A, _HARTMANN3_P), -3.862779787332663, [argmin])


def hartmann6(meta: dict[str, Any]) -> Objective:
    """Hartmann 6-D on the unit cube; minimum -3.32237."""
    space = {f"x{i + 1}": Real(0.0, 1.0) for i in range(6)}
    argmin = (0.2016895139, 0.1500106940, 0.4768739762, 0.2753324308, 0.3116516175, 0.6573005345)
    return _make(meta, space, _hartmann_core(_HARTMANN6_A, _HARTMANN6_P), -3.3223680114155147, [argmin])


def rosenbrock(meta: dict[str, Any]) -> Objective:
    """Rosenbrock's banana valley in 2-D on [-2.048, 2.048]^2; minimum 0 at (1, 1), at the end of a
    narrow curved valley."""

    def core(X: np.ndarray) -> np.ndarray:
        return 100.0 * (X[:, 1] - X[:, 0] ** 2) ** 2 + (1.0 - X[:, 0]) ** 2

    space = {"x1": Real(-2.048, 2.048), "x2": Real(-2.048, 2.048)}
    return _make(meta, space, core, 0.0, [(1.0, 1.0)])


def ackley(meta: dict[str, Any]) -> Objective:
    """Ackley in 2-D on [-32.768, 32.768]^2: a nearly flat plain full of small dents around one deep
    funnel; minimum 0 at (0, 0)."""

    def core(X: np.ndarray) -> np.ndarray:
        r = np.sqrt((X**2).mean(axis=1))
        return -20.0 * np.exp(-0.2 * r) - np.exp(np.cos(2.0 * np.pi * X).mean(axis=1)) + 20.0 + math.e

    space = {"x1": Real(-32.768, 32.768), "x2": Real(-32.768, 32.768)}
    return _make(meta, space, core, 0.0, [(0.0, 0.0)])


#: Styblinski-Tang's minimiser in each coordinate: the root of 4x^3 - 32x + 5 = 0 in [-3, -2.5].
STYBLINSKI_TANG_X = -2.903534027771177


def styblinski_tang4(meta: dict[str, Any]) -> Objective:
    """Styblinski-Tang in 4-D on [-5, 5]^4: 2^4 local minima, the global one -156.664663 at x_i = -2.903534."""

    def core(X: np.ndarray) -> np.ndarray:
        return 0.5 * (X**4 - 16.0 * X**2 + 5.0 * X).sum(axis=1)

    space = {f"x{i + 1}": Real(-5.0, 5.0) for i in range(4)}
    x = STYBLINSKI_TANG_X
    return _make(meta, space, core, 2.0 * (x**4 - 16.0 * x**2 + 5.0 * x), [(x,) * 4])


# ----- Bergstra & Bengio: one dimension barely matters --------------------------------
#: g(x) has its single minimum 0 here, between the points 0, 0.5, 1 of a 3-point grid.
LOW_DIM_X = 0.37
_LOW_DIM_WIDTH = 0.12
#: h(y) is bumpy (local minima near y = 0.01, 0.34, 0.67, 0.995); its minimum:
LOW_DIM_Y = 0.6671695362529554
LOW_DIM_H_MIN = 0.0008933460979945713


def _g(x: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-((x - LOW_DIM_X) ** 2) / (2.0 * _LOW_DIM_WIDTH**2))


def _h(y: np.ndarray) -> np.ndarray:
    return 0.3 * (1.0 - np.cos(6.0 * np.pi * y)) + 0.4 * ((y - 0.7) / 0.7) ** 2


def low_effective_dim(meta: dict[str, Any], weight: float = 0.05) -> Objective:
    """f(x, y) = g(x) + weight * h(y) on [0, 1]^2: g is a single well at x = 0.37
    (a 3 x 3 grid's best x, 0.5, gives g = 0.44), h a bumpy curve in [0, 0.84]."""

    def core(X: np.ndarray) -> np.ndarray:
        return _g(X[:, 0]) + weight * _h(X[:, 1])

    space = {"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}
    return _make(meta, space, core, weight * LOW_DIM_H_MIN, [(LOW_DIM_X, LOW_DIM_Y)], {"weight": weight})

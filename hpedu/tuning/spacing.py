"""Distances between points for bayes' min_distance rule (numpy only).

Points are unit-cube rows (`Space.to_unit`). Two points are compared over the
real-valued columns (`real`, a boolean mask) by Euclidean distance, and only
when every other column (integers, categoricals) is equal: a different integer
or choice is a different point, however close the others are.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distances", "far_mask", "ring_points"]


def distances(u: np.ndarray, P: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Distance (n,) from the point u (d,) to each row of P (n, d); inf where a non-real value differs."""
    same = np.all(P[:, ~real] == u[~real], axis=1)
    return np.where(same, np.sqrt(((P[:, real] - u[real]) ** 2).sum(axis=1)), np.inf)


def far_mask(U: np.ndarray, P: np.ndarray, real: np.ndarray, min_distance: float) -> np.ndarray:
    """For rows U (m, d): True where the row is at least `min_distance` from every row of P (n, d)."""
    if min_distance <= 0 or not len(P) or not real.any():
        return np.ones(len(U), dtype=bool)
    disc = ~real
    same = np.all(U[:, None, disc] == P[None, :, disc], axis=2) if disc.any() else True
    d2 = ((U[:, None, real] - P[None, :, real]) ** 2).sum(axis=2)
    return ~np.any(same & (d2 < min_distance * min_distance), axis=1)


def ring_points(u: np.ndarray, P: np.ndarray, real: np.ndarray, min_distance: float, rng: np.random.Generator,
                per_ring: int = 32, centres: int = 4) -> np.ndarray:
    """Points just outside `min_distance` around the row of P nearest to u and
    its neighbours within three times that distance (up to `centres` rings of
    `per_ring` points; the first point of each ring lies towards u), with u's
    non-real values, clipped to the cube. A peak of the acquisition just inside
    the distance of a trial has its best allowed values there."""
    d2 = ((P[:, real] - u[real]) ** 2).sum(axis=1)
    rings = []
    for j in np.argsort(d2, kind="stable")[:centres]:
        if rings and d2[j] > (3.0 * min_distance) ** 2:
            break
        dirs = rng.standard_normal((per_ring, int(real.sum())))
        dirs[0] = u[real] - P[j, real]
        dirs /= np.maximum(np.linalg.norm(dirs, axis=1, keepdims=True), 1e-300)
        ring = np.repeat(u[None], per_ring, axis=0)
        ring[:, real] = np.clip(P[j, real] + min_distance * (1.0 + 1e-6) * dirs, 0.0, 1.0)
        rings.append(ring)
    return np.vstack(rings) if rings else np.empty((0, len(u)))

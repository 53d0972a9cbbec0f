"""The distance helpers of bayes' min_distance rule (hpedu/tuning/spacing.py)."""

from __future__ import annotations

import numpy as np

from hpedu.tuning.spacing import distances, far_mask, ring_points


def test_far_mask_and_distances_agree_with_a_loop() -> None:
    rng = np.random.default_rng(0)
    P = rng.random((12, 3))
    P[:, 2] = rng.integers(0, 2, 12) * 0.5 + 0.25  # a categorical column: 0.25 or 0.75
    U = rng.random((300, 3))
    U[:, 2] = rng.integers(0, 2, 300) * 0.5 + 0.25
    real = np.array([True, True, False])
    md = 0.2
    expected = [all(p[2] != u[2] or np.hypot(*(u[:2] - p[:2])) >= md for p in P) for u in U]
    assert far_mask(U, P, real, md).tolist() == expected
    d = distances(U[0], P, real)
    assert np.all(np.isinf(d[P[:, 2] != U[0, 2]]))
    np.testing.assert_allclose(d[P[:, 2] == U[0, 2]], np.hypot(*(U[0, :2] - P[P[:, 2] == U[0, 2], :2]).T))
    assert far_mask(U, P, real, 0.0).all() and far_mask(U, P[:0], real, md).all()


def test_rings_lie_just_outside_the_distance_and_start_towards_the_point() -> None:
    P = np.array([[0.5, 0.5], [0.52, 0.5], [0.9, 0.9]])
    u = np.array([0.505, 0.501])
    real = np.array([True, True])
    rings = ring_points(u, P, real, 0.01, np.random.default_rng(1), per_ring=8, centres=4)
    assert rings.shape == (16, 2)  # the nearest trial and its neighbour within 0.03; (0.9, 0.9) is too far
    for ring, centre in ((rings[:8], P[0]), (rings[8:], P[1])):
        np.testing.assert_allclose(np.linalg.norm(ring - centre, axis=1), 0.01 * (1 + 1e-6), rtol=1e-9)
        towards = (u - centre) / np.linalg.norm(u - centre)
        np.testing.assert_allclose(ring[0], centre + 0.01 * (1 + 1e-6) * towards, rtol=1e-9)

"""A k-means started from the previous run's bounds, widened by how far points and centres
moved, gives exactly the clustering of one that assigns every point at its first step."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.clustering import cold_start, kmeans, kmeans_bounded, warm_start
from tracktwo.analysis.kmeans_bounds import carried_bounds


def blobs(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    middles = rng.normal(0, 3, size=(6, 2))
    return middles[rng.integers(0, 6, n)] + rng.normal(0, 1, size=(n, 2))


@pytest.mark.parametrize(
    ("n", "k", "exact_ties", "shift"),
    [
        (3_000, 40, True, 0.01),  # direct comparison, small moves
        (30_000, 100, False, 0.01),  # k-d tree (scalable solver)
        (30_000, 100, True, 0.3),  # large moves: few points stay settled
    ],
)
def test_it_starts_kmeans_from_carried_bounds(
    n: int, k: int, exact_ties: bool, shift: float
) -> None:
    points = blobs(n, seed=n + k)
    ids, centres = cold_start(points, k)
    first, _steps, bounds = kmeans_bounded(points, ids, centres, 20, exact_ties=exact_ties)
    # the next update: every point moves a little, new points arrive, one cluster loses all
    # its members (and so is dropped) and the warm start splits off new clusters
    rng = np.random.default_rng(k)
    moved = points + rng.normal(0, shift, size=points.shape)
    moved = np.vstack([moved, blobs(n // 10, seed=k)])
    before = np.full(moved.shape[0], -1, np.int64)
    before[:n] = first.labels
    before[before == 0] = -1
    start_ids, start_centres = warm_start(moved, first.ids, before, k)
    assert start_ids.shape[0] == k and start_ids.max() > first.ids.max()  # a split happened
    old_points = np.zeros_like(moved)
    old_points[:n] = points
    labels = np.full(moved.shape[0], -1, np.int64)
    labels[:n] = bounds.labels
    old = type(bounds)(
        labels,
        np.r_[bounds.upper, np.full(n // 10, np.inf)],
        np.r_[bounds.lower, np.zeros(n // 10)],
    )
    start = carried_bounds(
        moved, start_ids, start_centres, old_points, first.ids, first.centers, old
    )
    assert (start.labels >= 0).sum() > 0
    fast, fast_steps, _end = kmeans_bounded(
        moved, start_ids, start_centres, 20, exact_ties=exact_ties, start=start
    )
    plain, plain_steps = kmeans(moved, start_ids, start_centres, 20, exact_ties=exact_ties)
    assert fast_steps == plain_steps
    np.testing.assert_array_equal(fast.ids, plain.ids)
    np.testing.assert_array_equal(fast.labels, plain.labels)
    np.testing.assert_array_equal(fast.centers, plain.centers)

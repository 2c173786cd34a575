"""k-means that skips settled points gives exactly the clustering of comparing every point."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from tracktwo.analysis.clojure_order import ARRAY_MAP_MAX, hash_set_order
from tracktwo.analysis.clustering import (
    cold_start,
    kmeans,
    map_iteration,
    same_clustering,
    sorted_clustering,
)
from tracktwo.analysis.kmeans_assign import KD_TREE_ABOVE, assign
from tracktwo.analysis.kmeans_bounds import weighted_centres
from tracktwo.analysis.result import Clustering


def every_point_kmeans(
    points: NDArray[np.float64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    max_iters: int,
    exact_ties: bool,
) -> tuple[Clustering, int]:
    """Pol.is's k-means written plainly: every point compared with every centre at every step."""
    steps = 0
    while True:
        labels = assign(points, centers, map_iteration(ids), exact_ties)
        steps += 1
        new_centers, _total = weighted_centres(points, None, labels, ids.shape[0])
        occupied = np.bincount(labels, minlength=ids.shape[0]) > 0
        labels = (np.cumsum(occupied) - 1)[labels]
        same = same_clustering(centers, new_centers[occupied])
        was_hash_map = ids.shape[0] > ARRAY_MAP_MAX
        ids, centers = ids[occupied], new_centers[occupied]
        if was_hash_map:
            order = hash_set_order(ids)
            ids, centers = ids[order], centers[order]
            labels = np.argsort(order)[labels]
        if steps > max_iters or same:
            return sorted_clustering(ids, centers, labels), steps


def blobs(n: int, seed: int, grid: bool) -> NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    middles = rng.normal(0, 3, size=(6, 2))
    points = middles[rng.integers(0, 6, n)] + rng.normal(0, 1, size=(n, 2))
    # on a grid, many points are exactly as far from two centres (ties)
    return np.round(points * 2) / 2 if grid else points


@pytest.mark.parametrize(
    ("n", "k", "grid", "exact_ties"),
    [
        (3_000, 40, True, True),  # direct comparison
        (30_000, 100, False, False),  # k-d tree (scalable solver)
        (30_000, 100, True, True),  # k-d tree, ties settled as Pol.is
        (30_000, 100, True, False),  # k-d tree, ties as the tree gives them
    ],
)
def test_it_skips_only_settled_points_in_kmeans(
    n: int, k: int, grid: bool, exact_ties: bool
) -> None:
    points = blobs(n, seed=n + k, grid=grid)
    ids, centres = cold_start(points, k)
    if n * k > KD_TREE_ABOVE:
        assert ids.shape[0] == k
    fast, steps = kmeans(points, ids, centres, 40, exact_ties=exact_ties)
    plain, plain_steps = every_point_kmeans(points, ids, centres, 40, exact_ties)
    assert steps == plain_steps > 3
    np.testing.assert_array_equal(fast.ids, plain.ids)
    np.testing.assert_array_equal(fast.labels, plain.labels)
    np.testing.assert_array_equal(fast.centers, plain.centers)

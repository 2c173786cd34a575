"""The compiled start of an update's base k-means (``bounds_loop.carried_start``) gives
``kmeans_bounds.start_of``'s labels and bounds bit for bit: participants new since the last
update, unclustered ones, clusters gone, kept and split off afresh, points that did not move,
and a previous update with no participant."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.bounds_loop import carried_start
from tracktwo.analysis.kmeans_bounds import Bounds, start_of


def world(seed: int, n_old: int, n_new: int, lattice: bool) -> tuple[object, ...]:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 12))
    old_ids = np.sort(rng.choice(40, m, replace=False)).astype(np.int64)
    old_centers = rng.normal(size=(m, 2))
    old_projection = rng.normal(size=(n_old, 2))
    old_labels = rng.integers(-1, m, n_old).astype(np.int64)
    upper = rng.random(n_old) * 2.0
    lower = rng.random(n_old) * 3.0
    upper[rng.random(n_old) < 0.05] = np.inf
    previous = Bounds(old_labels.copy(), upper, lower)
    keep = rng.random(m) < 0.7
    fresh = 40 + np.arange(int(rng.integers(1, 3)))  # split off afresh
    order = rng.permutation(int(keep.sum()) + fresh.shape[0])
    ids = np.concatenate([old_ids[keep], fresh])[order].astype(np.int64)
    centers = np.concatenate([old_centers[keep], rng.normal(size=(fresh.shape[0], 2))])
    centers = centers[order] + rng.normal(scale=0.01, size=(ids.shape[0], 2))  # small moves
    sample = np.sort(rng.choice(n_old + n_new, int(0.8 * (n_old + n_new)), replace=False))
    points = rng.normal(size=(sample.shape[0], 2))
    known = sample < n_old
    points[known] = old_projection[sample[known]] + rng.normal(scale=0.01, size=(known.sum(), 2))
    if lattice:  # whole numbers: zero moves and exact ties
        points = np.round(points * 2)
        old_projection = np.round(old_projection * 2)
    still = sample[known][:5]
    points[np.searchsorted(sample, still)] = old_projection[still]  # some did not move
    old_clusters = (old_ids, old_centers, old_labels)
    return points, sample.astype(np.int64), ids, centers, old_projection, old_clusters, previous


@pytest.mark.parametrize("lattice", [False, True])
@pytest.mark.parametrize(("n_old", "n_new"), [(300, 0), (300, 40), (0, 50), (1, 3)])
def test_it_carries_the_bounds_as_numpy(n_old: int, n_new: int, lattice: bool) -> None:
    for seed in range(8):
        args = world(seed, n_old, n_new, lattice)
        expected = start_of(*args)  # type: ignore[arg-type]
        found = carried_start(*args)  # type: ignore[arg-type]
        assert expected is not None
        for name in ("labels", "upper", "lower"):
            np.testing.assert_array_equal(
                getattr(found, name), getattr(expected, name), err_msg=f"{name}, seed {seed}"
            )

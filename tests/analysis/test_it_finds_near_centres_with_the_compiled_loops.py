"""The compiled centre-to-centre loops (``kmeans_loops.nearest_other`` and ``near_centres``)
give NumPy's numbers (``kmeans_bounds.nearest_other`` and ``candidates``) bit for bit: the
distance to the nearest other centre, and the distance beyond each centre's candidates; the
candidates themselves in the same order, up to which of centres at a tied distance at their
edge is kept (a lattice of centres has many)."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis import kmeans_bounds, kmeans_loops
from tracktwo.analysis.kmeans_bounds import CANDIDATES


def centres(k: int, seed: int, lattice: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if lattice:
        return rng.integers(-4, 5, size=(k, 2)).astype(np.float64)
    return rng.normal(size=(k, 2))


@pytest.mark.parametrize("lattice", [False, True])
@pytest.mark.parametrize("k", [2, 3, CANDIDATES + 1, 40, 100])
def test_it_finds_the_nearest_other_centre_as_numpy(k: int, lattice: bool) -> None:
    for seed in range(5):
        points = centres(k, seed, lattice)
        np.testing.assert_array_equal(
            kmeans_loops.nearest_other(points), kmeans_bounds.nearest_other(points)
        )


@pytest.mark.parametrize("lattice", [False, True])
@pytest.mark.parametrize("k", [CANDIDATES + 1, 40, 100])
def test_it_finds_the_candidates_as_numpy(k: int, lattice: bool) -> None:
    for seed in range(5):
        points = centres(k, seed, lattice)
        order = np.random.default_rng(seed + 99).permutation(k).astype(np.int64)
        group, reach = kmeans_loops.near_centres(points, order)
        expected_group, expected_reach = kmeans_bounds.candidates(points, order)
        np.testing.assert_array_equal(reach, expected_reach)
        rank = np.empty(k, np.int64)
        rank[order[::-1]] = np.arange(k)
        between = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
        for a in range(k):
            # in the backward order, each one of the CANDIDATES nearest (ties at the edge
            # aside: any centre at most the last one's distance may be kept)
            assert np.all(np.diff(rank[group[a]]) > 0)
            assert len(set(group[a].tolist())) == CANDIDATES
            edge = np.sort(between[a])[CANDIDATES - 1]
            assert np.all(between[a, group[a]] <= edge)
            inside = between[a] < edge  # those strictly nearer are in both
            assert set(np.flatnonzero(inside)) <= set(group[a].tolist())
            assert set(np.flatnonzero(inside)) <= set(expected_group[a].tolist())
            if not lattice:  # no ties: the very same centres
                np.testing.assert_array_equal(group[a], expected_group[a])

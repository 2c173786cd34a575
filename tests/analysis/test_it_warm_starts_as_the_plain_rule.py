"""The warm start (kept clusters by a position table, the means taken once when nothing merges,
distinct points counted only when splits may be due) gives bit for bit the clusters of
Pol.is's rule written plainly: recentre, merge, then split while fewer than min(k, distinct)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from tracktwo.analysis.clustering import (
    _merge_identical,
    n_distinct,
    nearest_distance,
    warm_start,
)
from tracktwo.analysis.kmeans_bounds import weighted_centres


def plain_warm_start(
    points: NDArray[np.float64],
    previous_ids: NDArray[np.int64],
    members: NDArray[np.int64],
    k: int,
    weights: NDArray[np.float64] | None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    n, m = points.shape[0], previous_ids.shape[0]
    present = np.bincount(members[members >= 0], minlength=m) > 0
    if present.any():
        keep = np.flatnonzero(present)
        labels = np.where(members >= 0, np.searchsorted(keep, np.maximum(members, 0)), -1)
        ids = [int(i) for i in previous_ids[keep]]
        centers, _total = weighted_centres(points, weights, labels, len(ids))
        labels, ids, centers = _merge_identical(labels, ids, centers)
    else:
        labels = np.zeros(n, np.int64)
        ids = [int(previous_ids.max()) + 1 if m else 0]
    possible = n_distinct(points, k)
    while True:
        centers, _total = weighted_centres(points, weights, labels, len(ids))
        if possible <= len(ids):
            break
        distance = nearest_distance(points, centers)
        outlier = int(n - 1 - np.argmax(distance[::-1]))
        if not distance[outlier] > 0:
            break
        labels[outlier] = len(ids)
        ids.append(max(ids) + 1)
    return np.array(ids, np.int64), centers


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("case", ["kept", "merged", "split", "none_left", "few_distinct"])
def test_it_warm_starts_as_the_plain_rule(case: str, weighted: bool) -> None:
    rng = np.random.default_rng(len(case) + weighted)
    n, m, k = 5_000, 40, 40
    points = rng.normal(0, 3, size=(n, 2))
    members = rng.integers(0, m, n).astype(np.int64)
    members[rng.random(n) < 0.1] = -1  # new points
    previous_ids = np.sort(rng.choice(500, m, replace=False)).astype(np.int64)
    if case == "merged":  # two clusters whose members sit at the same place
        points[members == 3] = points[members == 5] = [1.25, -0.5]
    if case == "split":  # clusters gone: fewer than k, the farthest points split off
        members[np.isin(members, [2, 9, 11, 30])] = -1
    if case == "none_left":
        members[:] = -1
    if case == "few_distinct":  # fewer distinct points than k: no split beyond them
        points = np.round(points / 4) * 4
        members[np.isin(members, np.arange(20))] = -1
    weights = rng.integers(1, 9, n).astype(np.float64) if weighted else None
    got = warm_start(points, previous_ids, members.copy(), k, weights)
    want = plain_warm_start(points, previous_ids, members.copy(), k, weights)
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1].tobytes() == want[1].tobytes()
    if case in ("merged", "split"):
        assert got[0].max() > previous_ids.max()  # a split happened (the merge left k - 1)
    if case == "few_distinct":
        assert got[0].shape[0] == n_distinct(points, k) < k

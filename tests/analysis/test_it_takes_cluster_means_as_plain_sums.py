"""The clusters' means, with unclustered points summed apart, are bit for bit the sums over
each cluster's selected points (with weights, and with unit weights counted)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from tracktwo.analysis.kmeans_bounds import UnitMeans, weighted_centres


def plain_means(
    points: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    labels: NDArray[np.int64],
    k: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    inside = labels >= 0
    lab = labels[inside]
    w = np.ones(lab.shape[0]) if weights is None else weights[inside]
    total = np.bincount(lab, weights=w, minlength=k).astype(np.float64)
    sx = np.bincount(lab, weights=w * points[inside, 0], minlength=k)
    sy = np.bincount(lab, weights=w * points[inside, 1], minlength=k)
    safe = np.where(total > 0, total, 1.0)
    return np.stack([sx / safe, sy / safe], axis=1), total


@pytest.mark.parametrize("weighted", [False, True])
def test_it_takes_cluster_means_as_plain_sums(weighted: bool) -> None:
    rng = np.random.default_rng(3 + weighted)
    n, k = 20_000, 60
    points = rng.normal(0, 1e3, size=(n, 2)) * rng.random((n, 1))  # sums that round
    labels = rng.integers(0, k, n).astype(np.int64)
    labels[rng.random(n) < 0.2] = -1  # unclustered
    labels[labels == 7] = -1  # an empty cluster
    points[labels == -1] = np.nan  # unclustered points must not count, whatever they hold
    weights = rng.integers(1, 50, n).astype(np.float64) if weighted else None
    got = weighted_centres(points, weights, labels, k)
    want = plain_means(points, weights, labels, k)
    for a, b in zip(got, want, strict=True):
        assert a.shape == b.shape and a.tobytes() == b.tobytes()
    assert not np.isnan(got[0]).any() and got[1][7] == 0
    if not weighted:  # the k-means' own means (clustered points only) are the same numbers
        clustered = labels >= 0
        means, occupied = UnitMeans(points[clustered])(labels[clustered], k)
        assert means.tobytes() == got[0].tobytes()
        np.testing.assert_array_equal(occupied, got[1] > 0)

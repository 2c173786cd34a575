"""The bounds carried to the next update's k-means (gathered once per array, widened in place)
are bit for bit those of the rule written plainly, for kept, dropped and new clusters, new
participants, unclustered ones and points that cannot be measured."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.kmeans_bounds import Bounds, start_of


def plain_start_of(
    points: NDArray[np.float64],
    sample: NDArray[np.int64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    old_projection: NDArray[np.float64],
    old_clusters: tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]],
    old: Bounds,
) -> Bounds:
    known = sample < old_projection.shape[0]
    at = sample[known]
    old_labels = np.full(sample.shape[0], -1, np.int64)
    old_labels[known] = old_clusters[2][at]
    old_points = np.zeros_like(points)
    old_points[known] = old_projection[at]
    old_upper, old_lower = np.full(sample.shape[0], np.inf), np.zeros(sample.shape[0])
    old_upper[known], old_lower[known] = old.upper[at], old.lower[at]
    old_ids, old_centers = old_clusters[0], old_clusters[1]
    k = ids.shape[0]
    place = np.clip(np.searchsorted(old_ids, ids), 0, old_ids.shape[0] - 1)
    kept = old_ids[place] == ids
    gap = centers - old_centers[place]
    shift = np.sqrt(gap[:, 0] * gap[:, 0] + gap[:, 1] * gap[:, 1])
    widest = float(shift[kept].max())
    position = np.full(old_ids.shape[0], -1, np.int64)
    position[place[kept]] = np.flatnonzero(kept)
    labels = np.where(old_labels >= 0, position[np.maximum(old_labels, 0)], -1)
    move = points - old_points
    step = np.sqrt(move[:, 0] * move[:, 0] + move[:, 1] * move[:, 1])
    ok = (labels >= 0) & np.isfinite(step)
    labels = np.where(ok, labels, -1)
    upper = np.where(ok, old_upper + step + shift[np.maximum(labels, 0)], np.inf)
    lower = np.where(ok, old_lower - step - widest, 0.0)
    for c in np.flatnonzero(~kept):
        own = points - centers[c]
        lower = np.minimum(lower, np.sqrt(own[:, 0] * own[:, 0] + own[:, 1] * own[:, 1]))
    assert k == centers.shape[0]
    return Bounds(labels.astype(np.int64), upper, np.maximum(lower, 0.0))


def test_it_carries_bounds_as_the_plain_rule() -> None:
    rng = np.random.default_rng(11)
    n_old, n, m = 4_000, 4_600, 30
    old_projection = rng.normal(0, 3, size=(n_old, 2))
    old_ids = np.sort(rng.choice(200, m, replace=False)).astype(np.int64)
    old_centers = rng.normal(0, 3, size=(m, 2))
    old_labels = rng.integers(-1, m, n_old).astype(np.int64)  # some unclustered
    upper = np.where(old_labels >= 0, rng.random(n_old) * 2, np.inf)
    lower = np.where(old_labels >= 0, rng.random(n_old), 0.0)
    old = Bounds(old_labels, upper, lower)
    # this update: a shuffled sample of old and new participants
    sample = rng.permutation(n)[: n - 300].astype(np.int64)
    projection = np.vstack([old_projection, rng.normal(0, 3, size=(n - n_old, 2))])
    points = projection[sample] + rng.normal(0, 0.05, size=(sample.shape[0], 2))
    points[5] = np.nan  # cannot be measured: unknown
    # the start list: most clusters kept (moved a little), two dropped, two split off afresh
    kept = np.setdiff1d(np.arange(m), [4, 17])
    ids = np.r_[old_ids[kept], [900, 901]][rng.permutation(m)].astype(np.int64)
    centers = np.vstack([old_centers[kept] + rng.normal(0, 0.02, (m - 2, 2)), [[0, 0], [5, 5]]])
    got = start_of(
        points, sample, ids, centers, old_projection, (old_ids, old_centers, old_labels), old
    )
    want = plain_start_of(
        points, sample, ids, centers, old_projection, (old_ids, old_centers, old_labels), old
    )
    assert got is not None
    for a, b in zip(
        (got.labels, got.upper, got.lower), (want.labels, want.upper, want.lower), strict=True
    ):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert (got.labels >= 0).sum() > n // 2 and (got.labels < 0).sum() > 300
    assert got.labels[5] == -1 and np.isinf(got.upper[5])

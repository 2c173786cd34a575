"""The parts of a k-means step that let it skip work without changing its result.

``clustering.kmeans`` recomputes, after the first step, only the points whose centre may no
longer be the nearest (``unsettled``), and takes the clusters' means with as few passes over
the points as the same numbers allow (``UnitMeans``). Both are exact: a point is skipped only
when its centre is nearer than every other by a margin (``SKIP_MARGIN``, relative and absolute,
far above rounding), so no tie is ever skipped and every tie rule would give that centre; the
means are the same sums, in the same order, as ``clustering.weighted_centres`` with unit weights.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SKIP_MARGIN = 1e-9  # relative and absolute margin of the bound tests, far above rounding
NEIGHBOURS_UP_TO = 2_000  # centres up to which the bounds use centre-to-centre distances


def clear(near: NDArray[np.float64], other: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Where ``near`` is below ``other`` by the margin."""
    return near * (1.0 + SKIP_MARGIN) + SKIP_MARGIN < other


def nearest_other(centers: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distance from each centre to the nearest other one (``-inf`` when not computed)."""
    k = centers.shape[0]
    if not 1 < k <= NEIGHBOURS_UP_TO:
        return np.full(k, -np.inf)
    dx = centers[:, 0:1] - centers[None, :, 0]
    dy = centers[:, 1:2] - centers[None, :, 1]
    between = dx * dx + dy * dy
    np.fill_diagonal(between, np.inf)
    return np.asarray(np.sqrt(between.min(axis=1)), np.float64)


def unsettled(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    labels: NDArray[np.int64],
    upper: NDArray[np.float64],
    lower: NDArray[np.float64],
) -> NDArray[np.int64]:
    """The points whose centre may no longer be the nearest, after the centres moved.

    ``upper`` bounds each point's distance to its centre from above and ``lower`` its distance
    to any other from below (both already moved by the centres' moves: triangle inequality). A
    point is settled when its centre is the nearer by the margin by these bounds, or by its
    centre's nearest other centre (Elkan: every other centre is at least that far less the
    point's own distance away); failing both, once more with its exact distance to its centre.
    The bounds are tightened in place.
    """
    gap = nearest_other(centers)
    maybe = np.flatnonzero(~clear(upper, np.maximum(lower, gap[labels] - upper)))
    own = points[maybe] - centers[labels[maybe]]
    near = np.sqrt(own[:, 0] * own[:, 0] + own[:, 1] * own[:, 1])
    far = np.maximum(lower[maybe], gap[labels[maybe]] - near)
    upper[maybe], lower[maybe] = near, far
    return maybe[~clear(near, far)]


class UnitMeans:
    """Each cluster's mean and whether it has points, for points of weight 1: the numbers of
    ``clustering.weighted_centres`` (the same sums in the same order) from one count and two
    sums over coordinates copied once per run."""

    def __init__(self, points: NDArray[np.float64]) -> None:
        self.x, self.y = points[:, 0].copy(), points[:, 1].copy()

    def __call__(
        self, labels: NDArray[np.int64], k: int
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        counts = np.bincount(labels, minlength=k)
        total = counts.astype(np.float64)
        safe = np.where(total > 0, total, 1.0)
        sx = np.bincount(labels, weights=self.x, minlength=k)
        sy = np.bincount(labels, weights=self.y, minlength=k)
        return np.stack([sx / safe, sy / safe], axis=1), counts > 0

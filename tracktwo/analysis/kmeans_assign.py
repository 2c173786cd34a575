"""Pol.is's k-means assignment: each point to its nearest centre, ties to the last centre in
the order Pol.is iterates its cluster map (``clustering``), by direct comparison of squared
differences in chunks (no n_points x k matrix held), or for large problems by a k-d tree whose
near-ties are compared directly; and the reassignment of points whose bounds do not settle
them (``kmeans_bounds``)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.kmeans_bounds import reassign_near

__all__ = [
    "CHUNK",
    "KD_TREE_ABOVE",
    "PARALLEL_ABOVE",
    "assign",
    "assign_bounded",
    "nearest_distance",
    "reassign",
    "squared_distances",
]

CHUNK = 1 << 10  # points per block of distances: (CHUNK, k) stays in cache
KD_TREE_ABOVE = 1_000_000  # points x centres beyond which a k-d tree assigns
PARALLEL_ABOVE = 4_096  # points beyond which the k-d tree queries on every core


def squared_distances(
    points: NDArray[np.float64], centers: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Shape (n, k); direct differences, as Pol.is computes them (dx * dx + dy * dy, in place)."""
    dx = points[:, 0:1] - centers[None, :, 0]
    dx *= dx
    dy = points[:, 1:2] - centers[None, :, 1]
    dy *= dy
    dx += dy
    return np.asarray(dx, dtype=np.float64)


def _brute_assign(
    points: NDArray[np.float64], centers: NDArray[np.float64], order: NDArray[np.int64]
) -> NDArray[np.int64]:
    backwards = order[::-1]
    ordered = centers[backwards]
    labels = np.empty(points.shape[0], np.int64)
    for start in range(0, points.shape[0], CHUNK):
        block = squared_distances(points[start : start + CHUNK], ordered)
        labels[start : start + CHUNK] = backwards[np.argmin(block, axis=1)]
    return labels


def assign(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    exact_ties: bool = True,
) -> NDArray[np.int64]:
    """Nearest centre per point, shape (n,).

    With ``exact_ties`` (Pol.is), ties go to the last centre in ``order``: small problems
    compare every distance directly; large ones ask a k-d tree for the two nearest centres and
    settle every near-tie (the two within 1e-9 relative) by direct comparison, which gives the
    same labels. Without, a k-d tree decides alone (the scalable solver; ties arbitrary).
    """
    return assign_bounded(points, centers, order, exact_ties)[0]


def assign_bounded(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    exact_ties: bool = True,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """``assign``'s labels, with each point's distance to its centre and to the next nearest
    (``inf`` with one centre), each shape (n,)."""
    n, k = points.shape[0], centers.shape[0]
    if k <= 1 or n * k <= KD_TREE_ABOVE:
        backwards = order[::-1]
        ordered = centers[backwards]
        labels = np.empty(n, np.int64)
        near, second = np.empty(n), np.full(n, np.inf)
        for start in range(0, n, CHUNK):
            block = squared_distances(points[start : start + CHUNK], ordered)
            at = np.argmin(block, axis=1)
            labels[start : start + CHUNK] = backwards[at]
            rows = np.arange(block.shape[0])
            near[start : start + CHUNK] = block[rows, at]
            if k > 1:
                block[rows, at] = np.inf
                second[start : start + CHUNK] = block.min(axis=1)
        return labels, np.sqrt(near), np.sqrt(second)
    from scipy.spatial import cKDTree  # slow to import: only for problems this large

    tree = cKDTree(centers)
    workers = -1 if n > PARALLEL_ABOVE else 1  # threads only pay off for many points
    distance, nearest = tree.query(points, k=2, workers=workers)
    labels = np.asarray(nearest[:, 0], np.int64)
    if exact_ties:
        close = distance[:, 1] - distance[:, 0] <= 1e-9 * np.maximum(distance[:, 1], 1e-300)
        if close.any():
            labels[close] = _brute_assign(points[close], centers, order)
    return labels, distance[:, 0].copy(), distance[:, 1].copy()


def reassign(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    labels: NDArray[np.int64],
    near: NDArray[np.float64],
    exact_ties: bool,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """``assign_bounded`` of points whose current centre (``labels``) is ``near`` (exact)
    away: where it compares directly, first against each point's centre's nearest centres."""
    n, k = points.shape[0], centers.shape[0]
    if k <= 1 or n * k > KD_TREE_ABOVE:
        return assign_bounded(points, centers, order, exact_ties)
    out_labels, out_near, out_second, rest = reassign_near(points, centers, order, labels, near)
    if rest.shape[0]:
        again = assign_bounded(points.take(rest, axis=0), centers, order, exact_ties)
        out_labels[rest], out_near[rest], out_second[rest] = again
    return out_labels, out_near, out_second


def nearest_distance(
    points: NDArray[np.float64], centers: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Distance from each point to its nearest centre, shape (n,)."""
    out = np.empty(points.shape[0])
    for start in range(0, points.shape[0], CHUNK):
        block = squared_distances(points[start : start + CHUNK], centers)
        out[start : start + CHUNK] = np.sqrt(block.min(axis=1))
    return out

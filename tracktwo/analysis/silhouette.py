"""How well a clustering of the base clusters separates them, and which k Pol.is picks.

- The silhouette is computed over the clustered points (base clusters) with the point itself
  excluded from its own cluster's mean distance; a point alone in its cluster scores 0.
- The best k has the highest silhouette, ties to the last k in the order Pol.is iterates its
  map of k to silhouette (insertion order up to 8 entries, Clojure hash order beyond).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.clojure_order import ARRAY_MAP_MAX, hash_set_order

__all__ = ["best_k", "distances", "silhouette"]


def distances(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Every pairwise Euclidean distance of ``points`` (shape (n, d)), shape (n, n)."""
    gap = points[:, None, :] - points[None, :, :]
    apart: NDArray[np.float64] = np.sqrt((gap * gap).sum(axis=2))
    return apart


def silhouette(
    points: NDArray[np.float64],
    labels: NDArray[np.int64],
    distance: NDArray[np.float64] | None = None,
) -> float:
    """Mean silhouette over the points (Pol.is: over base clusters, unweighted).

    Own-cluster distance excludes the point itself; a point alone in its cluster scores 0;
    with one cluster the silhouette is 0. ``distance`` is :func:`distances` of ``points``,
    when already computed (one matrix serves every k of an update).
    """
    n = points.shape[0]
    if n == 0:
        return 0.0
    k = int(labels.max()) + 1
    if k < 2:
        return 0.0
    if distance is None:
        distance = distances(points)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sums = distance @ onehot
    sizes = onehot.sum(axis=0)
    own_size = sizes[labels] - 1
    own = sums[np.arange(n), labels] / np.maximum(own_size, 1)
    other = np.where(onehot > 0, np.inf, sums / np.maximum(sizes, 1)[None, :])
    other[:, sizes == 0] = np.inf
    nearest = other.min(axis=1)
    top = np.maximum(own, nearest)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(top > 0, (nearest - own) / np.where(top > 0, top, 1.0), 0.0)
    score[own_size == 0] = 0.0
    return float(score.mean())


def best_k(silhouettes: dict[int, float]) -> int:
    """The k with the highest silhouette; ties to the last k in Pol.is's map order."""
    ks = np.array(list(silhouettes), np.int64)
    order = ks if ks.shape[0] <= ARRAY_MAP_MAX else ks[hash_set_order(ks)]
    best = int(order[0])
    for k in order[1:]:
        if silhouettes[int(k)] >= silhouettes[best]:
            best = int(k)
    return best

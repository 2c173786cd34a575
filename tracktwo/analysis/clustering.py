"""Pol.is's k-means, for base clusters (participants) and groups (weighted base clusters).

Every detail below changes results on real conversations, so each follows Pol.is's Clojure
``polismath.math.clusters`` exactly:

- A cold start takes the first k *distinct* points in data order as centres, ids 0..k-1.
- A step assigns each point to the nearest centre, **ties to the last cluster** in the order
  Pol.is iterates its cluster map (insertion order up to 8 clusters, Clojure hash order of the
  cluster ids beyond), drops clusters left empty, and moves each centre to the (weighted) mean
  of its points.
- It stops when, after sorting both centre lists, every centre moved less than 0.01, or after
  ``max_iters`` + 1 steps (the group step passes no iteration count and so runs with Pol.is's
  default of 20; base clusters use 100).
- A warm start (``warm_start``) recentres the previous clusters on their members' new
  positions, merges clusters whose centres coincide, then, while there are fewer clusters than
  ``min(k, distinct points)``, splits off the point farthest from every centre as a new cluster
  (id = largest id + 1).
- The silhouette is computed over the clustered points (base clusters) with the point itself
  excluded from its own cluster's mean distance; a point alone in its cluster scores 0.

Distances use the direct sum of squared differences (as Pol.is), in chunks, so no
n_points x k matrix is held for large n (``kmeans_assign``).
"""

from __future__ import annotations

from functools import partial

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis import kmeans_loops
from tracktwo.analysis.clojure_order import ARRAY_MAP_MAX, hash_set_order
from tracktwo.analysis.kmeans_assign import (
    KD_TREE_ABOVE,
    assign_bounded,
    nearest_distance,
    reassign,
)
from tracktwo.analysis.kmeans_bounds import (
    Bounds,
    UnitMeans,
    WeightedMeans,
    unsettled,
    weighted_centres,
)
from tracktwo.analysis.result import Clustering
from tracktwo.analysis.silhouette import best_k as best_k
from tracktwo.analysis.silhouette import silhouette as silhouette

CONVERGED = 0.01


def first_distinct(points: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """Indices of the first ``k`` distinct rows of ``points`` (shape (n, 2)), in data order.

    Looks at a growing prefix only, so a large ``n`` with many distinct points costs little.
    """
    n = points.shape[0]
    if n == 0 or k <= 0:
        return np.zeros(0, np.int64)
    prefix = min(n, 4 * k)
    while True:
        _unique, first = np.unique(points[:prefix], axis=0, return_index=True)
        if first.shape[0] >= k or prefix == n:
            return np.sort(first)[:k].astype(np.int64)
        prefix = min(n, 4 * prefix)


def n_distinct(points: NDArray[np.float64], at_most: int) -> int:
    """Distinct rows of ``points``, counted up to ``at_most``."""
    return int(first_distinct(points, at_most).shape[0])


def map_iteration(ids: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of the clusters in the order Pol.is's cluster map iterates them."""
    if ids.shape[0] <= ARRAY_MAP_MAX:
        return np.arange(ids.shape[0], dtype=np.int64)
    return hash_set_order(ids)


def same_clustering(
    before: NDArray[np.float64], after: NDArray[np.float64], threshold: float = CONVERGED
) -> bool:
    """Pol.is's test: sort both centre lists, pair them up, every pair closer than threshold."""

    def ordered(c: NDArray[np.float64]) -> NDArray[np.float64]:
        return c[np.lexsort((c[:, 1], c[:, 0]))]

    n = min(before.shape[0], after.shape[0])
    gap = ordered(before)[:n] - ordered(after)[:n]
    return bool(np.all(np.sqrt((gap * gap).sum(axis=1)) < threshold))


def kmeans(
    points: NDArray[np.float64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    max_iters: int,
    weights: NDArray[np.float64] | None = None,
    exact_ties: bool = True,
) -> tuple[Clustering, int]:
    """Pol.is k-means from the given clusters (in Pol.is's list order).

    Returns the clustering sorted by id (labels index into its ``ids``) and the steps run.
    ``exact_ties=False`` assigns points with a k-d tree (see ``assign``).
    """
    clustering, steps, _bounds = kmeans_bounded(
        points, ids, centers, max_iters, weights, exact_ties
    )
    return clustering, steps


def kmeans_bounded(
    points: NDArray[np.float64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    max_iters: int,
    weights: NDArray[np.float64] | None = None,
    exact_ties: bool = True,
    start: Bounds | None = None,
    compiled: bool = False,
) -> tuple[Clustering, int, Bounds]:
    """``kmeans``, and the bounds it ends with (labels into the clustering's ids).

    ``start`` (``kmeans_bounds.carried_bounds``, labels into ``ids``, -1 unknown) lets the
    first step assign only the points its bounds do not settle: the same labels.
    ``compiled`` runs the loops over the points compiled (``kmeans_loops``) from
    ``kmeans_loops.COMPILED_FROM`` points on, without weights: the same bits (an update's
    choice: it loads Numba).
    """
    n = points.shape[0]
    if n == 0 or ids.shape[0] == 0:
        empty = Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), np.full(n, -1, np.int64))
        return empty, 0, Bounds(empty.labels, np.full(n, np.inf), np.zeros(n))
    remaining = max_iters
    steps = 0
    compiled = compiled and weights is None and n >= kmeans_loops.COMPILED_FROM
    means = UnitMeans(points, compiled) if weights is None else WeightedMeans(points, weights)
    if start is None:
        labels, upper, lower = assign_bounded(points, centers, map_iteration(ids), exact_ties)
    else:  # unknown points: any label, no bound (measured below)
        labels, upper, lower = np.maximum(start.labels, 0), start.upper.copy(), start.lower.copy()
    hash_ordered = False  # once in hash order, the ids stay so (dropping keeps the order)
    while True:
        if steps or start is not None:
            order = np.arange(ids.shape[0]) if hash_ordered else map_iteration(ids)
            _settle(points, centers, order, labels, (upper, lower), exact_ties, compiled)
        steps += 1
        new_centers, occupied = means(labels, ids.shape[0])
        moved = np.sqrt(((new_centers - centers) ** 2).sum(axis=1))
        upper += moved.take(labels)
        lower -= moved[occupied].max()
        same = same_clustering(centers, new_centers[occupied])
        position = np.cumsum(occupied) - 1
        ids, centers = ids[occupied], new_centers[occupied]
        if ids.shape[0] + (~occupied).sum() > ARRAY_MAP_MAX and not hash_ordered:
            # the step's map was a hash map: its vals come out in hash order
            order = hash_set_order(ids)
            ids, centers = ids[order], centers[order]
            position = np.argsort(order)[position]
            hash_ordered = True
        if not np.array_equal(position, np.arange(position.shape[0])):
            labels = position[labels]
        if remaining == 0 or same:
            break
        remaining -= 1
    clustering = sorted_clustering(ids, centers, labels)
    return clustering, steps, Bounds(clustering.labels, upper, lower)


def _settle(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    labels: NDArray[np.int64],
    bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    exact_ties: bool,
    compiled: bool,
) -> None:
    """A step's reassignment, in place: the points whose ``bounds`` (upper, lower) do not
    settle them (``unsettled``) reassigned (``reassign``); by ``kmeans_loops`` when
    ``compiled``."""
    upper, lower = bounds
    if compiled:
        again = partial(reassign, exact_ties=exact_ties)
        kmeans_loops.settle(points, centers, order, labels, bounds, KD_TREE_ABOVE, again)
        return
    redo = unsettled(points, centers, labels, upper, lower)
    if redo.shape[0]:
        found = reassign(
            points.take(redo, axis=0), centers, order, labels[redo], upper[redo], exact_ties
        )
        labels[redo], upper[redo], lower[redo] = found


def sorted_clustering(
    ids: NDArray[np.int64], centers: NDArray[np.float64], labels: NDArray[np.int64]
) -> Clustering:
    order = np.argsort(ids, kind="stable")
    rank = np.argsort(order)
    out = np.append(rank, -1).take(labels)  # -1 (the last entry) stays -1
    return Clustering(ids[order].astype(np.int64), centers[order], out.astype(np.int64, copy=False))


def cold_start(
    points: NDArray[np.float64], k: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Pol.is's ``init-clusters``: the first k distinct points, ids 0..k-1."""
    first = first_distinct(points, k)
    return np.arange(first.shape[0], dtype=np.int64), points[first].copy()


def warm_start(
    points: NDArray[np.float64],
    previous_ids: NDArray[np.int64],
    members: NDArray[np.int64],
    k: int,
    weights: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Pol.is's ``clean-start-clusters``: previous clusters readied for the new data.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
    previous_ids : ndarray of int64, shape (m,)
        The previous clusters' ids, in Pol.is's list order.
    members : ndarray of int64, shape (n,)
        Each point's previous cluster (index into ``previous_ids``), -1 for new points.
    k : int
    weights : ndarray, shape (n,), optional

    Returns
    -------
    ids, centers : the clusters to start k-means from, in list order.
    """
    n = points.shape[0]
    m = previous_ids.shape[0]
    if n == 0:
        return np.zeros(0, np.int64), np.zeros((0, 2))
    present = np.bincount(members + 1, minlength=m + 1)[1:] > 0  # new points (-1) counted apart
    centers: NDArray[np.float64] | None = None  # None: the means of ``labels`` to take
    if present.any():
        position = np.full(m + 1, -1, np.int64)  # previous index -> kept index; -1 -> -1
        position[:m] = np.cumsum(present) - 1
        labels = position[members]
        ids = [int(i) for i in previous_ids[present]]
        means, _total = weighted_centres(points, weights, labels, len(ids))
        merged, ids, _centres = _merge_identical(labels, ids, means)
        if merged is labels:  # nothing merged: the means stand
            centers = means
        labels = merged
    else:  # nothing left: one big cluster (Pol.is: id = largest previous id + 1)
        labels = np.zeros(n, np.int64)
        ids = [int(previous_ids.max()) + 1 if m else 0]
    possible: int | None = None  # distinct points up to k: counted only with fewer ids
    while True:
        if centers is None:
            centers, _total = weighted_centres(points, weights, labels, len(ids))
        if len(ids) >= k:
            break
        possible = n_distinct(points, k) if possible is None else possible
        if possible <= len(ids):
            break
        distance = nearest_distance(points, centers)
        outlier = int(n - 1 - np.argmax(distance[::-1]))  # ties: the last point
        if not distance[outlier] > 0:
            break
        labels[outlier] = len(ids)
        ids.append(max(ids) + 1)
        centers = None
    return np.array(ids, np.int64), centers


def _merge_identical(
    labels: NDArray[np.int64],
    ids: list[int],
    centers: NDArray[np.float64],
) -> tuple[NDArray[np.int64], list[int], NDArray[np.float64]]:
    """Pol.is's ``uniqify-clusters``: clusters with identical centres are merged (the merged
    cluster takes the id of the one with more members, the later one on ties)."""
    if np.unique(centers, axis=0).shape[0] == centers.shape[0]:
        return labels, ids, centers
    sizes = np.bincount(labels[labels >= 0], minlength=len(ids)).astype(np.float64)
    target = np.arange(len(ids))
    new_ids: list[int] = []
    new_centers: list[NDArray[np.float64]] = []
    new_sizes: list[float] = []
    for j in range(len(ids)):
        match = next((i for i, c in enumerate(new_centers) if np.array_equal(c, centers[j])), None)
        if match is None:
            target[j] = len(new_ids)
            new_ids.append(ids[j])
            new_centers.append(centers[j])
            new_sizes.append(float(sizes[j]))
            continue
        target[j] = match
        a, b = new_sizes[match], float(sizes[j])
        new_ids[match] = new_ids[match] if a > b else ids[j]
        if a + b > 0:
            new_centers[match] = (new_centers[match] * a + centers[j] * b) / (a + b)
        new_sizes[match] = a + b
    relabelled = np.where(labels >= 0, target[np.maximum(labels, 0)], -1).astype(np.int64)
    return relabelled, new_ids, np.array(new_centers, np.float64).reshape(-1, 2)

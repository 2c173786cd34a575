"""The parts of a k-means step that let it skip work without changing its result.

``clustering.kmeans`` recomputes, after the first step, only the points whose centre may no
longer be the nearest (``unsettled``), and takes the clusters' means with as few passes over
the points as the same numbers allow (``UnitMeans``). Both are exact: a point is skipped only
when its centre is nearer than every other by a margin (``SKIP_MARGIN``, relative and absolute,
far above rounding), so no tie is ever skipped and every tie rule would give that centre; the
means are the same sums, in the same order, as ``weighted_centres`` with unit weights.
The points recomputed are compared first with their centre's nearest centres only
(``reassign_near``): the direct comparison's labels and distances wherever the triangle
inequality shows that no farther centre can come nearer than the second nearest.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    other = gap.take(labels)  # clear(upper, max(lower, gap - upper)), in place
    other -= upper
    np.maximum(lower, other, out=other)
    bound = upper * (1.0 + SKIP_MARGIN)
    bound += SKIP_MARGIN
    settled = np.less(bound, other, out=np.empty(labels.shape[0], np.bool_))
    maybe = np.flatnonzero(np.logical_not(settled, out=settled))
    own = points.take(maybe, axis=0) - centers.take(labels[maybe], axis=0)
    near = np.sqrt(own[:, 0] * own[:, 0] + own[:, 1] * own[:, 1])
    far = np.maximum(lower[maybe], gap[labels[maybe]] - near)
    upper[maybe], lower[maybe] = near, far
    return maybe[~clear(near, far)]


CANDIDATES = 8  # centres nearest its own that a redone point is compared with first


def reassign_near(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    labels: NDArray[np.int64],
    near: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """The direct assignment (``kmeans_assign.assign_bounded``, ties to the last centre in
    ``order``) of the points it can settle comparing each with its centre's nearest centres.

    A point at distance ``near`` from its centre ``a`` is at least ``|a - c| - near`` from any
    centre ``c`` (triangle inequality). Compared with the ``W`` centres nearest ``a`` (``a``
    itself among them), the rest are all at least ``beyond`` = (the ``W``-th nearest's distance
    from ``a``) - ``near`` away. When both its own and its second-nearest candidate are nearer
    than ``beyond`` by the margin, the nearest and second-nearest centre are candidates, and the
    candidates, in ``order``'s backward order, give the direct assignment's label, distance and
    second distance bit for bit (the same squared differences, the same first minimum).

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
    centers : ndarray of float64, shape (k, 2)
    order : ndarray of int64, shape (k,)
        The centres in Pol.is's map order (ties go to the last).
    labels : ndarray of int64, shape (n,)
        Each point's current centre (index into ``centers``).
    near : ndarray of float64, shape (n,)
        Each point's exact distance to its current centre.

    Returns
    -------
    labels, near, second : ndarrays, shape (n,)
        The direct assignment's, for the settled points (anything elsewhere).
    rest : ndarray of int64
        The points not settled, for the direct assignment.
    """
    n, k = points.shape[0], centers.shape[0]
    if not 0 < CANDIDATES < k:  # nothing to skip: every point direct
        return np.empty(n, np.int64), np.empty(n), np.empty(n), np.arange(n, dtype=np.int64)
    group, reach = candidates(centers, order)
    best, first, second = _nearest_two(points, centers, group.T.copy()[:, labels])
    beyond = reach[labels]
    beyond -= near
    return best, first, second, np.flatnonzero(~clear(second, beyond))


def candidates(
    centers: NDArray[np.float64], order: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each centre's ``CANDIDATES`` nearest centres (itself among them), in ``order``'s
    backward order, shape (k, CANDIDATES), and its distance to the nearest centre beyond them,
    shape (k,) (``k > CANDIDATES``)."""
    k = centers.shape[0]
    rank = np.empty(k, np.int64)
    rank[order[::-1]] = np.arange(k)  # position in the direct assignment's column order
    dx = centers[:, 0:1] - centers[None, :, 0]
    dy = centers[:, 1:2] - centers[None, :, 1]
    between = np.sqrt(dx * dx + dy * dy)
    nearest = np.argpartition(between, CANDIDATES, axis=1)  # the nearest first, then the next
    reach = between[np.arange(k), nearest[:, CANDIDATES]]
    group = nearest[:, :CANDIDATES]
    group = np.take_along_axis(group, np.argsort(rank[group], axis=1), axis=1)
    return group.astype(np.int64, copy=False), reach


def _nearest_two(
    points: NDArray[np.float64], centers: NDArray[np.float64], columns: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Among the centres ``columns`` (shape (w, n): per point, in order), each point's first
    nearest and the distances to it and to the next nearest (squared differences as
    ``kmeans_assign.squared_distances``; ties to the first column)."""
    px, py = points[:, 0].copy(), points[:, 1].copy()
    cx, cy = centers[:, 0].copy(), centers[:, 1].copy()
    first = np.full(px.shape[0], np.inf)
    second = np.full(px.shape[0], np.inf)
    best = np.zeros(px.shape[0], np.int64)
    d, e = np.empty_like(px), np.empty_like(px)
    better = np.empty(px.shape[0], np.bool_)
    for column in columns:
        np.subtract(px, cx.take(column), out=d)
        d *= d
        np.subtract(py, cy.take(column), out=e)
        e *= e
        d += e
        np.less(d, first, out=better)
        np.copyto(best, column, where=better)
        np.minimum(second, np.maximum(first, d, out=e), out=second)
        np.minimum(first, d, out=first)
    return best, np.sqrt(first), np.sqrt(second)


def weighted_centres(
    points: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    labels: NDArray[np.int64],
    k: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(Weighted) mean of each cluster's points, shape (k, 2), and the weight per cluster.

    Unclustered points (-1) are summed in a bin of their own, dropped: each cluster's sums are
    the same additions in the same order; unit weights count (``1.0 * x`` is ``x``)."""
    lab = np.where(labels >= 0, labels, k)
    x, y = points[:, 0], points[:, 1]
    if weights is not None:
        x, y = weights * x, weights * y
    total = np.bincount(lab, weights, minlength=k + 1)[:k].astype(np.float64)
    sx = np.bincount(lab, x, minlength=k + 1)[:k]
    sy = np.bincount(lab, y, minlength=k + 1)[:k]
    safe = np.where(total > 0, total, 1.0)
    return np.stack([sx / safe, sy / safe], axis=1), total


class WeightedMeans:
    """Each cluster's weighted mean and whether it has points (:func:`weighted_centres`)."""

    def __init__(self, points: NDArray[np.float64], weights: NDArray[np.float64]) -> None:
        self.points, self.weights = points, weights

    def __call__(
        self, labels: NDArray[np.int64], k: int
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        centres, _total = weighted_centres(self.points, self.weights, labels, k)
        return centres, np.bincount(labels, minlength=k) > 0


class UnitMeans:
    """Each cluster's mean and whether it has points, for points of weight 1: the numbers of
    ``weighted_centres`` (the same sums in the same order) from one count and two
    sums over coordinates copied once per run."""

    def __init__(self, points: NDArray[np.float64], compiled: bool = False) -> None:
        self.points, self.compiled = points, compiled  # compiled: ``kmeans_loops``' sums
        if not compiled:
            self.x, self.y = points[:, 0].copy(), points[:, 1].copy()

    def __call__(
        self, labels: NDArray[np.int64], k: int
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        if self.compiled:
            from tracktwo.analysis.kmeans_loops import cluster_sums

            counts, sx, sy = cluster_sums(self.points, labels, k)
        else:
            counts = np.bincount(labels, minlength=k).astype(np.int64, copy=False)
            sx = np.bincount(labels, weights=self.x, minlength=k).astype(np.float64, copy=False)
            sy = np.bincount(labels, weights=self.y, minlength=k).astype(np.float64, copy=False)
        total = counts.astype(np.float64)
        safe = np.where(total > 0, total, 1.0)
        return np.stack([sx / safe, sy / safe], axis=1), counts > 0


@dataclass(frozen=True, eq=False)
class Bounds:
    """Where each point's last k-means left it: its cluster and the bounds on its distances.

    Attributes
    ----------
    labels : ndarray of int64, shape (n,)
        Index of each point's cluster in the clustering's (sorted) ids, -1 when unclustered.
    upper, lower : ndarray of float64, shape (n,)
        Upper bound on the distance to its centre, lower bound on the distance to any other.
    """

    labels: NDArray[np.int64]
    upper: NDArray[np.float64]
    lower: NDArray[np.float64]


def carried_bounds(
    points: NDArray[np.float64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    old_points: NDArray[np.float64],
    old_ids: NDArray[np.int64],
    old_centers: NDArray[np.float64],
    old: Bounds,
) -> Bounds:
    """The previous k-means' bounds, widened to start the next one without a full assignment.

    A point moved by ``|p - p_old|`` and each centre kept from the previous clustering (same id)
    by ``|c - c_old|``; by the triangle inequality the distance to its centre grew by at most
    the sum of its own move and its centre's, and the distance to any other kept centre shrank
    by at most its own move and the largest centre move. Centres that are new (no previous
    centre with their id) are measured exactly. Points whose previous cluster is gone, or that
    were not clustered, are marked unknown (label -1): the k-means assigns them in full.

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
    ids : ndarray of int64, shape (k,)
        The clusters the k-means starts from, in its list order; ``centers`` shape (k, 2).
    old_points : ndarray of float64, shape (n, 2)
        The same points' previous positions (any value where ``old.labels`` is -1).
    old_ids : ndarray of int64, shape (m,)
        The previous clustering's ids (ascending); ``old_centers`` shape (m, 2).
    old : Bounds
        The previous k-means' labels (into ``old_ids``) and bounds, per point.

    Returns
    -------
    Bounds : labels into ``ids`` (-1: unknown) and bounds for ``centers``.
    """
    k = ids.shape[0]
    at = np.clip(np.searchsorted(old_ids, ids), 0, max(old_ids.shape[0] - 1, 0))
    kept = (old_ids[at] == ids) if old_ids.shape[0] else np.zeros(k, np.bool_)
    gap = centers - old_centers[at] if old_ids.shape[0] else np.zeros((k, 2))
    shift = np.sqrt(gap[:, 0] * gap[:, 0] + gap[:, 1] * gap[:, 1])
    widest = float(shift[kept].max()) if kept.any() else 0.0
    # previous index -> start list, and -1 (last entry) -> -1
    position = np.full(max(old_ids.shape[0], 1) + 1, -1, np.int64)
    position[at[kept]] = np.flatnonzero(kept)
    labels = position[old.labels]
    move = points - old_points
    move *= move
    step = move[:, 0] + move[:, 1]
    np.sqrt(step, out=step)
    unknown = np.flatnonzero((labels < 0) | ~np.isfinite(step))
    labels[unknown] = -1
    upper = old.upper + step
    upper += np.append(shift, 0.0)[labels]
    upper[unknown] = np.inf
    lower = old.lower - step
    lower -= widest
    lower[unknown] = 0.0
    for c in np.flatnonzero(~kept):  # a centre split off afresh: measured
        own = points - centers[c]
        np.minimum(lower, np.sqrt(own[:, 0] * own[:, 0] + own[:, 1] * own[:, 1]), out=lower)
    return Bounds(labels, upper, np.maximum(lower, 0.0, out=lower))


def start_of(
    points: NDArray[np.float64],
    sample: NDArray[np.int64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    old_projection: NDArray[np.float64],
    old_clusters: tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]],
    old: Bounds | None,
) -> Bounds | None:
    """:func:`carried_bounds` for the participants ``sample`` of an update (none without
    ``old``: the previous result kept no bounds).

    Parameters
    ----------
    points : ndarray of float64, shape (len(sample), 2)
        The participants' positions now.
    sample : ndarray of int64
        Participant indices; those at or past ``old_projection``'s length are new.
    ids, centers : the clusters the k-means starts from (list order), shapes (k,), (k, 2).
    old_projection : ndarray of float64, shape (n_old, 2)
        Every participant's previous position.
    old_clusters : (ids, centers, labels)
        The previous clustering: ids ascending, shape (m,); centres (m, 2); each old
        participant's label into those ids, shape (n_old,), -1 when unclustered.
    old : Bounds, optional
        The previous bounds per old participant (its ``labels`` unused: ``old_clusters``').
    """
    if old is None:
        return None
    n, n_old = sample.shape[0], old_projection.shape[0]
    if n_old == 0:  # nobody to carry: every participant unknown
        labels, before = np.full(n, -1, np.int64), np.zeros_like(points)
        upper, lower = np.full(n, np.inf), np.zeros(n)
    else:  # gathered in one pass each; new participants (past the old ones) unknown
        new = np.flatnonzero(sample >= n_old)
        at = np.minimum(sample, n_old - 1) if new.shape[0] else sample
        labels, before = old_clusters[2][at], old_projection.take(at, axis=0)
        upper, lower = old.upper[at], old.lower[at]
        labels[new], upper[new], lower[new] = -1, np.inf, 0.0
    previous = Bounds(labels, upper, lower)
    return carried_bounds(points, ids, centers, before, old_clusters[0], old_clusters[1], previous)


def per_participant(bounds: Bounds, members: NDArray[np.int64], n: int) -> Bounds:
    """``bounds`` over the points ``members`` spread to ``n`` participants (label -1, no
    bounds elsewhere)."""
    labels = np.full(n, -1, np.int64)
    upper, lower = np.full(n, np.inf), np.zeros(n)
    labels[members], upper[members], lower[members] = bounds.labels, bounds.upper, bounds.lower
    return Bounds(labels, upper, lower)

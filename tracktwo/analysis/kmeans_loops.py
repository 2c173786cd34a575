"""The base k-means' loops over its points, compiled: bounds, reassignment and sums.

After its first step, ``clustering.kmeans_bounded`` tests every point's bounds
(``kmeans_bounds.unsettled``), reassigns those not settled, first against their centre's
nearest centres (``kmeans_bounds.reassign_near``), then against every centre
(``kmeans_assign.assign_bounded``), and sums each cluster's points (``kmeans_bounds.UnitMeans``).
In NumPy each is a dozen passes over the points with temporaries between them: about 2 ms a
step over the 61,000 clustered participants of a 100k replay's late update, four steps an
update. The loops below make one pass each. Every number is the same expression on the same
operands in the same order (no fast-math, so no fused multiply-add), minima and maxima follow
NumPy's rules (NaN wins), sums run in point order from 0.0 as ``np.bincount`` adds: the same labels,
bounds and centres, bit for bit, which the tests compare.

Numba is imported, and the loops compiled (cached on disk after the first time), only by
updates (``engine.update``) clustering at least ``COMPILED_FROM`` points.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.kmeans_bounds import CANDIDATES, NEIGHBOURS_UP_TO, SKIP_MARGIN

__all__ = [
    "COMPILED_FROM",
    "cluster_sums",
    "near_centres",
    "nearest_other",
    "reassign",
    "settle",
    "unsettled",
]

Arrays = tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]
Reassign = Callable[
    [NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64],
     NDArray[np.float64]],
    Arrays,
]  # fmt: skip

COMPILED_FROM = 10_000
"""Points from which an update's base k-means runs the compiled loops."""

_GROW = 1.0 + SKIP_MARGIN  # as kmeans_bounds.clear computes it


def unsettled(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    gap: NDArray[np.float64],
    labels: NDArray[np.int64],
    upper: NDArray[np.float64],
    lower: NDArray[np.float64],
) -> NDArray[np.int64]:
    """``kmeans_bounds.unsettled`` with each centre's distance to its nearest other ``gap``
    (``kmeans_bounds.nearest_other``): the points to reassign, bounds tightened in place.

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
    centers : ndarray of float64, shape (k, 2)
    gap : ndarray of float64, shape (k,)
    labels : ndarray of int64, shape (n,)
    upper, lower : ndarray of float64, shape (n,)
    """
    redo = np.empty(points.shape[0], np.int64)
    count = _kernels()[0](points, centers, gap, labels, upper, lower, SKIP_MARGIN, _GROW, redo)
    return redo[:count]


def reassign(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    backwards: NDArray[np.int64],
    group: NDArray[np.int64],
    reach: NDArray[np.float64],
    redo: NDArray[np.int64],
    labels: NDArray[np.int64],
    upper: NDArray[np.float64],
    lower: NDArray[np.float64],
) -> None:
    """The points ``redo`` reassigned in place, as ``kmeans_assign.reassign`` does with direct
    comparisons: each against its centre's candidates (``kmeans_bounds.reassign_near``), and,
    where they do not settle it, against every centre; ``labels`` gets its nearest centre,
    ``upper`` the distance to it and ``lower`` to the next nearest. ``upper`` holds each
    point's exact distance to its current centre on entry.

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
    centers : ndarray of float64, shape (k, 2)
    backwards : ndarray of int64, shape (k,)
        The centres in reverse of Pol.is's map order (the first minimum wins: ties go to the
        last centre in map order).
    group : ndarray of int64, shape (k, w)
        Each centre's ``w`` nearest centres (itself among them), in ``backwards`` order.
    reach : ndarray of float64, shape (k,)
        Each centre's distance to its nearest centre outside ``group``.
    redo : ndarray of int64
    labels : ndarray of int64, shape (n,)
    upper, lower : ndarray of float64, shape (n,)
    """
    _kernels()[1](
        points, centers, backwards, group, reach, redo, labels, upper, lower, SKIP_MARGIN, _GROW
    )


def settle(
    points: NDArray[np.float64],
    centers: NDArray[np.float64],
    order: NDArray[np.int64],
    labels: NDArray[np.int64],
    bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    direct_up_to: int,
    fallback: Reassign,
) -> None:
    """A k-means step's reassignment, in place: :func:`unsettled`, then :func:`reassign` of
    the points it leaves where the direct comparison would run (more than ``CANDIDATES``
    centres, at most ``direct_up_to`` points x centres), else ``fallback`` (``points``,
    ``centers``, ``order``, labels and exact distances of the points left; their new labels,
    distances and second distances), as ``kmeans_assign.reassign`` does.

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
    centers : ndarray of float64, shape (k, 2)
    order : ndarray of int64, shape (k,)
        The centres in Pol.is's map order (ties go to the last).
    labels : ndarray of int64, shape (n,)
    bounds : (upper, lower), ndarrays of float64, shape (n,) each
    direct_up_to : int
    fallback : callable
    """
    upper, lower = bounds
    redo = unsettled(points, centers, nearest_other(centers), labels, upper, lower)
    k = centers.shape[0]
    if not redo.shape[0]:
        return
    if 0 < CANDIDATES < k and redo.shape[0] * k <= direct_up_to:
        group, reach = near_centres(centers, order)
        backwards = order[::-1].copy()
        reassign(points, centers, backwards, group, reach, redo, labels, upper, lower)
        return
    found = fallback(points.take(redo, axis=0), centers, order, labels[redo], upper[redo])
    labels[redo], upper[redo], lower[redo] = found


def nearest_other(centers: NDArray[np.float64]) -> NDArray[np.float64]:
    """``kmeans_bounds.nearest_other``: each centre's distance to the nearest other one
    (``-inf`` when not computed), shape (k,); the square root of the least sum of squares, as
    NumPy's minimum of them (NaN wins)."""
    k = centers.shape[0]
    if not 1 < k <= NEIGHBOURS_UP_TO:
        return np.full(k, -np.inf)
    gap = np.empty(k)
    _kernels()[3](centers, gap)
    return gap


def near_centres(
    centers: NDArray[np.float64], order: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """``kmeans_bounds.candidates`` (``k > CANDIDATES``): each centre's ``CANDIDATES``
    nearest centres (itself among them) in ``order``'s backward order, shape
    (k, CANDIDATES), and its distance to the nearest centre beyond them, shape (k,). Where
    distances tie at the edge of the candidates, the one kept may differ from
    ``np.argpartition``'s; the distance beyond them does not, and any kept gives the same
    reassignment (a centre beyond them is never nearer than that distance less the point's
    distance to its own)."""
    k = centers.shape[0]
    rank = np.empty(k, np.int64)
    rank[order[::-1]] = np.arange(k)  # position in the direct assignment's column order
    group, reach = np.empty((k, CANDIDATES), np.int64), np.empty(k)
    _kernels()[4](centers, rank, group, reach)
    return group, reach


def _gaps(centers: Any, gap: Any) -> None:
    k = centers.shape[0]
    for a in range(k):
        least = np.inf
        for c in range(k):
            if c == a:
                continue
            dx = centers[a, 0] - centers[c, 0]
            dy = centers[a, 1] - centers[c, 1]
            d = dx * dx + dy * dy
            least = least if least <= d or least != least else d  # np.minimum
        gap[a] = np.sqrt(least)


def _near(centers: Any, rank: Any, group: Any, reach: Any) -> None:
    k, w = centers.shape[0], group.shape[1]
    best = np.empty(w + 1)  # the w + 1 nearest, ascending (insertion)
    which = np.empty(w + 1, np.int64)
    for a in range(k):
        filled = 0
        for c in range(k):
            dx = centers[a, 0] - centers[c, 0]
            dy = centers[a, 1] - centers[c, 1]
            d = np.sqrt(dx * dx + dy * dy)
            if filled == w + 1 and not d < best[w]:
                continue
            at = min(filled, w)
            while at > 0 and d < best[at - 1]:
                best[at], which[at] = best[at - 1], which[at - 1]
                at -= 1
            best[at], which[at] = d, c
            filled = min(filled + 1, w + 1)
        reach[a] = best[w]
        for i in range(w):  # the w nearest by rank (insertion)
            c = which[i]
            at = i
            while at > 0 and rank[group[a, at - 1]] > rank[c]:
                group[a, at] = group[a, at - 1]
                at -= 1
            group[a, at] = c


def cluster_sums(
    points: NDArray[np.float64], labels: NDArray[np.int64], k: int
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Each cluster's point count and sums of x and of y (``np.bincount``'s numbers), shapes
    (k,); ``labels`` index into the ``k`` clusters."""
    counts, sx, sy = np.zeros(k, np.int64), np.zeros(k), np.zeros(k)
    _kernels()[2](points, labels, counts, sx, sy)
    return counts, sx, sy


def _unsettled(
    points: Any,
    centers: Any,
    gap: Any,
    labels: Any,
    upper: Any,
    lower: Any,
    margin: float,
    grow: float,
    redo: Any,
) -> int:
    count = 0
    for i in range(points.shape[0]):
        c = labels[i]
        u = upper[i]
        low = lower[i]
        other = gap[c] - u
        other = low if low >= other or low != low else other  # np.maximum
        if u * grow + margin < other:
            continue
        ox = points[i, 0] - centers[c, 0]
        oy = points[i, 1] - centers[c, 1]
        near = np.sqrt(ox * ox + oy * oy)
        far = gap[c] - near
        far = low if low >= far or low != low else far
        upper[i] = near
        lower[i] = far
        if not near * grow + margin < far:
            redo[count] = i
            count += 1
    return count


def _reassign(
    points: Any,
    centers: Any,
    backwards: Any,
    group: Any,
    reach: Any,
    redo: Any,
    labels: Any,
    upper: Any,
    lower: Any,
    margin: float,
    grow: float,
) -> None:
    k = centers.shape[0]
    for p in redo:
        px = points[p, 0]
        py = points[p, 1]
        own = labels[p]
        first = np.inf
        second = np.inf
        best = 0
        for w in range(group.shape[1]):  # the candidates (kmeans_bounds._nearest_two)
            c = group[own, w]
            d = px - centers[c, 0]
            d = d * d
            e = py - centers[c, 1]
            e = e * e
            d = d + e
            if d < first:
                best = c
            top = first if first >= d or first != first else d  # np.maximum(first, d)
            second = second if second <= top or second != second else top  # np.minimum
            first = first if first <= d or first != first else d
        first = np.sqrt(first)
        second = np.sqrt(second)
        if second * grow + margin < reach[own] - upper[p]:
            labels[p] = best
            upper[p] = first
            lower[p] = second
            continue
        at = -1  # every centre (kmeans_assign.assign_bounded): the first minimum, backwards
        first = np.inf
        second = np.inf
        for j in range(k):
            c = backwards[j]
            d = px - centers[c, 0]
            d = d * d
            e = py - centers[c, 1]
            e = e * e
            d = d + e
            if at < 0 or d < first:
                if at >= 0:  # the old minimum is now among the others
                    second = second if second <= first else first
                at = j
                first = d
            else:
                second = second if second <= d else d
        labels[p] = backwards[at]
        upper[p] = np.sqrt(first)
        lower[p] = np.sqrt(second)


def _sums(points: Any, labels: Any, counts: Any, sx: Any, sy: Any) -> None:
    for i in range(points.shape[0]):
        c = labels[i]
        counts[c] += 1
        sx[c] += points[i, 0]
        sy[c] += points[i, 1]


@cache
def _kernels() -> tuple[Callable[..., Any], ...]:
    """The loops compiled (once per process; from Numba's disk cache after the first)."""
    import numba

    compile_ = numba.njit(cache=True, nogil=True, fastmath=False, boundscheck=False)
    loops = (_unsettled, _reassign, _sums, _gaps, _near)
    return tuple(compile_(loop) for loop in loops)

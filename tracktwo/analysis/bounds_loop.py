"""The bounds an update's base k-means starts from, carried from the last one: one compiled pass.

``kmeans_bounds.start_of`` gathers each sampled participant's previous label, position and
bounds, and ``kmeans_bounds.carried_bounds`` widens the bounds by how far the participant and
the centres moved: in NumPy about fifteen passes over the points with temporaries between
them, 1.4 ms an update over the 61,000 clustered participants of a 100k replay's late update.
:func:`carried_start` makes them in one pass per point, with the same expression on the same
operands in the same order (no fast-math, so no fused multiply-add) and NumPy's minimum and
maximum (NaN wins): the same labels and bounds, bit for bit, which the tests compare.

Numba is imported, and the loop compiled (cached on disk after the first time), only by
updates clustering at least ``kmeans_loops.COMPILED_FROM`` points.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.kmeans_bounds import Bounds

__all__ = ["carried_start"]


def carried_start(
    points: NDArray[np.float64],
    sample: NDArray[np.int64],
    ids: NDArray[np.int64],
    centers: NDArray[np.float64],
    old_projection: NDArray[np.float64],
    old_clusters: tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]],
    old: Bounds,
) -> Bounds:
    """``kmeans_bounds.start_of`` (with its previous bounds ``old``) by the compiled loop.

    Parameters
    ----------
    points : ndarray of float64, shape (n, 2)
        The sampled participants' positions now.
    sample : ndarray of int64, shape (n,)
        Their indices; those at or past ``old_projection``'s length are new.
    ids, centers : ndarrays, shapes (k,), (k, 2)
        The clusters the k-means starts from (list order).
    old_projection : ndarray of float64, shape (n_old, 2)
    old_clusters : (ids, centers, labels)
        The previous clustering: ids ascending, shape (m,); centres (m, 2); each old
        participant's label into those ids, shape (n_old,), -1 when unclustered.
    old : Bounds
        The previous bounds per old participant.
    """
    old_ids, old_centers, old_labels = old_clusters
    k, n = ids.shape[0], sample.shape[0]
    at = np.clip(np.searchsorted(old_ids, ids), 0, max(old_ids.shape[0] - 1, 0))
    kept = (old_ids[at] == ids) if old_ids.shape[0] else np.zeros(k, np.bool_)
    gap = centers - old_centers[at] if old_ids.shape[0] else np.zeros((k, 2))
    shift = np.sqrt(gap[:, 0] * gap[:, 0] + gap[:, 1] * gap[:, 1])
    widest = float(shift[kept].max()) if kept.any() else 0.0
    position = np.full(max(old_ids.shape[0], 1) + 1, -1, np.int64)  # -1 (the last) -> -1
    position[at[kept]] = np.flatnonzero(kept)
    labels, upper, lower = np.empty(n, np.int64), np.empty(n), np.empty(n)
    fresh = np.ascontiguousarray(centers[~kept])  # centres split off afresh: measured
    _kernel()(
        points, sample, old_projection, old_labels, old.upper, old.lower, position, shift,
        widest, fresh, labels, upper, lower,
    )  # fmt: skip
    return Bounds(labels, upper, lower)


def _carry(
    points: Any,
    sample: Any,
    old_points: Any,
    old_labels: Any,
    old_upper: Any,
    old_lower: Any,
    position: Any,
    shift: Any,
    widest: float,
    fresh: Any,
    labels: Any,
    upper: Any,
    lower: Any,
) -> None:
    n_old = old_points.shape[0]
    for i in range(sample.shape[0]):
        s = sample[i]
        label, up, low, bx, by = -1, np.inf, 0.0, 0.0, 0.0
        if n_old > 0:
            at = min(s, n_old - 1)
            bx, by = old_points[at, 0], old_points[at, 1]
            if s < n_old:
                label, up, low = old_labels[at], old_upper[at], old_lower[at]
        label = position[label] if label >= 0 else -1
        mx = points[i, 0] - bx
        my = points[i, 1] - by
        step = np.sqrt(mx * mx + my * my)
        if label < 0 or not np.isfinite(step):
            label, up, low = -1, np.inf, 0.0
        else:
            up = (up + step) + shift[label]
            low = (low - step) - widest
        for c in range(fresh.shape[0]):
            ox = points[i, 0] - fresh[c, 0]
            oy = points[i, 1] - fresh[c, 1]
            d = np.sqrt(ox * ox + oy * oy)
            low = low if low <= d or low != low else d  # np.minimum
        labels[i] = label
        upper[i] = up
        lower[i] = low if low >= 0.0 or low != low else 0.0  # np.maximum


@cache
def _kernel() -> Callable[..., None]:
    """The loop compiled (once per process; from Numba's disk cache after the first)."""
    import numba

    compiled: Callable[..., None] = numba.njit(
        cache=True, nogil=True, fastmath=False, boundscheck=False
    )(_carry)
    return compiled

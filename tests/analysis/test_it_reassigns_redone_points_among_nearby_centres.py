"""Comparing a redone point only with its centre's nearest centres gives the direct assignment's
label (ties to the last centre in map order), distance and second distance, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.clustering import map_iteration
from tracktwo.analysis.kmeans_assign import assign_bounded, reassign
from tracktwo.analysis.kmeans_bounds import CANDIDATES, reassign_near


def bits_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize(
    ("k", "grid", "order_kind"),
    [
        (100, True, "hash"),  # many exact ties, Pol.is's hash order of 100 ids
        (100, False, "reversed"),
        (30, True, "shuffled"),
        (8, True, "identity"),  # up to 8 centres: the map keeps insertion order
        (5, False, "identity"),  # fewer centres than candidates: all direct
    ],
)
def test_it_reassigns_redone_points_among_nearby_centres(
    k: int, grid: bool, order_kind: str
) -> None:
    rng = np.random.default_rng(k + 7 * grid)
    n = 6_000
    points = rng.normal(0, 3, size=(n, 2))
    centres = rng.normal(0, 3, size=(k, 2))
    if grid:  # on a half-unit grid, many points are exactly as far from two centres
        points, centres = np.round(points * 2) / 2, np.round(centres * 2) / 2
        centres = np.unique(centres, axis=0)[rng.permutation(np.unique(centres, axis=0).shape[0])]
        k = centres.shape[0]
    order = {
        "hash": map_iteration(np.arange(k, dtype=np.int64) * 3 + 1),
        "reversed": np.arange(k, dtype=np.int64)[::-1].copy(),
        "shuffled": rng.permutation(k).astype(np.int64),
        "identity": np.arange(k, dtype=np.int64),
    }[order_kind]
    labels = assign_bounded(points, centres, order)[0]
    # the centres move a little: every point is redone from its old centre
    moved = centres + rng.normal(0, 0.05, size=centres.shape)
    if grid:
        moved = np.round(moved * 4) / 4
    own = points - moved[labels]
    exact = np.sqrt(own[:, 0] * own[:, 0] + own[:, 1] * own[:, 1])
    direct = assign_bounded(points, moved, order)
    got_labels, got_near, got_second, rest = reassign_near(points, moved, order, labels, exact)
    settled = np.setdiff1d(np.arange(n), rest)
    if k > CANDIDATES:
        assert settled.shape[0] > n // 2  # most points settle among the nearby centres
    else:
        assert settled.shape[0] == 0
    for got, want in zip((got_labels, got_near, got_second), direct, strict=True):
        assert bits_equal(got[settled], want[settled])
    whole = reassign(points, moved, order, labels, exact, True)
    for got, want in zip(whole, direct, strict=True):
        assert bits_equal(got, want)
    if grid:  # ties were there to break, among the points compared with nearby centres
        tied = direct[2] == direct[1]
        assert tied[settled if k > CANDIDATES else slice(None)].sum() > 10

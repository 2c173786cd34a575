"""The base k-means' compiled loops (``kmeans_loops``: bounds, reassignment, cluster sums)
give bit for bit the labels, centres, steps and bounds of the NumPy loops: from a cold start
and from carried bounds, with ties (points on a lattice), with few clusters and many (their
ids then iterate in hash order), on a direct comparison and where a k-d tree assigns."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis import kmeans_loops
from tracktwo.analysis.clustering import cold_start, kmeans_bounded, warm_start
from tracktwo.analysis.kmeans_bounds import Bounds, carried_bounds


def lattice(n: int, seed: int) -> np.ndarray:
    """Points on a coarse grid around a few middles: many exact ties between centres."""
    rng = np.random.default_rng(seed)
    middles = rng.integers(-6, 7, size=(5, 2))
    return (middles[rng.integers(0, 5, n)] + rng.integers(-3, 4, size=(n, 2))).astype(np.float64)


def assert_same_run(
    plain: tuple[object, int, Bounds], compiled: tuple[object, int, Bounds]
) -> None:
    (a, a_steps, a_bounds), (b, b_steps, b_bounds) = plain, compiled
    assert a_steps == b_steps
    for name in ("ids", "centers", "labels"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("labels", "upper", "lower"):
        np.testing.assert_array_equal(
            getattr(a_bounds, name), getattr(b_bounds, name), err_msg=name
        )


@pytest.mark.parametrize("exact_ties", [True, False])
@pytest.mark.parametrize(
    ("n", "k"), [(3_000, 5), (3_000, 10), (12_000, 12), (3_000, 40), (12_000, 100)]
)
@pytest.mark.parametrize("make", [lattice, "normal"])
def test_it_clusters_from_a_cold_start_with_the_same_bits(
    monkeypatch: pytest.MonkeyPatch, exact_ties: bool, n: int, k: int, make: object
) -> None:
    monkeypatch.setattr(kmeans_loops, "COMPILED_FROM", 0)
    if make == "normal":
        points = np.random.default_rng(n + k).normal(0, 2, size=(n, 2))
    else:
        points = lattice(n, seed=k)
    ids, centres = cold_start(points, k)
    plain = kmeans_bounded(points, ids, centres, 30, exact_ties=exact_ties)
    compiled = kmeans_bounded(points, ids, centres, 30, exact_ties=exact_ties, compiled=True)
    assert_same_run(plain, compiled)


@pytest.mark.parametrize("exact_ties", [True, False])
@pytest.mark.parametrize(("n", "shift"), [(4_000, 0.01), (20_000, 0.01), (20_000, 0.5)])
def test_it_clusters_from_carried_bounds_with_the_same_bits(
    monkeypatch: pytest.MonkeyPatch, exact_ties: bool, n: int, shift: float
) -> None:
    monkeypatch.setattr(kmeans_loops, "COMPILED_FROM", 0)
    k = 100
    rng = np.random.default_rng(n)
    points = rng.normal(0, 3, size=(n, 2))
    ids, centres = cold_start(points, k)
    first, _steps, bounds = kmeans_bounded(points, ids, centres, 20, exact_ties=exact_ties)
    moved = np.vstack([points + rng.normal(0, shift, size=points.shape), lattice(n // 10, 3)])
    before = np.full(moved.shape[0], -1, np.int64)
    before[:n] = first.labels
    start_ids, start_centres = warm_start(moved, first.ids, before, k)
    old_points = np.zeros_like(moved)
    old_points[:n] = points
    labels = np.full(moved.shape[0], -1, np.int64)
    labels[:n] = bounds.labels
    old = Bounds(
        labels,
        np.r_[bounds.upper, np.full(n // 10, np.inf)],
        np.r_[bounds.lower, np.zeros(n // 10)],
    )
    runs = []
    for compiled in (False, True):
        start = carried_bounds(
            moved, start_ids, start_centres, old_points, first.ids, first.centers, old
        )
        runs.append(
            kmeans_bounded(
                moved, start_ids, start_centres, 20, None, exact_ties, start, compiled=compiled
            )
        )
    assert_same_run(runs[0], runs[1])


def test_it_runs_the_numpy_loops_below_the_threshold_and_with_weights(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    for name in ("unsettled", "reassign", "cluster_sums"):
        loop = getattr(kmeans_loops, name)
        monkeypatch.setattr(
            kmeans_loops, name, lambda *a, _l=loop, _n=name: calls.append(_n) or _l(*a)
        )
    points = lattice(3_000, seed=1)
    ids, centres = cold_start(points, 40)
    kmeans_bounded(points, ids, centres, 20, compiled=True)  # below COMPILED_FROM
    weights = np.ones(points.shape[0])
    monkeypatch.setattr(kmeans_loops, "COMPILED_FROM", 0)
    kmeans_bounded(points, ids, centres, 20, weights, compiled=True)  # weighted: NumPy's
    assert calls == []
    kmeans_bounded(points, ids, centres, 20, compiled=True)
    assert {"unsettled", "reassign", "cluster_sums"} <= set(calls)


@pytest.mark.parametrize("exact_ties", [True, False])
@pytest.mark.parametrize("k", [10, 30, 100])
def test_it_breaks_ties_between_lattice_centres_as_numpy_does(
    monkeypatch: pytest.MonkeyPatch, exact_ties: bool, k: int
) -> None:
    # every point unknown and the centres on the lattice: the first step reassigns them all,
    # with many points at the same distance from two centres or more
    monkeypatch.setattr(kmeans_loops, "COMPILED_FROM", 0)
    points = lattice(6_000, seed=k)
    ids, centres = cold_start(points, k)
    unknown = Bounds(np.full(6_000, -1, np.int64), np.full(6_000, np.inf), np.zeros(6_000))
    runs = [
        kmeans_bounded(points, ids, centres, 20, None, exact_ties, unknown, compiled=compiled)
        for compiled in (False, True)
    ]
    assert_same_run(runs[0], runs[1])

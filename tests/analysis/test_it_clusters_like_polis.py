"""k-means, silhouette, Clojure iteration order and the adjusted Rand index on small cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from polis_fixtures import FIXTURES, load

from tracktwo.analysis.agreement import adjusted_rand_index
from tracktwo.analysis.clojure_order import (
    clojure_hash,
    hash_long,
    hash_set_order,
    java_string_hash,
    map_order,
)
from tracktwo.analysis.clustering import (
    best_k,
    cold_start,
    first_distinct,
    kmeans,
    silhouette,
    warm_start,
)
from tracktwo.analysis.kmeans_assign import KD_TREE_ABOVE, _brute_assign, assign
from tracktwo.analysis.silhouette import distances

MASK = 0xFFFFFFFF


def reference_hash_long(x: int) -> int:
    """Murmur3.hashLong written out plainly with Python ints (independent of the NumPy one)."""

    def rotl(v: int, r: int) -> int:
        return ((v << r) | (v >> (32 - r))) & MASK

    def mix_k1(k: int) -> int:
        return (rotl((k * 0xCC9E2D51) & MASK, 15) * 0x1B873593) & MASK

    def mix_h1(h: int, k: int) -> int:
        return (rotl(h ^ k, 13) * 5 + 0xE6546B64) & MASK

    if x == 0:
        return 0
    x &= (1 << 64) - 1
    h = mix_h1(0, mix_k1(x & MASK))
    h = mix_h1(h, mix_k1(x >> 32))
    h ^= 8
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK
    return h ^ (h >> 16)


def reference_order(ids: list[int]) -> list[int]:
    def digits(x: int) -> tuple[int, ...]:
        h = reference_hash_long(x)
        return tuple((h >> (5 * i)) & 31 for i in range(7))

    return sorted(ids, key=digits)


def test_it_hashes_longs_as_clojure() -> None:
    values = [0, 1, -1, 7, 20, 2**31, -(2**31), 2**40 + 5, 2**63 - 1, -(2**63), 123456789]
    values += list(range(2, 500, 7))
    assert [int(h) for h in hash_long(values)] == [reference_hash_long(v) for v in values]
    # a value published by Clojure itself: (hash 1) => 1392991556
    assert int(hash_long([1])[0]) == 1392991556


def test_it_hashes_strings_as_java_and_clojure() -> None:
    assert [int(h) for h in java_string_hash(["abc", "", "hello world"])] == [
        96354,
        0,
        1794106052,
    ]
    # non-BMP characters count as two UTF-16 units
    assert int(java_string_hash(["\U0001f600"])[0]) == (0xD83D * 31 + 0xDE00)
    assert clojure_hash(["", 0])[0] == 0 == clojure_hash(["", 0])[1]


def test_it_orders_ids_as_a_clojure_hash_set() -> None:
    ids = [*range(400), 10**9, 2**35]
    order = hash_set_order(np.array(ids))
    assert [ids[i] for i in order] == reference_order(ids)
    assert list(map_order([5, 3, 9])) == [0, 1, 2]  # small maps keep insertion order


def test_it_reproduces_the_order_polis_prints_its_in_conv_sets(shared_data: Path) -> None:
    for name in FIXTURES:
        in_conv = load(shared_data / "polis-math" / name).math["in-conv"]
        order = hash_set_order(np.array(sorted(in_conv)))
        assert [sorted(in_conv)[i] for i in order] == in_conv


def test_it_starts_from_the_first_distinct_points() -> None:
    points = np.array([[0.0, 0], [0, 0], [1, 1], [0, 0], [2, 2]])
    assert list(first_distinct(points, 2)) == [0, 2]
    ids, centres = cold_start(points, 5)
    assert list(ids) == [0, 1, 2]
    np.testing.assert_array_equal(centres, [[0, 0], [1, 1], [2, 2]])


def test_it_sends_distance_ties_to_the_last_cluster() -> None:
    point = np.array([[0.0, 0.0]])
    centres = np.array([[-1.0, 0.0], [1.0, 0.0]])
    assert assign(point, centres, np.array([0, 1]))[0] == 1
    assert assign(point, centres, np.array([1, 0]))[0] == 0


def test_it_runs_lloyd_steps_to_the_hand_computed_clusters() -> None:
    points = np.array([[0.0, 0], [0.1, 0], [5, 0], [5.1, 0]])
    ids, centres = cold_start(points, 2)
    clustering, steps = kmeans(points, ids, centres, 20)
    assert list(clustering.labels) == [0, 0, 1, 1]
    np.testing.assert_allclose(clustering.centers, [[0.05, 0], [5.05, 0]])
    assert steps == 3
    # weights pull a centre towards the heavier point
    weighted, _ = kmeans(points, ids, centres, 20, np.array([3.0, 1, 1, 1]))
    np.testing.assert_allclose(weighted.centers[0], [0.025, 0])
    # capped at max_iters + 1 steps
    assert kmeans(points, ids, centres, 0)[1] == 1


def test_it_drops_empty_clusters() -> None:
    points = np.array([[0.0, 0], [1, 0]])
    clustering, _ = kmeans(points, np.array([0, 1, 2]), np.array([[0.0, 0], [0.5, 0], [100, 0]]), 0)
    assert list(clustering.ids) == [0, 1]


def test_it_warm_starts_by_splitting_off_the_farthest_point() -> None:
    points = np.array([[0.0, 0], [1, 0], [9, 0], [10, 0]])
    # one previous cluster (id 4) with the first two points; two new points
    ids, centres = warm_start(points, np.array([4]), np.array([0, 0, -1, -1]), 2)
    assert list(ids) == [4, 5]
    np.testing.assert_allclose(centres, [[0.5, 0], [10, 0]])
    # clusters whose centres coincide are merged (the bigger keeps its id)
    ids, centres = warm_start(
        np.array([[0.0, 0], [0, 0], [0, 0], [3, 0]]),
        np.array([1, 2]),
        np.array([0, 1, 1, -1]),
        2,
    )
    assert list(ids) == [2, 3]
    np.testing.assert_allclose(centres, [[0, 0], [3, 0]])


def test_it_scores_silhouettes_by_hand() -> None:
    points = np.array([[0.0, 0], [1, 0], [10, 0]])
    expected = (0.9 + 8 / 9 + 0.0) / 3  # p0: a=1, b=10; p1: a=1, b=9; p2 alone: 0
    assert silhouette(points, np.array([0, 0, 1])) == pytest.approx(expected)
    assert silhouette(points, np.array([0, 0, 0])) == 0.0
    assert silhouette(points, np.array([0, 1, 2])) == 0.0
    apart = distances(points)  # one matrix for every k: the same scores
    np.testing.assert_allclose(apart[0], [0.0, 1.0, 10.0])
    assert silhouette(points, np.array([0, 0, 1]), apart) == silhouette(points, np.array([0, 0, 1]))


def test_it_picks_the_best_k_ties_to_the_larger() -> None:
    assert best_k({2: 0.3, 3: 0.5, 4: 0.5, 5: 0.1}) == 4
    assert best_k({2: 0.7, 3: 0.5}) == 2


def test_it_computes_the_adjusted_rand_index_by_hand() -> None:
    # contingency [[2, 1, 0], [0, 1, 2]]: index 2, expected 6 * 3 / 15 = 1.2, max 4.5
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.8 / 3.3)
    assert adjusted_rand_index([0, 0, 1, 1], ["b", "b", "a", "a"]) == 1.0
    assert adjusted_rand_index([0, 0, 0], [1, 1, 1]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    with pytest.raises(ValueError, match="same length"):
        adjusted_rand_index([0, 1], [0])


def test_it_assigns_large_problems_exactly_as_the_direct_rule() -> None:
    """Above the k-d tree threshold, ties are still settled as Pol.is settles them."""
    rng = np.random.default_rng(3)
    # integer grid points and centres: many exact ties
    points = rng.integers(-20, 21, size=(30_000, 2)).astype(np.float64)
    centres = np.unique(rng.integers(-20, 21, size=(40, 2)).astype(np.float64), axis=0)
    assert points.shape[0] * centres.shape[0] > KD_TREE_ABOVE
    order = np.arange(centres.shape[0])[::-1].copy()
    exact = assign(points, centres, order)
    np.testing.assert_array_equal(exact, _brute_assign(points, centres, order))
    # the scalable path finds a nearest centre too (ties may go elsewhere)
    fast = assign(points, centres, order, exact_ties=False)
    best = ((points[:, None, :] - centres[None]) ** 2).sum(axis=2).min(axis=1)
    np.testing.assert_allclose(((points - centres[fast]) ** 2).sum(axis=1), best)
    assert (fast != exact).any()  # ties exist, and only the exact path settles them as Pol.is

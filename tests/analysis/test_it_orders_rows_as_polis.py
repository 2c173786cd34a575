"""Pol.is's rating-matrix row order, which its base k-means iterates, and reloading its state.

Pol.is polls votes ordered by ``[:zid :tid :pid :created]`` and appends a row per new
participant in order of first appearance; ``rowname-subset`` keeps that row order (not the
order of the in-conv set), so cluster ids follow arrival. Loading a conversation from its
database keeps base clusters but not each k's group clustering nor the k smoother.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from polis_fixtures import load, planted, polis_base_clusters

from tracktwo.analysis.clojure_order import hash_set_order
from tracktwo.analysis.clustering import cold_start, kmeans
from tracktwo.analysis.engine import analyze, reload, update
from tracktwo.analysis.matrix import in_conv, polis_rows
from tracktwo.analysis.replay import replay
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import from_arrays, from_records


def test_it_orders_a_polls_new_participants_by_statement_then_participant() -> None:
    participant = np.array([0, 1, 2, 3, 1, 4])
    statement = np.array([2, 0, 0, 4, 1, 3])
    pids = (9, 5, 7, 3, 8)
    tids = (10, 11, 12, 13, 14)
    # smallest statement voted on: 9 -> 12, 5 -> 10, 7 -> 10, 3 -> 14, 8 -> 13
    assert list(polis_rows(participant, statement, pids, tids)) == [1, 2, 0, 4, 3]
    # participants with a row already are not appended again
    assert list(polis_rows(participant, statement, pids, tids, known=2)) == [2, 4, 3]
    # statement ids, not positions, decide (Pol.is sorts by tid)
    assert list(polis_rows(participant, statement, pids, (14, 13, 12, 11, 10))) == [3, 4, 0, 1, 2]


def test_it_seeds_base_clusters_in_row_order_not_hash_order() -> None:
    events, _truth = planted(sizes=(12, 12), n_statements=12, seed=3)
    result = analyze(events)
    rows = result.state.rows
    ids = np.array(result.participant_ids)
    # every participant is a distinct point and its own base cluster: ids follow row order
    assert result.base.k == len(ids)
    member = {
        int(b): int(np.flatnonzero(result.base.labels == j)[0])
        for j, b in enumerate(result.base.ids)
    }
    assert [member[b] for b in range(len(ids))] == list(rows)
    assert list(rows) != list(hash_set_order(ids))
    # one poll of every vote: rows by the smallest statement voted on, then participant id
    sids = np.array(events.statements.ids)
    first = [min(sids[events.statement[events.participant == p]]) for p in range(len(ids))]
    assert list(rows) == sorted(range(len(ids)), key=lambda p: (first[p], ids[p]))


def test_it_appends_each_updates_new_participants_after_the_earlier_rows() -> None:
    first = from_arrays(np.array([4, 2]), np.array([1, 0]), np.array([1, -1], np.int8))
    later = from_arrays(np.array([9, 1, 2]), np.array([0, 1, 1]), np.array([1, 1, 1], np.int8))
    result = update(analyze(first), later)
    assert [result.participant_ids[i] for i in result.state.rows] == [2, 4, 9, 1]


def test_it_replays_polis_base_clusters_number_for_number(shared_data: Path) -> None:
    """Replayed in time order two votes at a time, the below-100 fixture ends with every one of
    Pol.is's 23 base clusters: the same ids and the same members."""
    fixture = load(shared_data / "polis-math" / "below-100-ptpts")
    bids, members, _centres = polis_base_clusters(fixture.math)
    result = replay(fixture.events, AnalysisParams(), 2 / len(fixture.events))
    ours = {
        int(b): sorted(result.participant_ids[i] for i in np.flatnonzero(result.base.labels == j))
        for j, b in enumerate(result.base.ids)
    }
    assert ours == {int(b): sorted(m) for b, m in zip(bids, members, strict=True)}


def test_it_breaks_small_greedy_in_conv_ties_by_row_order() -> None:
    counts = np.array([3, 5, 3, 3, 0])
    ids = (10, 11, 12, 13, 14)
    rank = np.array([3, 0, 1, 2, 4])
    inside = in_conv(counts, 10, ids, min_in_conv=2, row_rank=rank)
    assert list(np.flatnonzero(inside)) == [1, 2]  # 5 votes, then the earliest row with 3
    inside = in_conv(counts, 10, ids, min_in_conv=2)
    assert list(np.flatnonzero(inside)) == [0, 1]


def test_it_reloads_without_group_clusterings_or_k_history() -> None:
    events, _truth = planted(seed=4)
    result = analyze(events)
    again = update(result, from_records([]))
    assert again.k.streak == 2
    loaded = reload(again)
    assert loaded.state.group_clusterings == {} and loaded.state.smoother is None
    after = update(loaded, from_records([]))
    assert after.k.streak == 1 and after.k.history == (after.k.best,)
    assert after.k.shown == after.k.best
    # base clusters continue; each k's group k-means starts afresh from the first k centres
    np.testing.assert_array_equal(after.base.ids, again.base.ids)
    k = after.k.shown
    fresh, _steps = kmeans(
        after.base.centers, *cold_start(after.base.centers, k), 20, after.base.sizes()
    )
    np.testing.assert_array_equal(after.group_of_base, fresh.labels)

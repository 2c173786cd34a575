"""Tallies, tests, consensus, group-aware consensus, uncertainty, priority, support and
divisiveness on hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.consensus import consensus, group_aware_consensus, uncertain
from tracktwo.analysis.repness import (
    overall_tallies,
    prop_test,
    repness_stats,
    select_repness,
    two_prop_test,
    vote_tallies,
)
from tracktwo.analysis.routing import priority
from tracktwo.analysis.support import divisiveness, support


def test_it_tallies_votes_per_group_and_statement() -> None:
    cells = (
        np.array([0, 0, 1, 1, 2, 3]),
        np.array([0, 1, 0, 1, 0, 0]),
        np.array([1, -1, 1, 0, -1, 1], np.int8),
    )
    labels = np.array([0, 0, 1, -1])  # participant 3 is not clustered
    tallies = vote_tallies(cells, labels, 2, 2)
    assert tallies[0].tolist() == [[2, 0, 0], [0, 1, 1]]
    assert tallies[1].tolist() == [[0, 1, 0], [0, 0, 0]]
    assert overall_tallies(cells, 2).tolist() == [[3, 1, 0], [0, 1, 1]]


def test_it_computes_polis_proportion_tests() -> None:
    assert prop_test(np.array(3.0), np.array(4.0)) == pytest.approx(2 * np.sqrt(5) * 0.3)
    # s1=3/4 vs s2=2/5 (one added to each count), pooled 5/9
    z = two_prop_test(np.array(2.0), np.array(1.0), np.array(3.0), np.array(4.0))
    assert z == pytest.approx(0.35 / np.sqrt(5 / 9 * 4 / 9 * (1 / 4 + 1 / 5)))
    assert two_prop_test(np.array(3.0), np.array(4.0), np.array(3.0), np.array(4.0)) == 0.0


def test_it_lists_consensus_above_the_threshold_only() -> None:
    overall = np.array([[9, 1, 0], [5, 5, 0], [1, 8, 1], [1, 0, 1], [2, 0, 0]])
    found = consensus(overall, np.arange(5))
    # 1 of 2 is p = 2/4, not above 1/2; 2 of 2 is p = 3/4 with pat = 2 sqrt(3) / 2 = 1.73
    assert [e.statement for e in found.agree] == [0, 4]
    assert found.agree[0].p == pytest.approx(10 / 12)
    assert found.agree[0].p_test == pytest.approx(2 * np.sqrt(11) * (10 / 11 - 0.5))
    assert [e.statement for e in found.disagree] == [2]
    # statement 0 left out when it is not a candidate (moderated out)
    assert consensus(overall, np.array([1, 2, 3])).agree == ()
    assert found.agree[1].p_test == pytest.approx(np.sqrt(3))


def test_it_scores_group_aware_consensus_both_ways() -> None:
    group = np.array([[[3, 1, 0]], [[0, 2, 0]]])
    agree, disagree = group_aware_consensus(group)
    assert agree[0] == pytest.approx(4 / 6 * 1 / 4)
    assert disagree[0] == pytest.approx(2 / 6 * 3 / 4)


def test_it_ranks_uncertain_statements() -> None:
    overall = np.array([[3, 3, 4], [10, 5, 5], [6, 5, 9], [0, 0, 0]])
    assert uncertain(overall, np.arange(4)) == (2, 0)


def test_it_computes_routing_priority() -> None:
    group = np.array([[[2, 1, 1], [0, 0, 0]]])
    scores = priority(group, np.array([1.0, 0.0]), np.array([False, True]))
    importance = (1 - 2 / 6) * 2 * (3 / 6)
    assert scores[0] == pytest.approx((importance * (1 + 8 * 2 ** (-4 / 5))) ** 2)
    assert scores[1] == 49.0


def test_it_bounds_support_and_measures_divisiveness() -> None:
    overall = np.array([[20, 20, 0], [1, 1, 1]])
    group = np.array([[[20, 0, 0], [1, 0, 0]], [[0, 20, 0], [0, 1, 1]]])
    counted = support(overall, group, 0.90)
    assert counted.low[0] < 0.5 < counted.high[0]
    assert counted.group_low[0, 0] > 0.85 and counted.group_high[1, 0] < 0.15
    scores, ranked = divisiveness(counted, np.arange(2))
    assert scores[0] == pytest.approx(counted.group_low[0, 0] - counted.group_high[1, 0])
    assert scores[1] == 0.0  # 1 of 1 against 0 of 2 proves nothing
    assert ranked == (0,)


def test_it_keeps_one_statement_when_none_is_representative() -> None:
    # two groups that vote alike: nothing passes the tests; one statement is still kept
    group = np.array([[[3, 3, 0], [2, 2, 2]], [[3, 3, 0], [2, 2, 2]]])
    chosen = select_repness(group, np.arange(2))
    assert [len(entries) for entries in chosen] == [1, 1]
    stats = repness_stats(group)
    assert stats.ra[0, 0] == pytest.approx((4 / 8) / (4 / 8))

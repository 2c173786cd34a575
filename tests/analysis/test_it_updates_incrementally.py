"""update(): warm starts, id mapping, the latest vote across updates, the k buffer."""

from __future__ import annotations

import numpy as np
import pytest
from polis_fixtures import planted
from test_it_analyzes_conversations import valid_json

from tracktwo.analysis.agreement import adjusted_rand_index
from tracktwo.analysis.engine import analyze, choose_k, update
from tracktwo.analysis.votes import Statements, VoteEvents, from_arrays, from_records


def split(events: VoteEvents, at: int) -> tuple[VoteEvents, VoteEvents]:
    ids = np.array(events.participant_ids, dtype=object)
    sids = np.array(events.statements.ids, dtype=object)

    def part(rows: slice) -> VoteEvents:
        return from_arrays(
            ids[events.participant[rows]],
            sids[events.statement[rows]],
            events.vote[rows],
            events.timestamp[rows],
        )

    return part(slice(0, at)), part(slice(at, None))


def test_it_keeps_everything_when_no_votes_arrive() -> None:
    events, _truth = planted(seed=6)
    result = analyze(events)
    again = update(result, from_records([]))
    np.testing.assert_array_equal(again.group_labels, result.group_labels)
    np.testing.assert_array_equal(again.base.labels, result.base.labels)
    np.testing.assert_array_equal(again.base.ids, result.base.ids)
    np.testing.assert_allclose(again.pca.components, result.pca.components, atol=1e-8)
    assert again.k.shown == result.k.shown and again.k.streak == 2
    assert again.k.history == (result.k.best, result.k.best)


def test_it_continues_from_half_the_votes_to_the_same_groups() -> None:
    events, truth = planted(seed=7)
    first, rest = split(events, len(events) // 2)
    whole = analyze(events)
    continued = update(analyze(first), rest)
    assert continued.n_votes == whole.n_votes
    index = {p: i for i, p in enumerate(continued.participant_ids)}
    order = np.array([index[p] for p in whole.participant_ids])
    np.testing.assert_array_equal(continued.support.counts, whole.support.counts)
    assert adjusted_rand_index(continued.group_labels[order], whole.group_labels) == 1.0
    assert adjusted_rand_index(continued.group_labels[order], truth) == 1.0
    # PCA warm-started from the first half converges to the same components
    cosine = np.abs((continued.pca.components * whole.pca.components).sum(axis=1))
    assert np.all(cosine > 0.9999)
    valid_json(continued)


def test_it_maps_new_participants_and_statements_onto_earlier_ids() -> None:
    statements = Statements(
        ("s1", "s2"), ("One", "Two"), np.zeros(2, np.int8), np.zeros(2, np.bool_)
    )
    result = analyze(
        from_records([("ana", "s1", 1), ("ben", "s1", -1), ("ben", "s2", 1)], statements)
    )
    later = Statements(("s3",), ("Three",), np.zeros(1, np.int8), np.zeros(1, np.bool_))
    more = update(result, from_records([("cy", "s3", 1), ("ana", "s2", -1)], later))
    assert more.participant_ids == ("ana", "ben", "cy")
    assert more.statement_ids == ("s1", "s2", "s3")
    document = valid_json(more)
    assert document["statements"]["s3"]["text"] == "Three"
    assert document["statements"]["s1"]["text"] == "One"
    assert document["support"]["s2"]["overall"]["agree"] == 1
    assert document["support"]["s2"]["overall"]["disagree"] == 1
    assert document["counts"]["n_vote_events"] == 5


def test_it_lets_the_latest_vote_count_across_updates() -> None:
    result = analyze(from_records([("a", "s", 1, 10.0), ("b", "s", 1, 10.0)]))
    revoted = update(result, from_records([("a", "s", -1, 20.0)]))
    assert revoted.support.counts[0].tolist() == [1, 1, 0]
    stale = update(result, from_records([("a", "s", -1, 5.0)]))  # cast earlier: does not count
    assert stale.support.counts[0].tolist() == [2, 0, 0]
    tie = update(result, from_records([("a", "s", 0, 10.0)]))  # same time: the later row wins
    assert tie.support.counts[0].tolist() == [1, 0, 1]


def test_it_applies_moderation_given_with_an_update() -> None:
    events, _truth = planted(seed=8, n_statements=10)
    result = analyze(events)
    target = events.statements.ids[3]
    moderated = Statements((target,), (None,), np.array([-1], np.int8), np.zeros(1, np.bool_))
    later = update(result, from_records([]), statements=moderated)
    assert later.pca.zeroed[3] and not result.pca.zeroed[3]
    assert np.all(later.pca.components[:, 3] == 0.0)


def test_it_never_drops_a_participant_from_in_conv() -> None:
    events, _truth = planted(seed=9)
    first, rest = split(events, len(events) // 3)
    earlier = analyze(first)
    later = update(earlier, rest)
    index = {p: i for i, p in enumerate(later.participant_ids)}
    kept = [index[earlier.participant_ids[i]] for i in np.flatnonzero(earlier.in_conv)]
    assert later.in_conv[kept].all()


def test_it_shows_a_new_k_only_after_it_wins_the_buffer() -> None:
    prefer_two = {2: 0.6, 3: 0.4}
    prefer_three = {2: 0.4, 3: 0.6}
    k = choose_k(prefer_two, 4, None)
    assert (k.best, k.shown, k.streak) == (2, 2, 1)
    for streak in (1, 2, 3):
        k = choose_k(prefer_three, 4, k)
        assert (k.best, k.shown, k.streak) == (3, 2, streak)
    k = choose_k(prefer_three, 4, k)
    assert (k.best, k.shown, k.streak) == (3, 3, 4)
    k = choose_k(prefer_two, 4, k)
    assert (k.shown, k.streak) == (3, 1)
    assert k.history == (2, 3, 3, 3, 3, 2)


@pytest.mark.parametrize("batches", [5, 20])
def test_it_replays_a_conversation_batch_by_batch(batches: int) -> None:
    events, truth = planted(seed=10, sizes=(30, 30))
    size = -(-len(events) // batches)
    first, rest = split(events, size)
    result = analyze(first)
    done = size
    while done < len(events):
        chunk, rest = split(rest, size)
        result = update(result, chunk)
        done += size
    index = {p: i for i, p in enumerate(result.participant_ids)}
    order = np.array([index[p] for p in events.participant_ids])
    assert adjusted_rand_index(result.group_labels[order], truth) == 1.0
    assert len(result.k.history) == batches
    valid_json(result)

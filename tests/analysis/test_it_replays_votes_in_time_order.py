"""Replaying a conversation: time-ordered batches, analyze then update batch by batch."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.engine import analyze
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.replay import replay, take, time_batches
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import from_records

CANADA = "polis-opendata/canadian-electoral-reform"


def test_it_cuts_time_ordered_batches_of_a_fraction_of_the_votes():
    events = from_records(
        [
            ("a", 1, 1, 30.0),
            ("b", 1, -1, 10.0),
            ("a", 2, 0, 20.0),
            ("c", 2, 1, 10.0),
            ("b", 2, 1, 5),
        ]
    )

    batches = time_batches(events, 0.4)

    assert [b.tolist() for b in batches] == [[4, 1], [3, 2], [0]]  # ties keep row order


def test_it_replays_votes_without_times_in_row_order():
    events = from_records([("a", 1, 1), ("b", 1, -1), ("a", 2, 0)])

    assert [b.tolist() for b in time_batches(events, 0.5)] == [[0, 1], [2]]


def test_it_refuses_a_fraction_outside_zero_to_one():
    events = from_records([("a", 1, 1, 1.0)])
    with pytest.raises(ValueError, match="batch fraction"):
        time_batches(events, 0.0)


def test_it_takes_only_the_participants_of_a_batch():
    events = from_records([("a", 1, 1, 1.0), ("b", 1, -1, 2.0), ("c", 2, 0, 3.0)])

    batch = take(events, np.array([2, 0]))

    assert batch.participant_ids == ("a", "c")
    assert [batch.participant_ids[p] for p in batch.participant] == ["c", "a"]
    assert batch.statements is events.statements
    assert batch.timestamp.tolist() == [3.0, 1.0]


def test_it_gives_the_static_result_when_the_whole_conversation_is_one_batch(shared_data):
    events = read_polis(shared_data / CANADA)
    params = AnalysisParams(seed=0)

    once = replay(events, params, 1.0)
    static = analyze(events, params)

    assert once.to_json() == static.to_json()


def test_it_ends_with_every_vote_counted_and_reports_progress(shared_data):
    events = read_polis(shared_data / CANADA)
    seen: list[tuple[int, int, int]] = []

    result = replay(
        events, AnalysisParams(seed=0), 0.1, lambda d, t, r: seen.append((d, t, r.n_votes))
    )

    assert [(d, t) for d, t, _ in seen] == [(i, 10) for i in range(1, 11)]
    assert [n for _, _, n in seen] == sorted(n for _, _, n in seen)
    assert result.n_votes == len(events.latest().vote) == 11950
    assert len(result.events) == len(events)
    assert (
        result.participant_ids == tuple(sorted(result.participant_ids))
        or len(result.participant_ids) == events.n_participants
    )
    assert set(result.participant_ids) == set(events.participant_ids)


def test_it_reads_participants_votes_participant_by_participant(shared_data):
    events = read_polis(shared_data / "polis-opendata" / "american-assembly.bowling-green")

    assert np.all(np.diff(events.participant) >= 0)

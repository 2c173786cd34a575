"""Replay batches that follow the votes' clock, as Pol.is's poller and worker cut them."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.cadence import PollCadence, poll_windows
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.replay import (
    EVERY_UPDATE,
    POLIS_CADENCE,
    REPLAY_BATCHES,
    batches_of,
    replay,
)
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import VoteInputError, from_records

CANADA = "polis-opendata/canadian-electoral-reform"


def rows(batches: list[np.ndarray]) -> list[list[int]]:
    return [b.tolist() for b in batches]


def test_it_cuts_a_batch_at_every_poll_that_found_votes():
    events = from_records(
        [
            ("a", 1, 1, 100.0),
            ("b", 1, -1, 100.4),
            ("a", 2, 0, 100.9),  # same second-long poll as the two before
            ("c", 2, 1, 101.2),  # next poll
            ("b", 2, 1, 130.0),  # after a quiet half minute
        ]
    )

    assert rows(poll_windows(events, PollCadence())) == [[0, 1, 2], [3], [4]]


def test_it_follows_time_not_row_order_and_keeps_ties_together_in_row_order():
    events = from_records(
        [
            ("a", 1, 1, 50.0),
            ("b", 1, -1, 10.0),
            ("c", 1, 1, 50.0),
            ("a", 2, 0, 10.0),
            ("b", 2, 1, 50.0),
        ]
    )

    assert rows(poll_windows(events, PollCadence(poll_interval=0.5))) == [[1, 3], [0, 2, 4]]


def test_it_gathers_the_votes_that_arrive_during_an_update_into_the_next_one():
    # a burst: one vote every 0.1 s for 10 s
    burst = [(f"p{i}", i % 3, 1, 0.1 * i) for i in range(100)]
    events = from_records(burst)

    every_poll = poll_windows(events, PollCadence())
    slow = poll_windows(events, PollCadence(update_seconds=3.0))

    assert len(every_poll) == 10
    assert [len(b) for b in slow] == [10, 30, 30, 30]
    assert np.concatenate(slow).tolist() == list(range(100))


def test_it_makes_updates_longer_as_the_rating_matrix_grows():
    # 40 participants each voting on 5 statements, one vote every 0.25 s
    records = [(f"p{i // 5}", i % 5, 1, 0.25 * i) for i in range(200)]
    events = from_records(records)

    sized = poll_windows(events, PollCadence(seconds_per_cell=0.02))
    sizes = [len(b) for b in sized]

    assert sizes[0] == 4  # the first poll
    assert sizes[-2] > sizes[1]  # later updates take longer, so later batches are bigger
    assert sum(sizes) == 200


def test_it_replays_votes_without_times_in_row_order_as_before():
    events = from_records([("a", 1, 1), ("b", 1, -1), ("a", 2, 0)])

    assert rows(poll_windows(events, PollCadence(), untimed_fraction=0.5)) == [[0, 1], [2]]
    assert rows(batches_of(events, POLIS_CADENCE)) == [[0], [1], [2]]  # 1% of 3 votes


def test_it_puts_votes_without_times_first():
    events = from_records([("a", 1, 1, 5.0), ("b", 1, -1), ("c", 2, 0, 1.0), ("a", 2, 1)])

    assert rows(poll_windows(events, PollCadence(), untimed_fraction=1.0)) == [[1, 3], [2], [0]]


def test_it_cuts_the_same_batches_every_time(shared_data):
    events = read_polis(shared_data / CANADA)

    first = batches_of(events, POLIS_CADENCE)
    again = batches_of(events, POLIS_CADENCE)

    assert rows(first) == rows(again)
    assert sorted(np.concatenate(first).tolist()) == list(range(len(events)))
    times = np.concatenate([events.timestamp[b] for b in first])
    assert np.all(np.diff(times) >= 0)


def test_it_refuses_a_cadence_that_cannot_be():
    with pytest.raises(ValueError, match="poll interval"):
        PollCadence(poll_interval=0.0)
    with pytest.raises(ValueError, match="update_seconds"):
        PollCadence(update_seconds=-1.0)
    with pytest.raises(ValueError, match="seconds_per_cell"):
        PollCadence(seconds_per_cell=float("nan"))
    with pytest.raises(VoteInputError, match="no votes"):
        poll_windows(from_records([]), PollCadence())


def test_it_replays_poll_by_poll_to_every_vote(shared_data):
    events = read_polis(shared_data / CANADA)
    cadence = PollCadence(update_seconds=86400.0)
    seen: list[tuple[int, int]] = []

    result = replay(events, AnalysisParams(seed=0), cadence, lambda d, t, r: seen.append((d, t)))

    total = len(batches_of(events, cadence))
    assert seen == [(i, total) for i in range(1, total + 1)]
    assert result.n_votes == len(events.latest().vote)


def test_it_merges_consecutive_updates_to_stay_within_a_number_of_batches():
    events = from_records([(f"p{i}", i % 3, 1, 0.1 * i) for i in range(100)])  # 10 polls

    merged = poll_windows(events, PollCadence(max_batches=4))

    assert [len(b) for b in merged] == [30, 30, 30, 10]  # 3 polls at a time
    assert len(poll_windows(events, PollCadence(max_batches=10))) == 10
    with pytest.raises(ValueError, match="max_batches"):
        PollCadence(max_batches=0)


def test_it_replays_pol_is_schedule_within_the_default_number_of_batches(shared_data):
    events = read_polis(shared_data / CANADA)

    every = batches_of(events, EVERY_UPDATE)
    merged = batches_of(events, POLIS_CADENCE)

    assert len(every) > REPLAY_BATCHES >= len(merged) > REPLAY_BATCHES // 2
    assert np.concatenate(merged).tolist() == np.concatenate(every).tolist()

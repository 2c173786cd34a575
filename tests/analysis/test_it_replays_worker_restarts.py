"""Replaying restarts of Pol.is's worker: the state reloaded, group clusterings started afresh."""

from __future__ import annotations

import numpy as np
import pytest
from polis_fixtures import planted

from tracktwo.analysis.cadence import PollCadence
from tracktwo.analysis.engine import reload, update
from tracktwo.analysis.replay import batches_of, replay
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import VoteEvents, from_arrays, from_records

DAY = 86400.0
HOURLY = PollCadence(update_seconds=3600.0)


def over_three_days() -> VoteEvents:
    events, _truth = planted(seed=3)
    ids = np.array(events.participant_ids)
    sids = np.array(events.statements.ids)
    return from_arrays(
        ids[events.participant], sids[events.statement], events.vote, events.timestamp * 3 * DAY
    )


def test_it_starts_the_k_smoother_afresh_after_each_restart():
    events = over_three_days()
    batches = batches_of(events, HOURLY)
    last_day = [b for b in batches if events.timestamp[b].max() - events.timestamp.min() >= 2 * DAY]

    streaks: list[int] = []

    kept = replay(events, AnalysisParams(seed=0), HOURLY)
    restarted = replay(
        events,
        AnalysisParams(seed=0),
        HOURLY,
        lambda d, t, r: streaks.append(len(r.k.history)),
        restart_every=DAY,
    )

    assert len(kept.k.history) == len(batches)
    assert streaks[-1] == len(last_day)  # the k smoother restarted with the last day
    assert len(restarted.k.history) == 1  # and once more in the ten days after the last vote
    assert restarted.n_votes == kept.n_votes


def test_it_ends_with_the_reload_a_restart_after_the_last_vote_makes():
    events = over_three_days()
    kept = replay(events, AnalysisParams(seed=0), HOURLY)

    ended = replay(events, AnalysisParams(seed=0), HOURLY, restart_at_end=True)

    again = update(reload(kept), from_records([]))
    assert ended.to_json() == again.to_json()
    assert len(ended.k.history) == 1
    assert ended.n_votes == kept.n_votes


def test_it_does_not_restart_after_the_end_when_restarts_are_further_apart_than_the_repoll():
    events = over_three_days()

    rare = replay(events, AnalysisParams(seed=0), HOURLY, restart_every=30 * DAY)

    assert rare.to_json() == replay(events, AnalysisParams(seed=0), HOURLY).to_json()


def test_it_does_not_restart_without_a_period_and_refuses_a_bad_one():
    events = over_three_days()

    once = replay(events, AnalysisParams(seed=0), HOURLY)
    again = replay(events, AnalysisParams(seed=0), HOURLY, restart_every=None)

    assert once.to_json() == again.to_json()
    with pytest.raises(ValueError, match="restart period"):
        replay(events, AnalysisParams(seed=0), HOURLY, restart_every=0.0)

"""VoteEvents.latest() (one packed sort) against the four-key lexsort it replaced."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.analysis.votes import VoteEvents, from_arrays


def lexsort_latest(events: VoteEvents) -> tuple[list[int], list[int], list[int]]:
    """The previous implementation: lexsort on (participant, statement, time, row)."""
    n = len(events)
    time = np.where(np.isnan(events.timestamp), -np.inf, events.timestamp)
    order = np.lexsort((np.arange(n), time, events.statement, events.participant))
    p, s = events.participant[order], events.statement[order]
    last = np.ones(n, np.bool_)
    last[:-1] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
    keep = order[last]
    return (
        events.participant[keep].tolist(),
        events.statement[keep].tolist(),
        events.vote[keep].tolist(),
    )


TIMES = st.one_of(st.just(float("nan")), st.sampled_from([0.0, 1.0, 2.0, 1e9, 1e9 + 0.5, -3.0]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 4), st.sampled_from([-1, 0, 1]), TIMES),
        max_size=60,
    ),
    st.booleans(),
)
def test_it_keeps_the_same_latest_vote_as_the_lexsort(
    rows: list[tuple[int, int, int, float]], sort_by_time: bool
) -> None:
    if sort_by_time:  # already in time order: the path that skips the time argsort
        rows = sorted(rows, key=lambda r: -np.inf if np.isnan(r[3]) else r[3])
    if not rows:
        events = from_arrays(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8))
    else:
        p, s, v, t = (np.array(c) for c in zip(*rows, strict=True))
        events = from_arrays(p, s, v.astype(np.int8), t.astype(np.float64))
    latest = events.latest()
    assert latest.participant.dtype == np.int64 and latest.statement.dtype == np.int64
    assert latest.vote.dtype == np.int8
    got = (latest.participant.tolist(), latest.statement.tolist(), latest.vote.tolist())
    assert got == lexsort_latest(events)

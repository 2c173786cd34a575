"""Batches of updates that take no time, cut with array operations: the same batches as the
pointer chase over every poll that found votes which ``poll_windows`` ran before."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from tracktwo.analysis.cadence import PollCadence, _chain, fraction_cuts, poll_windows
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.votes import VoteEvents, from_arrays

CANADA = "polis-opendata/canadian-electoral-reform"


def chased(events: VoteEvents, cadence: PollCadence, untimed_fraction: float = 0.01) -> list:
    """``poll_windows`` as it was for updates that take no time: a pointer chase in Python."""
    n = len(events)
    time = events.timestamp
    timed = np.isfinite(time)
    untimed = np.flatnonzero(~timed).astype(np.int64)
    batches = fraction_cuts(untimed, max(1, math.ceil(untimed_fraction * n)))
    rows = np.flatnonzero(timed).astype(np.int64)
    if rows.shape[0] == 0:
        return batches
    order = rows[np.argsort(time[rows], kind="stable")]
    times = time[order]
    step = cadence.poll_interval
    origin = float(times[0])
    polls = origin + (np.floor((times - origin) / step) + 1.0) * step
    polls[0] = origin + step
    stops = np.searchsorted(times, polls, side="left").tolist()
    i, m = 0, times.shape[0]
    cuts = [0]
    while i < m:
        i = max(i + 1, stops[i])
        cuts.append(i)
    every = 1
    if cadence.max_batches is not None:
        every = max(1, math.ceil((len(cuts) - 1) / cadence.max_batches))
    kept = [*cuts[:-1:every], m]
    batches.extend(order[a:b] for a, b in pairwise(kept))
    return batches


def assert_same(found: list, expected: list) -> None:
    assert len(found) == len(expected)
    for a, b in zip(found, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def random_events(seed: int, n: int, untimed: float, shuffled: bool = True) -> VoteEvents:
    rng = np.random.default_rng(seed)
    # bursts and quiet spells; times on a coarse grid, so many votes share a time or a poll's
    times = np.cumsum(rng.choice([0.0, 0.05, 0.25, 0.5, 1.0, 7.0, 90.0], size=n))
    times = np.round(times + rng.random() * 1000.0, 2)
    times[rng.random(n) < untimed] = np.nan
    order = rng.permutation(n) if shuffled else np.arange(n)  # rows in time order, or not
    participant = rng.integers(0, max(2, n // 5), n)
    statement = rng.integers(0, 30, n)
    vote = rng.integers(-1, 2, n)
    return from_arrays(participant, statement, vote, times[order])


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("untimed", [0.0, 0.1])
@pytest.mark.parametrize("max_batches", [None, 1, 7, 50])
@pytest.mark.parametrize("interval", [1.0, 0.3, 2.5])
@pytest.mark.parametrize("shuffled", [True, False])
def test_it_cuts_random_votes_into_the_same_batches(
    seed: int, untimed: float, max_batches: int | None, interval: float, shuffled: bool
) -> None:
    events = random_events(seed, 3_000, untimed, shuffled)
    cadence = PollCadence(poll_interval=interval, max_batches=max_batches)

    assert_same(poll_windows(events, cadence), chased(events, cadence))


def test_it_cuts_votes_all_without_time_as_before() -> None:
    events = random_events(0, 500, 1.0)

    assert_same(poll_windows(events, PollCadence()), chased(events, PollCadence()))


@pytest.mark.parametrize("max_batches", [None, 500, 13])
def test_it_cuts_real_votes_into_the_same_batches(shared_data, max_batches: int | None) -> None:
    events = read_polis(shared_data / CANADA)
    cadence = PollCadence(max_batches=max_batches)

    assert_same(poll_windows(events, cadence), chased(events, cadence))


@pytest.mark.parametrize("seed", range(20))
def test_it_follows_a_chain_with_long_jumps_as_a_pointer_chase(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 400))
    # non-decreasing, i < jump[i] <= m: flat runs, jumps to the next value, and long jumps
    jump = np.sort(rng.integers(0, m + 1, m) + rng.integers(0, 3, m)).clip(max=m)
    jump = np.maximum(jump, np.arange(1, m + 1))
    visited, i = [0], 0
    while i < m:
        i = int(jump[i])
        visited.append(i)

    assert _chain(jump).tolist() == visited

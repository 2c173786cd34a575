"""When Pol.is's worker updated a conversation: batches of votes that follow the clock.

Pol.is's math worker does not update after a fixed share of the votes. Its poller
(``math/src/polismath/poller.clj``, ``poll``) asks the database every ``polling-interval``
(1000 ms, ``components/config.clj`` defaults ``:poller {:votes {:polling-interval 1000}}``;
the 2014 Storm topology, ``stormspec.clj`` ``mk-topology``, used the same 1000 ms) for every
vote created since the last poll and queues them for the conversation. The conversation's
actor (``conv_man.clj``, ``go-act!``) waits for a queued batch, takes it together with every
other batch queued by then (``take-all!``), runs one ``conv-update`` on all those votes, and
only then looks at the queue again. So an update holds the votes that arrived while the
previous one ran (or, after a quiet spell, those of the first poll that found any); there is
no other throttle and no minimum time between updates.

:func:`poll_windows` rebuilds that schedule from the vote times: polls every
``poll_interval`` seconds from the first vote on, an update as long as
:meth:`PollCadence.duration` says, and the next batch closing at the last poll before it
ends, or at the first poll after the next vote.

A replay of every such update costs one engine update per poll that found votes: tens of
thousands on a conversation voted on over weeks (most polls in quiet hours find a single
vote). ``max_batches`` bounds that: consecutive updates of Pol.is's schedule are merged, as
few at a time as keep the count within the bound, so bursts stay few big batches and quiet
spells many small ones, in the proportions Pol.is's worker had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.votes import VoteEvents, VoteInputError

__all__ = ["POLIS_CADENCE", "REPLAY_BATCHES", "PollCadence", "fraction_cuts", "poll_windows"]


@dataclass(frozen=True)
class PollCadence:
    """How long Pol.is's worker took between looks at the queue of new votes.

    Attributes
    ----------
    poll_interval : float
        Seconds between two polls for new votes (Pol.is: 1.0).
    update_seconds : float
        Fixed part of the duration of one update, in seconds.
    seconds_per_cell : float
        Part of the duration of one update proportional to the size of Pol.is's dense rating
        matrix (participants times statements seen so far), in seconds per cell: PCA's power
        iteration, the mean imputation, the vote counts and the per-statement group tallies
        all walk every cell of it.
    max_batches : int or None
        Most batches to replay: when Pol.is's schedule has more updates, every m consecutive
        ones are merged into one batch, m = ceil(updates / max_batches). None replays every
        update of the schedule.
    """

    poll_interval: float = 1.0
    update_seconds: float = 0.0
    seconds_per_cell: float = 0.0
    max_batches: int | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.poll_interval) and self.poll_interval > 0.0):
            raise ValueError(f"poll interval must be above 0 seconds, got {self.poll_interval!r}")
        for name in ("update_seconds", "seconds_per_cell"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0.0):
                raise ValueError(f"{name} must be at least 0, got {value!r}")
        if self.max_batches is not None and self.max_batches < 1:
            raise ValueError(f"max_batches must be at least 1, got {self.max_batches!r}")

    def duration(self, n_participants: int, n_statements: int) -> float:
        """Seconds one update takes on a conversation of this size."""
        return self.update_seconds + self.seconds_per_cell * n_participants * n_statements


REPLAY_BATCHES = 500

POLIS_CADENCE = PollCadence(max_batches=REPLAY_BATCHES)
"""Pol.is's worker: a poll every second, an update on everything queued since the last one;
consecutive updates merged to replay at most :data:`REPLAY_BATCHES` batches."""


def fraction_cuts(rows: NDArray[np.int64], size: int) -> list[NDArray[np.int64]]:
    """``rows`` cut into consecutive batches of ``size`` (the last may be shorter)."""
    return [rows[start : start + size] for start in range(0, rows.shape[0], size)]


def poll_windows(
    events: VoteEvents, cadence: PollCadence, untimed_fraction: float = 0.01
) -> list[NDArray[np.int64]]:
    """Event rows cut into the batches Pol.is's worker would have updated on.

    Polls fall every ``cadence.poll_interval`` seconds from the first vote's time; a poll
    at time g collects the votes with a time before g that no earlier poll collected. The
    first update runs on the first poll's votes. An update that starts at time s ends at
    s + ``cadence.duration(participants, statements)`` (counted over the votes so far); if a
    poll before its end found votes, the next update starts at its end on the votes of
    every poll up to then, otherwise on the votes of the first poll after the next vote.
    Votes with the same time always share a batch, in row order.

    With ``cadence.max_batches`` set, consecutive batches of that schedule are merged,
    ceil(count / max_batches) at a time (votes without a time are not counted or merged).

    Events without a time come first, in row order, in batches of ``untimed_fraction`` of
    all events, as :func:`tracktwo.analysis.replay.time_batches` cuts them: votes rebuilt
    from ``participants-votes.csv`` carry no times.

    Raises
    ------
    VoteInputError
        When there are no events.
    """
    n = len(events)
    if n == 0:
        raise VoteInputError("no votes to replay")
    time = events.timestamp
    timed = np.isfinite(time)
    untimed = np.flatnonzero(~timed).astype(np.int64)
    batches = fraction_cuts(untimed, max(1, math.ceil(untimed_fraction * n)))
    rows = np.flatnonzero(timed).astype(np.int64, copy=False)
    if rows.shape[0] == 0:
        return batches
    order, times = _in_time_order(time, rows)
    if cadence.update_seconds == 0.0 and cadence.seconds_per_cell == 0.0:
        cuts = _instant_cuts(times, cadence.poll_interval)
    else:
        cuts = _timed_cuts(events, cadence, times, np.concatenate([untimed, order]))
    m = times.shape[0]
    every = 1
    if cadence.max_batches is not None:
        every = max(1, math.ceil((len(cuts) - 1) / cadence.max_batches))
    kept = np.append(cuts[:-1:every], m).tolist()
    batches.extend(order[a:b] for a, b in pairwise(kept))
    return batches


def _in_time_order(
    time: NDArray[np.float64], rows: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """``rows`` sorted by ``time`` (ties in row order), and their times: a stable sort, which
    leaves rows already in time order (as exports list them) as they are, so those are only
    checked."""
    times = time[rows]
    if times.shape[0] < 2 or bool(np.all(times[1:] >= times[:-1])):
        return rows, times
    order = np.argsort(times, kind="stable")
    return rows[order], times[order]


def _instant_cuts(times: NDArray[np.float64], step: float) -> NDArray[np.intp]:
    """The batch starts (then ``len(times)``) of updates that take no time: each batch is the
    votes before the first poll after its first vote; ``times`` sorted, not empty.

    A batch starting at vote i ends at ``jump[i]``, the first vote at or after that poll (at
    least i + 1), so the batches are the chain 0, jump[0], jump[jump[0]], ... (:func:`_chain`).
    A poll's votes are those before it since the poll before, so the first vote at or after a
    poll is the next poll's first vote, and the chain visits every poll's first vote: that is
    checked (rounding can put a vote on its poll's time) and used, else the chain is followed.
    """
    m = times.shape[0]
    origin = float(times[0])
    polls = np.subtract(times, origin)  # origin + (floor((t - origin) / step) + 1) * step
    polls /= step
    np.floor(polls, out=polls)
    polls += 1.0
    polls *= step
    polls += origin
    polls[0] = origin + step
    starts = np.concatenate([np.zeros(1, np.intp), np.flatnonzero(polls[1:] != polls[:-1]) + 1])
    at = polls[starts]
    nexts = np.append(starts[1:], m)
    inside = nexts < m
    if np.all(times[nexts - 1] < at) and np.all(times[nexts[inside]] >= at[inside]):
        return np.append(starts, m)
    # the first vote at or after each distinct poll (votes of one poll share it)
    ends = np.searchsorted(times, at, side="left")
    jump = np.repeat(ends, np.diff(np.append(starts, m)))
    np.maximum(jump, np.arange(1, m + 1), out=jump)
    return _chain(jump)


def _chain(jump: NDArray[np.intp]) -> NDArray[np.intp]:
    """0, ``jump[0]``, ``jump[jump[0]]``, ... up to and with m, for ``jump`` (shape (m,), not
    empty) non-decreasing with ``i < jump[i] <= m``: the positions a pointer chase visits.

    The chase visits only 0 and values of ``jump``: with ``nodes`` those values in order after
    0, from a node whose jump is the next node it goes to the next node, so it visits every
    node but those a jump further ahead steps over. Only such long jumps (rare: a vote on a
    poll's time after rounding) are followed one at a time.
    """
    change = np.flatnonzero(jump[1:] != jump[:-1]) + 1
    nodes = np.concatenate([np.zeros(1, np.intp), jump[:1], jump[change]])
    long = np.flatnonzero(jump[nodes[:-1]] != nodes[1:])
    if long.shape[0] == 0:
        return nodes
    keep = np.ones(nodes.shape[0], np.bool_)
    reach = 0
    for k in long.tolist():
        here = int(nodes[k])
        if here < reach:  # stepped over
            continue
        reach = int(jump[here])
        keep[k + 1 : int(np.searchsorted(nodes, reach))] = False
    return nodes[keep]


def _timed_cuts(
    events: VoteEvents,
    cadence: PollCadence,
    times: NDArray[np.float64],
    sequence: NDArray[np.int64],
) -> NDArray[np.intp]:
    """The batch starts (then ``len(times)``) of updates that last
    ``cadence.duration(participants, statements)``; ``times`` the timed votes' times sorted,
    ``sequence`` every event row in replay order (the untimed ones first)."""
    seen_participants, seen_statements = _sizes(events, sequence)
    offset = sequence.shape[0] - times.shape[0]
    step = cadence.poll_interval
    origin = float(times[0])

    def poll_after(t: float) -> float:
        return origin + (math.floor((t - origin) / step) + 1) * step

    close = start = origin + step
    i, m = 0, times.shape[0]
    cuts = [0]
    while i < m:
        j = int(np.searchsorted(times, close, side="left"))
        cuts.append(j)
        i = j
        if i == m:
            break
        done = offset + i
        ends = start + cadence.duration(
            int(np.searchsorted(seen_participants, done, side="left")),
            int(np.searchsorted(seen_statements, done, side="left")),
        )
        last_poll = origin + math.floor((ends - origin) / step) * step
        if times[i] < last_poll:
            close, start = last_poll, ends
        else:
            close = start = poll_after(float(times[i]))
    return np.array(cuts, np.intp)


def _sizes(
    events: VoteEvents, sequence: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sorted positions in ``sequence`` where each participant and each statement first
    appears: how many are known after the first i events is a ``searchsorted`` of i."""
    position = np.empty(sequence.shape[0], np.int64)
    position[sequence] = np.arange(sequence.shape[0], dtype=np.int64)
    never = sequence.shape[0]
    participants = np.full(events.n_participants, never, np.int64)
    np.minimum.at(participants, events.participant, position)
    statements = np.full(events.n_statements, never, np.int64)
    np.minimum.at(statements, events.statement, position)
    return np.sort(participants), np.sort(statements)

"""Replaying a conversation's votes in time order, as a live Pol.is conversation saw them.

Pol.is updates its analysis on the votes that arrived since its last update, warm-starting
from the previous state, so the groups it publishes depend on when votes arrived.
:func:`replay` runs ``analyze`` on the first batch of votes (in time order) and ``update``
with each further batch. The batches are either the ones Pol.is's worker would have cut,
following the votes' clock (a :class:`~tracktwo.analysis.cadence.PollCadence`, see
:func:`~tracktwo.analysis.cadence.poll_windows`), or a fixed share of all vote events (a
fraction, :func:`time_batches`). Votes without times (rebuilt from
``participants-votes.csv``) replay in row order in batches of 1% of the votes either way.

Pol.is's worker also reloads a conversation from its database when it restarts
(``conv_man.clj``, ``load-or-init``), which keeps the PCA, the in-conv set and the base
clusters but starts each k's group clustering and the k smoother afresh
(:func:`~tracktwo.analysis.engine.reload`), and runs one update at once (``conv-actor``:
"Trigger a conv update as the conv loads"). A restarted worker loads every conversation with
votes in the last ``poll-from-days-ago`` days (10, ``poller.clj`` and ``config.clj``; the 2014
worker loaded every conversation), so a restart in the ten days after a conversation's last
vote leaves its published state reloaded. When the worker restarted is not recorded:
``restart_at_end`` replays one restart after the last vote, ``restart_every`` restarts at a
fixed period from the first vote (and those of the ten days after the last one).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cadence import (
    POLIS_CADENCE,
    REPLAY_BATCHES,
    PollCadence,
    fraction_cuts,
    poll_windows,
)
from tracktwo.analysis.engine import analyze, reload, update
from tracktwo.analysis.parallel import one_blas_thread, threads
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.solver_process import solving_apart
from tracktwo.analysis.votes import VoteEvents, VoteInputError

Progress = Callable[[int, int, AnalysisResult], None]
Batching = float | PollCadence

EVERY_UPDATE = PollCadence()
"""Pol.is's schedule update by update (one engine update per poll that found votes: slow)."""

UNTIMED_FRACTION = 0.01

APART_VOTES = 1_000_000
"""Votes from which a replay solves in a second process by default (below, starting it costs
more than it saves)."""

REPOLL_SECONDS = 10 * 86400.0
"""How far back a restarted Pol.is worker polls votes (``:poll-from-days-ago 10``)."""

__all__ = [
    "APART_VOTES",
    "EVERY_UPDATE",
    "POLIS_CADENCE",
    "REPLAY_BATCHES",
    "REPOLL_SECONDS",
    "Batching",
    "PollCadence",
    "Progress",
    "batches_of",
    "replay",
    "take",
    "time_batches",
]


def take(events: VoteEvents, rows: NDArray[np.int64]) -> VoteEvents:
    """The vote events ``rows`` (in that order), keeping only participants who cast them.

    Statements are kept whole, so that indices into ``events.statements`` stay valid.
    """
    used, local = np.unique(events.participant[rows], return_inverse=True)
    ids = events.participant_ids
    return VoteEvents(
        local.astype(np.int64),
        events.statement[rows],
        events.vote[rows],
        events.timestamp[rows],
        tuple(ids[i] for i in used.tolist()),
        events.statements,
    )


def time_batches(events: VoteEvents, fraction: float) -> list[NDArray[np.int64]]:
    """Event rows in time order (ties in row order), cut into batches of ``fraction`` of all
    events (the last may be shorter). Events without a time come first, in row order: votes
    rebuilt from ``participants-votes.csv`` (no times) replay participant by participant, in
    the order Pol.is numbered them, which is the order they arrived in."""
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"batch fraction must be in (0, 1], got {fraction!r}")
    n = len(events)
    if n == 0:
        raise VoteInputError("no votes to replay")
    time = np.where(np.isnan(events.timestamp), -np.inf, events.timestamp)
    order = np.argsort(time, kind="stable").astype(np.int64)
    return fraction_cuts(order, max(1, math.ceil(fraction * n)))


def batches_of(events: VoteEvents, batching: Batching) -> list[NDArray[np.int64]]:
    """The replay's batches: poll windows for a cadence, fixed shares for a fraction."""
    if isinstance(batching, PollCadence):
        return poll_windows(events, batching, UNTIMED_FRACTION)
    return time_batches(events, batching)


def replay(
    events: VoteEvents,
    params: AnalysisParams,
    batching: Batching = POLIS_CADENCE,
    progress: Progress | None = None,
    restart_every: float | None = None,
    restart_at_end: bool = False,
    apart: bool | None = None,
) -> AnalysisResult:
    """Analyse the first batch, then ``update`` batch by batch; the final result.

    Parameters
    ----------
    events : VoteEvents
    params : AnalysisParams
    batching : PollCadence or float
        Pol.is's poll-and-update schedule (default: :data:`POLIS_CADENCE`), or a share of
        all vote events per batch.
    progress : callable, optional
        ``progress(done, total, result)`` after each batch.
    restart_every : float, optional
        Seconds between restarts of Pol.is's worker, counted from the first vote: the state
        is reloaded (:func:`~tracktwo.analysis.engine.reload`) before the first batch that
        begins after a restart, and once more at the end when a restart falls within
        :data:`REPOLL_SECONDS` of the last vote. Batches without times never see a restart.
    restart_at_end : bool
        End with a restart of Pol.is's worker after the last vote: the state reloaded, then
        the update its loading triggers (no new votes).
    apart : bool, optional
        Form the Gram matrices and solve the components in a second process
        (``solver_process``): by default on more than one core from ``APART_VOTES`` votes
        on. The same results either way.
    """
    if restart_every is not None and not restart_every > 0.0:
        raise ValueError(f"restart period must be above 0 seconds, got {restart_every!r}")
    batches = batches_of(events, batching)
    result = analyze(take(events, batches[0]), params)
    if progress is not None:
        progress(1, len(batches), result)
    if apart is None:
        apart = threads() > 1 and len(events) >= APART_VOTES
    # BLAS on one thread for every update: those prepared ahead on the pool (their components
    # solved there) run under it too, whenever they run
    with one_blas_thread(), solving_apart() if apart else contextlib.nullcontext():
        return _updates(events, batches, result, progress, restart_every, restart_at_end)


def _updates(
    events: VoteEvents,
    batches: list[NDArray[np.int64]],
    result: AnalysisResult,
    progress: Progress | None,
    restart_every: float | None,
    restart_at_end: bool,
) -> AnalysisResult:
    """:func:`replay` after the first batch's analysis ``result``."""
    origin = float(np.nanmin(events.timestamp)) if np.isfinite(events.timestamp).any() else 0.0
    periods = [_period(events.timestamp, rows, origin, restart_every) for rows in batches]
    period = periods[0]
    reloads = [False] * len(batches)  # a restart (a reload) comes before batch i
    for i in range(1, len(batches)):
        if periods[i] > period:
            reloads[i], period = True, periods[i]
    period = periods[0]
    taken = take(events, batches[1]) if len(batches) > 1 else None
    for done in range(2, len(batches) + 1):
        batch = taken if taken is not None else take(events, batches[done - 1])
        if reloads[done - 1]:
            result = reload(result)
            period = periods[done - 1]
        # the next batch, when no restart comes before it, is prepared during this update
        taken = take(events, batches[done]) if done < len(batches) else None
        ahead = None if taken is None or reloads[done] else taken
        result = update(result, batch, ahead=ahead)
        if progress is not None:
            progress(done, len(batches), result)
    if restart_every is not None and period >= 0:
        last = origin + (period + 1) * restart_every  # the first restart after the last batch
        restart_at_end = restart_at_end or last <= _last_time(events, batches) + REPOLL_SECONDS
    if restart_at_end:
        result = update(reload(result), take(events, np.zeros(0, np.int64)))
    return result


def _last_time(events: VoteEvents, batches: list[NDArray[np.int64]]) -> float:
    times = events.timestamp[batches[-1]]
    return float(np.nanmax(times)) if np.isfinite(times).any() else -math.inf


def _period(
    time: NDArray[np.float64], rows: NDArray[np.int64], origin: float, every: float | None
) -> int:
    """How many restarts came before the last timed vote of ``rows`` (-1: none counted)."""
    if every is None:
        return -1
    times = time[rows]
    times = times[np.isfinite(times)]
    if times.shape[0] == 0:
        return -1
    return int(np.floor((float(times.max()) - origin) / every))

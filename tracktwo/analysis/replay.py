"""Replaying a conversation's votes in time order, as a live Pol.is conversation saw them.

Pol.is updates its analysis about once a second, warm-starting from the previous state, so
the groups it publishes depend on the order in which votes arrived. :func:`replay` runs
``analyze`` on the first batch of votes (in time order) and ``update`` with each further
batch; the batch size is a fraction of all vote events, the same for every conversation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import VoteEvents, VoteInputError

Progress = Callable[[int, int, AnalysisResult], None]

__all__ = ["Progress", "replay", "take", "time_batches"]


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
    size = max(1, math.ceil(fraction * n))
    return [order[start : start + size] for start in range(0, n, size)]


def replay(
    events: VoteEvents,
    params: AnalysisParams,
    fraction: float = 0.01,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse the first time batch, then ``update`` batch by batch; the final result.

    ``progress(done, total, result)`` is called after each batch.
    """
    batches = time_batches(events, fraction)
    result = analyze(take(events, batches[0]), params)
    if progress is not None:
        progress(1, len(batches), result)
    for done, rows in enumerate(batches[1:], start=2):
        result = update(result, take(events, rows))
        if progress is not None:
            progress(done, len(batches), result)
    return result

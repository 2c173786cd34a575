"""An update's first half, which can run ahead: new votes matched, cells merged, counts and
Gram sums patched, before the analysis of the update before it has finished.

``engine.update`` splits into :func:`prepare` (match ids, merge the new cells into a tail of
the chain's cells, count them, patch the Gram sums), :func:`commit` (write the tail into the
chain's cell buffers and keep the counts) and the pipeline. :func:`prepare` writes nothing the
previous update still reads: the cell buffers and counts are written by :func:`commit`, and
the Gram sums are read by the previous update only before its PCA. So a replay, which knows
the next batch, prepares it while the update before it runs its projection and clusterings
(``update_ahead``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cells import CellState, latest_cells
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.live_cells import merged_tail
from tracktwo.analysis.live_state import (
    Kept,
    LiveState,
    RowCounts,
    full_counts,
    settle,
    step_counts,
    step_gram,
)
from tracktwo.analysis.matrix import (
    polis_rows,
    zeroed_statements,
)
from tracktwo.analysis.parallel import background
from tracktwo.analysis.pca import Components
from tracktwo.analysis.votes import (
    Id,
    Statements,
    VoteEvents,
    VoteInputError,
    apply_moderation,
    merge_statements,
)

__all__ = ["Step", "all_rows", "commit", "prepare"]


@dataclass(frozen=True, eq=False)
class Step:
    """An update prepared: everything :func:`commit` and the pipeline need.

    Attributes
    ----------
    live : LiveState
    fresh : bool
        ``live`` is new to this update.
    events : VoteEvents
        Every vote after the update.
    index : dict
        Participant id -> index after the update.
    rows : ndarray of int64
        Pol.is's row order after the update (``matrix.polis_rows``).
    next_rank : int
    zeroed : ndarray of bool, shape (n_statements,)
    old : CellState
        The cells before the update.
    start : int
        Where the update's cells begin to differ from ``old``.
    tail : tuple of ndarrays, optional
        The cells from ``start`` on after the update, and their vote codes; ``None`` when the
        update has no votes.
    before : CellState
        ``old``'s cells from ``start`` on.
    who : ndarray of int64
        The participants whose cells changed (ascending).
    counts : RowCounts, optional
        The counts after the update; ``None``: counted over every cell at the commit.
    gram : GramSums, optional
        The Gram sums after ``ready()``.
    ready : callable, optional
        Patches ``gram`` (once; at once when ``gram`` is ``None``: build the sums from every
        cell at the commit); ``None`` when no dense Gram product pays.
    centred : ndarray of float64, optional
        The centred values of every cell after the update, when prepared ahead
        (``update_ahead.start_ahead``).
    components : Components, optional
        The update's components, when solved ahead on its Gram sums (``update_ahead``).
    formed : callable, optional
        Waits until the update's Gram matrix is formed from its sums (which the next update's
        patch then may write), when that happens on the pool (``update_ahead``).
    solve : callable, optional
        Waits for the update's components being solved on the pool (``None``: the update
        solves them itself), when the update was prepared ahead (``update_ahead``).
    """

    live: LiveState
    fresh: bool
    events: VoteEvents
    index: dict[Id, int]
    rows: NDArray[np.int64]
    next_rank: int
    zeroed: NDArray[np.bool_]
    old: CellState
    start: int
    tail: tuple[NDArray[np.generic], ...] | None
    before: CellState
    who: NDArray[np.int64]
    counts: RowCounts | None
    gram: GramSums | None
    ready: Callable[[], None] | None
    centred: NDArray[np.float64] | None = None
    components: Components | None = None
    formed: Callable[[], None] | None = None
    solve: Callable[[], Components | None] | None = None


def prepare(
    live: LiveState,
    fresh: bool,
    old: VoteEvents,
    known: dict[Id, int] | None,
    rows: NDArray[np.int64],
    next_rank: int,
    cells: CellState,
    new_events: VoteEvents,
    statements: Statements | None = None,
    patch_later: bool = False,
) -> Step:
    """The first half of ``engine.update`` of a result with events ``old``, participant index
    ``known``, Pol.is rows ``rows``, ``next_rank`` and cells ``cells`` (see :class:`Step`).

    The Gram patch starts on the pool at once, unless ``patch_later``: then it runs at the
    first call of the step's ``ready``, on the calling thread and the pool together.

    Kept in one piece: matching ids, merging the cells and counting them, and Pol.is's row
    order for newcomers happen in this order on one set of local arrays.
    """
    merged_statements, statement_map = merge_statements(old.statements, new_events.statements)
    if statements is not None:
        merged_statements = apply_moderation(merged_statements, statements)
    if known is None:
        known = {pid: i for i, pid in enumerate(old.participant_ids)}
    index = dict(known) if new_events.n_participants else known
    ids = list(old.participant_ids)
    local = np.empty(len(new_events.participant_ids), np.int64)
    for i, pid in enumerate(new_events.participant_ids):
        position = index.get(pid)
        if position is None:
            position = index[pid] = len(ids)
            ids.append(pid)
        local[i] = position
    participant = local[new_events.participant]
    statement = statement_map[new_events.statement]
    arrays = live.append(
        (old.participant, old.statement, old.vote, old.timestamp),
        (participant, statement, new_events.vote, new_events.timestamp),
    )
    events = VoteEvents(arrays[0], arrays[1], arrays[2], arrays[3], tuple(ids), merged_statements)
    n_statements = len(merged_statements)
    zeroed = zeroed_statements(merged_statements.moderated, merged_statements.is_meta)
    start = cells[0].shape[0]
    before: CellState = (cells[0][:0], cells[1][:0], cells[2][:0], cells[3][:0])
    tail = None
    who = np.zeros(0, np.int64)
    counts, gram, ready = None, None, None
    if len(new_events):
        fresh_cells = latest_cells(
            participant,
            statement,
            new_events.vote,
            new_events.timestamp,
            n_statements,
            first_rank=next_rank,
        )
        start, before, tail = merged_tail(cells, fresh_cells, n_statements, events.timestamp)
        who = np.unique(fresh_cells[0]).astype(np.int64)
        after: CellState = (tail[0], tail[1], tail[2], tail[3])
        counts = step_counts(live, fresh, before, after, who, len(ids), zeroed)
        n_cells = start + tail[0].shape[0]
        gram, ready = step_gram(live, fresh, before, after, who, n_statements, n_cells)
        if gram is not None and ready is not None and not patch_later:
            # patched on the pool while the caller goes on (at once inside the pool)
            ready = background(ready)
    elif cells[0].shape[0]:
        counts = step_counts(live, fresh, before, before, who, len(ids), zeroed)
        gram, ready = step_gram(live, fresh, before, before, who, n_statements, start)
    # one update is one poll of votes: its new participants get rows as Pol.is appends them
    fresh_rows = polis_rows(
        participant, statement, ids, merged_statements.ids, len(old.participant_ids)
    )
    rows = all_rows(np.concatenate([rows, fresh_rows]), len(ids))
    return Step(
        live, fresh, events, index, rows, next_rank + len(new_events), zeroed, cells, start,
        tail, before, who, counts, gram, ready,
    )  # fmt: skip


def commit(step: Step) -> tuple[CellState, Kept]:
    """Write ``step``'s cells into its chain's buffers and keep its counts and Gram sums: the
    cells after the update and what the pipeline takes from the chain."""
    live = step.live
    if step.tail is None:
        cells = live.cells.adopt(step.old)
    else:
        cells = live.cells.write(step.old, step.start, step.tail)
    if cells[0].shape[0] == 0:
        raise VoteInputError("no votes: there is nothing to analyse")
    events = step.events
    counts = step.counts
    if counts is None:
        counts = full_counts(cells, events.n_participants, events.n_statements, step.zeroed)
    gram = step.gram
    if gram is None and step.ready is not None:
        gram = GramSums.of(cells, events.n_statements)
    link = settle(live, counts, step.zeroed, gram)
    tallies = (counts.tallies, counts.votes_cast, counts.dead_votes)
    ready = step.ready if step.ready is not None and step.gram is not None else _nothing
    kept = Kept(link, tallies, gram, step.before, step.who, ready, step.centred, step.components)
    return cells, kept


def all_rows(rows: NDArray[np.int64], n_participants: int) -> NDArray[np.int64]:
    """``rows`` followed by any participant without a row yet (no vote), in index order."""
    if rows.shape[0] == n_participants:
        return rows
    seen = np.zeros(n_participants, np.bool_)
    seen[rows] = True
    return np.concatenate([rows, np.flatnonzero(~seen)]).astype(np.int64)


def _nothing() -> None:
    """Nothing to wait for."""

"""The vote cells a chain of updates keeps, patched in place from the first participant touched.

Cells are sorted by participant index, and participants are numbered in order of arrival, so
the votes of an update land at or near the end of the cells: the newcomers' rows are appended
and the returning voters are, in a live conversation, the recent ones. :class:`CellBuffers`
holds the cells in growable buffers (amortised doubling) and ``write`` rewrites only the cells
from the first participant the update touched (:func:`merged_tail`), leaving the rest of every array where it is;
``merge_cells`` over every cell copied all of them (``np.insert``) on each update.

The buffers belong to the newest result of their chain (``live_state``): the cells of an older
result of the chain are views of buffers rewritten since, so :func:`cells_of` rebuilds such a
result's cells from its own vote events (the same cells, from scratch) before they are read.

The chain also keeps the vote tallies per group of its newest result
(:func:`tallies_by_group`): the next update subtracts the cells of the participants whose cells or
group changed and adds their new ones, which gives the same integers as a count over every cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cells import CellState, latest_cells, merge_cells
from tracktwo.analysis.matrix import vote_codes
from tracktwo.analysis.repness import vote_tallies

if TYPE_CHECKING:
    from tracktwo.analysis.live_state import LiveState
    from tracktwo.analysis.result import AnalysisResult

__all__ = [
    "CellBuffers",
    "GroupTallies",
    "cells_of",
    "merged_tail",
    "rows_of",
    "tallies_by_group",
]

FULL_COUNT_SHARE = 0.5
"""Group tallies are counted afresh once the changed participants hold this share of cells."""


def rows_of(cells: CellState, who: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions in ``cells`` of the cells of participants ``who`` (ascending), shape (m,).

    ``cells`` are sorted by participant, so each participant's cells are one run.
    """
    if who.shape[0] == 0:
        return np.zeros(0, np.int64)
    keys = who.astype(cells[0].dtype)  # the haystack's type: no converted copy of it
    lo = np.searchsorted(cells[0], keys, side="left").astype(np.int64)
    hi = np.searchsorted(cells[0], keys, side="right").astype(np.int64)
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    starts = np.cumsum(lengths) - lengths
    at: NDArray[np.int64] = np.arange(total, dtype=np.int64) - np.repeat(starts - lo, lengths)
    return at


def cells_of(result: AnalysisResult) -> CellState:
    """``result``'s cells: kept ones while its chain has not moved on, else rebuilt from its
    vote events (an older result of a chain, whose cell buffers were rewritten since)."""
    link = result.state.live
    if link is None or link.current:
        return result.state.cells
    events = result.events
    return latest_cells(
        events.participant, events.statement, events.vote, events.timestamp, events.n_statements
    )


class CellBuffers:
    """A chain's cells (participant, statement, vote, rank) and their vote codes
    (``matrix.vote_codes``), as views of growable buffers."""

    def __init__(self) -> None:
        self.buffers: tuple[NDArray[Any], ...] = ()
        self.views: tuple[NDArray[Any], ...] = ()

    def ours(self, cells: CellState) -> bool:
        """Whether ``cells`` are the views this chain last handed out."""
        return len(self.views) == 5 and all(
            a is b for a, b in zip(cells, self.views[:4], strict=True)
        )

    @property
    def codes(self) -> NDArray[np.int32]:
        """The vote codes of the cells last handed out."""
        codes: NDArray[np.int32] = self.views[4]
        return codes

    def write(self, old: CellState, start: int, tail: tuple[NDArray[Any], ...]) -> CellState:
        """``old``'s first ``start`` cells followed by ``tail`` (cells and their vote codes, from
        :func:`merged_tail`), written over the buffers from ``start`` on."""
        total = start + tail[0].shape[0]
        ours = self.ours(old)
        if not ours or total > self.buffers[0].shape[0] or self.buffers[3].dtype != tail[3].dtype:
            head: tuple[NDArray[Any], ...] = (
                *old,
                self.codes if ours else vote_codes(old[1], old[2]),
            )
            capacity = max(1024, 2 * total)
            buffers = []
            for a, b in zip(head, tail, strict=True):
                buffer = np.empty(capacity, b.dtype)
                buffer[:start] = a[:start]
                buffers.append(buffer)
            self.buffers = tuple(buffers)
        for buffer, b in zip(self.buffers, tail, strict=True):
            buffer[start:total] = b
        self.views = tuple(buffer[:total] for buffer in self.buffers)
        return self.views[0], self.views[1], self.views[2], self.views[3]

    def adopt(self, cells: CellState) -> CellState:
        """``cells`` (unchanged by an update without votes) as the chain's cells: copies, when
        they are not already the chain's, as later updates write into the buffers."""
        if not self.ours(cells):
            self.buffers = (*(a.copy() for a in cells), vote_codes(cells[1], cells[2]))
            self.views = self.buffers
        return self.views[0], self.views[1], self.views[2], self.views[3]


def merged_tail(
    old: CellState, fresh: CellState, n_statements: int, timestamp: NDArray[np.float64]
) -> tuple[int, CellState, tuple[NDArray[Any], ...]]:
    """Where ``fresh`` (sorted by participant, not empty) first touches ``old``; ``old``'s cells
    from there on (a copy); and ``merge_cells`` of those with ``fresh`` with their vote codes:
    the cells from there on after the update. Reads ``old`` only."""
    start = int(np.searchsorted(old[0], fresh[0][0], side="left"))
    before: CellState = (
        old[0][start:].copy(),
        old[1][start:].copy(),
        old[2][start:].copy(),
        old[3][start:].copy(),
    )
    merged = merge_cells(before, fresh, n_statements, timestamp)
    return start, before, (*merged, vote_codes(merged[1], merged[2]))


class GroupTallies:
    """The newest result's group labels (per participant) and tallies per group."""

    def __init__(self, labels: NDArray[np.int64], tallies: NDArray[np.int64]) -> None:
        self.labels = labels
        self.tallies = tallies


def tallies_by_group(
    live: LiveState,
    cells: CellState,
    before: CellState,
    who: NDArray[np.int64],
    labels: NDArray[np.int64],
    k: int,
    n_statements: int,
) -> NDArray[np.int64]:
    """``vote_tallies`` of ``cells`` by group ``labels`` (shape (k, n_statements, 3)), patched
    from the chain's last tallies where it has them.

    Parameters
    ----------
    live : LiveState
        The chain's state; its ``groups`` are the last update's labels and tallies.
    cells : CellState
        The cells now (the chain's buffers, whose codes ``live.cells`` holds).
    before : CellState
        The cells of participants ``who`` before this update (and maybe of others after them).
    who : ndarray of int64
        Participants whose cells changed in this update (ascending).
    labels : ndarray of int64, shape (n_participants,)
        Group per participant, -1 outside every group.
    k, n_statements : int
    """
    last = live.groups
    codes = live.cells.codes
    if last is None or last.tallies.shape != (k, n_statements, 3):
        return _counted(live, cells, codes, labels, k, n_statements)
    old_labels = np.full(labels.shape[0], -1, np.int64)
    old_labels[: last.labels.shape[0]] = last.labels
    moved = np.flatnonzero(old_labels != labels)
    moved = moved[~np.isin(moved, who, assume_unique=True)]
    at_moved = rows_of(cells, moved)
    at_new = rows_of(cells, who)
    if at_moved.shape[0] + at_new.shape[0] > FULL_COUNT_SHARE * cells[0].shape[0]:
        return _counted(live, cells, codes, labels, k, n_statements)
    at_old = rows_of(before, who)
    tallies = last.tallies.copy()
    for part, sign, group in (
        (_take(cells, codes, at_moved), -1, old_labels),
        (_take(before, None, at_old), -1, old_labels),
        (_take(cells, codes, at_moved), 1, labels),
        (_take(cells, codes, at_new), 1, labels),
    ):
        counted = vote_tallies(part[:3], group, k, n_statements, part[3])
        if sign > 0:
            tallies += counted
        else:
            tallies -= counted
    live.groups = GroupTallies(labels, tallies)
    return tallies.copy()


def _take(
    cells: CellState, codes: NDArray[np.int32] | None, at: NDArray[np.int64]
) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.int8], NDArray[np.int32]]:
    """The cells at positions ``at`` and their vote codes."""
    statement, vote = cells[1][at], cells[2][at]
    part_codes = codes[at] if codes is not None else vote_codes(statement, vote)
    return cells[0][at], statement, vote, part_codes


def _counted(
    live: LiveState,
    cells: CellState,
    codes: NDArray[np.int32],
    labels: NDArray[np.int64],
    k: int,
    n_statements: int,
) -> NDArray[np.int64]:
    tallies = vote_tallies(cells[:3], labels, k, n_statements, codes)
    live.groups = GroupTallies(labels, tallies.copy())
    return tallies

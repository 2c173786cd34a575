"""The vote that counts per (participant, statement) cell, from scratch and patched by later votes.

``latest_cells`` packs each event's cell, time order and vote into one 64-bit integer and sorts
the values: no argsort and no random gather. The events are split by participant into one
range per core, each range's keys written to its own slice of a single array and sorted there
in a thread (NumPy releases the GIL while sorting), so the slices together are sorted without
a merge; the cells are then read off the sorted keys a few million at a time. At 50 million
votes the key array (8 bytes a vote) is the only full-size temporary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

CellState = tuple[
    NDArray[np.int32], NDArray[np.int32], NDArray[np.int8], NDArray[np.signedinteger[Any]]
]
"""(participant, statement, vote, rank) per cell, sorted by participant then statement."""

CHUNK = 1 << 20  # events per chunk of keys built or cells read (the chunks on every core)
PARALLEL_ABOVE = 1 << 23  # events beyond which the sort is split over the cores

__all__ = [
    "CellState",
    "cell_index_type",
    "event_times",
    "latest_cells",
    "merge_cells",
    "rank_dtype",
    "workers",
]


def cell_index_type(n_statements: int, n_cells: int) -> type[np.signedinteger[Any]]:
    """The centred matrix's index type: 32-bit while its indices and vote codes fit."""
    return np.int32 if max(3 * n_statements, n_cells) < 2**31 - 1 else np.int64


def workers() -> int:
    """Threads for the parallel steps: the cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def rank_dtype(largest: int) -> type[np.int32] | type[np.int64]:
    """int32 while event ranks fit in it (half the memory), else int64."""
    return np.int32 if largest < 2**31 - 1 else np.int64


def _key_bits(n: int) -> int:
    return max(1, int(n - 1).bit_length()) if n > 1 else 1


def event_times(timestamp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Times with unknown (NaN) ones moved before every known time."""
    unknown = np.isnan(timestamp)
    if not unknown.any():
        return timestamp
    time = timestamp.copy()
    time[unknown] = -np.inf
    return time


def latest_cells(
    participant: NDArray[np.integer[Any]],
    statement: NDArray[np.integer[Any]],
    vote: NDArray[np.int8],
    timestamp: NDArray[np.float64],
    n_statements: int,
    first_rank: int = 0,
) -> CellState:
    """The vote that counts per (participant, statement): the latest time, ties by row order.

    Parameters
    ----------
    participant, statement : ndarray of int, shape (n_events,)
    vote : ndarray of int8, shape (n_events,)
    timestamp : ndarray of float64, shape (n_events,)
        Unknown times (NaN) come before every known time.
    n_statements : int
    first_rank : int
        Rank of the first event (its row in all the votes so far).

    Returns
    -------
    (participant, statement, vote, rank), each shape (n_cells,), sorted by participant then
    statement; ``rank`` (int32 while it fits, else int64) is the event's row counted from
    ``first_rank``, which is how its time is found again.
    """
    n = participant.shape[0]
    width = max(n_statements, 1)
    time = event_times(timestamp)
    order: NDArray[np.int64] | None = None
    if n > 1 and not bool(np.all(time[1:] >= time[:-1])):
        order = np.argsort(time, kind="stable").astype(np.int64)
    bits = _key_bits(n)
    if n and _key_bits(int(participant.max()) + 1) + _key_bits(width) + bits + 2 <= 63:
        return _packed(participant, statement, vote, order, width, bits, first_rank)
    return _lexsorted(participant, statement, vote, order, width, first_rank)


def _packed(
    participant: NDArray[np.integer[Any]],
    statement: NDArray[np.integer[Any]],
    vote: NDArray[np.int8],
    order: NDArray[np.int64] | None,
    width: int,
    bits: int,
    first_rank: int,
) -> CellState:
    """Keys ``participant | statement | time rank | vote + 1`` (bit fields, high to low)."""
    n = participant.shape[0]
    shift = bits + 2
    p_shift = shift + _key_bits(width)
    threads = workers()
    # above PARALLEL_ABOVE: participant ranges holding about n / threads events each, the keys
    # of range r going to slice r, each slice sorted in its own thread
    split = threads if n > PARALLEL_ABOVE else 1
    pivots = np.zeros(0, np.int64)
    edges = np.array([0, n], np.int64)
    if split > 1:
        cumulative = np.cumsum(np.bincount(participant))
        targets = [n * (r + 1) // split for r in range(split - 1)]
        pivots = np.unique(np.searchsorted(cumulative, targets).astype(np.int64) + 1)
        edges = np.concatenate([[0], cumulative[pivots - 1], [n]]).astype(np.int64)
    ranks = None
    if order is not None:
        ranks = np.empty(n, np.int64)
        ranks[order] = np.arange(n, dtype=np.int64)
    key = np.empty(n, np.int64)
    filled = edges[:-1].copy()

    def keys(start: int) -> NDArray[np.int64]:
        stop = min(n, start + CHUNK)
        part = np.arange(start, stop, dtype=np.int64) if ranks is None else ranks[start:stop].copy()
        part <<= 2
        part += vote[start:stop]
        part += 1
        field = statement[start:stop].astype(np.int64)
        field <<= shift
        part |= field
        field = participant[start:stop].astype(np.int64)
        field <<= p_shift
        part |= field
        if pivots.shape[0] == 0:  # in place: chunks are independent
            key[start:stop] = part
        return part

    if pivots.shape[0] == 0:
        _each(threads, keys, range(0, n, CHUNK))
    for start in range(0, n, CHUNK) if pivots.shape[0] else ():
        part = keys(start)
        which = np.zeros(part.shape[0], np.int8)
        for pivot in pivots.tolist():
            which += participant[start : start + CHUNK] >= pivot
        for r in range(pivots.shape[0] + 1):
            chosen = part[which == r]
            key[filled[r] : filled[r] + chosen.shape[0]] = chosen
            filled[r] += chosen.shape[0]
    ranks = None  # freed: the keys hold the ranks now
    slices = [key[a:b] for a, b in pairwise(edges.tolist())]
    _each(len(slices), np.ndarray.sort, slices)
    return _read_cells(key, threads, shift, p_shift, bits, order, first_rank)


def _each(threads: int, work: Callable[[Any], object], items: Sequence[Any]) -> None:
    """``work`` on every item, on ``threads`` threads when there is more than one item (NumPy
    releases the GIL for the large array operations each does)."""
    if threads > 1 and len(items) > 1:
        with ThreadPoolExecutor(min(threads, len(items))) as pool:
            list(pool.map(work, items))
    else:
        for item in items:
            work(item)


def _read_cells(
    key: NDArray[np.int64],
    threads: int,
    shift: int,
    p_shift: int,
    bits: int,
    order: NDArray[np.int64] | None,
    first_rank: int,
) -> CellState:
    """The cells from the sorted keys: the last event of each run of equal cells counts. Read
    chunk by chunk, the chunks on every core, each writing its own stretch of the output."""
    n = key.shape[0]
    starts = range(0, n, CHUNK)
    last = np.empty(n, np.bool_)

    def runs(start: int) -> int:
        end = min(n, start + CHUNK + 1)
        here = key[start:end] >> shift
        np.not_equal(here[1:], here[:-1], out=last[start : end - 1])
        if end == n:
            last[-1] = True
        return int(np.count_nonzero(last[start : min(n, start + CHUNK)]))

    counts = [0] * len(starts)

    def count(index: int) -> None:
        counts[index] = runs(starts[index])

    _each(threads, count, range(len(starts)))
    offsets = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).tolist()
    n_cells = offsets[-1]
    participants = np.empty(n_cells, np.int32)
    statements = np.empty(n_cells, np.int32)
    votes = np.empty(n_cells, np.int8)
    rows = np.empty(n_cells, rank_dtype(first_rank + n))

    def read(index: int) -> None:
        start, at, end = starts[index], offsets[index], offsets[index + 1]
        kept = key[start : start + CHUNK][last[start : start + CHUNK]]
        np.right_shift(kept, p_shift, out=participants[at:end], casting="unsafe")
        field = kept >> shift
        field &= (1 << (p_shift - shift)) - 1
        statements[at:end] = field
        np.bitwise_and(kept, 3, out=field)
        field -= 1
        votes[at:end] = field
        kept >>= 2
        kept &= (1 << bits) - 1
        if order is not None:
            kept = order[kept]
        kept += first_rank
        rows[at:end] = kept

    _each(threads, read, range(len(starts)))
    return participants, statements, votes, rows


def _lexsorted(
    participant: NDArray[np.integer[Any]],
    statement: NDArray[np.integer[Any]],
    vote: NDArray[np.int8],
    order: NDArray[np.int64] | None,
    width: int,
    first_rank: int,
) -> CellState:
    """Keys too wide to pack: a lexsort on (cell, time order)."""
    n = participant.shape[0]
    key = participant.astype(np.int64) * width
    key += statement
    if order is None:
        position = np.arange(n, dtype=np.int64)
    else:
        position = np.empty(n, np.int64)
        position[order] = np.arange(n, dtype=np.int64)
    by_cell = np.lexsort((position, key))
    last = np.ones(n, np.bool_)
    last[:-1] = key[by_cell][1:] != key[by_cell][:-1]
    rows = by_cell[last]
    cell = key[rows]
    votes = vote[rows].astype(np.int8)
    rows = rows + first_rank
    participants, statements = _split(cell, width)
    return participants, statements, votes, rows.astype(rank_dtype(first_rank + n))


def _split(cell: NDArray[np.int64], width: int) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Participant and statement of each cell key (``participant * width + statement``)."""
    participants = np.empty(cell.shape[0], np.int32)
    np.floor_divide(cell, width, out=participants, casting="unsafe")
    statements = np.empty(cell.shape[0], np.int32)
    np.remainder(cell, width, out=statements, casting="unsafe")
    return participants, statements


def merge_cells(
    old: CellState, new: CellState, n_statements: int, timestamp: NDArray[np.float64]
) -> CellState:
    """Cells of earlier votes patched with later ones (a later event wins a time tie).

    Both are sorted by (participant, statement); the result is too. ``new``'s ranks are all
    larger than ``old``'s; ``timestamp`` holds every event's time, indexed by rank.
    """
    width = max(n_statements, 1)
    old_key = old[0].astype(np.int64) * width + old[1]
    new_key = new[0].astype(np.int64) * width + new[1]
    at = np.searchsorted(old_key, new_key)
    found = np.zeros(new_key.shape[0], np.bool_)
    inside = at < old_key.shape[0]
    found[inside] = old_key[at[inside]] == new_key[inside]
    replace = found.copy()
    old_time = event_times(timestamp[old[3][at[found]]])
    new_time = event_times(timestamp[new[3][found]])
    replace[found] = new_time >= old_time
    where = at[replace]
    rank_type = np.result_type(old[3].dtype, new[3].dtype)
    participant, statement, vote = (a.copy() for a in old[:3])
    rank = old[3].astype(rank_type)
    vote[where] = new[2][replace]
    rank[where] = new[3][replace]
    fresh = ~found
    spot = at[fresh]
    return (
        np.insert(participant, spot, new[0][fresh]),
        np.insert(statement, spot, new[1][fresh]),
        np.insert(vote, spot, new[2][fresh]),
        np.insert(rank, spot, new[3][fresh]),
    )

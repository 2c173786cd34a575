"""The vote matrix as the geometry sees it, kept sparse, and who is clustered (in-conv).

Pol.is's rating matrix has one column per statement that has received a vote. Moderated-out
and meta statements keep their column but it is set to 0 for *every* participant; those zeros
are votes as far as the projection's ``sqrt(C / n)`` scaling is concerned (this detail alone
moves base-cluster centres by up to 0.7 when missed). Missing cells are imputed with the column
mean and every column is centred on it, so the centred matrix is exactly

    X[p, c] = vote[p, c] - mu[c]  on cells p voted on (c not zeroed),  0 elsewhere,

a sparse matrix with one entry per vote: it is never densified.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis.clojure_order import ARRAY_MAP_MAX, hash_set_order
from tracktwo.analysis.votes import Id

Cells = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]]


@dataclass(frozen=True, eq=False)
class Geometry:
    """The implicitly imputed and centred vote matrix.

    Attributes
    ----------
    centred : scipy.sparse.csr_array of float64, shape (n_participants, n_statements)
        ``vote - mu`` on voted cells of geometry columns that are not zeroed.
    center : ndarray of float64, shape (n_statements,)
        Column means over voted cells (0 for zeroed and vote-less columns).
    geometry : ndarray of bool, shape (n_statements,)
        Statements with at least one vote: Pol.is's columns.
    zeroed : ndarray of bool, shape (n_statements,)
        Geometry columns zeroed for everyone (moderated out or meta).
    scale_votes : ndarray of int64, shape (n_participants,)
        Votes counted by the projection scaling: a participant's votes on live columns plus
        every zeroed column.
    """

    centred: sparse.csr_array
    center: NDArray[np.float64]
    geometry: NDArray[np.bool_]
    zeroed: NDArray[np.bool_]
    scale_votes: NDArray[np.int64]

    @property
    def n_columns(self) -> int:
        """C in the projection scaling: statements with votes, zeroed ones included."""
        return int(self.geometry.sum())

    @property
    def active(self) -> NDArray[np.bool_]:
        """Geometry columns that carry data (not zeroed), shape (n_statements,)."""
        return self.geometry & ~self.zeroed


def zeroed_statements(moderated: NDArray[np.int8], is_meta: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Statements Pol.is puts in ``mod-out``: moderated out (-1) or meta; shape (n_statements,)."""
    return np.asarray((moderated == -1) | is_meta, dtype=np.bool_)


def build_geometry(
    cells: Cells, n_participants: int, n_statements: int, zeroed: NDArray[np.bool_]
) -> Geometry:
    """The centred sparse matrix from the votes that count.

    Parameters
    ----------
    cells : (participant, statement, vote), each shape (n_cells,)
        Sorted by participant then statement, one entry per cell, export sign.
    n_participants, n_statements : int
    zeroed : ndarray of bool, shape (n_statements,)
        Moderated-out or meta statements.
    """
    participant, statement, vote = cells
    per_statement = np.bincount(statement, minlength=n_statements)
    geometry = per_statement > 0
    zeroed_geo = geometry & zeroed
    live = ~zeroed[statement]
    p, s = participant[live], statement[live]
    v = vote[live].astype(np.float64)
    sums = np.bincount(s, weights=v, minlength=n_statements)
    counts = np.bincount(s, minlength=n_statements)
    center = np.divide(sums, counts, out=np.zeros(n_statements), where=counts > 0)
    data = v - center[s]
    indptr = np.zeros(n_participants + 1, np.int64)
    np.cumsum(np.bincount(p, minlength=n_participants), out=indptr[1:])
    index_type = np.int32 if max(n_statements, data.shape[0]) < 2**31 - 1 else np.int64
    centred = sparse.csr_array(
        (data, s.astype(index_type), indptr.astype(index_type)),
        shape=(n_participants, n_statements),
    )
    live_votes = np.diff(indptr)
    scale_votes = live_votes + int(zeroed_geo.sum())
    return Geometry(centred, center, geometry, zeroed_geo, scale_votes.astype(np.int64))


def vote_counts(cells: Cells, n_participants: int) -> NDArray[np.int64]:
    """Votes per participant on any statement (Pol.is ``user-vote-counts``), shape (n,)."""
    return np.bincount(cells[0], minlength=n_participants).astype(np.int64)


def in_conv(
    counts: NDArray[np.int64],
    n_geometry: int,
    participant_ids: tuple[Id, ...],
    previous: NDArray[np.bool_] | None = None,
    min_votes: int = 7,
    min_in_conv: int = 15,
) -> NDArray[np.bool_]:
    """Who is clustered: Pol.is's in-conv rule.

    A participant is in once they have voted on ``min(min_votes, n_geometry)`` statements, and
    stays in. While fewer than ``min_in_conv`` are in, the most active voters are added (ties
    in the order Pol.is iterates its vote-count map).

    Parameters
    ----------
    counts : ndarray of int64, shape (n_participants,)
        Votes per participant (``vote_counts``).
    n_geometry : int
        Statements with at least one vote.
    participant_ids : tuple, length n_participants
    previous : ndarray of bool, shape (n_previous,), optional
        The last in-conv set (participants appended since are not in it).
    """
    n = counts.shape[0]
    inside = counts >= min(min_votes, n_geometry)
    inside &= counts > 0
    if previous is not None:
        inside[: previous.shape[0]] |= previous
    missing = min_in_conv - int(inside.sum())
    if missing > 0:
        voters = np.flatnonzero(counts > 0)
        candidates = voters[~inside[voters]]
        if voters.shape[0] > ARRAY_MAP_MAX:
            candidates = candidates[hash_set_order([participant_ids[i] for i in candidates])]
        ranked = candidates[np.argsort(-counts[candidates], kind="stable")]
        inside[ranked[:missing]] = True
    return inside if n else np.zeros(0, np.bool_)


CellState = tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.float64], NDArray[np.int64]
]


def _key_bits(n: int) -> int:
    return max(1, int(n - 1).bit_length()) if n > 1 else 1


def latest_cells(
    participant: NDArray[np.int64],
    statement: NDArray[np.int64],
    vote: NDArray[np.int8],
    timestamp: NDArray[np.float64],
    n_statements: int,
    first_rank: int = 0,
) -> CellState:
    """The vote that counts per (participant, statement): the latest time, ties by row order.

    Returns (participant, statement, vote, time, rank), sorted by participant then statement;
    ``rank`` is the event's row number counted from ``first_rank``. Unknown times (NaN) come
    before every known time. Uses one value sort of packed (cell, order) keys rather than an
    argsort where the keys fit in 63 bits.
    """
    n = participant.shape[0]
    time = np.where(np.isnan(timestamp), -np.inf, timestamp)
    if n > 1 and not bool(np.all(time[1:] >= time[:-1])):
        order = np.argsort(time, kind="stable")
        position = np.empty(n, np.int64)
        position[order] = np.arange(n, dtype=np.int64)
    else:
        position = np.arange(n, dtype=np.int64)
    key = participant.astype(np.int64) * max(n_statements, 1) + statement
    n_keys = int(key.max()) + 1 if n else 1
    bits = _key_bits(n)
    if n and _key_bits(n_keys) + bits <= 63:
        packed = np.sort((key << bits) | position)
        last = np.ones(n, np.bool_)
        last[:-1] = (packed[1:] >> bits) != (packed[:-1] >> bits)
        kept_position = packed[last] & ((1 << bits) - 1)
        inverse = np.empty(n, np.int64)
        inverse[position] = np.arange(n, dtype=np.int64)
        rows = inverse[kept_position]
    else:
        order = np.lexsort((position, key))
        last = np.ones(n, np.bool_)
        last[:-1] = key[order][1:] != key[order][:-1]
        rows = order[last]
    return (
        participant[rows].astype(np.int64),
        statement[rows].astype(np.int64),
        vote[rows].astype(np.int8),
        time[rows],
        rows.astype(np.int64) + first_rank,
    )


def merge_cells(old: CellState, new: CellState, n_statements: int) -> CellState:
    """Cells of earlier votes patched with later ones (a later event wins a time tie).

    Both are sorted by (participant, statement); the result is too. ``new``'s ranks are all
    larger than ``old``'s.
    """
    width = max(n_statements, 1)
    old_key = old[0] * width + old[1]
    new_key = new[0] * width + new[1]
    at = np.searchsorted(old_key, new_key)
    found = np.zeros(new_key.shape[0], np.bool_)
    inside = at < old_key.shape[0]
    found[inside] = old_key[at[inside]] == new_key[inside]
    replace = found.copy()
    replace[found] = new[3][found] >= old[3][at[found]]
    where = at[replace]
    participant, statement, vote, time, rank = (a.copy() for a in old)
    vote[where] = new[2][replace]
    time[where] = new[3][replace]
    rank[where] = new[4][replace]
    fresh = ~found
    spot = at[fresh]
    return (
        np.insert(participant, spot, new[0][fresh]),
        np.insert(statement, spot, new[1][fresh]),
        np.insert(vote, spot, new[2][fresh]),
        np.insert(time, spot, new[3][fresh]),
        np.insert(rank, spot, new[4][fresh]),
    )

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

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis import cells as cell_state
from tracktwo.analysis.cells import CellState, event_times, latest_cells, merge_cells
from tracktwo.analysis.clojure_order import ARRAY_MAP_MAX, hash_set_order
from tracktwo.analysis.ids import Id
from tracktwo.analysis.parallel import each, parts, threads

__all__ = [
    "CHUNK",
    "CellState",
    "Cells",
    "Geometry",
    "build_geometry",
    "centred_values",
    "chunked_bincount",
    "column_means",
    "event_times",
    "in_conv",
    "latest_cells",
    "merge_cells",
    "ones",
    "polis_rows",
    "vote_codes",
    "zeroed_statements",
]

Cells = tuple[NDArray[np.integer[Any]], NDArray[np.integer[Any]], NDArray[np.int8]]


@dataclass(frozen=True, eq=False)
class Geometry:
    """The implicitly imputed and centred vote matrix.

    Attributes
    ----------
    center : ndarray of float64, shape (n_statements,)
        Column means over voted cells (0 for zeroed and vote-less columns).
    geometry : ndarray of bool, shape (n_statements,)
        Statements with at least one vote: Pol.is's columns.
    zeroed : ndarray of bool, shape (n_statements,)
        Geometry columns zeroed for everyone (moderated out or meta).
    scale_votes : ndarray of int64, shape (n_participants,)
        Votes counted by the projection scaling: a participant's votes on live columns plus
        every zeroed column.
    tallies : ndarray of int64, shape (n_statements, 3)
        Agree, disagree and pass counts over everyone (raw, zeroed statements included).
    votes_cast : ndarray of int64, shape (n_participants,)
        Votes per participant on any statement (Pol.is ``user-vote-counts``).
    codes : ndarray of int32, shape (n_cells,)
        ``3 * statement + (0 agree, 1 disagree, 2 pass)`` per cell, for tallies.
    indptr : ndarray of int32 or int64, shape (n_participants + 1,)
        Where each participant's cells start (``centred``'s CSR row pointers).
    statement : ndarray of int, shape (n_cells,)
    prepared : ndarray of float64, shape (n_cells,), optional
        ``centred``'s values, when an update prepared them ahead.

    ``centred`` is built when first read: the projection reads the codes, a warm PCA on the
    Gram matrix only ``pattern``'s shape.
    """

    center: NDArray[np.float64]
    geometry: NDArray[np.bool_]
    zeroed: NDArray[np.bool_]
    scale_votes: NDArray[np.int64]
    tallies: NDArray[np.int64]
    votes_cast: NDArray[np.int64]
    codes: NDArray[np.int32]
    indptr: NDArray[np.integer[Any]]
    statement: NDArray[np.integer[Any]]
    prepared: NDArray[np.float64] | None = None

    @cached_property
    def centred(self) -> sparse.csr_array:
        """``vote - mu`` on voted cells of geometry columns that are not zeroed, shape
        (n_participants, n_statements), CSR float64. Moderated-out and meta cells stay as
        explicit zeros (cheaper than dropping them from 50 million votes): they change no product.
        """
        data = self.prepared
        if data is None:
            data = centred_values(self.codes, self.center, self.zeroed)
        return self._matrix(data)

    @property
    def pattern(self) -> sparse.csr_array:
        """``centred``'s entries, each 1.0 (shape and rows only): for steps that read no value."""
        return self._matrix(ones(self.codes.shape[0]))

    def _matrix(self, data: NDArray[np.float64]) -> sparse.csr_array:
        indices = self.statement.astype(self.indptr.dtype, copy=False)
        shape = (self.indptr.shape[0] - 1, self.center.shape[0])
        return sparse.csr_array((data, indices, self.indptr), shape=shape)

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


VOTE_CODE = np.array([1, 2, 0], np.int8)  # index vote + 1: disagree 1, pass 2, agree 0
CODE_VOTE = np.array([1.0, -1.0, 0.0])  # the vote of each code: agree 0, disagree 1, pass 2
TAKE_BLOCK = 1 << 16  # cells whose values are read at a time (their indices stay in cache)
CHUNK = 1 << 22


def chunked_bincount(
    values: NDArray[np.integer[Any]], minlength: int, offset: NDArray[np.integer[Any]] | None = None
) -> NDArray[np.int64]:
    """``np.bincount(values + offset)`` a few million at a time (no 64-bit copy of the whole)."""
    out = np.zeros(minlength, np.int64)
    for start in range(0, values.shape[0], CHUNK):
        part = values[start : start + CHUNK].astype(np.int64)
        if offset is not None:
            part += offset[start : start + CHUNK]
        out += np.bincount(part, minlength=minlength)[:minlength]
    return out


def vote_codes(statement: NDArray[np.integer[Any]], vote: NDArray[np.int8]) -> NDArray[np.int32]:
    """``3 * statement + (0 agree, 1 disagree, 2 pass)`` per cell, shape (n_cells,)."""
    codes: NDArray[np.int32] = np.multiply(statement, 3, dtype=np.int32)
    codes += VOTE_CODE[vote + 1]
    return codes


def build_geometry(
    cells: Cells,
    n_participants: int,
    n_statements: int,
    zeroed: NDArray[np.bool_],
    counts: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] | None = None,
    codes: NDArray[np.int32] | None = None,
    data: NDArray[np.float64] | None = None,
) -> Geometry:
    """The centred sparse matrix from the votes that count.

    Parameters
    ----------
    cells : (participant, statement, vote), each shape (n_cells,)
        Sorted by participant then statement, one entry per cell, export sign.
    n_participants, n_statements : int
    zeroed : ndarray of bool, shape (n_statements,)
        Moderated-out or meta statements.
    counts : (tallies, votes_cast, dead_votes), optional
        Counts over ``cells`` kept by an update (``live_state.RowCounts``): tallies shape
        (n_statements, 3), votes per participant and votes on ``zeroed`` statements per
        participant, shape (n_participants,) each; counted here when not given.
    codes : ndarray of int32, shape (n_cells,), optional
        ``vote_codes`` of the cells, when an update keeps them.
    data : ndarray of float64, shape (n_cells,), optional
        ``centred_values`` of the cells, when an update prepared them ahead.
    """
    participant, statement, vote = cells
    if codes is None:
        codes = vote_codes(statement, vote)
    if counts is None:
        tallies = chunked_bincount(codes, 3 * n_statements).reshape(n_statements, 3)
        votes_cast = chunked_bincount(participant, n_participants)
        dead_votes = np.zeros(n_participants, np.int64)
        if zeroed.any():
            dead = zeroed[statement]
            dead_votes = np.bincount(participant[dead], minlength=n_participants).astype(np.int64)
        counts = (tallies, votes_cast, dead_votes)
    return _centred(cells, n_participants, n_statements, zeroed, codes, counts, data)


def _centred(
    cells: Cells,
    n_participants: int,
    n_statements: int,
    zeroed: NDArray[np.bool_],
    codes: NDArray[np.int32],
    counts: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]],
    data: NDArray[np.float64] | None = None,
) -> Geometry:
    """``build_geometry`` from its counts (and its centred values, when given)."""
    statement = cells[1]
    tallies, votes_cast, dead_votes = counts
    center, geometry = column_means(tallies, zeroed)
    zeroed_geo = geometry & zeroed
    indptr = np.zeros(n_participants + 1, np.int64)
    np.cumsum(votes_cast, out=indptr[1:])
    index_type = cell_state.cell_index_type(n_statements, codes.shape[0])
    scale_votes = votes_cast - dead_votes + int(zeroed_geo.sum())
    return Geometry(
        center, geometry, zeroed_geo, scale_votes, tallies, votes_cast, codes,
        indptr.astype(index_type), statement, data,
    )  # fmt: skip


_ONES: list[NDArray[np.float64]] = [np.ones(0)]


def ones(n: int) -> NDArray[np.float64]:
    """``n`` ones, shape (n,), read-only: a view of one array kept for every call."""
    kept = _ONES[0]
    if kept.shape[0] < n:
        kept = np.ones(max(n, 2 * kept.shape[0]))
        kept.flags.writeable = False
        _ONES[0] = kept
    return kept[:n]


def column_means(
    tallies: NDArray[np.int64], zeroed: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Each statement's mean vote over its voted cells (0 for zeroed and vote-less ones) and
    whether it has votes, from its tallies (shape (n_statements, 3)); shapes (n_statements,)."""
    per_statement = tallies.sum(axis=1)
    geometry = per_statement > 0
    sums = (tallies[:, 0] - tallies[:, 1]).astype(np.float64)
    center = np.divide(sums, per_statement, out=np.zeros(tallies.shape[0]), where=geometry)
    center[zeroed] = 0.0
    return center, geometry


def centred_values(
    codes: NDArray[np.int32],
    center: NDArray[np.float64],
    zeroed: NDArray[np.bool_],
    out: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """``vote - center[statement]`` per cell (0 on ``zeroed`` statements), shape (n_cells,).

    Read from a table of the three values each statement can take, by the cells' vote codes
    (``vote_codes``): each value is the same subtraction, done once per statement instead of
    once per cell, and the cells are read a block at a time on every core.

    Parameters
    ----------
    codes : ndarray of int32, shape (n_cells,)
    center : ndarray of float64, shape (n_statements,)
    zeroed : ndarray of bool, shape (n_statements,)
    out : ndarray of float64, shape (n_cells,), optional
        Where to write them.
    """
    table = np.subtract(CODE_VOTE[None, :], center[:, None])  # code 3 s + k: vote k
    table[zeroed] = 0.0
    values = table.ravel()
    data = np.empty(codes.shape[0]) if out is None else out

    def read(run: tuple[int, int]) -> None:
        at = np.empty(min(TAKE_BLOCK, run[1] - run[0]), np.intp)
        for lo in range(run[0], run[1], TAKE_BLOCK):
            hi = min(run[1], lo + TAKE_BLOCK)
            at[: hi - lo] = codes[lo:hi]
            np.take(values, at[: hi - lo], out=data[lo:hi], mode="clip")  # codes are in range

    each(read, parts(codes.shape[0], threads() if codes.shape[0] > TAKE_BLOCK else 1))
    return data


def in_conv(
    counts: NDArray[np.int64],
    n_geometry: int,
    participant_ids: tuple[Id, ...],
    previous: NDArray[np.bool_] | None = None,
    min_votes: int = 7,
    min_in_conv: int = 15,
    row_rank: NDArray[np.int64] | None = None,
) -> NDArray[np.bool_]:
    """Who is clustered: Pol.is's in-conv rule.

    A participant is in once they have voted on ``min(min_votes, n_geometry)`` statements, and
    stays in. While fewer than ``min_in_conv`` are in, the most active voters are added (ties
    in the order Pol.is iterates its vote-count map).

    Parameters
    ----------
    counts : ndarray of int64, shape (n_participants,)
        Votes per participant (``Geometry.votes_cast``).
    n_geometry : int
        Statements with at least one vote.
    participant_ids : tuple, length n_participants
    previous : ndarray of bool, shape (n_previous,), optional
        The last in-conv set (participants appended since are not in it).
    row_rank : ndarray of int64, shape (n_participants,), optional
        Each participant's row in Pol.is's rating matrix (``polis_rows``); Pol.is's vote-count
        map is built in row order, so up to 8 voters (an array map) ties go by it. Index order
        when not given.
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
        elif row_rank is not None:
            candidates = candidates[np.argsort(row_rank[candidates], kind="stable")]
        ranked = candidates[np.argsort(-counts[candidates], kind="stable")]
        inside[ranked[:missing]] = True
    return inside if n else np.zeros(0, np.bool_)


def _sort_keys(ids: Sequence[Id]) -> NDArray[np.int64]:
    """Pol.is's ids are integers; ids that are not all whole numbers sort by position."""
    if ids and all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        with suppress(OverflowError):
            return np.array(ids, np.int64)
    return np.arange(len(ids), dtype=np.int64)


_kept_keys = lru_cache(maxsize=4)(_sort_keys)  # only read: tid_keys[statement]


def polis_rows(
    participant: NDArray[np.integer[Any]],
    statement: NDArray[np.integer[Any]],
    participant_ids: Sequence[Id],
    statement_ids: Sequence[Id],
    known: int = 0,
) -> NDArray[np.int64]:
    """Participants first seen in one poll of votes, in the order Pol.is adds their rows.

    Pol.is's worker polls the votes ordered by ``[:zid :tid :pid :created]`` (``conv-poll``)
    and ``update-nmat`` appends a row for each new participant in order of first appearance,
    so within one poll new participants come by the smallest statement id they voted on, then
    by participant id. Its base k-means iterates the data in that row order (``rowname-subset``
    keeps it, ``named_matrix.clj``): ``init-clusters`` seeds from the first distinct in-conv
    points in row order.

    Parameters
    ----------
    participant, statement : ndarray of int, shape (n_events,)
        The poll's votes or cells (faster: grouped by participant), as indices into the ids.
    participant_ids, statement_ids : sequences of ids
    known : int
        Participants with an index below this already have a row.

    Returns
    -------
    ndarray of int64 : the new participants' indices, in Pol.is's row order.
    """
    n = participant.shape[0]
    if n == 0:
        return np.zeros(0, np.int64)
    tuple_ids = isinstance(statement_ids, tuple)  # a replay's every poll: the same ids
    tid_keys = (_kept_keys if tuple_ids else _sort_keys)(statement_ids)
    smallest = np.full(len(participant_ids), np.iinfo(np.int64).max, np.int64)
    seen = np.zeros(len(participant_ids), np.bool_)
    # votes grouped by participant (cells are): a segment minimum instead of a scattered one
    grouped = n > 1 and bool(np.all(participant[1:] >= participant[:-1]))
    for start in range(0, n, CHUNK):
        who = np.asarray(participant[start : start + CHUNK], np.int64)
        tid = tid_keys[statement[start : start + CHUNK]]
        if known:
            new = who >= known
            who, tid = who[new], tid[new]
        if who.shape[0] == 0:
            continue
        seen[who] = True
        if grouped:
            starts = np.flatnonzero(np.concatenate([[True], who[1:] != who[:-1]]))
            firsts = who[starts]
            smallest[firsts] = np.minimum(smallest[firsts], np.minimum.reduceat(tid, starts))
        else:
            np.minimum.at(smallest, who, tid)
    people = np.flatnonzero(seen)
    if people.shape[0] == 0:
        return np.zeros(0, np.int64)
    pid_keys = _sort_keys([participant_ids[i] for i in people.tolist()])
    return people[np.lexsort((pid_keys, smallest[people]))].astype(np.int64)

"""Whole-number sums from which the Gram matrix ``X^T X`` of the centred matrix follows.

With ``r_p`` participant p's raw votes and ``m_p`` their voted-cell mask (rows of length
n_statements), the sums are ``S = sum r^T r``, ``A = sum r^T m`` and ``N = sum m^T m``. The
centred rows are ``x_p = r_p - m_p * mu``, so

    X^T X = S - A diag(mu) - diag(mu) A^T + diag(mu) N diag(mu),

exactly the Gram matrix of the sparse centred matrix (zeroed columns then set to 0). The sums
are whole numbers of at most the participants, held exactly as 32-bit integers (half the memory
of float64, which the Gram matrix is read from on every update; each converts exactly), so the
order in which rows are added or taken away does not change them. A patch adds each block's
product straight into the dense sums: a packed patch in one compiled loop
(``gram_loops.add_packed``), a larger one through SciPy's ``csr_todense``, which adds in place.

``S`` and ``N`` are symmetric, and ``A^T`` is kept beside ``A``; so each of the four is kept
only on an upper staircase (:func:`staircase`): the rows of each step of ``STAIR_ROWS`` from
the step's first row on (its diagonal block whole). A patch computes little more than half of
each product, and the Gram matrix reads any entry below the staircase as one above it,
transposed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import _sparsetools

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.gram_loops import add_packed, form, packed_patch
from tracktwo.analysis.packed_products import csr
from tracktwo.analysis.parallel import each, threads

__all__ = ["GramSums", "staircase", "step_runs", "triangle_parts"]

GRAM_ROWS = 64
"""Rows of the Gram matrix computed at a time (its inputs stay in cache)."""

STAIR_ROWS = 128
"""Rows of each step of the staircase the sums are kept on (a multiple of ``GRAM_ROWS``)."""

PACK_ROWS = (1 << 13) - 1
"""Most participants a packed patch takes (its terms stay within 2 x this < 2^(PACK_BITS - 1))."""

SUM_TYPE = np.int32
"""The sums' type: a sum counts participants (a 32-bit count holds two billion)."""

SHARED: ContextVar[Any] = ContextVar("tracktwo_shared_sums", default=None)
"""Where new sums are kept, when not in this process's memory: ``zeros(shape, dtype)`` gives
an array and the file that holds it (``solver_process.SharedFiles``)."""

Rows = tuple[sparse.csr_array, sparse.csr_array, sparse.csr_array, sparse.csr_array]
Terms = tuple[tuple[int, sparse.csr_array, sparse.csr_array], ...]


class GramSums:
    """The sums ``S``, ``A``, ``A^T`` and ``N`` over a set of participants' rows, as ``s``,
    ``a``, ``at`` and ``nn``, each shape (n, n), its entries right only on the staircase
    (:func:`staircase`; the others are left over from earlier sums)."""

    def __init__(self, n_statements: int) -> None:
        self.n = n_statements
        shape = (n_statements, n_statements)
        store = SHARED.get()  # files another process maps too (``solver_process``)
        made = [store.zeros(shape, SUM_TYPE) for _ in range(4)] if store else []
        kept = [m[0] for m in made] or [np.zeros(shape, SUM_TYPE) for _ in range(4)]
        self.s, self.a, self.at, self.nn = kept
        self.files: tuple[str, ...] | None = tuple(m[1] for m in made) if store else None
        self.out = np.zeros((0, 0))

    def sums(self) -> tuple[NDArray[np.int32], ...]:
        """``(s, a, at, nn)``."""
        return self.s, self.a, self.at, self.nn

    @classmethod
    def of(cls, cells: CellState, n_statements: int) -> GramSums:
        """The sums over every cell (sorted by participant), as patches that add
        ``PACK_ROWS`` new participants at a time (one packed product each, on the staircase
        only): whole numbers, so the same sums as four products over every cell."""
        sums = cls(n_statements)
        participant = cells[0]
        n_cells = participant.shape[0]
        firsts = np.flatnonzero(participant[1:] != participant[:-1]) + 1
        edges = np.concatenate([[0], firsts, [n_cells] if n_cells else []]).astype(np.int64)
        chunks = [*range(0, edges.shape[0] - 1, PACK_ROWS), edges.shape[0] - 1]
        none = np.zeros(0, np.int64)
        for lo, hi in pairwise(chunks):
            at = np.arange(edges[lo], edges[hi], dtype=np.int64)
            who = participant[edges[lo:hi]].astype(np.int64)
            sums.patch(cells, none, cells, at, who)
        return sums

    def grown(self, n_statements: int) -> GramSums:
        """The same sums over more statements (new ones without votes)."""
        if n_statements == self.n:
            return self
        out = GramSums(n_statements)
        n = self.n
        for mine, theirs in zip(self.sums(), out.sums(), strict=True):
            theirs[:n, :n] = mine
        return out

    def patch(
        self,
        old: CellState,
        old_at: NDArray[np.int64],
        new: CellState,
        new_at: NDArray[np.int64],
        who: NDArray[np.int64],
    ) -> None:
        """Replace the rows of participants ``who`` (ascending) in ``old`` at ``old_at`` by
        their rows in ``new`` at ``new_at``: with ``D = W_new - W_old`` for each of the raw
        and mask rows, ``W_new^T W_new - W_old^T W_old = W_new^T D + D^T W_old``, which costs
        a row's length per changed cell, not its square (a new row's square, once).

        Up to ``PACK_ROWS`` participants the four sums come from one packed product
        (:meth:`_packed_steps`), on the staircase only, its runs of steps split over the cores;
        the same whole numbers either way."""
        if 0 < who.shape[0] <= PACK_ROWS:
            add, steps = self._packed_steps(old, old_at, new, new_at, who)
            each(partial(_add_steps, add), step_runs(steps, self.n, threads()))
            return
        after = self.rows(new, new_at, who)
        if old_at.shape[0] == 0:
            self._add(after[1], after[0], after[2], after[2], after_m_t=after[3])
            return
        before = self.rows(old, old_at, who)
        change_r = sparse.csr_array(after[0] - before[0])
        change_m = sparse.csr_array(after[2] - before[2])
        if change_r.nnz == 0 and change_m.nnz == 0:
            return
        change_rt = sparse.csr_array(change_r.T)
        change_mt = sparse.csr_array(change_m.T)
        undo = self._terms(change_rt, before[0], before[2], before[2], after_m_t=change_mt)
        self._add(after[1], change_r, change_m, change_m, after_m_t=after[3], more=undo)

    def patch_runs(
        self,
        old: CellState,
        old_at: NDArray[np.int64],
        new: CellState,
        new_at: NDArray[np.int64],
        who: NDArray[np.int64],
        count: int,
    ) -> list[Callable[[], None]]:
        """:meth:`patch` as up to ``count`` parts, which may run at once on different threads
        (each adds into its own rows of the sums) and together make the patch: runs of the
        packed patch's steps (:func:`step_runs`), else the whole patch as one part."""
        if not 0 < who.shape[0] <= PACK_ROWS:
            return [lambda: self.patch(old, old_at, new, new_at, who)]
        add, steps = self._packed_steps(old, old_at, new, new_at, who)
        return [partial(_add_steps, add, run) for run in step_runs(steps, self.n, count)]

    def _packed_steps(
        self,
        old: CellState,
        old_at: NDArray[np.int64],
        new: CellState,
        new_at: NDArray[np.int64],
        who: NDArray[np.int64],
    ) -> tuple[Callable[[int], None], list[tuple[int, int]]]:
        """The packed patch as a function of a step of the staircase, and the steps.

        With ``K = 2^16``, ``P = R + K M`` and ``Q = R + K^2 M`` (each participant's raw and
        mask rows in one 64-bit whole number per cell),
        ``P^T Q = R^T R + K M^T R + K^2 R^T M + K^3 M^T M``: the terms of ``S``, ``A^T``,
        ``A`` and ``N``. Both of the patch's products are one
        (``[P_new; P_new - P_old]^T [Q_new - Q_old; Q_old]``, ``gram_loops.packed_patch``),
        whose terms are the changes of the four sums: at most 2 per participant each (a vote
        turned around), so within 2 x ``PACK_ROWS`` < 2^15, read back exactly (the partial
        sums stay far inside 64 bits). Each step of the staircase multiplies its rows of
        ``P^T`` by ``Q``'s entries from the step's first column on only.
        """
        before = _entries(old, old_at, who) if old_at.shape[0] else None
        left, right = packed_patch(_entries(new, new_at, who), before, who.shape[0], self.n)
        steps = staircase(self.n)
        targets = (self.s, self.at, self.a, self.nn)

        def add(step: int) -> None:
            add_packed(left, right, steps[step], targets)

        return add, steps

    def rows(self, cells: CellState, at: NDArray[np.int64], who: NDArray[np.int64]) -> Rows:
        """Raw votes ``R`` and mask ``M`` of participants ``who`` from the cells at ``at``
        (ascending: by participant, then statement), shape (len(who), n) each, with their
        transposes: ``(R, R^T, M, M^T)``, all CSR (passes leave no entry in ``R``)."""
        row = np.searchsorted(who, cells[0][at])
        statement = cells[1][at].astype(np.int32)
        vote = cells[2][at]
        cast = vote != 0
        m = who.shape[0]
        raw = csr(vote[cast].astype(SUM_TYPE), statement[cast], row[cast], (m, self.n))
        mask = csr(np.ones(at.shape[0], SUM_TYPE), statement, row, (m, self.n))
        return raw, sparse.csr_array(raw.T), mask, sparse.csr_array(mask.T)

    def _add(
        self,
        left_r: sparse.csr_array,
        right_r: sparse.csr_array,
        right_m: sparse.csr_array,
        right_n: sparse.csr_array,
        after_m_t: sparse.csr_array | None = None,
        more: Terms = (),
    ) -> None:
        """``S += Lr^T' Rr``, ``A += Lr^T' Rm``, ``N += Lm^T' Rn`` and ``A^T += Lm^T' Rr``,
        where ``left_r`` is already transposed (``Lr^T'``) and ``Lm^T'`` is ``after_m_t`` (by
        default the transpose of ``right_n``, for a sum over the same rows on both sides);
        with ``more`` terms of the same form (``_terms``).

        Each sum's products run on one thread, the sums on every core: whole numbers, so the
        order in which they are added changes nothing."""
        terms = (*self._terms(left_r, right_r, right_m, right_n, after_m_t), *more)
        targets = (self.s, self.a, self.nn, self.at)

        def add(target: int) -> None:
            for where, left, right in terms:
                if where == target and left.nnz and right.nnz:
                    product = sparse.csr_array(left @ right)
                    _sparsetools.csr_todense(
                        self.n,
                        self.n,
                        product.indptr,
                        product.indices,
                        product.data,
                        targets[target],
                    )

        each(add, range(len(targets)))

    def _terms(
        self,
        left_r: sparse.csr_array,
        right_r: sparse.csr_array,
        right_m: sparse.csr_array,
        right_n: sparse.csr_array,
        after_m_t: sparse.csr_array | None = None,
    ) -> Terms:
        """``_add``'s products as (sum: 0 S, 1 A, 2 N, 3 A^T; left; right)."""
        left_m = after_m_t if after_m_t is not None else sparse.csr_array(right_n.T)
        return (
            (0, left_r, right_r),
            (1, left_r, right_m),
            (2, left_m, right_n),
            (3, left_m, right_r),
        )

    def gram(
        self, center: NDArray[np.float64], zeroed: NDArray[np.bool_], whole: bool = True
    ) -> NDArray[np.float64]:
        """``X^T X`` of the centred matrix with column means ``center``, shape (n, n); without
        ``whole``, only its upper triangle of ``GRAM_ROWS``-row blocks (each diagonal block
        whole), all that the scalable solver reads (``block_krylov.symmetric_product``).

        Computed a block of rows at a time with the same operations per entry as a whole-matrix
        expression ``((N mu_j - A^T) mu_i + S) - A mu_j``, the blocks split over the cores (no
        entry depends on the split, nor on which part computes it); the array returned is
        overwritten by the next call.
        """
        n = self.n
        if self.out.shape != (n, n):
            self.out = np.empty((n, n))
        center = np.array(center, dtype=np.float64)
        sums, out = (self.s, self.a, self.at, self.nn), self.out
        zeroed = np.ascontiguousarray(zeroed, dtype=np.bool_)
        each(
            lambda run: form(sums, center, zeroed, out, run, GRAM_ROWS),
            triangle_parts(n, threads()),
        )
        if whole:  # below: from the sums' own rows (the blocks of rows' transposes)
            each(
                lambda run: form(sums, center, zeroed, out, run, GRAM_ROWS, below=True),
                triangle_parts(n, threads()),
            )
        return out


def staircase(n: int) -> list[tuple[int, int]]:
    """The steps of the staircase the sums are kept on, shape (steps, 2): the runs of
    ``STAIR_ROWS`` rows of an (n, n) sum; each is kept from its first row's column on."""
    return [(lo, min(n, lo + STAIR_ROWS)) for lo in range(0, n, STAIR_ROWS)]


def step_runs(steps: list[tuple[int, int]], n: int, count: int) -> list[tuple[int, int]]:
    """The staircase's ``steps`` (of an (n, n) sum) cut into ``count`` or fewer runs of
    consecutive steps with about as many entries on the staircase each, as ranges of step
    indices, shape (runs, 2)."""
    area = np.cumsum([(stop - start) * (n - start) for start, stop in steps], dtype=np.float64)
    cuts = [0]
    for r in range(1, max(1, count)):
        cut = int(np.searchsorted(area, area[-1] * r / count)) + 1 if area.size else 0
        if cuts[-1] < cut < len(steps):
            cuts.append(cut)
    cuts.append(len(steps))
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def triangle_parts(n: int, count: int) -> list[tuple[int, int]]:
    """Runs of rows of an (n, n) Gram matrix with about as many entries each of its upper
    triangle of ``GRAM_ROWS``-row blocks (row ``i`` has ``n - i`` of them, and as many below
    that triangle in the column it fills there), cut at multiples of ``GRAM_ROWS``; shape
    (count or fewer, 2)."""
    cuts = [0]
    for r in range(1, max(1, count)):
        at = n * (1.0 - np.sqrt(1.0 - r / count))
        cut = int(at) // GRAM_ROWS * GRAM_ROWS
        if cuts[-1] < cut < n:
            cuts.append(cut)
    cuts.append(n)
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _entries(
    cells: CellState, at: NDArray[np.int64], who: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.int32], NDArray[np.int8]]:
    """The cells at ``at`` of participants ``who`` (ascending) as (row among ``who``,
    statement, vote), sorted by row then statement."""
    row = np.searchsorted(who, cells[0][at])
    return row, cells[1][at].astype(np.int32, copy=False), cells[2][at]


def _add_steps(add: Callable[[int], None], run: tuple[int, int]) -> None:
    for step in range(*run):
        add(step)

"""Whole-number sums from which the Gram matrix ``X^T X`` of the centred matrix follows.

With ``r_p`` participant p's raw votes and ``m_p`` their voted-cell mask (rows of length
n_statements), the sums are ``S = sum r^T r``, ``A = sum r^T m`` and ``N = sum m^T m``. The
centred rows are ``x_p = r_p - m_p * mu``, so

    X^T X = S - A diag(mu) - diag(mu) A^T + diag(mu) N diag(mu),

exactly the Gram matrix of the sparse centred matrix (zeroed columns then set to 0). The sums
are whole numbers of at most the participants, held exactly as 32-bit integers (half the memory
of float64, which the Gram matrix is read from on every update; each converts exactly), so the
order in which rows are added or taken away does not change them. A patch adds each block's sparse product straight into the dense block
(SciPy's ``csr_todense`` adds a CSR matrix into a dense array in place), with no index array
and no copy; ``A^T`` is not kept, as it is ``A`` read transposed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import _sparsetools

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.parallel import each, parts, threads

__all__ = ["GramSums", "triangle_parts"]

ROW_STEP = 1 << 20
"""Cells per block of whole participants when the sums are built from every cell."""

GRAM_ROWS = 64
"""Rows of the Gram matrix computed at a time (its inputs stay in cache)."""

GRAM_TILE = 256
"""Columns of ``A`` transposed at a time into a block of ``A^T``'s rows."""

PACK_BITS = 16
"""Bits of each term in :meth:`GramSums._packed_patch`'s packed whole numbers."""

PACK_ROWS = (1 << 13) - 1
"""Most participants a packed patch takes (its terms stay within 2 x this < 2^(PACK_BITS - 1))."""

SUM_TYPE = np.int32
"""The sums' type: a sum counts participants (a 32-bit count holds two billion)."""

Rows = tuple[sparse.csr_array, sparse.csr_array, sparse.csr_array, sparse.csr_array]
Terms = tuple[tuple[int, sparse.csr_array, sparse.csr_array], ...]


class GramSums:
    """The sums ``S``, ``A`` and ``N`` (each shape (n, n)) over a set of participants' rows."""

    def __init__(self, n_statements: int) -> None:
        self.n = n_statements
        self.s = np.zeros((n_statements, n_statements), SUM_TYPE)
        self.a = np.zeros((n_statements, n_statements), SUM_TYPE)
        self.nn = np.zeros((n_statements, n_statements), SUM_TYPE)
        self.out = np.zeros((0, 0))

    @classmethod
    def of(cls, cells: CellState, n_statements: int) -> GramSums:
        """The sums over every cell."""
        sums = cls(n_statements)
        at = np.arange(cells[0].shape[0], dtype=np.int64)
        start = 0
        while start < at.shape[0]:  # whole participants at a time: the products stay small
            stop = min(at.shape[0], start + ROW_STEP)
            while stop < at.shape[0] and cells[0][at[stop]] == cells[0][at[stop - 1]]:
                stop += 1
            part = at[start:stop]
            rows = sums.rows(cells, part, np.unique(cells[0][part]).astype(np.int64))
            sums._add(rows[1], rows[0], rows[2], rows[2], after_m_t=rows[3])
            start = stop
        return sums

    def grown(self, n_statements: int) -> GramSums:
        """The same sums over more statements (new ones without votes)."""
        if n_statements == self.n:
            return self
        out = GramSums(n_statements)
        n = self.n
        out.s[:n, :n] = self.s
        out.a[:n, :n] = self.a
        out.nn[:n, :n] = self.nn
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

        Up to ``PACK_ROWS`` participants the three sums come from one packed product
        (:meth:`_packed_patch`); the same whole numbers either way."""
        if 0 < who.shape[0] <= PACK_ROWS:
            self._packed_patch(old, old_at, new, new_at, who)
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

    def _packed_patch(
        self,
        old: CellState,
        old_at: NDArray[np.int64],
        new: CellState,
        new_at: NDArray[np.int64],
        who: NDArray[np.int64],
    ) -> None:
        """:meth:`patch`'s three sums from one integer product of packed rows.

        With ``K = 2^16``, ``P = R + K M`` and ``Q = R + K^2 M`` (each participant's raw and
        mask rows in one 64-bit whole number per cell),
        ``P^T Q = R^T R + K M^T R + K^2 R^T M + K^3 M^T M``: the terms of ``S``, of nothing
        kept (not read back), of ``A`` and of ``N``. Both of the patch's products are one
        (``[P_new; P_new - P_old]^T [Q_new - Q_old; Q_old]``), whose terms are the changes of
        the four sums: at most 2 per participant each (a vote turned around), so within
        2 x ``PACK_ROWS`` < 2^15, read back exactly (the partial sums stay far inside 64 bits).
        """
        p_new, q_new = self.packed(new, new_at, who)
        if old_at.shape[0] == 0:
            left, right = p_new, q_new
        else:
            p_old, q_old = self.packed(old, old_at, who)
            left = sparse.vstack([p_new, p_new - p_old], format="csr")
            right = sparse.vstack([q_new - q_old, q_old], format="csr")
        turned = sparse.csr_array(left.T)
        targets = (self.s, self.a, self.nn)

        def add(run: tuple[int, int]) -> None:
            start, stop = run
            indptr, indices, data = _product(turned, start, stop, right)
            for target, field in zip(targets, _unpacked(data, (0, 2, 3)), strict=True):
                _sparsetools.csr_todense(
                    stop - start, self.n, indptr, indices, field, target[start:stop]
                )

        each(add, parts(self.n, threads()))

    def packed(
        self, cells: CellState, at: NDArray[np.int64], who: NDArray[np.int64]
    ) -> tuple[sparse.csr_array, sparse.csr_array]:
        """``(R + K M, R + K^2 M)`` of participants ``who`` from the cells at ``at`` (as
        :meth:`rows`), shape (len(who), n) each, 64-bit whole numbers, ``K = 2^PACK_BITS``."""
        row = np.searchsorted(who, cells[0][at])
        statement = cells[1][at].astype(np.int32)
        vote = cells[2][at].astype(np.int64)
        shape = (who.shape[0], self.n)
        first = _csr(vote + (1 << PACK_BITS), statement, row, shape)
        second = _csr(vote + (1 << (2 * PACK_BITS)), statement, row, shape)
        return first, second

    def rows(self, cells: CellState, at: NDArray[np.int64], who: NDArray[np.int64]) -> Rows:
        """Raw votes ``R`` and mask ``M`` of participants ``who`` from the cells at ``at``
        (ascending: by participant, then statement), shape (len(who), n) each, with their
        transposes: ``(R, R^T, M, M^T)``, all CSR (passes leave no entry in ``R``)."""
        row = np.searchsorted(who, cells[0][at])
        statement = cells[1][at].astype(np.int32)
        vote = cells[2][at]
        cast = vote != 0
        m = who.shape[0]
        raw = _csr(vote[cast].astype(SUM_TYPE), statement[cast], row[cast], (m, self.n))
        mask = _csr(np.ones(at.shape[0], SUM_TYPE), statement, row, (m, self.n))
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
        """``S += Lr^T' Rr``, ``A += Lr^T' Rm`` and ``N += Lm^T' Rn``, where ``left_r`` is
        already transposed (``Lr^T'``) and ``Lm^T'`` is ``after_m_t`` (by default the
        transpose of ``right_n``, for a sum over the same rows on both sides); with ``more``
        terms of the same form (``_terms``).

        Each sum's products run on one thread, the sums on every core: whole numbers, so the
        order in which they are added changes nothing."""
        terms = (*self._terms(left_r, right_r, right_m, right_n, after_m_t), *more)
        targets = (self.s, self.a, self.nn)

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
        """``_add``'s products as (sum: 0 S, 1 A, 2 N; left; right)."""
        left_m = after_m_t if after_m_t is not None else sparse.csr_array(right_n.T)
        return ((0, left_r, right_r), (1, left_r, right_m), (2, left_m, right_n))

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
        each(lambda run: self._gram_rows(center, *run), triangle_parts(n, threads(), True))
        if whole:
            each(
                lambda run: self._gram_rows(center, *run, below=True),
                triangle_parts(n, threads(), False),
            )
        return _zero(self.out, zeroed)

    def _gram_rows(
        self, mu: NDArray[np.float64], start: int, stop: int, below: bool = False
    ) -> None:
        """Rows ``start:stop`` of :meth:`gram` into ``self.out``, ``GRAM_ROWS`` at a time: from
        each block's diagonal block on, or (``below``) before it.

        ``A^T``'s rows are copied a tile at a time (``GRAM_TILE`` columns of ``A``, which stay
        in cache) before use: reading ``A`` down its columns straight away is most of the cost.
        Each block is computed in a contiguous scratch block, then copied into place.
        """
        n, out = self.n, self.out
        room = min(GRAM_ROWS, n) * n
        scratch, work, turned = np.empty(room), np.empty(room), np.empty(room, SUM_TYPE)
        for lo in range(start, stop, GRAM_ROWS):
            hi = min(stop, lo + GRAM_ROWS)
            first, last = (0, lo) if below else (lo, n)
            if last <= first:
                continue
            shape = (hi - lo, last - first)
            size = shape[0] * shape[1]  # contiguous blocks: NumPy casts them without buffering
            block, extra = work[:size].reshape(shape), scratch[:size].reshape(shape)
            a_t = turned[:size].reshape(shape)
            for j in range(first, last, GRAM_TILE):
                end = min(last, j + GRAM_TILE)
                a_t[:, j - first : end - first] = self.a[j:end, lo:hi].T
            np.multiply(self.nn[lo:hi, first:last], mu[None, first:last], out=block)
            block -= a_t
            block *= mu[lo:hi, None]
            block += self.s[lo:hi, first:last]
            np.multiply(self.a[lo:hi, first:last], mu[None, first:last], out=extra)
            block -= extra
            out[lo:hi, first:last] = block


def triangle_parts(n: int, count: int, upper: bool) -> list[tuple[int, int]]:
    """Runs of rows of an (n, n) Gram matrix with about as many entries each of its upper
    triangle of ``GRAM_ROWS``-row blocks (or, not ``upper``, of the rest), cut at multiples of
    ``GRAM_ROWS``; shape (count or fewer, 2)."""
    cuts = [0]
    for r in range(1, max(1, count)):
        share = r / count
        at = n * (1.0 - np.sqrt(1.0 - share)) if upper else n * np.sqrt(share)
        cut = int(at) // GRAM_ROWS * GRAM_ROWS
        if cuts[-1] < cut < n:
            cuts.append(cut)
    cuts.append(n)
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _zero(out: NDArray[np.float64], zeroed: NDArray[np.bool_]) -> NDArray[np.float64]:
    if zeroed.any():
        out[zeroed, :] = 0.0
        out[:, zeroed] = 0.0
    return out


def _unpacked(
    packed: NDArray[np.int64], fields: tuple[int, ...] = (0, 1, 2, 3)
) -> list[NDArray[np.int32]]:
    """The signed ``PACK_BITS``-bit terms ``fields`` (0 the lowest of four) of each packed
    whole number.

    Adding ``2^(PACK_BITS - 1)`` to every term (modulo 2^64) leaves each in its own 16 bits
    with no borrow, so the terms are read as unsigned 16-bit words, less that offset."""
    half = 1 << (PACK_BITS - 1)
    offset = np.uint64(sum(half << (PACK_BITS * k) for k in range(4)))
    words = np.add(packed.view(np.uint64), offset).view(np.uint16).reshape(-1, 4)
    return [np.subtract(words[:, k], half, dtype=SUM_TYPE) for k in fields]


def _product(
    left: sparse.csr_array, start: int, stop: int, right: sparse.csr_array
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]:
    """``left[start:stop] @ right`` as CSR arrays (indptr, indices, data), shape
    (stop - start, right's columns): SciPy's ``csr_matmat`` called directly, with room for
    every product term instead of a first pass that counts the entries (``@`` makes both,
    and copies and checks its operands: at a patch's sizes that was a third of its time)."""
    lo, hi = int(left.indptr[start]), int(left.indptr[stop])
    indptr = (left.indptr[start : stop + 1] - lo).astype(np.int32)
    indices = left.indices[lo:hi].astype(np.int32, copy=False)
    data = left.data[lo:hi].astype(np.int64, copy=False)
    right_indptr = right.indptr.astype(np.int32, copy=False)
    right_indices = right.indices.astype(np.int32, copy=False)
    right_data = right.data.astype(np.int64, copy=False)
    terms = int(np.diff(right_indptr)[indices].sum()) if hi > lo else 0
    room = min(terms, (stop - start) * right.shape[1])  # no more entries than the terms or cells
    out_indptr = np.empty(stop - start + 1, np.int32)
    out_indices = np.empty(room, np.int32)
    out_data = np.empty(room, np.int64)
    _sparsetools.csr_matmat(
        stop - start, right.shape[1], indptr, indices, data,
        right_indptr, right_indices, right_data, out_indptr, out_indices, out_data,
    )  # fmt: skip
    nnz = int(out_indptr[-1])
    return out_indptr, out_indices[:nnz], out_data[:nnz]


def _csr(
    values: NDArray[np.integer[Any]],
    columns: NDArray[np.int32],
    rows: NDArray[np.intp],
    shape: tuple[int, int],
) -> sparse.csr_array:
    """A CSR matrix straight from entries already in row order (no sort, no duplicates)."""
    indptr = np.zeros(shape[0] + 1, np.int32)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_array((values, columns, indptr), shape=shape)

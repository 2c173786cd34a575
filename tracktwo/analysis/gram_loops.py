"""The Gram sums' two hot loops, compiled: forming the Gram matrix, and adding a packed patch.

``GramSums.gram`` forms each entry of ``X^T X`` as ``((N mu_j - A^T) mu_i + S) - A mu_j``
from four 32-bit sums. As NumPy element-wise operations that is six passes over blocks of
rows (each casting 32-bit sums to float64 through a buffer): 20 ms at 2,000 statements on one
core of the reference machine, the largest share of a replayed update's solve; NumExpr took
33-56 ms for the same expression. The loops below, compiled by Numba (no fast-math, so no
fused multiply-add: the same operations in the same order per entry, so the same bits as the
NumPy expression, which the tests compare), make each entry in one pass: 5.5 ms.

A packed patch (``GramSums._packed_steps``) is one integer product whose entries each hold the
changes of the four sums. With SciPy it was a product into CSR arrays, the entries' four terms
read out, and four scatters into the sums. :func:`add_packed` multiplies each row into a dense
accumulator and adds each entry's four terms straight into the sums: whole numbers, so the same
sums. :func:`packed_patch` builds the product's two factors from the participants' cells in
two passes (with SciPy: eight sparse arrays, a stack, a difference and a transpose, and a
copy of the right factor per step of the staircase, which :func:`add_packed` now skips to
the step's first column itself): 3 ms of each replayed update on its calling thread.

Numba is imported, and the loops compiled (cached on disk after the first time), only when
Gram sums are first patched or formed: a static analysis never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.packed_products import Csr

__all__ = ["add_packed", "form", "load", "packed_patch"]

Sum = NDArray[np.int32]


def form(
    sums: tuple[Sum, Sum, Sum, Sum],
    mu: NDArray[np.float64],
    zeroed: NDArray[np.bool_],
    out: NDArray[np.float64],
    run: tuple[int, int],
    step: int,
    below: bool = False,
) -> None:
    """The Gram matrix's entries from ``sums = (s, a, at, nn)`` (each shape (n, n)) and the
    column means ``mu``, into ``out``, for each block ``lo:hi`` (``hi = lo + step``) of the
    run of rows ``run``:

    - ``out[i, lo:] = ((nn[i, j] mu_j - at[i, j]) mu_i + s[i, j]) - a[i, j] mu_j`` for the
      block's rows ``i``: the upper triangle of blocks, each diagonal block whole;
    - with ``below``, ``out[j, i] = ((nn[i, j] mu_i - a[i, j]) mu_j + s[i, j]) - at[i, j] mu_i``
      for the block's columns ``i`` and the rows ``j`` from ``hi`` on: the entries below that
      triangle, read from the sums' own rows (the sums are right only on their upper
      staircase);

    0.0 where row ``i`` or column ``j`` is a statement ``zeroed`` (shape (n,)), as the
    centred matrix has no value there."""
    s, a, at, nn = sums
    _kernels()[1 if below else 0](s, a, at, nn, mu, zeroed, out, run[0], run[1], step)


def add_packed(
    left: Csr,
    right: Csr,
    run: tuple[int, int],
    targets: tuple[Sum, Sum, Sum, Sum],
) -> None:
    """Add ``left[run] @ right[:, run[0]:]`` into ``targets`` term by term: each entry of the
    product packs four signed ``PACK_BITS``-bit terms (``sum t_k 2^(16 k)``), and term ``k`` of
    entry ``(i, j)`` is added to ``targets[k][i, j]`` (rows ``i`` of ``run``, absolute; columns
    ``j`` from the run's first row on: a step of the sums' staircase).

    Parameters
    ----------
    left : (indptr, indices, data)
        CSR arrays, shape (n, m), 64-bit packed entries.
    right : (indptr, indices, data)
        CSR arrays, shape (m, n), each row's columns ascending.
    run : (start, stop)
    targets : four ndarrays of int32, shape (n, n)
    """
    s, at, a, nn = targets
    _kernels()[2](*left, *right, run[0], run[1], s, at, a, nn)


Entries = tuple[NDArray[np.intp], NDArray[np.int32], NDArray[np.int8]]
"""Cells as (row, statement, vote), sorted by row then statement."""


def packed_patch(new: Entries, old: Entries | None, m: int, n: int) -> tuple[Csr, Csr]:
    """The two factors of a packed patch of ``m`` participants' rows over ``n`` statements,
    from their cells after (``new``) and before (``old``; ``None`` when they had none).

    With ``K = 2^PACK_BITS``, ``P = R + K M`` and ``Q = R + K^2 M`` (``R`` the votes, ``M``
    the voted-cell mask, rows by participant), the patch is ``left @ right`` with ``left``
    ``[P_new; P_new - P_old]`` and ``right`` ``[Q_new - Q_old; Q_old]`` (``P_new`` and
    ``Q_new`` without ``old``); a difference keeps no zero entry. ``left`` comes transposed
    (shape (n, 2m), each row's columns ascending), ``right`` shape (2m, n), as
    :func:`add_packed` takes them."""
    kernel = _kernels()[3]
    if old is None:
        empty = (np.zeros(0, np.intp), np.zeros(0, np.int32), np.zeros(0, np.int8))
        return kernel(*new, *empty, m, n, False)  # type: ignore[no-any-return]
    return kernel(*new, *old, m, n, True)  # type: ignore[no-any-return]


def _factors(
    new_row: Any,
    new_statement: Any,
    new_vote: Any,
    old_row: Any,
    old_statement: Any,
    old_vote: Any,
    m: int,
    n: int,
    with_old: bool,
) -> Any:
    """Kept in one piece: both factors are filled in one pass over each participant's cells
    after and before (merged by statement), and the left one is then transposed by counting."""
    one, two = np.int64(1) << 16, np.int64(1) << 32
    new_at, old_at = np.zeros(m + 1, np.int64), np.zeros(m + 1, np.int64)
    for r in new_row:  # where each row begins, by counting
        new_at[r + 1] += 1
    for r in old_row:
        old_at[r + 1] += 1
    for r in range(m):
        new_at[r + 1] += new_at[r]
        old_at[r + 1] += old_at[r]
    rows = 2 * m if with_old else m
    size = new_row.shape[0] + (new_row.shape[0] + 2 * old_row.shape[0] if with_old else 0)
    l_ptr, r_ptr = np.zeros(rows + 1, np.int64), np.zeros(rows + 1, np.int64)
    l_col, r_col = np.empty(size, np.int32), np.empty(size, np.int32)
    l_val, r_val = np.empty(size, np.int64), np.empty(size, np.int64)
    ends = np.zeros(2, np.int64)  # entries filled: the left factor's, the right's
    for phase in range(2 if with_old else 1):
        # rows r (phase 0): P_new on the left, Q_new - Q_old on the right; rows m + r (phase
        # 1): P_new - P_old on the left, Q_old on the right. Without ``old``, Q_new - Q_old
        # is Q_new.
        plain_at, plain_statement, plain_vote = (
            (new_at, new_statement, new_vote) if phase == 0 else (old_at, old_statement, old_vote)
        )
        plain_scale, merged_scale = (one, two) if phase == 0 else (two, one)
        side = phase  # the side of the plain rows (0: left), the merged ones on the other
        for r in range(m):
            cols, vals = (l_col, l_val) if side == 0 else (r_col, r_val)
            f = ends[side]
            for t in range(plain_at[r], plain_at[r + 1]):
                cols[f], vals[f] = plain_statement[t], np.int64(plain_vote[t]) + plain_scale
                f += 1
            ends[side] = f
            cols, vals = (r_col, r_val) if side == 0 else (l_col, l_val)
            f = ends[1 - side]
            a, b = new_at[r], old_at[r]
            while a < new_at[r + 1] or b < old_at[r + 1]:
                after = a < new_at[r + 1] and (
                    b == old_at[r + 1] or new_statement[a] <= old_statement[b]
                )
                before = b < old_at[r + 1] and (
                    a == new_at[r + 1] or old_statement[b] <= new_statement[a]
                )
                value, column = np.int64(0), 0
                if after:
                    value, column = np.int64(new_vote[a]) + merged_scale, new_statement[a]
                    a += 1
                if before:
                    value, column = value - (np.int64(old_vote[b]) + merged_scale), old_statement[b]
                    b += 1
                if value != 0:
                    cols[f], vals[f] = column, value
                    f += 1
            ends[1 - side] = f
            l_ptr[phase * m + r + 1], r_ptr[phase * m + r + 1] = ends[0], ends[1]
    lf, rf = ends[0], ends[1]
    t_ptr = np.zeros(n + 1, np.int32)  # the left factor by statement: a counting sort
    for e in range(lf):
        t_ptr[l_col[e] + 1] += 1
    for j in range(n):
        t_ptr[j + 1] += t_ptr[j]
    fill = t_ptr[:-1].copy()
    t_col, t_val = np.empty(lf, np.int32), np.empty(lf, np.int64)
    for k in range(rows):
        for e in range(l_ptr[k], l_ptr[k + 1]):
            j = l_col[e]
            t_col[fill[j]], t_val[fill[j]] = k, l_val[e]
            fill[j] += 1
    right = (r_ptr.astype(np.int32), r_col[:rf].copy(), r_val[:rf].copy())
    return (t_ptr, t_col, t_val), right


def _packed(
    l_indptr: Any,
    l_indices: Any,
    l_data: Any,
    r_indptr: Any,
    r_indices: Any,
    r_data: Any,
    start: int,
    stop: int,
    t0: Any,
    t1: Any,
    t2: Any,
    t3: Any,
) -> None:
    n = t0.shape[1]
    total = np.zeros(n, np.int64)
    mark = np.full(n, -1, np.int64)
    seen = np.empty(n, np.int64)
    half = 1 << 15
    for i in range(start, stop):
        count = 0
        for ll in range(l_indptr[i], l_indptr[i + 1]):
            k = l_indices[ll]
            v = l_data[ll]
            first, end = r_indptr[k], r_indptr[k + 1]
            while first < end:  # the row's first column from ``start`` on (bisection)
                middle = (first + end) >> 1
                if r_indices[middle] < start:
                    first = middle + 1
                else:
                    end = middle
            for rr in range(first, r_indptr[k + 1]):
                j = r_indices[rr]
                if mark[j] != i:
                    mark[j] = i
                    total[j] = 0
                    seen[count] = j
                    count += 1
                total[j] += v * r_data[rr]
        for c in range(count):
            j = seen[c]
            x = total[j]
            first = ((x + half) & 0xFFFF) - half
            x = (x - first) >> 16
            second = ((x + half) & 0xFFFF) - half
            x = (x - second) >> 16
            third = ((x + half) & 0xFFFF) - half
            fourth = (x - third) >> 16
            t0[i, j] += first
            t1[i, j] += second
            t2[i, j] += third
            t3[i, j] += fourth


def _rows(
    s: Any,
    a: Any,
    at: Any,
    nn: Any,
    mu: Any,
    zeroed: Any,
    out: Any,
    start: int,
    stop: int,
    step: int,
) -> None:
    n = s.shape[0]
    for lo in range(start, stop, step):
        for i in range(lo, min(stop, lo + step)):
            mi = mu[i]
            if zeroed[i]:
                out[i, lo:] = 0.0
                continue
            for j in range(lo, n):
                mj = mu[j]
                value = ((nn[i, j] * mj - at[i, j]) * mi + s[i, j]) - a[i, j] * mj
                out[i, j] = 0.0 if zeroed[j] else value


def _below(
    s: Any,
    a: Any,
    at: Any,
    nn: Any,
    mu: Any,
    zeroed: Any,
    out: Any,
    start: int,
    stop: int,
    step: int,
) -> None:
    n = s.shape[0]
    for lo in range(start, stop, step):
        hi = min(stop, lo + step)
        for i in range(lo, hi):
            mi = mu[i]
            for j in range(hi, n):
                value = ((nn[i, j] * mi - a[i, j]) * mu[j] + s[i, j]) - at[i, j] * mi
                out[j, i] = 0.0 if zeroed[i] or zeroed[j] else value


def load(read_only: bool = False) -> None:
    """Import Numba, and compile (or load from its disk cache) :func:`form`'s loops now for
    sums that are ``read_only`` (mapped from files by another process) or not: Numba
    compiles a loop at its first call for each kind of array it is given."""
    sums = np.zeros((2, 2), np.int32)
    sums.flags.writeable = not read_only
    zeroed = np.zeros(2, np.bool_)
    for below in (False, True):
        form((sums, sums, sums, sums), np.zeros(2), zeroed, np.zeros((2, 2)), (0, 2), 1, below)


@cache
def _kernels() -> tuple[Callable[..., Any], ...]:
    """The loops compiled (once per process; from Numba's disk cache after the first)."""
    import numba

    compile_ = numba.njit(cache=True, nogil=True, fastmath=False)
    return compile_(_rows), compile_(_below), compile_(_packed), compile_(_factors)

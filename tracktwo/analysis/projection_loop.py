"""The participants' projection, compiled: each participant's sum over its cells.

``projection.project_participants`` adds, for every participant, one row of a small table (or
a centred value times the components) per cell, in the cells' order. SciPy's kernel for a
sparse matrix times a few dense columns (``csr_matvecs``) adds each cell into the output row
in memory, through a pointer that may alias the table, so every addition waits for the store
and load of the one before: 12 ms for the 5 million cells of a 100k-participant update on one
core of the reference machine. The loops below keep a participant's two sums in registers
and index with unsigned integers (no negative-index test per read): 5 ms. They add the same
numbers in the same order from the same 0.0, with no fast-math (so no fused multiply-add),
so every point has the same bits as SciPy's, which the tests compare.

Numba is imported, and the loops compiled (cached on disk after the first time), only by
updates (``engine.update``) of at least ``COMPILED_FROM`` cells: a static analysis, and a small
dialogue's live update, never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["COMPILED_FROM", "codes_times", "values_times"]

COMPILED_FROM = 1 << 20
"""Cells from which an update projects with the compiled loops (below, SciPy's kernel costs
less than loading Numba into a process that has not yet)."""


def codes_times(
    indptr: NDArray[np.integer[Any]],
    codes: NDArray[np.integer[Any]],
    table: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Each row's sum of ``table[codes]`` over its cells, shape (n_rows, 2).

    Parameters
    ----------
    indptr : ndarray of integers, shape (n_rows + 1,)
        Where each row's cells begin (CSR).
    codes : ndarray of integers, shape (n_cells,)
        Each cell's row of ``table`` (non-negative).
    table : ndarray of float64, shape (n_codes, 2)
    """
    out = np.empty((indptr.shape[0] - 1, 2))
    _kernels()[0](indptr, codes, np.ascontiguousarray(table).ravel(), out)
    return out


def values_times(
    indptr: NDArray[np.integer[Any]],
    indices: NDArray[np.integer[Any]],
    data: NDArray[np.float64],
    inner: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The CSR matrix ``(data, indices, indptr)`` times ``inner`` (flat rows of two, shape
    (2 n_columns,)): each row's sum of ``data * inner[column]``, shape (n_rows, 2)."""
    out = np.empty((indptr.shape[0] - 1, 2))
    _kernels()[1](indptr, indices, data, inner, out)
    return out


def _codes(indptr: Any, codes: Any, table: Any, out: Any) -> None:
    one, two = np.uint64(1), np.uint64(2)
    for i in range(indptr.shape[0] - 1):
        x = 0.0
        y = 0.0
        for t in range(np.uint64(indptr[i]), np.uint64(indptr[i + 1])):
            c = two * np.uint64(codes[t])
            x += table[c]
            y += table[c + one]
        out[i, 0] = x
        out[i, 1] = y


def _values(indptr: Any, indices: Any, data: Any, inner: Any, out: Any) -> None:
    one, two = np.uint64(1), np.uint64(2)
    for i in range(indptr.shape[0] - 1):
        x = 0.0
        y = 0.0
        for t in range(np.uint64(indptr[i]), np.uint64(indptr[i + 1])):
            c = two * np.uint64(indices[t])
            d = data[t]
            x += d * inner[c]
            y += d * inner[c + one]
        out[i, 0] = x
        out[i, 1] = y


@cache
def _kernels() -> tuple[Callable[..., None], Callable[..., None]]:
    """The two loops compiled (once per process; from Numba's disk cache after the first)."""
    import numba

    compile_ = numba.njit(cache=True, nogil=True, fastmath=False, boundscheck=False)
    return compile_(_codes), compile_(_values)

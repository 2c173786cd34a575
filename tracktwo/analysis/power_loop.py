"""The faithful power iteration's product ``X^T (X w)``, compiled: one call, one pass.

``pca.sparse_product`` multiplies by the centred matrix and then by its transpose: two SciPy
calls, each with its Python dispatch, and on a pool thread each a hand-over of the interpreter
lock to and from a calling thread busy with Python work. The loop below makes both in one pass
over the rows, holding no lock: each row's sum ``t_i = sum_j x_ij w_j`` in the row's order from
0.0 (as SciPy's ``csr_matvec``), then ``out_j += x_ij t_i`` for its entries, so each ``out_j``
adds its terms in ascending row order from 0.0, as the product with the transpose does: the
same bits, which the tests compare. Indices are read as unsigned (no negative-index test per
read); no fast-math, so no fused multiply-add.

Numba is imported, and the loop compiled (cached on disk after the first time), only by a
warm-started power iteration (an update's) over at least ``COMPILED_FROM`` entries on a pool
thread (a replay prepares its next update there); on the calling thread the products are split
over the cores instead (``pca.sparse_product``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

__all__ = ["COMPILED_FROM", "gram_product"]

COMPILED_FROM = 1 << 18
"""Stored entries from which the power iteration multiplies with the compiled loop."""


def gram_product(x: sparse.csr_array) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """``w -> X^T (X w)`` for ``x`` (CSR, shape (n_rows, n_columns)), by the compiled loop."""
    kernel, indptr, indices, data = _kernel(), x.indptr, x.indices, x.data
    n = x.shape[1]

    def product(w: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros(n)
        kernel(indptr, indices, data, np.ascontiguousarray(w, dtype=np.float64), out)
        return out

    return product


def _gram(indptr: Any, indices: Any, data: Any, w: Any, out: Any) -> None:
    for i in range(indptr.shape[0] - 1):
        start, stop = np.uint64(indptr[i]), np.uint64(indptr[i + 1])
        total = 0.0
        for t in range(start, stop):
            total += data[t] * w[np.uint64(indices[t])]
        for t in range(start, stop):
            out[np.uint64(indices[t])] += data[t] * total


@cache
def _kernel() -> Callable[..., None]:
    """The loop compiled (once per process; from Numba's disk cache after the first)."""
    import numba

    compiled: Callable[..., None] = numba.njit(
        cache=True, nogil=True, fastmath=False, boundscheck=False
    )(_gram)
    return compiled

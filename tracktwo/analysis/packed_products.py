"""Sparse matrices whose entries pack several whole numbers, as plain CSR arrays.

A 64-bit whole number holds four signed ``PACK_BITS``-bit terms (``sum t_k 2^(16 k)``), so
one integer product of packed matrices is several products at once, read back exactly while
each term of the result stays within 16 bits (``gram_loops.add_packed`` multiplies and reads
them back). The arrays here are built without ``sparse``'s checks and copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

__all__ = ["PACK_BITS", "Csr", "arrays", "csr", "from_column"]

PACK_BITS = 16
"""Bits of each term of a packed whole number."""

Csr = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]
"""A CSR matrix's (indptr, indices, data)."""


def arrays(matrix: sparse.csr_array) -> Csr:
    """``matrix``'s (indptr, indices, data) in the types ``gram_loops.add_packed`` takes."""
    return (
        matrix.indptr.astype(np.int32, copy=False),
        matrix.indices.astype(np.int32, copy=False),
        matrix.data.astype(np.int64, copy=False),
    )


def from_column(matrix: Csr, first: int) -> Csr:
    """A CSR matrix's (indptr, indices, data) without its entries before column ``first``."""
    indptr, indices, data = matrix
    keep = indices >= first
    kept = np.zeros(keep.shape[0] + 1, np.int32)
    np.cumsum(keep, out=kept[1:])
    return kept[indptr], indices[keep], data[keep]


def csr(
    values: NDArray[np.integer[Any]],
    columns: NDArray[np.int32],
    rows: NDArray[np.intp],
    shape: tuple[int, int],
) -> sparse.csr_array:
    """A CSR matrix straight from entries already in row order (no sort, no duplicates)."""
    indptr = np.zeros(shape[0] + 1, np.int32)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_array((values, columns, indptr), shape=shape)

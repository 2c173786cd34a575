"""Sparse matrices whose entries pack several whole numbers, as plain CSR arrays.

A 64-bit whole number holds four signed ``PACK_BITS``-bit terms (``sum t_k 2^(16 k)``), so
one integer product of packed matrices is several products at once, read back exactly while
each term of the result stays within 16 bits (``gram_loops.add_packed`` multiplies and reads
them back; ``gram_loops.packed_patch`` builds the factors). The arrays here are built without
``sparse``'s checks and copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

__all__ = ["PACK_BITS", "Csr", "csr"]

PACK_BITS = 16
"""Bits of each term of a packed whole number."""

Csr = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]
"""A CSR matrix's (indptr, indices, data)."""


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

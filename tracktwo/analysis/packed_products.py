"""Integer products of sparse matrices whose entries pack several whole numbers.

A 64-bit whole number holds four signed ``PACK_BITS``-bit terms (``sum t_k 2^(16 k)``), so
one integer product of packed matrices is several products at once, read back exactly while
each term of the result stays within 16 bits (:func:`unpacked`). The products call SciPy's
kernels directly on CSR arrays (indptr, indices, data), without ``@``'s checks and copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import _sparsetools

__all__ = ["PACK_BITS", "Csr", "arrays", "csr", "from_column", "product", "unpacked"]

PACK_BITS = 16
"""Bits of each term of a packed whole number."""

Csr = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]
"""A CSR matrix's (indptr, indices, data)."""


def unpacked(packed: NDArray[np.int64]) -> NDArray[np.int32]:
    """The four signed ``PACK_BITS``-bit terms of each packed whole number (0 the lowest),
    shape (4, len(packed)); ``packed`` is overwritten.

    Adding ``2^(PACK_BITS - 1)`` to every term (modulo 2^64) leaves each in its own 16 bits
    with no borrow, so the terms are read as unsigned 16-bit words (each term's words copied
    together), less that offset."""
    half = 1 << (PACK_BITS - 1)
    offset = np.uint64(sum(half << (PACK_BITS * k) for k in range(4)))
    words = packed.view(np.uint64)
    np.add(words, offset, out=words)
    terms = np.empty((4, packed.shape[0]), np.int32)
    terms[...] = words.view(np.uint16).reshape(-1, 4).T
    terms -= half
    return terms


def arrays(matrix: sparse.csr_array) -> Csr:
    """``matrix``'s (indptr, indices, data) in the types of :func:`product`."""
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


def product(left: sparse.csr_array, start: int, stop: int, right: Csr, columns: int) -> Csr:
    """``left[start:stop] @ right`` as CSR arrays (indptr, indices, data), shape
    (stop - start, columns), ``right`` as such arrays with ``columns`` columns: SciPy's
    ``csr_matmat`` called directly, with room for
    every product term instead of a first pass that counts the entries (``@`` makes both,
    and copies and checks its operands: at a patch's sizes that was a third of its time)."""
    lo, hi = int(left.indptr[start]), int(left.indptr[stop])
    indptr = (left.indptr[start : stop + 1] - lo).astype(np.int32)
    indices = left.indices[lo:hi].astype(np.int32, copy=False)
    data = left.data[lo:hi].astype(np.int64, copy=False)
    right_indptr, right_indices, right_data = right
    terms = int(np.diff(right_indptr)[indices].sum()) if hi > lo else 0
    room = min(terms, (stop - start) * columns)  # no more entries than the terms or cells
    out_indptr = np.empty(stop - start + 1, np.int32)
    out_indices = np.empty(room, np.int32)
    out_data = np.empty(room, np.int64)
    _sparsetools.csr_matmat(
        stop - start, columns, indptr, indices, data,
        right_indptr, right_indices, right_data, out_indptr, out_indices, out_data,
    )  # fmt: skip
    nnz = int(out_indptr[-1])
    return out_indptr, out_indices[:nnz], out_data[:nnz]


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

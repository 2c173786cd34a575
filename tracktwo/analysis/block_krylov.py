"""The scalable solver's two components: block Krylov iteration with Rayleigh-Ritz.

Each pass multiplies one block of ``WIDTH`` orthonormal vectors by ``X^T X`` (one dense product
with the Gram matrix when given, else one sparse product each way) and adds the block to the
basis: after ``p`` passes the basis spans ``[B, G B, ..., G^(p-1) B]`` (the next block is the
last product made orthogonal to the basis, twice). The Ritz vectors of the whole basis converge
as a Chebyshev filter of degree ``p`` would (for the Pol.is-shaped spectra measured, where the
third eigenvalue is about a quarter of the second, in about two thirds of the passes of block
subspace iteration from the same start), with no spectrum bounds to guess.

It stops once every component's residual ``||G r - theta r||`` over its gap to the nearest other
Ritz value (Davis-Kahan: a bound on the sine of its angle to the eigenvector) is below the
tolerance, which needs no extra pass to watch the vectors move. The eigenvalues are the Ritz
values (``r^T G r`` up to rounding), with no further read of ``G``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis.cells import workers
from tracktwo.analysis.gram_sums import GRAM_ROWS
from tracktwo.analysis.parallel import one_blas_thread
from tracktwo.analysis.pca import N_COMPONENTS, Components, orient, row_blocks

__all__ = ["block_components", "symmetric_product"]

BLOCK_OVERSAMPLE = 6
WIDTH = N_COMPONENTS + BLOCK_OVERSAMPLE
BLOCK_MAX_PASSES = 40
BLOCK_TOLERANCE = 1e-7
THREADED_ABOVE = 2_000_000  # stored entries beyond which the sparse products use every core
TRIANGLE_ROWS = GRAM_ROWS
"""Rows of the Gram matrix read at a time by :func:`symmetric_product` (they stay in cache for
the second product with them): the blocks of ``GramSums.gram``'s upper triangle."""


def block_components(
    x: sparse.csr_array,
    start: NDArray[np.float64] | None = None,
    seed: int = 0,
    max_passes: int = BLOCK_MAX_PASSES,
    tolerance: float = BLOCK_TOLERANCE,
    gram: NDArray[np.float64] | None = None,
) -> Components:
    """The top two eigenvectors of ``X^T X`` by block Krylov iteration.

    Parameters
    ----------
    x : csr_array, shape (n_participants, n_statements)
        The centred matrix.
    start : ndarray of float64, shape (2, n_statements), optional
        Start vectors (the previous components, padded); rows that are all zero are left random.
    seed : int
        Seed of the random vectors that fill the first block.
    max_passes : int
        At most this many products with ``X^T X``.
    tolerance : float
        Stop once each component's residual over its gap is below this.
    gram : ndarray of float64, shape (n_statements, n_statements), optional
        ``X^T X``; only its upper triangle of ``TRIANGLE_ROWS``-row blocks (each diagonal block
        whole) is read.

    Returns
    -------
    Components
        ``iterations`` is the number of passes.
    """
    # the dense algebra here is (statements x 8): two BLAS threads only wait on each other
    # (each QR took 15x longer on the shared 2-core machine); the sparse products thread below
    with one_blas_thread():
        return _block_components(x, start, seed, max_passes, tolerance, gram)


def symmetric_product(gram: NDArray[np.float64], basis: NDArray[np.float64]) -> NDArray[np.float64]:
    """``gram @ basis`` for a symmetric ``gram``, reading only its upper triangle of blocks.

    For each run of ``TRIANGLE_ROWS`` rows ``i`` (from row ``lo``), ``G[i, lo:]`` gives the run's
    own rows of the product and, read again from cache, ``G[i, hi:]^T`` its share of the rows
    below: half the memory traffic of a whole product, which is bound by reading ``G``.

    Parameters
    ----------
    gram : ndarray of float64, shape (n, n)
    basis : ndarray of float64, shape (n, width)

    Returns
    -------
    ndarray of float64, shape (n, width)
    """
    n = basis.shape[0]
    out = np.zeros_like(basis, dtype=np.float64)
    for lo in range(0, n, TRIANGLE_ROWS):
        hi = min(n, lo + TRIANGLE_ROWS)
        rows = gram[lo:hi]
        out[lo:hi] += rows[:, lo:] @ basis[lo:]
        if hi < n:
            out[hi:] += rows[:, hi:].T @ basis[lo:hi]
    return out


def _block_components(
    x: sparse.csr_array,
    start: NDArray[np.float64] | None,
    seed: int,
    max_passes: int,
    tolerance: float,
    gram: NDArray[np.float64] | None,
) -> Components:
    from scipy import linalg

    n = x.shape[1]
    total = float(np.trace(gram)) if gram is not None else float(np.dot(x.data, x.data))
    if total == 0.0 or n == 0:
        return Components(np.zeros((N_COMPONENTS, n)), np.zeros(N_COMPONENTS), total, 0)
    new, _ = np.linalg.qr(_start_block(n, seed, start))
    threads = workers() if x.nnz > THREADED_ABOVE and gram is None else 1
    blocks = row_blocks(x, threads)
    pool = ThreadPoolExecutor(len(blocks)) if len(blocks) > 1 else None
    product: Callable[[NDArray[np.float64]], NDArray[np.float64]]
    if gram is not None:
        product = lambda v: symmetric_product(gram, v)  # noqa: E731
    else:
        product = lambda v: block_gram_product(blocks, v, pool)  # noqa: E731
    most = min(n, new.shape[1] * max(1, max_passes))
    # kept a vector a row: each block is a run of rows, each view of them BLAS-ready
    basis_rows, image_rows = np.empty((most, n)), np.empty((most, n))
    small = np.empty((most, most))
    passes = width = 0
    try:
        for passes in range(1, max(1, max_passes) + 1):  # noqa: B007 - passes is reported
            image = product(new)
            done, width = width, width + new.shape[1]
            basis_rows[done:width], image_rows[done:width] = new.T, image.T
            basis, images = basis_rows[:width].T, image_rows[:width].T
            small[:width, done:width] = basis.T @ image
            small[done:width, :done] = small[:done, done:width].T
            values, vecs = linalg.eigh((small[:width, :width] + small[:width, :width].T) / 2.0)
            order = np.argsort(-values, kind="stable")
            top = vecs[:, order[:N_COMPONENTS]]
            ritz = basis @ top
            if _bound(images @ top, ritz, values[order]) < tolerance:
                break
            new = _next_block(image, basis, min(new.shape[1], most - width))
            if new.shape[1] == 0:
                break
    finally:
        if pool is not None:
            pool.shutdown()
    vectors = np.zeros((N_COMPONENTS, n))
    vectors[: ritz.shape[1]] = ritz.T
    found = np.zeros(N_COMPONENTS)
    found[: ritz.shape[1]] = values[order[: ritz.shape[1]]]
    vectors[found <= total * 1e-15] = 0.0
    found[found <= total * 1e-15] = 0.0
    vectors = orient(vectors, start) if start is not None else orient(vectors)
    return Components(vectors, found, total, passes)


def _start_block(n: int, seed: int, start: NDArray[np.float64] | None) -> NDArray[np.float64]:
    """The first block, shape (n, min(n, WIDTH)): seeded normal vectors, the first
    ``N_COMPONENTS`` replaced by the rows of ``start`` that are not all zero."""
    block = np.random.default_rng([seed, 11]).standard_normal((n, min(n, WIDTH)))
    if start is not None:
        for c in range(min(N_COMPONENTS, start.shape[0], block.shape[1])):
            if np.any(start[c]):
                block[:, c] = start[c]
    return block


def _bound(
    images: NDArray[np.float64], ritz: NDArray[np.float64], values: NDArray[np.float64]
) -> float:
    """The largest ``||G r - theta r|| / gap`` over the Ritz vectors ``ritz`` (shape (n, c)),
    with ``images`` their products (same shape) and ``values`` every Ritz value, descending;
    the gap of a value is its distance to the nearest other one (infinite when it has none)."""
    worst = 0.0
    for c in range(ritz.shape[1]):
        residual = float(np.linalg.norm(images[:, c] - values[c] * ritz[:, c]))
        others = np.delete(values, c)
        gap = float(np.min(np.abs(others - values[c]))) if others.size else np.inf
        if residual > 0.0:
            worst = max(worst, residual / gap if gap > 0.0 else np.inf)
    return worst


def _next_block(
    image: NDArray[np.float64], basis: NDArray[np.float64], width: int
) -> NDArray[np.float64]:
    """``width`` orthonormal vectors from ``image`` (shape (n, w)) orthogonal to the
    orthonormal ``basis`` (shape (n, m)): the basis projected out twice, a QR, and once more
    both (once the iteration converges the image lies almost inside the basis: what is left
    is small, and the QR would scale up what the projections left of the basis)."""
    rest = image[:, :width] - basis @ (basis.T @ image[:, :width])
    rest -= basis @ (basis.T @ rest)
    block, _ = np.linalg.qr(rest)
    block -= basis @ (basis.T @ block)
    block, _ = np.linalg.qr(block)
    return np.asarray(block, dtype=np.float64)


def block_gram_product(
    blocks: list[sparse.csr_array], v: NDArray[np.float64], pool: ThreadPoolExecutor | None
) -> NDArray[np.float64]:
    """``X^T (X v)`` as the sum over row blocks of ``B^T (B v)``, one thread per block (SciPy's
    sparse kernels release the GIL); ``v`` of shape (n_statements, width)."""
    if pool is None or len(blocks) == 1:
        total = _gram_product(blocks[0], v)
        for block in blocks[1:]:
            total += _gram_product(block, v)
        return total
    partial: list[Any] = list(pool.map(lambda block: _gram_product(block, v), blocks))
    return np.asarray(np.sum(partial, axis=0), dtype=np.float64)


def _gram_product(x: sparse.csr_array, v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(x.T @ (x @ v), dtype=np.float64)

"""Two principal components of the imputed, centred vote matrix, without densifying it.

Pol.is takes the components by power iteration on the mean-imputed, centred matrix X
(participants x statements), 100 iterations per update, warm-started from the previous
update's components, the second after Gram-Schmidt deflation (X <- X (I - v1 v1^T)). Because
imputed cells are 0 once centred, X is the sparse ``Geometry.centred`` and every product
``X^T (X v)`` is two sparse mat-vecs.

- A *cold start* (no previous components) returns the converged components: the top two
  eigenvectors of X^T X, by Lanczos (ARPACK, deterministic start from ``seed``) or, when the
  Gram matrix is cheap, a dense symmetric eigensolver. This is what Pol.is's warm-started power
  iteration converges to across updates; a single unconverged 100-step run from Pol.is's
  unseeded random start is not reproducible anyway.
- A *warm start* runs Pol.is's power iteration from the previous components (new statements
  padded with 1, as Pol.is does), at most ``iterations`` products per component, stopping early
  once a component moves less than ``tolerance``.
- The *scalable* solver (``block_krylov``) runs block Krylov iteration (block of 2 + 6
  oversampling vectors, Rayleigh-Ritz), which needs a few mat-mats instead of hundreds of
  mat-vecs.

Signs: on a cold start each component's largest-magnitude entry is made positive; on a warm
start each component keeps the orientation of the previous one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis import power_loop
from tracktwo.analysis.parallel import one_blas_thread, shared, threads

N_COMPONENTS = 2
SPLIT_ENTRIES = 200_000
"""Stored entries beyond which the power iteration's sparse products are split over the cores,
when it runs on the calling thread (an update alone). On a pool thread (an update a replay
prepares ahead) each product runs whole (from ``power_loop.COMPILED_FROM`` entries, in one
compiled pass): offered in halves to the thread waiting for it, it
cost more in hand-overs than the halves saved (the 100k replay's first 100 updates, 3 runs
each, interleaved: a median of 56.1 ms an update whole, 62.5 ms in halves)."""
DENSE_GRAM_MAX_COLUMNS = 2000
DENSE_GRAM_MAX_WORK = 50_000_000


@dataclass(frozen=True, eq=False)
class Components:
    """Components, their eigenvalues (variance along them) and the work done.

    Attributes
    ----------
    vectors : ndarray of float64, shape (2, n_statements)
    eigenvalues : ndarray of float64, shape (2,)
        ``||X v||^2`` for each component.
    total : float
        ``||X||_F^2``, the total variance (for the explained share).
    iterations : int
    """

    vectors: NDArray[np.float64]
    eigenvalues: NDArray[np.float64]
    total: float
    iterations: int

    @property
    def explained(self) -> NDArray[np.float64]:
        if self.total <= 0:
            return np.zeros(N_COMPONENTS)
        return np.clip(self.eigenvalues / self.total, 0.0, 1.0)


def _gram_product(x: sparse.csr_array, v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(x.T @ (x @ v), dtype=np.float64)


def _eigenvalues(
    x: sparse.csr_array, vectors: NDArray[np.float64], gram: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    if gram is not None:
        return np.asarray(((vectors @ gram) * vectors).sum(axis=1), dtype=np.float64)
    projected = x @ vectors.T
    return np.asarray((projected * projected).sum(axis=0), dtype=np.float64)


def orient(
    vectors: NDArray[np.float64], previous: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Fix each component's sign: aligned with ``previous`` when given (and not orthogonal to
    it), else with its largest-magnitude entry positive (first such entry on ties)."""
    out = vectors.copy()
    for c in range(out.shape[0]):
        v = out[c]
        if previous is not None and c < previous.shape[0]:
            n = min(v.shape[0], previous.shape[1])
            dot = float(v[:n] @ previous[c, :n])
            if dot != 0.0:
                if dot < 0:
                    out[c] = -v
                continue
        if v.size and v[int(np.argmax(np.abs(v)))] < 0:
            out[c] = -v
    return out


def _start_vector(n: int, seed: int, salt: int) -> NDArray[np.float64]:
    rng = np.random.default_rng([seed, salt])
    return rng.random(n) + 0.5


def power_components(
    x: sparse.csr_array,
    start: NDArray[np.float64],
    iterations: int,
    tolerance: float,
    seed: int = 0,
    gram: NDArray[np.float64] | None = None,
) -> Components:
    """Pol.is's power iteration with Gram-Schmidt deflation, warm-started from ``start``.

    Parameters
    ----------
    x : csr_array, shape (n_participants, n_statements)
        The centred matrix.
    start : ndarray of float64, shape (2, n_statements)
        Start vectors (rows that are all zero are replaced by a seeded random vector).
    iterations : int
        At most this many products per component.
    tolerance : float
        Stop a component once it moves less than this (2-norm).
    gram : ndarray of float64, shape (n_statements, n_statements), optional
        ``X^T X`` (``live_state.GramSums``): each product is then one dense mat-vec, on one
        BLAS thread (``parallel.one_blas_thread``).
    """
    if gram is None:
        return _power_components(x, start, iterations, tolerance, seed, gram)
    with one_blas_thread():
        return _power_components(x, start, iterations, tolerance, seed, gram)


def _power_components(
    x: sparse.csr_array,
    start: NDArray[np.float64],
    iterations: int,
    tolerance: float,
    seed: int,
    gram: NDArray[np.float64] | None,
) -> Components:
    n = x.shape[1]
    if gram is not None:
        product = _dense_product(gram)
    elif x.nnz >= power_loop.COMPILED_FROM and threads() <= 1:  # prepared ahead, on the pool
        product = power_loop.gram_product(x)
    else:
        product = sparse_product(x)
    found: list[NDArray[np.float64]] = []
    done = 0
    for c in range(N_COMPONENTS):
        v = np.asarray(start[c], dtype=np.float64).copy()
        if not np.any(v):
            v = _start_vector(n, seed, c)
        for prior in found:
            v -= prior * (prior @ v)
        norm = float(np.linalg.norm(v))
        v = v / norm if norm > 0 else v
        for _ in range(iterations):
            w = v
            for prior in found:
                w = w - prior * (prior @ w)
            w = product(w)
            for prior in found:
                w = w - prior * (prior @ w)
            done += 1
            norm = float(np.linalg.norm(w))
            if norm == 0.0:
                v = np.zeros(n)
                break
            w /= norm
            moved = float(np.linalg.norm(w - v))
            v = w
            if moved < tolerance:
                break
        found.append(v)
    vectors = np.vstack(found) if found else np.zeros((N_COMPONENTS, n))
    return Components(vectors, _eigenvalues(x, vectors, gram), _total(x, gram), done)


def sparse_product(
    x: sparse.csr_array, parts: int | None = None
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """``w -> X^T (X w)`` by two sparse mat-vecs, each split by rows over ``parts`` threads
    (by default the cores above ``SPLIT_ENTRIES`` stored entries, one on a pool thread) with
    the same bits.

    A row's sum in a CSR product does not depend on which thread computes it, and the CSR of
    ``X^T`` (built once) sums each of its rows over the participants in ascending order from 0,
    as SciPy's product with the transpose view (CSC) does: the result is that of the product
    whole, which the tests check bit for bit.

    Parameters
    ----------
    x : csr_array, shape (n_participants, n_statements)
    parts : int, optional

    Returns
    -------
    callable : ndarray of float64, shape (n_statements,) -> the same shape
    """
    if parts is None:  # on a pool thread, whole: see SPLIT_ENTRIES
        parts = threads() if x.nnz > SPLIT_ENTRIES else 1
    if parts <= 1:
        xt = x.T  # built once: a transpose per product costs more than the product on small data
        return lambda w: np.asarray(xt @ (x @ w), dtype=np.float64)
    down = row_blocks(x, parts)
    up = row_blocks(sparse.csr_array(x.T), parts)

    def product(w: NDArray[np.float64]) -> NDArray[np.float64]:
        middle = np.concatenate(shared(lambda block: block @ w, down))
        return np.concatenate(shared(lambda block: block @ middle, up)).astype(np.float64)

    return product


def row_blocks(x: sparse.csr_array, parts: int) -> list[sparse.csr_array]:
    """``x`` cut into ``parts`` runs of rows with about as many entries each, as views of its
    arrays (no copy of the entries), shape (rows of the run, n_statements) each."""
    n_rows = x.shape[0]
    if parts <= 1 or n_rows < 2:
        return [x]
    indptr = x.indptr
    targets = [x.nnz * (r + 1) // parts for r in range(parts - 1)]
    cuts = [0, *sorted(set(np.searchsorted(indptr, targets).tolist())), n_rows]
    blocks = []
    for a, b in pairwise(cuts):
        if b <= a:
            continue
        begin, stop = int(indptr[a]), int(indptr[b])
        local = (indptr[a : b + 1] - begin).astype(indptr.dtype)
        blocks.append(
            sparse.csr_array(
                (x.data[begin:stop], x.indices[begin:stop], local), shape=(b - a, x.shape[1])
            )
        )
    return blocks


def _dense_product(
    gram: NDArray[np.float64],
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    return lambda w: np.asarray(gram @ w, dtype=np.float64)


def _total(x: sparse.csr_array, gram: NDArray[np.float64] | None) -> float:
    """``||X||_F^2``: the trace of the Gram matrix when given."""
    return float(np.trace(gram)) if gram is not None else float(np.dot(x.data, x.data))


def exact_components(x: sparse.csr_array, seed: int = 0) -> Components:
    """The converged components: the top two eigenvectors of X^T X (zero where X^T X is 0)."""
    n = x.shape[1]
    total = float(np.dot(x.data, x.data))
    vectors = np.zeros((N_COMPONENTS, n))
    live = x.data != 0.0
    active = np.flatnonzero(np.bincount(x.indices[live], minlength=n) > 0)
    if total == 0.0 or active.size == 0:
        return Components(vectors, np.zeros(N_COMPONENTS), total, 0)
    row_nnz = np.diff(x.indptr).astype(np.float64)
    work = float((row_nnz * row_nnz).sum())
    iterations = 1
    if active.size <= N_COMPONENTS + 1 or (
        active.size <= DENSE_GRAM_MAX_COLUMNS and work <= DENSE_GRAM_MAX_WORK
    ):
        sub = x[:, active]
        if sub.shape[0] < active.size:  # fewer participants: the smaller Gram matrix X X^T
            vectors[:, active] = _through_participants(sub)
        else:
            gram = (sub.T @ sub).toarray()
            values, vecs = np.linalg.eigh(gram)  # LAPACK syevd; SciPy's linalg is slow to import
            top = np.argsort(-values, kind="stable")[:N_COMPONENTS]
            for c, j in enumerate(top):
                if values[j] > 0:
                    vectors[c, active] = vecs[:, j]
    else:
        from scipy.sparse.linalg import ArpackError, LinearOperator, eigsh

        operator = LinearOperator((n, n), matvec=lambda v: _gram_product(x, v), dtype=np.float64)
        v0 = np.zeros(n)
        v0[active] = _start_vector(active.size, seed, 7)
        try:
            values, vecs = eigsh(operator, k=N_COMPONENTS, which="LA", v0=v0, tol=0.0)
        except ArpackError:  # pragma: no cover - ARPACK rarely fails; fall back to iteration
            return power_components(x, np.zeros((N_COMPONENTS, n)), 2000, 1e-13, seed)
        top = np.argsort(-values, kind="stable")
        for c, j in enumerate(top):
            if values[j] > 0:
                vectors[c] = vecs[:, j]
        iterations = N_COMPONENTS
    vectors = orient(vectors)
    return Components(vectors, _eigenvalues(x, vectors), total, iterations)


def _through_participants(x: sparse.csr_array) -> NDArray[np.float64]:
    """The top two eigenvectors of ``X^T X`` (shape (2, n_columns); 0 for an eigenvalue that
    is not positive) from those of ``X X^T``, when X (shape (m, n_columns)) has fewer rows:
    ``v = X^T u / ||X^T u||`` (a replay's first poll: a few hundred participants on up to two
    thousand statements, an m x m eigenproblem instead of n x n)."""
    values, vecs = np.linalg.eigh((x @ x.T).toarray())
    out = np.zeros((N_COMPONENTS, x.shape[1]))
    for c, j in enumerate(np.argsort(-values, kind="stable")[:N_COMPONENTS]):
        if values[j] > 0:
            v = np.asarray(x.T @ vecs[:, j], dtype=np.float64)
            out[c] = v / np.linalg.norm(v)
    return out


def pad_start(previous: NDArray[np.float64], n_statements: int) -> NDArray[np.float64]:
    """Previous components extended to new statements with 1 (Pol.is), shape (2, n)."""
    start = np.ones((N_COMPONENTS, n_statements))
    width = min(previous.shape[1], n_statements)
    start[:, :width] = previous[:, :width]
    for c in range(N_COMPONENTS):
        if not np.any(previous[c]):
            start[c] = 0.0
    return start

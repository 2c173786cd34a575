"""An update's two components: which solver, the warm start, and the solve on the Gram matrix
that an update prepared ahead runs on the thread pool (``update_ahead.start_ahead``).

A warm-started solve on the Gram matrix reads nothing of the cells but the centred matrix's
shape, so the update that follows can be solved as soon as its Gram sums are patched and the
components it starts from are known: the same operations on the same numbers as when the
update solves them itself (``engine._run``), so the same bits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis.block_krylov import block_components
from tracktwo.analysis.cells import cell_index_type
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.matrix import column_means
from tracktwo.analysis.pca import (
    Components,
    exact_components,
    orient,
    pad_start,
    power_components,
)
from tracktwo.analysis.result import AnalysisParams

__all__ = [
    "cells_matrix",
    "choose_solver",
    "components",
    "components_ahead",
    "components_of_matrix",
]


def choose_solver(params: AnalysisParams, n_participants: int) -> Literal["faithful", "scalable"]:
    """``auto`` is faithful up to ``params.scalable_above`` participants."""
    if params.solver == "auto":
        return "scalable" if n_participants > params.scalable_above else "faithful"
    return params.solver


def components(
    x: sparse.csr_array,
    n_statements: int,
    params: AnalysisParams,
    solver: str,
    previous: NDArray[np.float64] | None,
    gram: NDArray[np.float64] | None = None,
) -> Components:
    """The components, warm-started from the previous ones (``previous``, shape
    (2, n_previous_statements)); ``gram`` (``X^T X`` from ``GramSums.gram``: whole for the
    faithful solver, its upper triangle of blocks for the scalable one) makes every product of
    the iteration one dense product."""
    if previous is None or not np.any(previous):
        if solver == "scalable":
            return block_components(x, seed=params.seed, gram=gram)
        return exact_components(x, seed=params.seed)
    start = pad_start(previous, n_statements)
    if solver == "scalable":
        found = block_components(x, start=start, seed=params.seed, gram=gram)
    else:
        found = power_components(
            x, start, params.pca_iterations, params.pca_tolerance, params.seed, gram
        )
    vectors = orient(found.vectors, previous)
    return Components(vectors, found.eigenvalues, found.total, found.iterations)


def components_ahead(
    sums: GramSums,
    tallies: NDArray[np.int64],
    zeroed: NDArray[np.bool_],
    n_participants: int,
    params: AnalysisParams,
    previous: NDArray[np.float64],
    formed: Callable[[], None] | None = None,
) -> Components | None:
    """An update's components from its patched Gram ``sums``, warm-started from ``previous``
    (shape (2, n)): as ``engine._run`` finds them, with the column means of ``tallies``
    (shape (n_statements, 3)) and the statements ``zeroed``; ``None`` for a cold start.

    The Gram matrix is formed on the calling thread (the pool's: one part), into the array
    the sums keep for it; ``formed()`` is called once it is (the sums are then free)."""
    if not np.any(previous):
        return None
    n_statements = zeroed.shape[0]
    solver = choose_solver(params, n_participants)
    center, _geometry = column_means(tallies, zeroed)
    gram = sums.gram(center, zeroed, whole=solver != "scalable")
    if formed is not None:
        formed()
    shape = sparse.csr_array((n_participants, n_statements))  # all the solve reads of it
    return components(shape, n_statements, params, solver, previous, gram)


def cells_matrix(
    data: NDArray[np.float64],
    statement: NDArray[np.integer[Any]],
    votes_cast: NDArray[np.int64],
    n_statements: int,
) -> sparse.csr_array:
    """The centred matrix ``matrix.Geometry.centred`` would be, from its values ``data`` and
    ``statement`` per cell (shape (n_cells,) each, by participant) and the votes per
    participant ``votes_cast`` (shape (n_participants,)): shape (n_participants,
    n_statements), with the same arrays (index types included) as the update's own matrix,
    so the same products."""
    n_participants = votes_cast.shape[0]
    index_type = cell_index_type(n_statements, data.shape[0])
    indptr = np.zeros(n_participants + 1, np.int64)
    np.cumsum(votes_cast, out=indptr[1:])
    indptr = indptr.astype(index_type)
    return sparse.csr_array(
        (data, statement.astype(indptr.dtype, copy=False), indptr),
        shape=(n_participants, n_statements),
    )


def components_of_matrix(
    x: sparse.csr_array, params: AnalysisParams, previous: NDArray[np.float64]
) -> Components | None:
    """An update's components from its centred matrix ``x`` (:func:`cells_matrix`),
    warm-started from ``previous`` (shape (2, n)); ``None`` for a cold start."""
    if not np.any(previous):
        return None
    n_participants, n_statements = x.shape
    return components(x, n_statements, params, choose_solver(params, n_participants), previous)

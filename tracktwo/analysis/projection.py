"""Where participants and statements sit on the two components (Pol.is's sparsity-aware projection).

A participant p who voted on the set S_p of the C geometry columns is placed at

    x_p = sqrt(C / max(|S_p|, 1)) * sum over c in S_p of (vote[p, c] - mu_c) * (pc1_c, pc2_c)

which pushes people with few votes out from the centre as if they had voted on everything.
|S_p| counts the zeroed (moderated-out, meta) columns for everyone, as Pol.is's zeroed matrix
does. All participants are projected, clustered or not. Each cell adds
``(vote - mu_c) * (pc1_c, pc2_c)``, one of three rows per statement: the sum runs over a table
of those rows by the cells' vote codes (:func:`value_table`), so no centred value per cell is
needed.

A statement is projected as a participant who agreed with it alone (export sign +1; Pol.is's
internal sign has agree = -1 and the opposite component signs, which gives the same point):
``sqrt(C) * (1 - mu_c) * (pc1_c, pc2_c)``; its extremity is that point's distance from 0.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import _sparsetools

from tracktwo.analysis import projection_loop
from tracktwo.analysis.matrix import CODE_VOTE, Geometry, ones
from tracktwo.analysis.parallel import each, threads

PARALLEL_ABOVE = 1 << 20  # stored entries beyond which participants are projected on every core


def project_participants(
    geometry: Geometry, components: NDArray[np.float64], compiled: bool = False
) -> NDArray[np.float64]:
    """Sparsity-aware projection of every participant.

    Parameters
    ----------
    geometry : Geometry
    components : ndarray of float64, shape (2, n_statements)
    compiled : bool
        Sum with the compiled loops (``projection_loop``) from ``COMPILED_FROM`` cells on:
        the same bits (an update's choice: it loads Numba).

    Returns
    -------
    ndarray of float64, shape (n_participants, 2)
    """
    indptr, width = geometry.indptr, components.shape[0]
    built = geometry.__dict__.get("centred")  # the centred matrix, when the PCA has read it
    compiled = compiled and width == 2 and geometry.codes.shape[0] >= projection_loop.COMPILED_FROM
    if built is not None:  # its values times the components: no table, no array of ones
        inner = np.ascontiguousarray(components.T).ravel()  # as SciPy's product passes them
        if compiled:
            raw = projection_loop.values_times(indptr, built.indices, built.data, inner)
        else:
            raw = _rows_times(indptr, built.indices, built.data, inner, width)
    else:  # the cells' vote codes against the table: the same products in the same order
        table = value_table(geometry.center, geometry.zeroed, components)
        if compiled:
            raw = projection_loop.codes_times(indptr, geometry.codes, table)
        else:
            indices = geometry.codes.astype(indptr.dtype, copy=False)
            raw = _rows_times(indptr, indices, ones(indices.shape[0]), table.ravel(), width)
    scale = np.sqrt(geometry.n_columns / np.maximum(geometry.scale_votes, 1).astype(np.float64))
    return raw * scale[:, None]


def _rows_times(
    indptr: NDArray[np.integer[Any]],
    indices: NDArray[np.integer[Any]],
    data: NDArray[np.float64],
    inner: NDArray[np.float64],
    width: int,
) -> NDArray[np.float64]:
    """The CSR matrix ``(data, indices, indptr)`` times ``inner`` (rows of ``width``, flat),
    shape (n_rows, width), the rows split over the cores above ``PARALLEL_ABOVE`` entries."""
    n_rows, n_cells = indptr.shape[0] - 1, indices.shape[0]
    raw = np.zeros((n_rows, width))
    count = threads() if n_cells > PARALLEL_ABOVE else 1
    cuts = np.searchsorted(indptr, [n_cells * r // count for r in range(1, count)]).tolist()
    edges = sorted({0, n_rows, *(min(max(c, 0), n_rows) for c in cuts)})

    def project(run: tuple[int, int]) -> None:
        # SciPy's kernel for a sparse-times-dense product over rows start:stop, adding into
        # raw's rows: each row is summed alone, so the numbers do not depend on the runs
        start, stop = run
        _sparsetools.csr_matvecs(
            stop - start,
            inner.shape[0] // width,
            width,
            indptr[start : stop + 1],
            indices,
            data,
            inner,
            raw[start:stop].ravel(),
        )

    each(project, list(pairwise(edges)))
    return raw


def value_table(
    center: NDArray[np.float64], zeroed: NDArray[np.bool_], components: NDArray[np.float64]
) -> NDArray[np.float64]:
    """What a cell of each vote code adds to its participant's point: row ``3 c + k`` (vote
    code, ``matrix.vote_codes``) is ``(vote(k) - mu_c) * (pc1_c, pc2_c)``, 0 on ``zeroed``
    statements; shape (3 * n_statements, width).

    The centred value is the same subtraction ``matrix.centred_values`` makes, and its product
    with the components the one the centred matrix's product makes, so a product of the cells'
    codes (each entry 1.0) with this table adds the same numbers in the same order.
    """
    values = np.subtract(CODE_VOTE[None, :], center[:, None])  # (n_statements, 3)
    values[zeroed] = 0.0
    table: NDArray[np.float64] = values[:, :, None] * components.T[:, None, :]  # (n, 3, width)
    return table.reshape(-1, components.shape[0])


def project_statements(
    geometry: Geometry, components: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each statement as a lone agree, and its extremity.

    Returns
    -------
    projection : ndarray of float64, shape (n_statements, 2)
        0 for statements outside the geometry.
    extremity : ndarray of float64, shape (n_statements,)
    """
    lone = np.sqrt(float(geometry.n_columns)) * (1.0 - geometry.center)
    lone = np.where(geometry.geometry, lone, 0.0)
    projection = (components * lone[None, :]).T.copy()
    extremity = np.sqrt((projection * projection).sum(axis=1))
    return projection, extremity

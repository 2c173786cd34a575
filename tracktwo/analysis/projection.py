"""Where participants and statements sit on the two components (Pol.is's sparsity-aware projection).

A participant p who voted on the set S_p of the C geometry columns is placed at

    x_p = sqrt(C / max(|S_p|, 1)) * sum over c in S_p of (vote[p, c] - mu_c) * (pc1_c, pc2_c)

which pushes people with few votes out from the centre as if they had voted on everything.
|S_p| counts the zeroed (moderated-out, meta) columns for everyone, as Pol.is's zeroed matrix
does. All participants are projected, clustered or not.

A statement is projected as a participant who agreed with it alone (export sign +1; Pol.is's
internal sign has agree = -1 and the opposite component signs, which gives the same point):
``sqrt(C) * (1 - mu_c) * (pc1_c, pc2_c)``; its extremity is that point's distance from 0.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import _sparsetools

from tracktwo.analysis.matrix import Geometry
from tracktwo.analysis.parallel import each, threads

PARALLEL_ABOVE = 1 << 20  # stored entries beyond which participants are projected on every core


def project_participants(
    geometry: Geometry, components: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Sparsity-aware projection of every participant.

    Parameters
    ----------
    geometry : Geometry
    components : ndarray of float64, shape (2, n_statements)

    Returns
    -------
    ndarray of float64, shape (n_participants, 2)
    """
    x = geometry.centred
    n_rows, n_columns = x.shape
    width = components.shape[0]
    vectors = np.ascontiguousarray(components.T).ravel()  # as SciPy's product passes them
    raw = np.zeros((n_rows, width))
    count = threads() if x.nnz > PARALLEL_ABOVE else 1
    cuts = np.searchsorted(x.indptr, [x.nnz * r // count for r in range(1, count)]).tolist()
    edges = sorted({0, n_rows, *(min(max(c, 0), n_rows) for c in cuts)})

    def project(run: tuple[int, int]) -> None:
        # SciPy's kernel for ``x @ components.T`` over rows start:stop, adding into raw's rows:
        # each row is summed alone, so the numbers do not depend on the runs
        start, stop = run
        _sparsetools.csr_matvecs(
            stop - start,
            n_columns,
            width,
            x.indptr[start : stop + 1],
            x.indices,
            x.data,
            vectors,
            raw[start:stop].ravel(),
        )

    each(project, list(pairwise(edges)))
    scale = np.sqrt(geometry.n_columns / np.maximum(geometry.scale_votes, 1).astype(np.float64))
    return raw * scale[:, None]


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

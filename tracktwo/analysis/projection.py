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

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.matrix import Geometry


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
    raw = np.asarray(geometry.centred @ components.T, dtype=np.float64)
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

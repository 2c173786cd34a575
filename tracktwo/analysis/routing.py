"""Which statement to show a participant next: Pol.is's comment routing priority.

With A agrees, P passes and S votes from the clustered participants (summed over groups) and
E the statement's extremity:

    p = (P + 1) / (S + 2),   a = (A + 1) / (S + 2)
    importance = (1 - p) (E + 1) a
    priority   = (importance * (1 + 8 * 2^(-S / 5)))^2

so statements that few have seen bubble up, as do ones people take a side on and that split
the map. Meta statements get 7^2 = 49. (Pol.is takes the counts from the previous update; we
use this update's, which is what Pol.is converges to.) Moderated-out statements keep their
score here: the caller must not route them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

META_PRIORITY = 7.0


def priority(
    group_tallies: NDArray[np.int64], extremity: NDArray[np.float64], is_meta: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Routing priority per statement.

    Parameters
    ----------
    group_tallies : ndarray of int64, shape (n_groups, n_statements, 3)
    extremity : ndarray of float64, shape (n_statements,)
    is_meta : ndarray of bool, shape (n_statements,)

    Returns
    -------
    ndarray of float64, shape (n_statements,)
    """
    counts = group_tallies.sum(axis=0).astype(np.float64)
    agrees, passes = counts[:, 0], counts[:, 2]
    seen = counts.sum(axis=1)
    p = (passes + 1.0) / (seen + 2.0)
    a = (agrees + 1.0) / (seen + 2.0)
    importance = (1.0 - p) * (extremity + 1.0) * a
    score = (importance * (1.0 + 8.0 * np.power(2.0, -seen / 5.0))) ** 2
    return np.asarray(np.where(is_meta, META_PRIORITY**2, score), np.float64)

"""How much two partitions of the same participants agree: the adjusted Rand index.

For labels a and b over the same n items, with n_ij the items labelled i in a and j in b,
a_i and b_j the row and column totals, and C(x) = x (x - 1) / 2 the pairs among x items::

    index    = sum_ij C(n_ij)
    expected = sum_i C(a_i) * sum_j C(b_j) / C(n)
    maximum  = (sum_i C(a_i) + sum_j C(b_j)) / 2
    ARI      = (index - expected) / (maximum - expected)

1 means the same partition (up to renaming), about 0 what chance gives. When
``maximum == expected`` (both partitions put everyone together, or everyone apart) the two
partitions are identical and the index is 1, as in scikit-learn.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _pairs(counts: NDArray[np.float64]) -> float:
    return float((counts * (counts - 1.0) / 2.0).sum())


def adjusted_rand_index(a: ArrayLike, b: ArrayLike) -> float:
    """Adjusted Rand index of two labelings of the same items.

    Parameters
    ----------
    a, b : array_like, shape (n,)
        Labels of any comparable type (ints, strings); only equality matters.

    Returns
    -------
    float
        In [-1, 1]; 1.0 for identical partitions.
    """
    left = np.asarray(a)
    right = np.asarray(b)
    if left.ndim != 1 or left.shape != right.shape:
        raise ValueError("the two labelings must be 1-d and of the same length")
    n = left.shape[0]
    if n < 2:
        return 1.0
    _la, ia = np.unique(left, return_inverse=True)
    _lb, ib = np.unique(right, return_inverse=True)
    cells = ia.astype(np.int64) * (int(ib.max()) + 1) + ib
    table = np.bincount(cells).astype(np.float64)
    index = _pairs(table)
    sum_a = _pairs(np.bincount(ia).astype(np.float64))
    sum_b = _pairs(np.bincount(ib).astype(np.float64))
    expected = sum_a * sum_b / (n * (n - 1) / 2.0)
    maximum = (sum_a + sum_b) / 2.0
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))

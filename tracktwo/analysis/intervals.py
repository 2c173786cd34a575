"""How sure we are of an agree share: the Wilson score interval.

A side's support for a statement is the share of its votes that agree, counted among
*all* its votes on that statement, passes included (a pass is not support). With few
votes that share is uncertain, so cross-side decisions are taken on an interval, not
on the share itself.

The Wilson score interval for ``a`` agrees out of ``n`` votes at two-sided confidence
``level``, with ``z`` the standard normal quantile of ``(1 + level) / 2`` and
``p = a / n``::

    centre = (p + z^2 / (2n)) / (1 + z^2 / n)
    half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
    (low, high) = (centre - half, centre + half)

It stays inside [0, 1], is never empty, and unlike the normal approximation behaves
well at 0 and at n agrees. With no votes (``n = 0``) the interval is the whole
``(0, 1)``: nothing is known.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

DEFAULT_LEVEL = 0.90


def z_for(level: float) -> float:
    """The two-sided standard normal quantile for confidence ``level`` (0.90 -> 1.6449)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level {level!r} must be strictly between 0 and 1")
    return NormalDist().inv_cdf((1.0 + level) / 2.0)


@overload
def agree_interval(agree: int, n: int, level: float = ...) -> tuple[float, float]: ...


@overload
def agree_interval(
    agree: ArrayLike, n: ArrayLike, level: float = ...
) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...


def agree_interval(
    agree: ArrayLike, n: ArrayLike, level: float = DEFAULT_LEVEL
) -> tuple[float, float] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval on the agree share ``agree / n``.

    Parameters
    ----------
    agree : int or array_like of int, shape (...)
        Agree votes.
    n : int or array_like of int, shape (...)
        All votes (agree + disagree + pass); broadcast against ``agree``.
    level : float
        Two-sided confidence, default 0.90.

    Returns
    -------
    low, high : float, or ndarray of float64 with the broadcast shape
        Plain floats when both ``agree`` and ``n`` are scalars. ``(0, 1)`` where ``n == 0``.

    Raises
    ------
    ValueError
        When a count is negative, ``agree > n``, or ``level`` is not in (0, 1).
    """
    z = z_for(level)
    a = np.asarray(agree, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    if np.any(a < 0) or np.any(total < 0):
        raise ValueError("vote counts must not be negative")
    if np.any(a > total):
        raise ValueError("agree votes cannot exceed all votes")
    z2 = z * z
    safe = np.where(total > 0, total, 1.0)
    p = a / safe
    denominator = 1.0 + z2 / safe
    centre = (p + z2 / (2.0 * safe)) / denominator
    half = z / denominator * np.sqrt(np.maximum(p * (1.0 - p) / safe + z2 / (4.0 * safe**2), 0.0))
    empty = total == 0
    # Exact ends where the share is 0 or 1 (rounding would otherwise leave 1e-17).
    low = np.where(empty | (a == 0), 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(empty | (a == total), 1.0, np.clip(centre + half, 0.0, 1.0))
    if a.ndim == 0 and total.ndim == 0:
        return float(low), float(high)
    return low.astype(np.float64), high.astype(np.float64)

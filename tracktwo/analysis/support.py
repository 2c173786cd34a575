"""Honest uncertainty beyond Pol.is: counts and intervals per statement and group, and which
statements divide the groups.

- **Support**: for every statement, overall (all participants) and per group (its clustered
  members), the agree, disagree and pass counts and a Wilson score interval (default 90%) on
  the agree share *among all votes, passes included* (``tracktwo.analysis.intervals``).
- **Divisiveness**: for each statement, the largest gap between one group's interval and
  another's, ``max over groups g != h of (low_g - high_h)``, floored at 0. It is positive only
  when two groups' agree shares differ beyond the uncertainty of either, and grows with both the
  difference and the evidence (more votes, narrower intervals). Statements with a positive gap
  are listed, most divisive first. Moderated-out and meta statements score 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.intervals import agree_interval
from tracktwo.analysis.result import Support


def support(overall: NDArray[np.int64], group_tallies: NDArray[np.int64], level: float) -> Support:
    """Counts and Wilson intervals.

    Parameters
    ----------
    overall : ndarray of int64, shape (n_statements, 3)
    group_tallies : ndarray of int64, shape (n_groups, n_statements, 3)
    level : float
    """
    low, high = agree_interval(overall[:, 0], overall.sum(axis=1), level)
    group_low, group_high = agree_interval(group_tallies[:, :, 0], group_tallies.sum(axis=2), level)
    return Support(
        counts=overall.astype(np.int64),
        group_counts=group_tallies.astype(np.int64),
        low=np.asarray(low, np.float64),
        high=np.asarray(high, np.float64),
        group_low=np.asarray(group_low, np.float64).reshape(group_tallies.shape[:2]),
        group_high=np.asarray(group_high, np.float64).reshape(group_tallies.shape[:2]),
        level=float(level),
    )


def divisiveness(
    result: Support, candidates: NDArray[np.int64]
) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    """Per-statement divisiveness and the divisive statements, most divisive first.

    Parameters
    ----------
    result : Support
    candidates : ndarray of int64
        Statements that may be listed (not moderated out, not meta).

    Returns
    -------
    scores : ndarray of float64, shape (n_statements,)
    ranked : tuple of int
    """
    n_statements = result.counts.shape[0]
    scores = np.zeros(n_statements)
    if result.group_low.shape[0] >= 2:
        gap = result.group_low.max(axis=0) - result.group_high.min(axis=0)
        scores[candidates] = np.maximum(gap[candidates], 0.0)
    chosen = candidates[scores[candidates] > 0]
    ranked = chosen[np.argsort(-scores[chosen], kind="stable")]
    return scores, tuple(int(c) for c in ranked)

"""Common ground: consensus over everyone, group-aware consensus, and uncertain statements.

- **Consensus** (Pol.is): over all participants, p_a = (n_a + 1) / (n_s + 2) and the
  one-proportion test pat; a statement is on the agree list when p_a > 0.5 and pat > 1.2816,
  ranked by p_a * pat, top 5; the disagree list mirrors it.
- **Group-aware consensus**: for each statement the product over groups of
  (A_g + 1) / (S_g + 2) (Pol.is's agree-only score), and its disagree twin, the product of
  (D_g + 1) / (S_g + 2): high only when *every* group leans that way. A_g, D_g, S_g count the
  group's clustered members' agrees, disagrees and all votes.
- **Uncertainty**: statements with passes / votes > 0.3 over everyone, ranked by
  (passes / votes)^2 * passes (many people unsure, and many of them).

Moderated-out and meta statements are left out of the lists (Pol.is's ``mod-out``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.repness import TOP, Z_90, prop_test
from tracktwo.analysis.result import Consensus, ConsensusEntry

UNCERTAIN_PASS_SHARE = 0.3


def consensus(overall: NDArray[np.int64], candidates: NDArray[np.int64]) -> Consensus:
    """Pol.is's consensus statements.

    Parameters
    ----------
    overall : ndarray of int64, shape (n_statements, 3)
        Agree, disagree, pass over all participants.
    candidates : ndarray of int64
        Statement indices that may be listed, in column order.
    """
    counts = overall.astype(np.float64)
    n = counts.sum(axis=1)

    def top(column: int) -> tuple[ConsensusEntry, ...]:
        successes = counts[:, column]
        p = (successes + 1.0) / (n + 2.0)
        test = prop_test(successes, n)
        chosen = candidates[(p[candidates] > 0.5) & (test[candidates] > Z_90)]
        ranked = chosen[np.argsort(-(p[chosen] * test[chosen]), kind="stable")][:TOP]
        return tuple(
            ConsensusEntry(int(c), int(successes[c]), int(n[c]), float(p[c]), float(test[c]))
            for c in ranked
        )

    return Consensus(agree=top(0), disagree=top(1))


def group_aware_consensus(
    group_tallies: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Agree and disagree group-aware consensus per statement.

    Parameters
    ----------
    group_tallies : ndarray of int64, shape (n_groups, n_statements, 3)

    Returns
    -------
    agree, disagree : ndarray of float64, shape (n_statements,)
        1 for every statement when there are no groups.
    """
    counts = group_tallies.astype(np.float64)
    s = counts.sum(axis=2)
    agree = np.prod((counts[:, :, 0] + 1.0) / (s + 2.0), axis=0)
    disagree = np.prod((counts[:, :, 1] + 1.0) / (s + 2.0), axis=0)
    return np.asarray(agree, np.float64), np.asarray(disagree, np.float64)


def uncertain(overall: NDArray[np.int64], candidates: NDArray[np.int64]) -> tuple[int, ...]:
    """Statements with more than 30% passes, most uncertain first."""
    passes = overall[:, 2].astype(np.float64)
    votes = overall.sum(axis=1).astype(np.float64)
    share = np.divide(passes, votes, out=np.zeros_like(passes), where=votes > 0)
    chosen = candidates[share[candidates] > UNCERTAIN_PASS_SHARE]
    score = share[chosen] ** 2 * passes[chosen]
    return tuple(int(c) for c in chosen[np.argsort(-score, kind="stable")])

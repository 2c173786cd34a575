"""Bridging scores: the Community Notes matrix factorisation on agree/disagree votes.

Each vote of participant ``u`` on statement ``n`` is predicted as::

    r_hat(u, n) = mu + i_u + i_n + f_u * f_n

with one-dimensional factors ``f``; agree = 1, disagree = 0, passes left out. The fit
minimises::

    L = sum over votes of (r - r_hat)^2
        + 0.15 (sum i_u^2 + sum i_n^2 + mu^2) + 0.03 (sum f_u^2 + sum f_n^2)

The factor ``f_n`` captures the split that divides voters (often the sides); the
intercept ``i_n`` is the support left once that split is accounted for. A statement
*bridges* when its intercept is at least 0.40 and ``|f_n| < 0.5`` (Community Notes'
"helpful" rule): it is supported across the divide, not by one camp.

Method: alternating least squares, by exact blocks. With the statements fixed, each
participant's ``(i_u, f_u)`` is the closed-form solution of a 2 x 2 ridge problem, and
the same for each statement with the participants fixed; then ``mu`` in closed form.
Each block is an exact minimiser, so ``L`` never increases. All the per-row sums come
from two sparse products per iteration with one CSR matrix (participants x 2
statements: column ``n`` for a disagree, ``n_statements + n`` for an agree), so there is
no Python loop over rows. The loss is computed from the same sums (no extra pass). The
fit stops when the relative change of ``L`` falls below ``tol``.

Determinism: statement factors start from a seeded normal draw (scale 0.1), everything
else at 0. With ``warm_start=True`` a second ``fit`` starts instead from the statements'
parameters the previous one fitted (new statements as in a cold start), for a live
dashboard that refits after each batch of votes: the same model and stopping rule, so
the same optimum within ``tol``, in far fewer iterations. The sign of the factors is arbitrary (``f_u f_n`` is unchanged when both
flip); it is fixed so that the statement with the largest ``|f_n|`` has ``f_n > 0``.

Confidentiality: participants' intercepts and factors describe individuals; they are
never part of the result or its JSON, nor kept by the model (only the private fit routine
of :mod:`tracktwo.analysis.bridging_fit` returns them). A warm start needs none of them:
each iteration solves the participants first, from the statements' parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tracktwo.analysis.bridging_fit import (
    F64,
    FACTOR_REG,
    INTERCEPT_REG,
    Start,
    _fit,
    cold_start,
)
from tracktwo.analysis.votes import AGREE, Id, LatestVotes, VoteEvents

BRIDGE_INTERCEPT = 0.40
BRIDGE_FACTOR = 0.5


@dataclass(frozen=True, eq=False)
class BridgingResult:
    """Per-statement bridging scores.

    Attributes
    ----------
    statement_ids : tuple of int or str, length n_statements
    intercept, factor : ndarray of float64, shape (n_statements,)
    votes : ndarray of int64, shape (n_statements,)
        Agree and disagree votes the fit used (passes left out).
    bridges : ndarray of bool, shape (n_statements,)
        ``intercept >= bridge_intercept`` and ``|factor| < bridge_factor``.
    mu : float
        The global intercept.
    loss : float
    n_iter : int
    converged : bool
        Whether the relative loss change fell below ``tol`` within ``max_iter``.
    """

    statement_ids: tuple[Id, ...]
    intercept: F64
    factor: F64
    votes: NDArray[np.int64]
    bridges: NDArray[np.bool_]
    mu: float
    loss: float
    n_iter: int
    converged: bool

    def to_json(self) -> dict[str, Any]:
        """``{"bridging": {statement id: {intercept, factor, votes, bridges}}}``."""
        return {
            "bridging": {
                str(sid): {
                    "intercept": round(float(self.intercept[i]), 4),
                    "factor": round(float(self.factor[i]), 4),
                    "votes": int(self.votes[i]),
                    "bridges": bool(self.bridges[i]),
                }
                for i, sid in enumerate(self.statement_ids)
            }
        }


class BridgingModel:
    """The Community Notes model, fitted by exact alternating least squares.

    Parameters
    ----------
    intercept_reg, factor_reg : float
        Ridge weights on intercepts (and ``mu``) and on factors (0.15 and 0.03).
    bridge_intercept, bridge_factor : float
        A statement bridges when ``intercept >= bridge_intercept`` and
        ``|factor| < bridge_factor`` (0.40 and 0.5).
    tol : float
        Stop when ``|L_prev - L| <= tol * L``.
    max_iter : int
    seed : int
        Seed of the statement factors' starting values (of a cold start, and of
        statements new since the previous fit in a warm one).
    warm_start : bool
        When True, a ``fit`` after the first starts from the previous fit's ``mu_``,
        ``intercept_`` and ``factor_`` (matched by statement id; statements the previous
        fit did not have start as in a cold fit), not from the seeded draw. The votes
        may have changed and grown (more participants and statements). The first fit,
        and every fit with False, is cold and deterministic.

    Attributes
    ----------
    statement_ids_ : tuple of int or str, length n_statements
        The statements of the last fit, in order.
    mu_ : float
    intercept_, factor_ : ndarray of float64, shape (n_statements,)
        The statements' fitted intercepts and factors (no participant's: those are
        confidential and not kept).
    loss_ : float
    n_iter_ : int
        Iterations of the last fit.
    converged_ : bool
    """

    statement_ids_: tuple[Id, ...]
    mu_: float
    intercept_: F64
    factor_: F64
    loss_: float
    n_iter_: int
    converged_: bool

    def __init__(
        self,
        intercept_reg: float = INTERCEPT_REG,
        factor_reg: float = FACTOR_REG,
        bridge_intercept: float = BRIDGE_INTERCEPT,
        bridge_factor: float = BRIDGE_FACTOR,
        tol: float = 1e-6,
        max_iter: int = 300,
        seed: int = 0,
        warm_start: bool = False,
    ) -> None:
        self.intercept_reg = intercept_reg
        self.factor_reg = factor_reg
        self.bridge_intercept = bridge_intercept
        self.bridge_factor = bridge_factor
        self.tol = tol
        self.max_iter = max_iter
        self.seed = seed
        self.warm_start = warm_start

    def fit(self, votes: VoteEvents | LatestVotes) -> BridgingResult:
        """Fit on the latest agree/disagree vote per cell; passes are left out."""
        latest = votes.latest() if isinstance(votes, VoteEvents) else votes
        events = latest.events
        cast = latest.vote != 0
        return self.fit_arrays(
            latest.participant[cast],
            latest.statement[cast],
            latest.vote[cast] == AGREE,
            events.n_participants,
            events.statements.ids,
        )

    def fit_arrays(
        self,
        participant: ArrayLike,
        statement: ArrayLike,
        agree: ArrayLike,
        n_participants: int,
        statement_ids: tuple[Id, ...],
    ) -> BridgingResult:
        """Fit on parallel arrays, one entry per (participant, statement) cell.

        Parameters
        ----------
        participant, statement : array_like of int, shape (n_votes,)
            0-based indices (``< n_participants``, ``< len(statement_ids)``); each cell at
            most once (as in ``LatestVotes``). Sorted by participant is fastest.
        agree : array_like of bool, shape (n_votes,)
            True for agree, False for disagree (no passes here).
        n_participants : int
        statement_ids : tuple of int or str, length n_statements

        Returns
        -------
        BridgingResult
            Also kept in the fitted attributes (``intercept_``, ...).
        """
        fit = _fit(
            participant,
            statement,
            agree,
            n_participants,
            len(statement_ids),
            intercept_reg=self.intercept_reg,
            factor_reg=self.factor_reg,
            tol=self.tol,
            max_iter=self.max_iter,
            seed=self.seed,
            start=self._start(statement_ids),
        )
        self.statement_ids_ = statement_ids
        self.mu_ = fit.mu
        self.intercept_ = fit.statement_intercept
        self.factor_ = fit.statement_factor
        self.loss_, self.n_iter_, self.converged_ = fit.loss, fit.n_iter, fit.converged
        bridges = (fit.statement_intercept >= self.bridge_intercept) & (
            np.abs(fit.statement_factor) < self.bridge_factor
        )
        return BridgingResult(
            statement_ids=statement_ids,
            intercept=fit.statement_intercept,
            factor=fit.statement_factor,
            votes=fit.statement_votes,
            bridges=bridges,
            mu=fit.mu,
            loss=fit.loss,
            n_iter=fit.n_iter,
            converged=fit.converged,
        )

    def _start(self, statement_ids: tuple[Id, ...]) -> Start | None:
        """The previous fit's parameters laid onto ``statement_ids`` (warm), or None (cold)."""
        if not self.warm_start or not hasattr(self, "intercept_"):
            return None
        start = cold_start(len(statement_ids), self.seed)
        if statement_ids[: len(self.statement_ids_)] == self.statement_ids_:  # grown, or same
            here = np.arange(len(self.statement_ids_))
            there = here
        else:
            position = {sid: i for i, sid in enumerate(self.statement_ids_)}
            pairs = [(i, position[sid]) for i, sid in enumerate(statement_ids) if sid in position]
            here = np.array([i for i, _ in pairs], dtype=np.int64)
            there = np.array([j for _, j in pairs], dtype=np.int64)
        start.statement_intercept[here] = self.intercept_[there]
        start.statement_factor[here] = self.factor_[there]
        return Start(self.mu_, start.statement_intercept, start.statement_factor)


def bridging_scores(votes: VoteEvents | LatestVotes, **parameters: Any) -> BridgingResult:
    """Shorthand for ``BridgingModel(**parameters).fit(votes)``."""
    return BridgingModel(**parameters).fit(votes)


__all__ = [
    "BRIDGE_FACTOR",
    "BRIDGE_INTERCEPT",
    "FACTOR_REG",
    "INTERCEPT_REG",
    "BridgingModel",
    "BridgingResult",
    "bridging_scores",
]

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
else at 0. The sign of the factors is arbitrary (``f_u f_n`` is unchanged when both
flip); it is fixed so that the statement with the largest ``|f_n|`` has ``f_n > 0``.

Confidentiality: participants' intercepts and factors describe individuals; they are
never part of the result or its JSON (only the private fit routine returns them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from tracktwo.analysis.votes import AGREE, Id, LatestVotes, VoteEvents

INTERCEPT_REG = 0.15
FACTOR_REG = 0.03
BRIDGE_INTERCEPT = 0.40
BRIDGE_FACTOR = 0.5

F64 = NDArray[np.float64]


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


@dataclass(frozen=True, eq=False)
class _Fit:
    """Every fitted parameter -- internal only (participant values are confidential)."""

    mu: float
    participant_intercept: F64
    participant_factor: F64
    statement_intercept: F64
    statement_factor: F64
    statement_votes: NDArray[np.int64]
    loss: float
    n_iter: int
    converged: bool


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
        Seed of the statement factors' starting values.
    """

    def __init__(
        self,
        intercept_reg: float = INTERCEPT_REG,
        factor_reg: float = FACTOR_REG,
        bridge_intercept: float = BRIDGE_INTERCEPT,
        bridge_factor: float = BRIDGE_FACTOR,
        tol: float = 1e-6,
        max_iter: int = 300,
        seed: int = 0,
    ) -> None:
        self.intercept_reg = intercept_reg
        self.factor_reg = factor_reg
        self.bridge_intercept = bridge_intercept
        self.bridge_factor = bridge_factor
        self.tol = tol
        self.max_iter = max_iter
        self.seed = seed

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
        )
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


def bridging_scores(votes: VoteEvents | LatestVotes, **parameters: Any) -> BridgingResult:
    """Shorthand for ``BridgingModel(**parameters).fit(votes)``."""
    return BridgingModel(**parameters).fit(votes)


def _vote_matrix(
    participant: ArrayLike, statement: ArrayLike, agree: ArrayLike, n_rows: int, n_cols: int
) -> sp.csr_matrix:
    """CSR (n_rows x 2 n_cols) of ones: column s for a disagree, n_cols + s for an agree."""
    rows = np.asarray(participant)
    cols = np.asarray(statement)
    agrees = np.asarray(agree, dtype=np.bool_)
    if not (
        rows.ndim == cols.ndim == agrees.ndim == 1 and rows.shape == cols.shape == agrees.shape
    ):
        raise ValueError("participant, statement and agree must be 1-d arrays of one length")
    if rows.size and (rows.min() < 0 or rows.max() >= n_rows):
        raise ValueError("participant index out of range")
    if cols.size and (cols.min() < 0 or cols.max() >= n_cols):
        raise ValueError("statement index out of range")
    if rows.size > 1 and np.any(rows[1:] < rows[:-1]):
        order = np.argsort(rows, kind="stable")
        rows, cols, agrees = rows[order], cols[order], agrees[order]
    indptr = np.zeros(n_rows + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    index_type = np.int32 if max(indptr[-1], 2 * n_cols) < 2**31 else np.int64
    indices = cols.astype(index_type)
    np.add(indices, index_type(n_cols), out=indices, where=agrees)
    data = np.ones(indices.size, np.float64)
    return sp.csr_matrix(
        (data, indices, indptr.astype(index_type)), shape=(n_rows, 2 * n_cols), copy=False
    )


def _solve(
    count: F64,
    agrees: F64,
    sums: F64,
    intercept_reg: float,
    factor_reg: float,
) -> tuple[F64, F64, F64]:
    """Exact ridge solve of every row's (intercept, factor), and each row's data loss.

    ``sums`` columns (over the row's votes, other side's offset o and factor g):
    S_g, S_gg, S_o, S_oo, S_og, R_g, R_o (the R sums over agree votes only).
    """
    s_g, s_gg, s_o, s_oo, s_og, r_g, r_o = sums.T
    a11 = count + intercept_reg
    a22 = s_gg + factor_reg
    b1 = agrees - s_o
    b2 = r_g - s_og
    det = a11 * a22 - s_g * s_g
    i = (a22 * b1 - s_g * b2) / det
    f = (a11 * b2 - s_g * b1) / det
    loss = (
        agrees
        + s_oo
        + count * i * i
        + f * f * s_gg
        - 2.0 * r_o
        - 2.0 * i * agrees
        - 2.0 * f * r_g
        + 2.0 * i * s_o
        + 2.0 * f * s_og
        + 2.0 * i * f * s_g
    )
    return i, f, loss


def _shift_intercepts(
    mu: float,
    p_int: F64,
    s_int: F64,
    residual: float,
    data_loss: float,
    n_votes: float,
    reg: float,
) -> tuple[float, F64, F64, float]:
    """Exact best shift (a, b, c) of mu, every i_u and every i_n.

    ALS alone crawls along these directions (the data only see a + b + c). With
    t = mu + a = sum(i_u + b) = sum(i_n + c) at the optimum (each equals the residual
    sum over reg), t solves ``reg t = E - V s`` with ``s = a + b + c``.
    """
    n_p, n_s = max(p_int.size, 1), max(s_int.size, 1)
    k = mu + p_int.sum() / n_p + s_int.sum() / n_s
    t = (residual + n_votes * k) / (reg + n_votes * (1.0 + 1.0 / n_p + 1.0 / n_s))
    a = t - mu
    b = (t - p_int.sum()) / n_p
    c = (t - s_int.sum()) / n_s
    shift = a + b + c
    data_loss += -2.0 * shift * residual + n_votes * shift * shift
    return mu + a, p_int + b, s_int + c, data_loss


def _rebalance_factors(
    p_fac: F64, s_fac: F64, p_int: F64, s_int: F64, intercept_reg: float, factor_reg: float
) -> tuple[F64, F64, F64, F64]:
    """Moves that leave every prediction unchanged, each to its exact best point.

    ``f_u + d`` with ``i_n - d f_n``; ``f_n + d`` with ``i_u - d f_u``; and
    ``f_u c``, ``f_n / c``. Only the penalty changes along them, so ALS crawls there.
    """
    d = (intercept_reg * (s_int @ s_fac) - factor_reg * p_fac.sum()) / (
        intercept_reg * (s_fac @ s_fac) + factor_reg * p_fac.size
    )
    p_fac = p_fac + d
    s_int = s_int - d * s_fac
    d = (intercept_reg * (p_int @ p_fac) - factor_reg * s_fac.sum()) / (
        intercept_reg * (p_fac @ p_fac) + factor_reg * s_fac.size
    )
    s_fac = s_fac + d
    p_int = p_int - d * p_fac
    p_norm, s_norm = float(p_fac @ p_fac), float(s_fac @ s_fac)
    if p_norm > 0.0 and s_norm > 0.0:
        scale = (s_norm / p_norm) ** 0.25
        p_fac = p_fac * scale
        s_fac = s_fac / scale
    return p_fac, s_fac, p_int, s_int


def _fit(
    participant: ArrayLike,
    statement: ArrayLike,
    agree: ArrayLike,
    n_participants: int,
    n_statements: int,
    *,
    intercept_reg: float = INTERCEPT_REG,
    factor_reg: float = FACTOR_REG,
    tol: float = 1e-6,
    max_iter: int = 300,
    seed: int = 0,
) -> _Fit:
    """Alternating least squares; returns every parameter (participants' included)."""
    matrix = _vote_matrix(participant, statement, agree, n_participants, n_statements)
    if matrix.nnz == 0:
        raise ValueError("no agree or disagree votes: nothing to fit (passes are left out)")
    by_statement = matrix.T  # CSC view: products scatter into the small statement side
    n_votes = float(matrix.nnz)
    p_count = np.diff(matrix.indptr).astype(np.float64)
    agree_cols = np.zeros(2 * n_statements)
    agree_cols[n_statements:] = 1.0
    p_agrees = matrix @ agree_cols
    both = by_statement @ np.ones(n_participants)
    s_count = both[:n_statements] + both[n_statements:]
    s_agrees = both[n_statements:]

    rng = np.random.default_rng(seed)
    mu = 0.0
    s_int = np.zeros(n_statements)
    s_fac = rng.normal(0.0, 0.1, n_statements)
    p_int = np.zeros(n_participants)
    p_fac = np.zeros(n_participants)
    loss = np.inf
    converged = False
    iteration = 0
    statement_side = np.zeros((2 * n_statements, 7))
    participant_side = np.empty((n_participants, 5))
    for iteration in range(1, max_iter + 1):  # noqa: B007 (reported after the loop)
        # Participants, with the statements (and mu) fixed.
        offset = mu + s_int
        block = np.stack([s_fac, s_fac * s_fac, offset, offset * offset, offset * s_fac], axis=1)
        statement_side[:n_statements, :5] = block
        statement_side[n_statements:, :5] = block
        statement_side[n_statements:, 5] = s_fac
        statement_side[n_statements:, 6] = offset
        sums = matrix @ statement_side
        p_int, p_fac, _ = _solve(p_count, p_agrees, sums, intercept_reg, factor_reg)
        # Statements, with the participants (and mu) fixed.
        offset_p = mu + p_int
        participant_side[:, 0] = p_fac
        participant_side[:, 1] = p_fac * p_fac
        participant_side[:, 2] = offset_p
        participant_side[:, 3] = offset_p * offset_p
        participant_side[:, 4] = offset_p * p_fac
        halves = by_statement @ participant_side
        totals = halves[:n_statements] + halves[n_statements:]
        s_sums = np.concatenate([totals, halves[n_statements:, [0, 2]]], axis=1)
        s_int, s_fac, s_loss = _solve(s_count, s_agrees, s_sums, intercept_reg, factor_reg)
        data_loss = float(s_loss.sum())
        # Residual sum E = sum over votes of (r - r_hat), from the same sums.
        residual = float(
            s_agrees.sum() - totals[:, 2].sum() - (s_count * s_int).sum() - s_fac @ totals[:, 0]
        )
        mu, p_int, s_int, data_loss = _shift_intercepts(
            mu, p_int, s_int, residual, data_loss, n_votes, intercept_reg
        )
        p_fac, s_fac, p_int, s_int = _rebalance_factors(
            p_fac, s_fac, p_int, s_int, intercept_reg, factor_reg
        )
        previous = loss
        loss = (
            data_loss
            + intercept_reg * (float(p_int @ p_int) + float(s_int @ s_int) + mu * mu)
            + factor_reg * (float(p_fac @ p_fac) + float(s_fac @ s_fac))
        )
        if abs(previous - loss) <= tol * max(abs(loss), 1e-12):
            converged = True
            break
    if s_fac.size and s_fac[int(np.argmax(np.abs(s_fac)))] < 0:
        s_fac = -s_fac
        p_fac = -p_fac
    votes = np.rint(s_count).astype(np.int64)
    return _Fit(mu, p_int, p_fac, s_int, s_fac, votes, loss, iteration, converged)


def _loss(
    fit: _Fit,
    participant: NDArray[np.int64],
    statement: NDArray[np.int64],
    agree: NDArray[np.bool_],
    intercept_reg: float = INTERCEPT_REG,
    factor_reg: float = FACTOR_REG,
) -> float:
    """The loss evaluated directly, vote by vote (for checks)."""
    r = agree.astype(np.float64)
    r_hat = (
        fit.mu
        + fit.participant_intercept[participant]
        + fit.statement_intercept[statement]
        + fit.participant_factor[participant] * fit.statement_factor[statement]
    )
    return float(
        ((r - r_hat) ** 2).sum()
        + intercept_reg
        * ((fit.participant_intercept**2).sum() + (fit.statement_intercept**2).sum() + fit.mu**2)
        + factor_reg * ((fit.participant_factor**2).sum() + (fit.statement_factor**2).sum())
    )


__all__ = [
    "BRIDGE_FACTOR",
    "BRIDGE_INTERCEPT",
    "FACTOR_REG",
    "INTERCEPT_REG",
    "BridgingModel",
    "BridgingResult",
    "bridging_scores",
]

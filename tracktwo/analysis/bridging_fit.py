"""The bridging fit itself: exact alternating least squares (see :mod:`bridging`).

Internal to :mod:`tracktwo.analysis.bridging`: :func:`_fit` returns every fitted
parameter, the participants' included, which are confidential and never leave the
analysis (the model keeps only the global and the statements' parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

INTERCEPT_REG = 0.15
FACTOR_REG = 0.03

F64 = NDArray[np.float64]


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


@dataclass(frozen=True, eq=False)
class Start:
    """Where a fit starts: the global and the statements' parameters (the participants'
    are solved first, from these, so none is needed).

    Attributes
    ----------
    mu : float
    statement_intercept, statement_factor : ndarray of float64, shape (n_statements,)
    """

    mu: float
    statement_intercept: F64
    statement_factor: F64


def cold_start(n_statements: int, seed: int) -> Start:
    """The deterministic start: everything 0 but the statement factors, a seeded normal
    draw of scale 0.1 (all-zero factors would be a stationary point)."""
    rng = np.random.default_rng(seed)
    return Start(0.0, np.zeros(n_statements), rng.normal(0.0, 0.1, n_statements))


@dataclass(frozen=True, eq=False)
class _Counts:
    """The vote matrix with its fixed per-row and per-column sums."""

    matrix: sp.csr_matrix
    by_statement: Any  # the CSC view of ``matrix.T``
    n_votes: float
    p_count: F64
    p_agrees: F64
    s_count: F64
    s_agrees: F64


def _counts(
    participant: ArrayLike,
    statement: ArrayLike,
    agree: ArrayLike,
    n_participants: int,
    n_statements: int,
) -> _Counts:
    matrix = _vote_matrix(participant, statement, agree, n_participants, n_statements)
    if matrix.nnz == 0:
        raise ValueError("no agree or disagree votes: nothing to fit (passes are left out)")
    by_statement = matrix.T  # CSC view: products scatter into the small statement side
    agree_cols = np.zeros(2 * n_statements)
    agree_cols[n_statements:] = 1.0
    both = by_statement @ np.ones(n_participants)
    return _Counts(
        matrix,
        by_statement,
        float(matrix.nnz),
        np.diff(matrix.indptr).astype(np.float64),
        matrix @ agree_cols,
        both[:n_statements] + both[n_statements:],
        both[n_statements:],
    )


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
    start: Start | None = None,
) -> _Fit:
    """Alternating least squares; returns every parameter (participants' included).

    ``start``: the statements' parameters to start from (shape (n_statements,) each; a
    warm start), else :func:`cold_start` with ``seed``. The stopping rule is the same.
    """
    counts = _counts(participant, statement, agree, n_participants, n_statements)
    start = start or cold_start(n_statements, seed)
    if start.statement_intercept.shape != (n_statements,) or start.statement_factor.shape != (
        n_statements,
    ):
        raise ValueError("the start's statement parameters must have shape (n_statements,)")
    mu, s_int, s_fac = start.mu, start.statement_intercept.copy(), start.statement_factor.copy()
    p_int = p_fac = np.zeros(n_participants)
    loss, converged, iteration = np.inf, False, 0
    statement_side = np.zeros((2 * n_statements, 7))
    participant_side = np.empty((n_participants, 5))
    for iteration in range(1, max_iter + 1):  # noqa: B007 (reported after the loop)
        p_int, p_fac = _participants_step(
            counts, mu, s_int, s_fac, statement_side, intercept_reg, factor_reg
        )
        mu, p_int, s_int, s_fac, data_loss = _statements_step(
            counts, mu, p_int, p_fac, participant_side, intercept_reg, factor_reg
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
    votes = np.rint(counts.s_count).astype(np.int64)
    return _Fit(mu, p_int, p_fac, s_int, s_fac, votes, loss, iteration, converged)


def _participants_step(
    counts: _Counts,
    mu: float,
    s_int: F64,
    s_fac: F64,
    statement_side: F64,
    intercept_reg: float,
    factor_reg: float,
) -> tuple[F64, F64]:
    """Every participant's exact (i_u, f_u), with the statements (and mu) fixed."""
    n_statements = s_int.size
    offset = mu + s_int
    block = np.stack([s_fac, s_fac * s_fac, offset, offset * offset, offset * s_fac], axis=1)
    statement_side[:n_statements, :5] = block
    statement_side[n_statements:, :5] = block
    statement_side[n_statements:, 5] = s_fac
    statement_side[n_statements:, 6] = offset
    sums = counts.matrix @ statement_side
    p_int, p_fac, _ = _solve(counts.p_count, counts.p_agrees, sums, intercept_reg, factor_reg)
    return p_int, p_fac


def _statements_step(
    counts: _Counts,
    mu: float,
    p_int: F64,
    p_fac: F64,
    participant_side: F64,
    intercept_reg: float,
    factor_reg: float,
) -> tuple[float, F64, F64, F64, float]:
    """Every statement's exact (i_n, f_n) with the participants fixed, then the exact
    shift of the intercepts; returns mu, i_u, i_n, f_n and the data loss."""
    n_statements = counts.s_count.size
    offset_p = mu + p_int
    participant_side[:, 0] = p_fac
    participant_side[:, 1] = p_fac * p_fac
    participant_side[:, 2] = offset_p
    participant_side[:, 3] = offset_p * offset_p
    participant_side[:, 4] = offset_p * p_fac
    halves = counts.by_statement @ participant_side
    totals = halves[:n_statements] + halves[n_statements:]
    s_sums = np.concatenate([totals, halves[n_statements:, [0, 2]]], axis=1)
    s_int, s_fac, s_loss = _solve(
        counts.s_count, counts.s_agrees, s_sums, intercept_reg, factor_reg
    )
    data_loss = float(s_loss.sum())
    # Residual sum E = sum over votes of (r - r_hat), from the same sums.
    residual = float(
        counts.s_agrees.sum()
        - totals[:, 2].sum()
        - (counts.s_count * s_int).sum()
        - s_fac @ totals[:, 0]
    )
    mu, p_int, s_int, data_loss = _shift_intercepts(
        mu, p_int, s_int, residual, data_loss, counts.n_votes, intercept_reg
    )
    return mu, p_int, s_int, s_fac, data_loss


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

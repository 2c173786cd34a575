"""Bridging scores: the Community Notes model fitted by exact alternating least squares."""

import itertools
import json

import numpy as np
import pytest
from scipy.optimize import minimize

from tracktwo.analysis.bridging import BridgingModel, bridging_scores
from tracktwo.analysis.bridging_fit import _fit, _loss
from tracktwo.analysis.votes import from_arrays

REG_I, REG_F = 0.15, 0.03


def planted(n_participants: int = 400, seed: int = 0):  # type: ignore[no-untyped-def]
    """Two sides; statement 0 bridges (both agree), 1 divides, 2 the mirror divide, 3.. noise."""
    rng = np.random.default_rng(seed)
    n_statements = 20
    side = np.where(rng.random(n_participants) < 0.5, 1.0, -1.0)
    base = rng.normal(-0.5, 1.0, n_statements)
    slope = rng.normal(0.0, 0.4, n_statements)
    base[:3] = [3.0, 0.0, 0.0]
    slope[:3] = [0.0, 3.0, -3.0]
    p, s = np.meshgrid(np.arange(n_participants), np.arange(n_statements), indexing="ij")
    p, s = p.ravel(), s.ravel()
    seen = rng.random(p.size) < 0.7
    p, s = p[seen], s[seen]
    agree = rng.random(p.size) < 1.0 / (1.0 + np.exp(-(base[s] + slope[s] * side[p])))
    return p, s, agree, n_participants, n_statements


def gradient(fit, p, s, agree, n_p, n_s):  # type: ignore[no-untyped-def]
    """The loss gradient, vote by vote (independent of the fit's aggregated sums)."""
    e = (
        fit.mu
        + fit.participant_intercept[p]
        + fit.statement_intercept[s]
        + fit.participant_factor[p] * fit.statement_factor[s]
        - agree
    )
    return np.concatenate(
        [
            [2 * e.sum() + 2 * REG_I * fit.mu],
            2 * np.bincount(p, e, n_p) + 2 * REG_I * fit.participant_intercept,
            2 * np.bincount(s, e, n_s) + 2 * REG_I * fit.statement_intercept,
            2 * np.bincount(p, e * fit.statement_factor[s], n_p)
            + 2 * REG_F * fit.participant_factor,
            2 * np.bincount(s, e * fit.participant_factor[p], n_s)
            + 2 * REG_F * fit.statement_factor,
        ]
    )


def test_it_tells_a_bridging_statement_from_a_divisive_one() -> None:
    p, s, agree, n_p, n_s = planted()
    result = BridgingModel().fit_arrays(p, s, agree, n_p, tuple(range(n_s)))
    assert result.converged
    assert result.intercept[0] >= 0.40 and abs(result.factor[0]) < 0.2
    assert result.bridges[0]
    for divisive in (1, 2):
        assert abs(result.factor[divisive]) > 1.0
        assert not result.bridges[divisive]
    assert np.sign(result.factor[1]) == -np.sign(result.factor[2])  # opposite camps
    assert result.intercept[0] > np.delete(result.intercept, 0).max()


def test_it_stops_at_a_stationary_point_of_the_loss() -> None:
    p, s, agree, n_p, n_s = planted(150, seed=4)
    fit = _fit(p, s, agree, n_p, n_s, tol=0.0, max_iter=400)
    g = gradient(fit, p, s, agree.astype(float), n_p, n_s)
    assert np.abs(g).max() < 1e-6
    assert fit.loss == pytest.approx(_loss(fit, p, s, agree), rel=1e-12)


def test_it_never_increases_the_loss_from_one_iteration_to_the_next() -> None:
    p, s, agree, n_p, n_s = planted(200, seed=2)
    losses = [_fit(p, s, agree, n_p, n_s, tol=0.0, max_iter=k).loss for k in range(1, 15)]
    for k, value in enumerate(losses, start=1):
        assert value == pytest.approx(
            _loss(_fit(p, s, agree, n_p, n_s, tol=0.0, max_iter=k), p, s, agree), rel=1e-12
        )
    assert all(b <= a * (1 + 1e-12) for a, b in itertools.pairwise(losses))


def test_it_reaches_the_loss_a_generic_optimiser_finds() -> None:
    p, s, agree, n_p, n_s = planted(80, seed=5)
    r = agree.astype(float)

    def unpack(x):  # type: ignore[no-untyped-def]
        return (
            x[0],
            x[1 : 1 + n_p],
            x[1 + n_p : 1 + n_p + n_s],
            x[1 + n_p + n_s : 1 + 2 * n_p + n_s],
            x[1 + 2 * n_p + n_s :],
        )

    def objective(x):  # type: ignore[no-untyped-def]
        mu, iu, i_n, fu, fn = unpack(x)
        e = mu + iu[p] + i_n[s] + fu[p] * fn[s] - r
        value = e @ e + REG_I * (iu @ iu + i_n @ i_n + mu * mu) + REG_F * (fu @ fu + fn @ fn)
        grad = np.concatenate(
            [
                [2 * e.sum() + 2 * REG_I * mu],
                2 * np.bincount(p, e, n_p) + 2 * REG_I * iu,
                2 * np.bincount(s, e, n_s) + 2 * REG_I * i_n,
                2 * np.bincount(p, e * fn[s], n_p) + 2 * REG_F * fu,
                2 * np.bincount(s, e * fu[p], n_s) + 2 * REG_F * fn,
            ]
        )
        return value, grad

    start = np.random.default_rng(9).normal(0, 0.1, 1 + 2 * (n_p + n_s))
    generic = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20000, "ftol": 1e-15, "gtol": 1e-10},
    )
    ours = _fit(p, s, agree, n_p, n_s, tol=1e-13, max_iter=1000)
    assert ours.loss <= generic.fun * (1 + 1e-7)
    assert ours.loss == pytest.approx(generic.fun, rel=1e-5)


def test_it_leaves_passes_out_and_reads_vote_events() -> None:
    p, s, agree, n_p, n_s = planted(120, seed=1)
    votes = np.where(agree, 1, -1)
    events = from_arrays(p, s, votes)
    plain = bridging_scores(events)
    rng = np.random.default_rng(0)
    extra = rng.integers(0, n_p, 300)
    extra_s = rng.integers(0, n_s, 300)
    fresh = ~np.isin(extra * n_s + extra_s, p * n_s + s)
    with_passes = from_arrays(
        np.concatenate([p, extra[fresh]]),
        np.concatenate([s, extra_s[fresh]]),
        np.concatenate([votes, np.zeros(fresh.sum(), int)]),
    )
    passed = bridging_scores(with_passes)
    assert passed.votes.tolist() == plain.votes.tolist()
    order = [passed.statement_ids.index(sid) for sid in plain.statement_ids]
    assert np.allclose(passed.intercept[order], plain.intercept, atol=1e-6)
    assert np.allclose(np.abs(passed.factor[order]), np.abs(plain.factor), atol=1e-5)


def test_it_is_deterministic_and_fixes_the_factor_sign() -> None:
    p, s, agree, n_p, n_s = planted(100, seed=3)
    ids = tuple(range(n_s))
    first = BridgingModel(seed=7).fit_arrays(p, s, agree, n_p, ids)
    again = BridgingModel(seed=7).fit_arrays(p, s, agree, n_p, ids)
    assert np.array_equal(first.intercept, again.intercept)
    assert np.array_equal(first.factor, again.factor)
    assert first.factor[np.argmax(np.abs(first.factor))] > 0
    # Another start and another vote order reach the same optimum.
    tight = BridgingModel(seed=7, tol=1e-13, max_iter=2000).fit_arrays(p, s, agree, n_p, ids)
    shuffled = np.random.default_rng(0).permutation(p.size)
    other = BridgingModel(seed=8, tol=1e-13, max_iter=2000).fit_arrays(
        p[shuffled], s[shuffled], agree[shuffled], n_p, ids
    )
    assert np.allclose(other.intercept, tight.intercept, atol=1e-6)
    assert np.allclose(other.factor, tight.factor, atol=1e-5)
    assert np.allclose(first.intercept, tight.intercept, atol=1e-3)  # the default tol is close


def test_it_writes_statement_scores_only() -> None:
    p, s, agree, _n_p, n_s = planted(60, seed=6)
    events = from_arrays(np.array([f"person-{i}" for i in p]), s + 100, np.where(agree, 1, -1))
    result = bridging_scores(events, bridge_intercept=0.3, bridge_factor=0.4)
    out = result.to_json()
    assert list(out) == ["bridging"]
    assert set(out["bridging"]) == {str(i + 100) for i in range(n_s)}
    entry = out["bridging"]["100"]
    assert set(entry) == {"intercept", "factor", "votes", "bridges"}
    assert entry["bridges"] == bool(entry["intercept"] >= 0.3 and abs(entry["factor"]) < 0.4)
    text = json.dumps(out)
    assert "person-" not in text
    assert len(out["bridging"]) == n_s  # one entry per statement, none per participant


def test_it_refuses_input_it_cannot_fit() -> None:
    events = from_arrays([1, 2], [1, 1], [0, 0])
    with pytest.raises(ValueError, match="no agree or disagree votes"):
        bridging_scores(events)
    with pytest.raises(ValueError, match="participant index out of range"):
        BridgingModel().fit_arrays([0, 5], [0, 0], [True, False], 2, (0,))
    with pytest.raises(ValueError, match="statement index out of range"):
        BridgingModel().fit_arrays([0, 1], [0, 3], [True, False], 2, (0,))

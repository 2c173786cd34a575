"""A cold start with fewer participants than statements (a replay's first poll) takes the
top eigenvectors of ``X^T X`` from the participants' own Gram matrix ``X X^T``: the same
components as the statements' Gram matrix gives, to rounding."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from tracktwo.analysis.pca import exact_components, orient


def centred_votes(m: int, n: int, seed: int) -> sparse.csr_array:
    """Two camps of ``m`` participants voting on ``n`` statements, a third of the cells seen."""
    rng = np.random.default_rng(seed)
    side = np.where(rng.random(m) < 0.4, 1.0, -1.0)
    lean = rng.choice([-1.0, 1.0], n)
    votes = np.where(rng.random((m, n)) < 0.8, side[:, None] * lean[None, :], -side[:, None])
    seen = rng.random((m, n)) < 0.33
    votes[:, n - 5 :] = 0.0  # statements nobody voted on stay outside
    seen[:, n - 5 :] = False
    means = np.where(seen.any(axis=0), (votes * seen).sum(axis=0) / np.maximum(seen.sum(0), 1), 0)
    return sparse.csr_array(np.where(seen, votes - means[None, :], 0.0))


def test_it_gives_the_statements_gram_eigenvectors() -> None:
    for m, n, seed in ((12, 60, 0), (40, 300, 1), (199, 900, 2)):
        x = centred_votes(m, n, seed)
        found = exact_components(x)
        values, vecs = np.linalg.eigh((x.T @ x).toarray())
        top = np.argsort(-values)[:2]
        expected = orient(vecs[:, top].T)
        np.testing.assert_allclose(found.vectors, expected, atol=1e-10)
        np.testing.assert_allclose(found.eigenvalues, values[top], rtol=1e-10)
        assert not found.vectors[:, n - 5 :].any()

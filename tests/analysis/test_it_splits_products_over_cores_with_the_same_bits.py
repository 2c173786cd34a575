"""The products split over the cores (the Gram matrix, the centred values and the projection)
give bit for bit the numbers of the product whole."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from tests.gram_support import plain_sums
from tracktwo.analysis import matrix, projection
from tracktwo.analysis.block_krylov import block_components
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.matrix import build_geometry, centred_values, vote_codes
from tracktwo.analysis.projection import project_participants


def cells(n_participants: int, n_statements: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    voted = rng.random((n_participants, n_statements)) < 0.3
    who, what = np.nonzero(voted)
    vote = rng.choice(np.array([-1, 0, 1], np.int8), who.shape[0])
    return who.astype(np.int32), what.astype(np.int32), vote


def test_it_builds_the_gram_matrix_and_centred_matrix_with_the_same_bits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # small parts, so that this small matrix is split as a large one is
    monkeypatch.setattr(matrix, "TAKE_BLOCK", 4_096)
    monkeypatch.setattr(projection, "PARALLEL_ABOVE", 0)
    who, what, vote = cells(3_000, 700, seed=4)
    zeroed = np.zeros(700, np.bool_)
    zeroed[[3, 50]] = True
    geometry = build_geometry((who, what, vote), 3_000, 700, zeroed)
    mu = geometry.center
    data = vote.astype(np.float64) - mu[what]
    data[zeroed[what]] = 0.0
    np.testing.assert_array_equal(centred_values(vote_codes(what, vote), mu, zeroed), data)
    np.testing.assert_array_equal(geometry.centred.data, data)

    rank = np.arange(who.shape[0], dtype=np.int64)
    sums = GramSums.of((who, what, vote, rank), 700)
    plain = plain_sums((who, what, vote, rank), 700)  # whole: the sums keep their staircase
    s, a, nn = (plain[name].astype(np.float64) for name in ("s", "a", "nn"))
    expected = ((nn * mu[None, :] - a.T) * mu[:, None] + s) - a * mu[None, :]
    expected[zeroed, :] = 0.0
    expected[:, zeroed] = 0.0
    np.testing.assert_array_equal(sums.gram(mu, zeroed), expected)
    x = geometry.centred.toarray()
    np.testing.assert_allclose(expected, x.T @ x, atol=1e-8)

    found = block_components(geometry.centred, gram=expected)
    points = project_participants(geometry, found.vectors)
    raw = np.asarray(geometry.centred @ found.vectors.T)
    scale = np.sqrt(geometry.n_columns / np.maximum(geometry.scale_votes, 1).astype(np.float64))
    np.testing.assert_array_equal(points, raw * scale[:, None])
    assert isinstance(geometry.centred, sparse.csr_array)

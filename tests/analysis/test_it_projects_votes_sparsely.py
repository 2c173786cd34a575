"""The geometry on tiny hand-computed cases: centring, zeroed columns, PCA, projection, in-conv."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from tracktwo.analysis.block_krylov import block_components
from tracktwo.analysis.matrix import build_geometry, in_conv, zeroed_statements
from tracktwo.analysis.pca import exact_components, orient, power_components
from tracktwo.analysis.projection import project_participants, project_statements
from tracktwo.analysis.votes import Statements, from_records


def tiny():  # type: ignore[no-untyped-def]
    """p0: s0 agree, s1 disagree; p1: s0 disagree, s2 pass; p2: s0 agree, s1 agree.
    s2 is moderated out."""
    statements = Statements(
        ("s0", "s1", "s2"),
        (None, None, None),
        np.array([1, 0, -1], np.int8),
        np.zeros(3, np.bool_),
    )
    events = from_records(
        [
            ("p0", "s0", 1),
            ("p0", "s1", -1),
            ("p1", "s0", -1),
            ("p1", "s2", 0),
            ("p2", "s0", 1),
            ("p2", "s1", 1),
        ],
        statements,
    )
    latest = events.latest()
    zeroed = zeroed_statements(statements.moderated, statements.is_meta)
    cells = (latest.participant, latest.statement, latest.vote)
    return events, cells, build_geometry(cells, 3, 3, zeroed)


def test_it_centres_only_voted_cells_and_keeps_the_matrix_sparse() -> None:
    _events, _cells, geometry = tiny()
    assert sparse.issparse(geometry.centred)
    assert geometry.centred.nnz == 6  # one entry per vote: never densified
    assert np.count_nonzero(geometry.centred.data) == 5  # the zeroed statement's vote is 0
    np.testing.assert_allclose(geometry.center, [1 / 3, 0.0, 0.0])
    np.testing.assert_allclose(
        geometry.centred.toarray(), [[2 / 3, -1, 0], [-4 / 3, 0, 0], [2 / 3, 1, 0]]
    )
    assert geometry.n_columns == 3
    assert list(geometry.zeroed) == [False, False, True]
    # the zeroed column counts as a vote for everyone in the projection scaling
    assert list(geometry.scale_votes) == [3, 2, 3]
    assert list(geometry.votes_cast) == [2, 2, 2]
    assert geometry.tallies.tolist() == [[2, 1, 0], [1, 1, 0], [0, 0, 1]]


def test_it_finds_the_hand_computed_components_and_projections() -> None:
    _events, _cells, geometry = tiny()
    # X^T X = diag(24/9, 2): pc1 = s0, pc2 = s1
    comps = exact_components(geometry.centred)
    np.testing.assert_allclose(np.abs(comps.vectors), [[1, 0, 0], [0, 1, 0]], atol=1e-12)
    np.testing.assert_allclose(comps.eigenvalues, [24 / 9, 2.0])
    np.testing.assert_allclose(comps.explained, [24 / 42, 18 / 42])
    vectors = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    points = project_participants(geometry, vectors)
    np.testing.assert_allclose(points, [[2 / 3, -1], [-4 / 3 * np.sqrt(1.5), 0], [2 / 3, 1]])
    projection, extremity = project_statements(geometry, vectors)
    np.testing.assert_allclose(projection, [[np.sqrt(3) * 2 / 3, 0], [0, np.sqrt(3)], [0, 0]])
    np.testing.assert_allclose(extremity, [np.sqrt(3) * 2 / 3, np.sqrt(3), 0])


def test_it_reaches_the_same_components_by_power_iteration_and_blocks() -> None:
    rng = np.random.default_rng(5)
    dense = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(60, 12), p=[0.3, 0.2, 0.3, 0.2])
    dense[:30, :6] = np.where(np.isnan(dense[:30, :6]), np.nan, 1.0)
    p, s = np.nonzero(~np.isnan(dense))
    cells = (p.astype(np.int64), s.astype(np.int64), dense[p, s].astype(np.int8))
    geometry = build_geometry(cells, 60, 12, np.zeros(12, np.bool_))
    exact = exact_components(geometry.centred).vectors
    powered = power_components(geometry.centred, np.ones((2, 12)), 5000, 1e-14).vectors
    blocked = block_components(geometry.centred, tolerance=1e-12, max_passes=500).vectors
    for other in (powered, blocked):
        np.testing.assert_allclose(orient(other, exact), exact, atol=1e-7)
    # against a dense reference: impute the column mean, centre, SVD
    mu = np.nanmean(dense, axis=0)
    x = np.where(np.isnan(dense), mu, dense) - mu
    _u, _s, vt = np.linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose(orient(vt[:2], exact), exact, atol=1e-9)


def test_it_fixes_component_signs_deterministically() -> None:
    v = np.array([[0.1, -0.9, 0.2], [0.5, 0.5, -0.1]])
    assert orient(v)[0, 1] > 0 and orient(v)[1, 0] > 0
    np.testing.assert_array_equal(orient(-v, v), v)


def test_it_gives_zero_components_when_nothing_varies() -> None:
    cells = (np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([0, 0, 0], np.int8))
    geometry = build_geometry(cells, 3, 1, np.zeros(1, np.bool_))
    for comps in (
        exact_components(geometry.centred),
        power_components(geometry.centred, np.zeros((2, 1)), 100, 1e-10),
        block_components(geometry.centred),
    ):
        np.testing.assert_array_equal(comps.vectors, 0.0)
        assert np.all(np.isfinite(comps.explained))


def test_it_applies_the_in_conv_rule() -> None:
    ids = tuple(range(20))
    counts = np.array([7] * 3 + [6] * 5 + [1] * 12, np.int64)
    # 3 qualify; topped up to 15 with the most active (the five 6-vote ones first)
    inside = in_conv(counts, 40, ids)
    assert inside.sum() == 15 and inside[:8].all()
    # with only 5 statements, 5 votes are enough
    assert in_conv(counts, 5, ids, min_in_conv=0).sum() == 8
    # once in, never out
    previous = np.zeros(20, np.bool_)
    previous[19] = True
    assert in_conv(counts, 40, ids, previous, min_in_conv=0)[19]


@pytest.mark.parametrize("n", [1, 2])
def test_it_handles_one_or_two_statements(n: int) -> None:
    cells = (np.array([0, 1]), np.array([0, n - 1]), np.array([1, -1], np.int8))
    geometry = build_geometry(cells, 2, n, np.zeros(n, np.bool_))
    comps = exact_components(geometry.centred)
    assert np.all(np.isfinite(comps.vectors))
    assert list(geometry.votes_cast) == [1, 1]
    if n == 1:  # one column: a single component carries all the variance
        np.testing.assert_allclose(np.abs(comps.vectors[0]), [1.0])
        np.testing.assert_array_equal(comps.vectors[1], [0.0])

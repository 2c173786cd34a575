"""The scalable solver's block Krylov iteration against the reference eigenvectors
(``exact_components``) on real conversations, and its product that reads one triangle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from tracktwo.analysis import block_krylov
from tracktwo.analysis.block_krylov import block_components, symmetric_product
from tracktwo.analysis.matrix import build_geometry, latest_cells, zeroed_statements
from tracktwo.analysis.pca import exact_components, orient
from tracktwo.analysis.polis_io import read_polis


def centred(folder: Path) -> sparse.csr_array:
    events = read_polis(folder)
    cells = latest_cells(
        events.participant, events.statement, events.vote, events.timestamp, events.n_statements
    )
    statements = events.statements
    zeroed = zeroed_statements(statements.moderated, statements.is_meta)
    geometry = build_geometry(
        (cells[0], cells[1], cells[2]), events.n_participants, events.n_statements, zeroed
    )
    return geometry.centred


def angle(found: np.ndarray, exact: np.ndarray) -> float:
    """The largest sine of the angle between a component and its reference."""
    cosine = np.abs((found * exact).sum(axis=1)) / np.linalg.norm(found, axis=1)
    return float(np.sqrt(np.maximum(0.0, 1.0 - cosine**2)).max())


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "football-concussions", "brexit-consensus"])
def test_it_converges_to_the_reference_components(shared_data: Path, name: str) -> None:
    x = centred(shared_data / "polis-opendata" / name)
    exact = exact_components(x)
    gram = (x.T @ x).toarray()
    cold = block_components(x)  # from random vectors, sparse products
    dense = block_components(x, gram=gram)
    nudged = exact.vectors + 1e-3 * np.random.default_rng(3).standard_normal(exact.vectors.shape)
    warm = block_components(x, start=nudged, gram=gram)
    for found in (cold, dense, warm):
        assert angle(found.vectors, exact.vectors) < 1e-7
        np.testing.assert_allclose(orient(found.vectors, exact.vectors), exact.vectors, atol=2e-7)
        np.testing.assert_allclose(found.eigenvalues, exact.eigenvalues, rtol=1e-12)
        assert found.total == pytest.approx(exact.total, rel=1e-12)
    assert warm.iterations <= cold.iterations
    np.testing.assert_array_equal(orient(warm.vectors, nudged), warm.vectors)


def test_it_stops_once_the_basis_spans_every_statement() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 9, 20):
        dense = rng.standard_normal((40, n))
        x = sparse.csr_array(dense)
        found = block_components(x, tolerance=0.0, max_passes=50)
        _values, vectors = np.linalg.eigh(dense.T @ dense)
        top = vectors[:, ::-1][:, : min(n, 2)].T
        assert found.iterations <= -(-n // block_krylov.WIDTH) + 1
        np.testing.assert_allclose(np.abs(found.vectors[: top.shape[0]]), np.abs(top), atol=1e-10)


@pytest.mark.parametrize("n", [5, 63, 64, 65, 300, 1_000])
def test_it_reads_one_triangle_of_the_gram_matrix(n: int) -> None:
    rng = np.random.default_rng(n)
    half = rng.standard_normal((n, n))
    gram = half + half.T
    basis = rng.standard_normal((n, 8))
    read = gram.copy()
    rows = block_krylov.TRIANGLE_ROWS
    for i in range(n):  # below the diagonal blocks: never read
        read[i, : i // rows * rows] = np.nan
    np.testing.assert_allclose(symmetric_product(read, basis), gram @ basis, rtol=0, atol=1e-11)

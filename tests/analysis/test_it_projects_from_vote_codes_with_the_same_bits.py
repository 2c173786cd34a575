"""The projection read from the cells' vote codes and a table of what each code adds (no
centred value per cell) gives bit for bit the centred matrix's product; the centred matrix is
built only when read, and a warm PCA on the Gram matrix needs only its shape."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis import projection, projection_loop
from tracktwo.analysis.block_krylov import block_components
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.matrix import build_geometry, centred_values, ones, vote_codes
from tracktwo.analysis.pca import pad_start, power_components
from tracktwo.analysis.projection import project_participants, value_table


def cells(n_participants: int, n_statements: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    voted = rng.random((n_participants, n_statements)) < 0.3
    voted[rng.integers(0, n_participants, 5)] = False  # participants without a vote
    who, what = np.nonzero(voted)
    vote = rng.choice(np.array([-1, 0, 1], np.int8), who.shape[0])
    return who.astype(np.int32), what.astype(np.int32), vote


def centred_product(geometry, components: np.ndarray) -> np.ndarray:
    """The projection as it was: SciPy's product of the centred matrix, scaled."""
    raw = np.asarray(geometry.centred @ components.T)
    scale = np.sqrt(geometry.n_columns / np.maximum(geometry.scale_votes, 1).astype(np.float64))
    return raw * scale[:, None]


@pytest.mark.parametrize("way", ["whole", "split", "compiled"])
@pytest.mark.parametrize("seed", range(4))
def test_it_projects_every_participant_with_the_centred_matrix_bits(
    monkeypatch: pytest.MonkeyPatch, way: str, seed: int
) -> None:
    if way == "split":  # over the cores, as a large matrix is
        monkeypatch.setattr(projection, "PARALLEL_ABOVE", 0)
    if way == "compiled":  # by the compiled loops, as an update's large matrix is
        monkeypatch.setattr(projection_loop, "COMPILED_FROM", 0)
    compiled = way == "compiled"
    who, what, vote = cells(2_000, 300, seed)
    zeroed = np.zeros(300, np.bool_)
    zeroed[[0, 7, 299]] = True
    geometry = build_geometry((who, what, vote), 2_000, 300, zeroed)
    components = np.random.default_rng(seed).standard_normal((2, 300))
    components[:, 5] = -components[:, 5]

    from_codes = project_participants(geometry, components, compiled)
    np.testing.assert_array_equal(from_codes, centred_product(geometry, components))
    assert "centred" in vars(geometry)  # read above: the projection now takes its values
    np.testing.assert_array_equal(
        project_participants(geometry, components, compiled),
        centred_product(geometry, components),
    )


@pytest.mark.parametrize("cells_from", [0, 1 << 20])
def test_it_projects_with_the_compiled_loops_only_from_enough_cells(
    monkeypatch: pytest.MonkeyPatch, cells_from: int
) -> None:
    monkeypatch.setattr(projection_loop, "COMPILED_FROM", cells_from)
    calls: list[str] = []
    for name in ("codes_times", "values_times"):
        kernel = getattr(projection_loop, name)
        monkeypatch.setattr(
            projection_loop, name, lambda *a, _k=kernel, _n=name: calls.append(_n) or _k(*a)
        )
    who, what, vote = cells(300, 40, seed=2)
    geometry = build_geometry((who, what, vote), 300, 40, np.zeros(40, np.bool_))
    components = np.random.default_rng(2).standard_normal((2, 40))
    project_participants(geometry, components)  # a static analysis: never compiled
    assert calls == []
    project_participants(geometry, components, compiled=True)
    geometry.centred  # noqa: B018 - read, as a faithful PCA reads it
    project_participants(geometry, components, compiled=True)
    assert calls == (["codes_times", "values_times"] if cells_from == 0 else [])


def test_it_tables_the_centred_value_times_the_components_per_vote_code() -> None:
    rng = np.random.default_rng(1)
    center = rng.uniform(-1, 1, 40)
    zeroed = rng.random(40) < 0.2
    components = rng.standard_normal((2, 40))
    statement = np.repeat(np.arange(40, dtype=np.int32), 3)
    vote = np.tile(np.array([1, -1, 0], np.int8), 40)
    codes = vote_codes(statement, vote)

    table = value_table(center, zeroed, components)

    assert table.shape == (120, 2)
    values = centred_values(codes, center, zeroed)
    np.testing.assert_array_equal(table[codes], values[:, None] * components.T[statement])


def test_it_builds_the_centred_matrix_only_when_read() -> None:
    who, what, vote = cells(500, 60, seed=9)
    zeroed = np.zeros(60, np.bool_)
    zeroed[4] = True
    geometry = build_geometry((who, what, vote), 500, 60, zeroed)
    prepared = centred_values(geometry.codes, geometry.center, zeroed)

    assert "centred" not in vars(geometry)
    centred = geometry.centred
    np.testing.assert_array_equal(centred.data, prepared)
    np.testing.assert_array_equal(centred.indices, what)
    assert geometry.centred is centred  # built once
    again = build_geometry((who, what, vote), 500, 60, zeroed, data=prepared)
    assert np.shares_memory(again.centred.data, prepared)  # the values prepared, not copied
    pattern = geometry.pattern
    assert pattern.shape == centred.shape
    np.testing.assert_array_equal(pattern.indptr, centred.indptr)
    np.testing.assert_array_equal(pattern.indices, centred.indices)
    np.testing.assert_array_equal(pattern.data, ones(centred.nnz))


def test_it_runs_a_warm_pca_on_the_gram_matrix_without_the_centred_values() -> None:
    who, what, vote = cells(1_500, 120, seed=3)
    zeroed = np.zeros(120, np.bool_)
    zeroed[11] = True
    geometry = build_geometry((who, what, vote), 1_500, 120, zeroed)
    rank = np.arange(who.shape[0], dtype=np.int64)
    gram = GramSums.of((who, what, vote, rank), 120).gram(geometry.center, zeroed).copy()
    start = pad_start(np.random.default_rng(3).standard_normal((2, 100)), 120)

    for x in (geometry.centred, geometry.pattern):
        blocked = block_components(x, start=start, gram=gram)
        powered = power_components(x, start, 20, 1e-9, gram=gram)
        if x is geometry.centred:
            expected = (blocked, powered)
            continue
        for found, wanted in zip((blocked, powered), expected, strict=True):
            np.testing.assert_array_equal(found.vectors, wanted.vectors)
            np.testing.assert_array_equal(found.eigenvalues, wanted.eigenvalues)
            assert found.total == wanted.total
            assert found.iterations == wanted.iterations

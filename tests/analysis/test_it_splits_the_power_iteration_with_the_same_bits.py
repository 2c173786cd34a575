"""The faithful power iteration's sparse products split by rows over the cores give bit for
bit the numbers of the products whole, on a real conversation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_it_solves_components_by_block_krylov import centred

from tracktwo.analysis import pca, power_loop
from tracktwo.analysis.pca import power_components, sparse_product


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_it_splits_each_product_with_the_same_bits(shared_data: Path, parts: int) -> None:
    x = centred(shared_data / "polis-opendata" / "vtaiwan.uberx")
    w = np.random.default_rng(parts).standard_normal(x.shape[1])
    whole = x.T @ (x @ w)
    np.testing.assert_array_equal(sparse_product(x, 1)(w), whole)
    np.testing.assert_array_equal(sparse_product(x, parts)(w), whole)


def test_it_runs_the_same_power_iteration_split(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = centred(shared_data / "polis-opendata" / "football-concussions")
    start = np.ones((2, x.shape[1]))
    whole = power_components(x, start, 100, 1e-9)
    monkeypatch.setattr(pca, "SPLIT_ENTRIES", 0)
    monkeypatch.setattr(pca, "threads", lambda: 2)
    split = power_components(x, start, 100, 1e-9)
    assert split.iterations == whole.iterations > 2
    np.testing.assert_array_equal(split.vectors, whole.vectors)
    np.testing.assert_array_equal(split.eigenvalues, whole.eigenvalues)


def test_it_multiplies_in_one_compiled_pass_with_the_same_bits(shared_data: Path) -> None:
    x = centred(shared_data / "polis-opendata" / "vtaiwan.uberx")
    for seed in range(3):
        w = np.random.default_rng(seed).standard_normal(x.shape[1])
        np.testing.assert_array_equal(power_loop.gram_product(x)(w), sparse_product(x, 1)(w))


def test_it_runs_the_same_power_iteration_compiled(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = centred(shared_data / "polis-opendata" / "football-concussions")
    start = np.ones((2, x.shape[1]))
    monkeypatch.setattr(power_loop, "COMPILED_FROM", x.nnz + 1)
    plain = power_components(x, start, 100, 1e-9)
    monkeypatch.setattr(power_loop, "COMPILED_FROM", 0)
    monkeypatch.setattr(pca, "threads", lambda: 1)  # as on the pool
    made: list[object] = []
    build = power_loop.gram_product
    monkeypatch.setattr(power_loop, "gram_product", lambda x: made.append(x) or build(x))
    compiled = power_components(x, start, 100, 1e-9)
    assert made == [x]
    assert compiled.iterations == plain.iterations > 2
    np.testing.assert_array_equal(compiled.vectors, plain.vectors)
    np.testing.assert_array_equal(compiled.eigenvalues, plain.eigenvalues)

"""The faithful power iteration's sparse products split by rows over the cores give bit for
bit the numbers of the products whole, on a real conversation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_it_solves_components_by_block_krylov import centred

from tracktwo.analysis import pca
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

"""A replay's next update builds its Gram matrix on the pool beside the PCA that still reads the
current one (the scalable solver's triangle, in a second array): the same results as updating
one batch after another; the faithful solver, which reads every entry, builds its own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.results_support import assert_same, batches
from tracktwo.analysis.cells import latest_cells
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import VoteEvents


def chained(parts: list[VoteEvents], params: AnalysisParams, ahead: bool) -> AnalysisResult:
    result = analyze(parts[0], params)
    for i, part in enumerate(parts[1:], start=1):
        following = parts[i + 1] if ahead and i + 1 < len(parts) else None
        result = update(result, part, ahead=following)
    return result


def count_beside(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    original = GramSums.gram

    def counted(self: GramSums, *args: Any, **kwargs: Any) -> Any:
        calls.append(bool(kwargs.get("beside", False)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(GramSums, "gram", counted)
    return calls


def test_it_gives_the_scalable_results_of_updating_batch_by_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    params = AnalysisParams(seed=0, solver="scalable")
    parts = batches(seed=5, n_batches=8)
    calls = count_beside(monkeypatch)
    prepared = chained(parts, params, ahead=True)
    assert sum(calls) == len(parts) - 3  # every update after the second took a prepared matrix
    assert calls.count(False) == 1  # the second built its own (the first has no sums yet)
    monkeypatch.undo()
    assert_same(prepared, chained(parts, params, ahead=False))


def test_it_leaves_the_faithful_solver_its_whole_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = batches(seed=6)
    calls = count_beside(monkeypatch)
    prepared = chained(parts, AnalysisParams(seed=0), ahead=True)
    assert calls and not any(calls)
    monkeypatch.undo()
    assert_same(prepared, chained(parts, AnalysisParams(seed=0), ahead=False))


def test_it_writes_a_matrix_built_beside_into_a_second_array() -> None:
    rng = np.random.default_rng(7)
    who, what = rng.integers(0, 40, 300), rng.integers(0, 6, 300)
    vote, time = rng.choice([-1, 0, 1], 300), np.arange(300, dtype=np.float64)
    cells = latest_cells(who, what, vote, time, 6)
    sums, fresh = GramSums.of(cells, 6), GramSums.of(cells, 6)
    zeroed = np.zeros(6, np.bool_)
    first_mu, second_mu = rng.random(6), rng.random(6)
    read = sums.gram(first_mu, zeroed)
    kept = read.copy()
    beside = sums.gram(second_mu, zeroed, beside=True)
    assert beside is not read
    np.testing.assert_array_equal(read, kept)  # the matrix still read is untouched
    np.testing.assert_array_equal(beside, fresh.gram(second_mu, zeroed))
    assert sums.gram(first_mu, zeroed) is beside  # a plain call overwrites the last one
    np.testing.assert_array_equal(beside, kept)

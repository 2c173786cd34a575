"""An update runs BLAS on one thread (its dense algebra is mat-vecs and small products, which
a second BLAS thread only slows), whatever the process set, and gives the process its
setting back afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from tests.results_support import batches
from tracktwo.analysis import engine
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.parallel import background, one_blas_thread
from tracktwo.analysis.result import AnalysisParams


def blas_threads() -> set[int]:
    return {int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_it_limits_blas_inside_an_update_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[set[int]] = []
    original = engine._components

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(blas_threads())
        return original(*args, **kwargs)

    parts = batches(seed=3)
    with threadpool_limits(limits=2, user_api="blas"):
        result = analyze(parts[0], AnalysisParams(seed=0))
        monkeypatch.setattr(engine, "_components", watched)
        for part in parts[1:]:
            result = update(result, part)
        after = blas_threads()
    assert seen and all(threads == {1} for threads in seen)
    assert after == {2}


def test_it_leaves_blas_alone_on_a_pool_thread() -> None:
    def inside_the_pool() -> None:  # work prepared ahead, which may outlast its update
        with one_blas_thread():
            pass

    with threadpool_limits(limits=2, user_api="blas"):
        background(inside_the_pool)()
        assert blas_threads() == {2}  # not lowered for the process
        with one_blas_thread():  # the update that started it holds the limit for it
            background(inside_the_pool)()
            assert blas_threads() == {1}  # and leaving the pool's context did not lift it
        assert blas_threads() == {2}

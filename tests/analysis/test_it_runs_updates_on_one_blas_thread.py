"""An update runs BLAS on one thread (its dense algebra is mat-vecs and small products, which
a second BLAS thread only slows), whatever the process set, and gives the process its
setting back afterwards.

BLAS's thread count belongs to the process, and other tests in a test process may leave it
where they ran (an app server's thread, a worker): each check runs in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

COMMON = """
import sys
from threadpoolctl import threadpool_info, threadpool_limits

def blas_threads():
    return {int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"}
"""

IN_AN_UPDATE = """
from tests.results_support import batches
from tracktwo.analysis import engine
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.result import AnalysisParams

seen = []
original = engine._components

def watched(*args, **kwargs):
    seen.append(blas_threads())
    return original(*args, **kwargs)

parts = batches(seed=3)
with threadpool_limits(limits=2, user_api="blas"):
    result = analyze(parts[0], AnalysisParams(seed=0))
    engine._components = watched
    for part in parts[1:]:
        result = update(result, part)
    after = blas_threads()
print(bool(seen) and all(threads == {1} for threads in seen), after == {2})
"""

ON_THE_POOL = """
from tracktwo.analysis.parallel import background, one_blas_thread

def inside_the_pool():  # work prepared ahead, which may outlast its update
    with one_blas_thread():
        pass

found = []
with threadpool_limits(limits=2, user_api="blas"):
    background(inside_the_pool)()
    found.append(blas_threads() == {2})  # not lowered for the process
    with one_blas_thread():  # the update that started it holds the limit for it
        background(inside_the_pool)()
        found.append(blas_threads() == {1})  # and leaving the pool's context did not lift it
    found.append(blas_threads() == {2})
print(*found)
"""


def fresh(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", COMMON + code], capture_output=True, text=True, check=False,
        cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_it_limits_blas_inside_an_update_and_restores_it() -> None:
    assert fresh(IN_AN_UPDATE) == ["True", "True"]


def test_it_leaves_blas_alone_on_a_pool_thread() -> None:
    assert fresh(ON_THE_POOL) == ["True", "True", "True"]

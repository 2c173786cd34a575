"""GramSums.patch_runs: the patch handed out in parts (a replay runs one on the calling thread
and the rest on the pool, at the same time) gives the sums of the whole patch, whatever order
or thread the parts run in, with any number of statements and parts."""

from __future__ import annotations

import threading
from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.gram_support import as_cells, assert_same_sums
from tracktwo.analysis.cells import CellState, merge_cells
from tracktwo.analysis.gram_sums import STAIR_ROWS, GramSums, staircase, step_runs
from tracktwo.analysis.live_cells import rows_of


def cells_of(rng: np.random.Generator, who: np.ndarray, n: int, rank: int, most: int) -> CellState:
    people, statements = [], []
    for p in who.tolist():
        voted = np.sort(rng.choice(n, int(rng.integers(1, min(n, most) + 1)), replace=False))
        people += [p] * voted.shape[0]
        statements += voted.tolist()
    return as_cells(rng, people, statements, rank)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.sampled_from([1, 7, STAIR_ROWS, STAIR_ROWS + 1, 3 * STAIR_ROWS + 5]),
    count=st.integers(1, 4),
)
def test_it_patches_in_parts_to_the_whole_patch(seed: int, n: int, count: int) -> None:
    rng = np.random.default_rng(seed)
    old = cells_of(rng, np.arange(20), n, 0, 40)
    who = np.unique(rng.integers(0, 26, 12)).astype(np.int64)
    fresh = cells_of(rng, who, n, old[0].shape[0], 40)
    times = np.arange(old[0].shape[0] + fresh[0].shape[0], dtype=np.float64)
    new = merge_cells(old, fresh, n, times)
    whole, split = GramSums.of(old, n), GramSums.of(old, n)
    whole.patch(old, rows_of(old, who), new, rows_of(new, who), who)
    parts = split.patch_runs(old, rows_of(old, who), new, rows_of(new, who), who, count)
    assert 1 <= len(parts) <= count
    others = [threading.Thread(target=part) for part in parts[1:][::-1]]
    for thread in others:
        thread.start()
    parts[0]()
    for thread in others:
        thread.join()
    assert_same_sums(split, whole)
    assert_same_sums(split, GramSums.of(new, n))


def test_it_cuts_the_staircase_into_runs_of_about_equal_work() -> None:
    n = 2000
    steps = staircase(n)
    runs = step_runs(steps, n, 2)
    assert runs[0][0] == 0 and runs[-1][1] == len(steps)
    assert all(a[1] == b[0] for a, b in pairwise(runs))
    work = [sum((stop - start) * (n - start) for start, stop in steps[a:b]) for a, b in runs]
    assert len(work) == 2 and max(work) < 1.2 * min(work)
    assert step_runs(staircase(5), 5, 4) == [(0, 1)]  # one step cannot be cut

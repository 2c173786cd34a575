"""GramSums.patch: the packed product (one integer product for the four sums) and the four
products it replaced give the same whole numbers on the staircase the sums are kept on, which
are those of a build from every cell;
the patch runs on the pool while an update goes on, and the update waits for it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.gram_support import as_cells, assert_same_sums
from tracktwo.analysis import gram_sums
from tracktwo.analysis.cells import CellState, merge_cells
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.live_cells import rows_of


def cells_of(rng: np.random.Generator, who: np.ndarray, n: int, rank: int) -> CellState:
    """One cell per (participant, statement) voted, sorted, votes -1/0/+1, ranks from rank."""
    people, statements = [], []
    for p in who.tolist():
        voted = np.sort(rng.choice(n, int(rng.integers(1, n + 1)), replace=False))
        people += [p] * voted.shape[0]
        statements += voted.tolist()
    return as_cells(rng, people, statements, rank)


def patched(old: CellState, new: CellState, who: np.ndarray, n: int) -> GramSums:
    sums = GramSums.of(old, n)
    sums.patch(old, rows_of(old, who), new, rows_of(new, who), who)
    return sums


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12), people=st.integers(1, 30))
def test_it_patches_to_the_sums_of_every_cell(seed: int, n: int, people: int) -> None:
    rng = np.random.default_rng(seed)
    old = cells_of(rng, np.arange(people), n, 0)
    # returning voters (changed, repeated and new cells) and newcomers
    who = np.unique(rng.integers(0, people + 5, 1 + people // 2)).astype(np.int64)
    fresh = cells_of(rng, who, n, old[0].shape[0])
    times = np.arange(old[0].shape[0] + fresh[0].shape[0], dtype=np.float64)
    new = merge_cells(old, fresh, n, times)
    packed = patched(old, new, who, n)
    assert_same_sums(packed, GramSums.of(new, n))
    plain = GramSums.of(old, n)
    before = gram_sums.PACK_ROWS
    try:
        gram_sums.PACK_ROWS = 0  # the four products
        plain.patch(old, rows_of(old, who), new, rows_of(new, who), who)
    finally:
        gram_sums.PACK_ROWS = before
    assert_same_sums(packed, plain)


@pytest.mark.parametrize("vote", [-1, 1])
def test_it_reads_back_the_largest_terms_a_packed_patch_holds(vote: int) -> None:
    """PACK_ROWS participants who all turn every vote around: the change of ``A`` (and of the
    term not kept) is 2 per participant, the most a packed term holds."""
    n, people = 3, gram_sums.PACK_ROWS
    who = np.arange(people, dtype=np.int64)
    every = np.repeat(who, n).astype(np.int32), np.tile(np.arange(n, dtype=np.int32), people)
    rank = np.arange(people * n, dtype=np.int64)
    old = (*every, np.full(people * n, vote, np.int8), rank)
    new = (*every, np.full(people * n, -vote, np.int8), rank + people * n)
    assert_same_sums(patched(old, new, who, n), GramSums.of(new, n))

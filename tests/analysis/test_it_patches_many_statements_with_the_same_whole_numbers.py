"""GramSums' packed patch (SciPy's product kernel called directly, the four packed terms read
back, each step of the staircase on its own) gives on the staircase the whole numbers of the
four products it replaced and of a build from every cell, over many statements, serially (as
on the pool) or over the cores."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gram_support import as_cells, assert_same_sums, on_stairs
from tracktwo.analysis import gram_sums, parallel
from tracktwo.analysis.cells import CellState, merge_cells
from tracktwo.analysis.gram_loops import add_packed
from tracktwo.analysis.gram_sums import STAIR_ROWS, GramSums
from tracktwo.analysis.live_cells import rows_of


def cells_of(rng: np.random.Generator, who: np.ndarray, n: int, rank: int) -> CellState:
    """Cells of participants ``who`` on a share of ``n`` statements, sorted, votes -1/0/+1."""
    people, statements = [], []
    for p in who.tolist():
        share = rng.uniform(0.01, 0.5)
        voted = np.flatnonzero(rng.random(n) < share)
        people += [p] * voted.shape[0]
        statements += voted.tolist()
    return as_cells(rng, people, statements, rank)


def four_products(old: CellState, new: CellState, who: np.ndarray, n: int) -> GramSums:
    """The patch without packing (the path the packed product replaced)."""
    sums = GramSums.of(old, n)
    before = gram_sums.PACK_ROWS
    try:
        gram_sums.PACK_ROWS = 0
        sums.patch(old, rows_of(old, who), new, rows_of(new, who), who)
    finally:
        gram_sums.PACK_ROWS = before
    return sums


@pytest.mark.parametrize("serial", [False, True])
@pytest.mark.parametrize(("seed", "n"), [(0, 1), (1, 7), (2, 64), (3, 301), (4, 1000)])
def test_it_patches_many_statements_to_the_sums_of_every_cell(
    seed: int, n: int, serial: bool
) -> None:
    rng = np.random.default_rng(seed)
    old = cells_of(rng, np.arange(120), n, 0)
    who = np.unique(rng.integers(0, 160, 70)).astype(np.int64)  # returning and new
    fresh = cells_of(rng, who, n, old[0].shape[0])
    times = np.arange(old[0].shape[0] + fresh[0].shape[0], dtype=np.float64)
    new = merge_cells(old, fresh, n, times)
    packed = GramSums.of(old, n)
    if serial:  # as on the pool thread
        parallel._INSIDE.pool = True
    try:
        packed.patch(old, rows_of(old, who), new, rows_of(new, who), who)
    finally:
        parallel._INSIDE.pool = False

    for expected in (four_products(old, new, who, n), GramSums.of(new, n)):
        assert_same_sums(packed, expected)
    kept = on_stairs(n)
    assert n == 1 or not np.array_equal(packed.a[kept], packed.at[kept])  # A is not symmetric
    assert (n <= STAIR_ROWS) == bool(kept.all())  # the larger ones have more than one step


def test_it_reads_back_each_term() -> None:
    """``add_packed`` adds each packed entry's four signed terms to the four sums, the
    extremes of a 16-bit term included (a 1 x 1 left times a 1 x 2 right)."""
    terms = np.array([[3, -2, 0, 7], [-1, 2, -32768, 32767]], np.int64)
    packed = terms[:, 0] + (terms[:, 1] << 16) + (terms[:, 2] << 32) + (terms[:, 3] << 48)
    left = (np.array([0, 1], np.int32), np.array([0], np.int32), np.array([1], np.int64))
    right = (np.array([0, 2], np.int32), np.array([0, 1], np.int32), packed)
    sums = tuple(np.full((1, 2), 10, np.int32) for _ in range(4))

    add_packed(left, right, (0, 1), sums)

    assert [t[0].tolist() for t in sums] == (terms.T + 10).tolist()

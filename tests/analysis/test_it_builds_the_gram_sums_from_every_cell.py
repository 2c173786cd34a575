"""GramSums.of: the sums over every cell, built as packed patches of at most ``PACK_ROWS``
participants each, are the whole numbers of dense products over the same rows, whatever the
chunks, and on one thread as on every core."""

from __future__ import annotations

import numpy as np
import pytest

from tests.analysis.test_it_patches_the_gram_sums_exactly import cells_of
from tests.gram_support import assert_plain_sums
from tracktwo.analysis import gram_sums, parallel
from tracktwo.analysis.gram_sums import GramSums


@pytest.mark.parametrize("pack_rows", [1, 2, 7, 8191])
@pytest.mark.parametrize(("seed", "n", "people"), [(0, 1, 1), (1, 5, 40), (2, 300, 90)])
def test_it_builds_the_sums_of_every_cell_in_chunks(
    seed: int, n: int, people: int, pack_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(seed)
    # participants with gaps in their indices, as a chain's cells have
    who = np.sort(rng.choice(people * 3, people, replace=False)).astype(np.int64)
    cells = cells_of(rng, who, n, 0)
    monkeypatch.setattr(gram_sums, "PACK_ROWS", pack_rows)
    assert_plain_sums(GramSums.of(cells, n), cells)


def test_it_builds_the_same_sums_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    cells = cells_of(rng, np.arange(60, dtype=np.int64), 400, 0)
    monkeypatch.setattr(gram_sums, "PACK_ROWS", 16)
    monkeypatch.setattr(parallel._INSIDE, "pool", True, raising=False)
    assert_plain_sums(GramSums.of(cells, 400), cells)


def test_it_builds_no_sums_from_no_cells() -> None:
    empty = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0))
    sums = GramSums.of(empty, 4)
    assert not any(part.any() for part in sums.sums())

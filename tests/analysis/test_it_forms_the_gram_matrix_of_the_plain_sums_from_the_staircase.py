"""Gram sums kept only on their staircase, through a chain of patches (re-votes, passes,
statements added later, a patch of more than ``PACK_ROWS`` participants, a patch that undoes
votes), form bit for bit the Gram matrix of the plain sums ``S``, ``A`` and ``N`` multiplied
out whole from every cell, with moderated statements: whole, and its upper triangle of blocks."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis import gram_sums
from tracktwo.analysis.cells import CellState, merge_cells
from tracktwo.analysis.gram_sums import GRAM_ROWS, STAIR_ROWS, GramSums
from tracktwo.analysis.live_cells import rows_of


def cells_of(
    rng: np.random.Generator, who: np.ndarray, statements: int, rank: int, share: float
) -> CellState:
    """Cells of participants ``who`` on about ``share`` of the first ``statements``, sorted,
    votes -1/0/+1 (0 a pass), ranks from ``rank``."""
    people, voted = [], []
    for p in who.tolist():
        on = np.flatnonzero(rng.random(statements) < rng.uniform(0.2, 1.0) * share)
        people += [p] * on.shape[0]
        voted += on.tolist()
    m = len(people)
    return (
        np.array(people, np.int32),
        np.array(voted, np.int32),
        rng.choice(np.array([-1, 0, 1], np.int8), m, p=[0.4, 0.2, 0.4]),
        np.arange(rank, rank + m, dtype=np.int64),
    )


def plain_gram(cells: CellState, n: int, mu: np.ndarray, zeroed: np.ndarray) -> np.ndarray:
    """The whole-matrix expression of the plain sums, each multiplied out densely."""
    people = int(cells[0].max()) + 1
    raw, mask = np.zeros((people, n)), np.zeros((people, n))
    raw[cells[0], cells[1]] = cells[2]
    mask[cells[0], cells[1]] = 1.0
    s, a, nn = raw.T @ raw, raw.T @ mask, mask.T @ mask  # whole numbers, exact in float64
    expected = ((nn * mu[None, :] - a.T) * mu[:, None] + s) - a * mu[None, :]
    expected[zeroed, :] = 0.0
    expected[:, zeroed] = 0.0
    return expected


def assert_forms_the_plain_gram(sums: GramSums, cells: CellState, zeroed: np.ndarray) -> None:
    n = sums.n
    votes = np.bincount(cells[1], weights=cells[2], minlength=n)
    mu = votes / np.maximum(np.bincount(cells[1], minlength=n), 1)  # the column means
    expected = plain_gram(cells, n, mu, zeroed)
    sums.out = np.full((n, n), np.nan)
    np.testing.assert_array_equal(sums.gram(mu, zeroed), expected)
    sums.out = np.full((n, n), np.nan)
    upper = sums.gram(mu, zeroed, whole=False)
    kept = np.zeros((n, n), np.bool_)
    for lo in range(0, n, GRAM_ROWS):
        kept[lo : lo + GRAM_ROWS, lo:] = True
    np.testing.assert_array_equal(upper[kept], expected[kept])


def patch(sums: GramSums, old: CellState, new: CellState, who: np.ndarray) -> None:
    sums.patch(old, rows_of(old, who), new, rows_of(new, who), who)


def later(rng: np.random.Generator, old: CellState, who: np.ndarray, n: int) -> CellState:
    """``old`` with the cells of ``who`` voting again (re-votes and new cells)."""
    fresh = cells_of(rng, who, n, int(old[3].max()) + 1, 0.5)
    times = np.arange(int(fresh[3].max()) + 1, dtype=np.float64)
    return merge_cells(old, fresh, n, times)


@pytest.mark.parametrize(("stair_rows", "cores"), [(64, 1), (64, 2), (128, 2), (256, 1)])
def test_it_forms_the_plain_gram_matrix_through_patches(
    monkeypatch: pytest.MonkeyPatch, stair_rows: int, cores: int
) -> None:
    monkeypatch.setattr(gram_sums, "STAIR_ROWS", stair_rows)
    monkeypatch.setattr(gram_sums, "threads", lambda: cores)
    monkeypatch.setattr(gram_sums, "PACK_ROWS", 40)
    rng = np.random.default_rng(stair_rows + cores)
    first, n = 230, 330
    zeroed = np.zeros(n, np.bool_)
    zeroed[[5, 70, 229, 300]] = True  # moderated, on several steps
    cells = cells_of(rng, np.arange(150), first, 0, 0.6)
    sums = GramSums.of(cells, first)
    assert_forms_the_plain_gram(sums, cells, zeroed[:first])

    sums = sums.grown(n)  # statements added later
    who = np.unique(rng.integers(0, 180, 35)).astype(np.int64)  # returning and new, packed
    assert who.shape[0] <= gram_sums.PACK_ROWS
    grown = later(rng, cells, who, n)
    patch(sums, cells, grown, who)
    assert not np.array_equal(sums.a, sums.at.T)  # left of the staircase: left over
    assert_forms_the_plain_gram(sums, grown, zeroed)

    many = np.unique(rng.integers(0, 200, 90)).astype(np.int64)  # more than PACK_ROWS
    assert many.shape[0] > gram_sums.PACK_ROWS
    more = later(rng, grown, many, n)
    patch(sums, grown, more, many)
    assert_forms_the_plain_gram(sums, more, zeroed)

    again = np.unique(rng.integers(0, 200, 30)).astype(np.int64)
    turned = later(rng, more, again, n)
    patch(sums, more, turned, again)
    assert_forms_the_plain_gram(sums, turned, zeroed)
    back = np.union1d(again, many[:10])  # these votes undone, as before the last patches
    patch(sums, turned, more, back)
    assert_forms_the_plain_gram(sums, more, zeroed)


def test_it_keeps_whole_blocks_of_the_gram_matrix_on_each_step() -> None:
    """The upper blocks read only the sums' own rows from their first column on."""
    assert STAIR_ROWS % GRAM_ROWS == 0

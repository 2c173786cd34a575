"""``GramSums.gram`` computes the upper triangle of row blocks (each diagonal block whole),
what the scalable solver reads, and with ``whole`` the rest too: bit for bit the
whole-matrix expression however the rows are split over the cores."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gram_support import plain_sums
from tracktwo.analysis import gram_sums
from tracktwo.analysis.cells import CellState
from tracktwo.analysis.gram_sums import GRAM_ROWS, GramSums, triangle_parts


def sums_of(n_participants: int, n_statements: int, seed: int) -> tuple[GramSums, CellState]:
    rng = np.random.default_rng(seed)
    voted = rng.random((n_participants, n_statements)) < 0.4
    who, what = np.nonzero(voted)
    vote = rng.choice(np.array([-1, 0, 1], np.int8), who.shape[0])
    rank = np.arange(who.shape[0], dtype=np.int64)
    cells = (who.astype(np.int32), what.astype(np.int32), vote, rank)
    return GramSums.of(cells, n_statements), cells


@pytest.mark.parametrize(("n", "cores"), [(5, 2), (200, 1), (200, 2), (333, 3)])
def test_it_builds_the_upper_blocks_then_the_rest(
    monkeypatch: pytest.MonkeyPatch, n: int, cores: int
) -> None:
    monkeypatch.setattr(gram_sums, "threads", lambda: cores)
    sums, cells = sums_of(400, n, seed=n)
    mu = np.random.default_rng(1).random(n) - 0.5
    zeroed = np.zeros(n, np.bool_)
    zeroed[n // 3] = True
    plain = plain_sums(cells, n)  # whole: the sums keep only their staircase
    s, a, nn = (plain[name].astype(np.float64) for name in ("s", "a", "nn"))
    expected = ((nn * mu[None, :] - a.T) * mu[:, None] + s) - a * mu[None, :]
    expected[zeroed, :] = 0.0
    expected[:, zeroed] = 0.0
    sums.out = np.full((n, n), np.nan)
    upper = sums.gram(mu, zeroed, whole=False)
    below = np.zeros((n, n), np.bool_)
    for i in range(n):
        below[i, : i // GRAM_ROWS * GRAM_ROWS] = True
    np.testing.assert_array_equal(upper[~below], expected[~below])
    assert np.isnan(upper[below & ~zeroed[None, :] & ~zeroed[:, None]]).all()
    sums.out = np.full((n, n), np.nan)
    np.testing.assert_array_equal(sums.gram(mu, zeroed), expected)


def test_it_cuts_the_triangle_into_parts_of_about_equal_work() -> None:
    n = 2_000
    runs = triangle_parts(n, 2)
    assert runs[0][0] == 0 and runs[-1][1] == n and len(runs) == 2
    assert all(b % GRAM_ROWS == 0 for _a, b in runs[:-1])
    work = [sum(n - i for i in range(a, b)) for a, b in runs]
    assert max(work) / min(work) < 1.2

"""The Wilson score interval on an agree share (passes count as votes, not as support)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracktwo.analysis.intervals import agree_interval, z_for


def test_it_matches_the_published_wilson_interval_for_8_of_10() -> None:
    # Wilson (1927) / Newcombe (1998) table: 8 of 10 at 95% -> 0.4902 to 0.9433.
    low, high = agree_interval(8, 10, level=0.95)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_it_uses_the_90_percent_quantile_by_default() -> None:
    assert z_for(0.90) == pytest.approx(1.644854, abs=1e-6)
    assert agree_interval(8, 10) == agree_interval(8, 10, level=0.90)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_inverts_the_score_test_at_both_ends(case: tuple[int, int]) -> None:
    agree, n = case
    z = z_for(0.90)
    share = agree / n
    low, high = agree_interval(agree, n)
    assert 0.0 <= low <= share <= high <= 1.0
    for bound in (low, high):
        if 0.0 < bound < 1.0:  # the score statistic equals z exactly at an interior end
            assert (share - bound) ** 2 * n == pytest.approx(z * z * bound * (1 - bound), abs=1e-9)


def test_it_knows_nothing_without_votes() -> None:
    assert agree_interval(0, 0) == (0.0, 1.0)


def test_it_vectorises_and_agrees_with_the_scalar_form() -> None:
    agree = np.array([[0, 3], [7, 20]])
    n = np.array([[0, 10], [7, 40]])
    low, high = agree_interval(agree, n)
    assert low.shape == high.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            assert (low[i, j], high[i, j]) == pytest.approx(
                agree_interval(int(agree[i, j]), int(n[i, j]))
            )


def test_it_narrows_as_votes_accumulate_at_the_same_share() -> None:
    widths = [np.subtract(*agree_interval(k * 3, k * 4)[::-1]) for k in (1, 10, 100)]
    assert widths[0] > widths[1] > widths[2]
    assert agree_interval(400, 400)[1] == 1.0
    assert agree_interval(0, 400)[0] == 0.0


@pytest.mark.parametrize(
    ("agree", "n", "message"),
    [(-1, 3, "negative"), (4, 3, "cannot exceed"), (1, -2, "negative")],
)
def test_it_rejects_impossible_counts(agree: int, n: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        agree_interval(agree, n)


def test_it_rejects_a_level_outside_zero_and_one() -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        agree_interval(1, 2, level=1.0)

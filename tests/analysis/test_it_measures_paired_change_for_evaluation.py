"""Paired change, its t interval and Cohen's d_z: by hand and against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tracktwo.analysis.evaluation import paired_change


def test_it_computes_a_small_example_by_hand() -> None:
    # changes 1, 2, 0, 2, 2: mean 1.4, sd sqrt(0.8), d_z = 1.4 / sqrt(0.8)
    change = paired_change([1, 2, 3, 4, 5], [2, 4, 3, 6, 7])
    assert change.n_paired == 5
    assert change.mean_change == pytest.approx(1.4)
    assert change.sd_change == pytest.approx(math.sqrt(0.8))
    assert change.d_z == pytest.approx(1.4 / math.sqrt(0.8))
    half = 2.7764451051977987 * math.sqrt(0.8) / math.sqrt(5)  # t(0.975, 4)
    assert (change.ci_low, change.ci_high) == pytest.approx((1.4 - half, 1.4 + half))


def test_it_gives_the_interval_of_scipys_paired_t_test() -> None:
    rng = np.random.default_rng(7)
    before = rng.normal(50, 20, 40)
    after = before + rng.normal(6, 12, 40)
    change = paired_change(before, after, level=0.9)
    reference = stats.ttest_rel(after, before).confidence_interval(0.9)
    assert (change.ci_low, change.ci_high) == pytest.approx((reference.low, reference.high))


def test_it_drops_pairs_with_a_skipped_answer() -> None:
    change = paired_change([1, np.nan, 3, 4], [2, 5, np.nan, 6])
    assert change.n_paired == 2
    assert change.mean_change == pytest.approx(1.5)


def test_it_leaves_numbers_undefined_below_two_pairs() -> None:
    one = paired_change([1.0], [3.0])
    assert one.n_paired == 1 and one.mean_change == 2.0
    assert math.isnan(one.ci_low) and math.isnan(one.d_z)
    assert paired_change([], []).n_paired == 0


def test_it_refuses_arrays_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        paired_change([1, 2], [1])

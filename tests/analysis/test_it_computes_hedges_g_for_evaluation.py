"""Hedges' g and the Welch interval for two independent groups (e.g. hawks against doves)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tracktwo.analysis.evaluation import stance_group, unpaired_difference


def test_it_computes_cohens_d_and_hedges_g_by_hand() -> None:
    # means 4 and 2, variances 4 and 1: pooled sd sqrt(2.5); J = 1 - 3 / (4 * 6 - 9) = 0.8
    result = unpaired_difference([2, 4, 6], [1, 2, 3])
    assert result.mean_difference == pytest.approx(2.0)
    assert result.d == pytest.approx(2 / math.sqrt(2.5))
    assert result.g == pytest.approx(0.8 * 2 / math.sqrt(2.5))


def test_it_gives_the_welch_interval_of_scipy() -> None:
    rng = np.random.default_rng(3)
    hawks, doves = rng.normal(10, 8, 25), rng.normal(4, 5, 18)
    result = unpaired_difference(hawks, doves)
    reference = stats.ttest_ind(hawks, doves, equal_var=False).confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((reference.low, reference.high))


def test_it_needs_two_values_per_group() -> None:
    result = unpaired_difference([1.0], [1.0, 2.0])
    assert math.isnan(result.g) and result.n_a == 1


def test_it_places_stances_on_the_hawk_dove_scale() -> None:
    assert [stance_group(v) for v in (1, 3, 4, 5, 7)] == [
        "dove",
        "dove",
        "middle",
        "hawk",
        "hawk",
    ]

"""On simulated surveys with a known change, the interval covers it about 95% of the time
and d_z lands near the true effect size."""

from __future__ import annotations

import numpy as np

from tracktwo.analysis.evaluation import paired_change


def test_it_covers_the_true_change_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(2026)
    true_change, spread, n, runs = 8.0, 16.0, 25, 2000
    covered = 0
    for _ in range(runs):
        before = rng.normal(45, 20, n)
        after = before + rng.normal(true_change, spread, n)
        change = paired_change(before, after)
        covered += change.ci_low <= true_change <= change.ci_high
    # binomial sd at 0.95 over 2000 runs is about 0.005: 0.93..0.97 is four of them
    assert 0.93 <= covered / runs <= 0.97


def test_it_recovers_d_z_within_tolerance() -> None:
    rng = np.random.default_rng(11)
    estimates = []
    for _ in range(400):
        before = rng.normal(50, 10, 60)
        after = before + rng.normal(3.0, 6.0, 60)  # d_z = 3 / 6 = 0.5
        estimates.append(paired_change(before, after).d_z)
    assert abs(float(np.mean(estimates)) - 0.5) < 0.03


def test_it_finds_no_change_where_there_is_none() -> None:
    rng = np.random.default_rng(5)
    false_alarms = 0
    for _ in range(1000):
        before = rng.normal(50, 10, 30)
        change = paired_change(before, before + rng.normal(0.0, 5.0, 30))
        false_alarms += not (change.ci_low <= 0.0 <= change.ci_high)
    assert false_alarms / 1000 < 0.075

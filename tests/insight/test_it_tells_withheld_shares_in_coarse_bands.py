"""Coarse bands for withheld shares ("at least 4 in 5 agree"): the rule of
``insight/suppression.py``, checked for every side size against what the small-cell rule
protects -- no count pinned, no single vote inferable, even knowing the rule."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.insight.suppression import (
    band_counts,
    band_partition,
    band_text,
    coarse_band,
    protect_tallies,
)


def _preimage(band: tuple[float, float], n: int) -> list[int]:
    """Every agree count of a side of ``n`` whose published band is ``band``."""
    return [j for j in range(n + 1) if coarse_band(j, n) == band]


@settings(max_examples=400, deadline=None)
@given(n=st.integers(min_value=1, max_value=200), data=st.data())
def test_it_never_pins_a_count_nor_a_single_vote(n: int, data: st.DataObject) -> None:
    agree = data.draw(st.integers(min_value=0, max_value=n))
    band = coarse_band(agree, n)
    if band is None:
        # nothing is told: either a side too small for any band, or one band for all
        assert len(band_partition(n)) <= 1
        return
    low, high = band
    assert low <= agree / n <= high or (high == 1.0 and agree == n)
    held = _preimage(band, n)
    assert held == band_counts(band, n)  # the band stands for exactly these counts
    assert agree in held
    # the small-cell rule: no count is revealed exactly (neither agreeing nor not)
    assert len(held) >= 2
    # no single vote: some count other than 0 and n fits, so for every voter the band
    # fits both their having agreed and their not having agreed
    assert any(0 < j < n for j in held)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=200))
def test_it_covers_every_count_with_consecutive_bands(n: int) -> None:
    runs = band_partition(n)
    assert runs[0][0] == 0 and runs[-1][1] == 4
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(runs))


def test_it_tells_six_per_side_what_the_issue_asked_for() -> None:
    # 5 of 6 agree: the exact tally is withheld (1 disagrees), the band is told
    assert coarse_band(5, 6) == (0.8, 1.0)
    assert band_text((0.8, 1.0)) == "at least 4 in 5 agree"
    assert band_counts((0.8, 1.0), 6) == [5, 6]
    # a side of one or two is told nothing at all
    assert coarse_band(1, 1) is None
    assert coarse_band(2, 2) is None and coarse_band(1, 2) is None


def test_it_adds_the_band_only_where_the_share_is_withheld() -> None:
    rows = {"Upstream": (5, 1, 0), "Downstream": (6, 0, 0)}
    tallies = protect_tallies(rows, (11, 1, 0), 5)
    assert tallies["Upstream"]["share"] is None
    assert tallies["Upstream"]["band"] == (0.8, 1.0)
    assert tallies["overall"]["share"] is not None and tallies["overall"]["band"] is None
    open_rows = {"Upstream": (10, 5, 5), "Downstream": (6, 6, 6)}
    shown = protect_tallies(open_rows, (16, 11, 11), 5)
    assert all(t["band"] is None for t in shown.values())

"""Re-votes across rounds: per-side support shifts, the distance between sides and the
bridging score recovered on votes with known shifts; small sides withheld."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.tracking import revote_shifts


def _votes(support: dict[tuple[str, int], float], n: dict[str, int]) -> tuple[list, ...]:
    """Each side's people agree in the given share, disagree otherwise; round 1 then 2."""
    who, side, statement, round_, value = [], [], [], [], []
    for r in (1, 2):
        for label, size in n.items():
            agree = round(support[(label, r)] * size)
            for i in range(size):
                who.append(f"{label}{i}")
                side.append(label)
                statement.append(7)
                round_.append(r)
                value.append(1 if i < agree else -1)
    return who, side, statement, round_, value


def test_it_recovers_known_shifts_between_rounds() -> None:
    support = {("A", 1): 0.2, ("A", 2): 0.7, ("B", 1): 0.6, ("B", 2): 0.7}
    result = revote_shifts(*_votes(support, {"A": 60, "B": 90}), min_cell=5, n_boot=500)
    a, b = result.sides
    assert (a.side, a.n_paired, a.support_before, a.support_after) == ("A", 60, 0.2, 0.7)
    assert a.change == pytest.approx(0.5) and a.ci_low < 0.5 < a.ci_high
    assert b.change == pytest.approx(0.1) and b.ci_low <= 0.1 <= b.ci_high
    [gap] = result.gaps
    assert gap.distance_before == pytest.approx(0.4) and gap.distance_after == pytest.approx(0.0)
    assert gap.distance_change == pytest.approx(-0.4)
    assert gap.distance_ci is not None and gap.distance_ci[1] < 0  # the sides came closer
    assert gap.bridging_before == pytest.approx(0.2) and gap.bridging_after == pytest.approx(0.7)
    assert gap.bridging_ci is not None and gap.bridging_ci[0] > 0


def test_it_withholds_small_sides_and_their_gap() -> None:
    support = {("A", 1): 0.5, ("A", 2): 0.5, ("B", 1): 0.0, ("B", 2): 1.0}
    result = revote_shifts(*_votes(support, {"A": 20, "B": 3}), min_cell=5, n_boot=100)
    by_side = {s.side: s for s in result.sides}
    assert by_side["B"].withheld and by_side["B"].n_paired is None and by_side["B"].change is None
    assert not by_side["A"].withheld
    assert result.gaps[0].withheld and result.gaps[0].distance_change is None


def test_it_counts_the_last_vote_in_a_round_and_only_paired_voters() -> None:
    who = ["p1", "p1", "p2", "p1", "p2", "p3"]
    rounds = [1, 1, 1, 2, 2, 2]
    values = np.array([-1, 1, 1, -1, 1, 1])
    result = revote_shifts(who, ["A"] * 6, [3] * 6, rounds, values, min_cell=1, n_boot=50)
    [shift] = result.sides
    # p1 changed their mind within round 1 (agree counts), then disagreed in round 2; p3
    # voted in round 2 only and is not paired
    assert (shift.n_paired, shift.support_before, shift.support_after) == (2, 1.0, 0.5)
    assert shift.change == pytest.approx(-0.5)
    assert result.gaps[0].withheld  # one side: no distance between sides

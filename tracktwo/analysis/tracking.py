"""Re-votes across rounds: how support for tracking statements moved, per side and between sides.

A dialogue's facilitators mark some statements as *tracking* and put them to the
participants again in later rounds (meetings). Each participant's latest vote in a round
counts for that round. For every tracking statement and every later round ``r`` this module
compares round ``r`` with round 1 over the participants who voted in both (paired):

- per side, the **support** (share of agree votes) before and after and its paired change,
  with a t interval (:func:`tracktwo.analysis.evaluation.paired_change` on agree indicators);
- the **distance between the sides** (the largest difference in support between two sides)
  and the **bridging score** (the lowest side's support: high only when every side agrees),
  before and after, with a percentile bootstrap interval on each change (participants
  resampled within their side).

A side with fewer than ``min_cell`` paired voters is withheld, and with it the distance and
bridging rows of that statement and round. Pure computation: NumPy only, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tracktwo.analysis.evaluation import DEFAULT_LEVEL, paired_change

AGREE = 1


@dataclass(frozen=True)
class SideShift:
    """One side's support for one statement, round 1 against ``round``; None when withheld."""

    statement: int
    side: str
    round: int
    n_paired: int | None
    support_before: float | None
    support_after: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    withheld: bool


@dataclass(frozen=True)
class GapShift:
    """The distance between the sides and the bridging score, round 1 against ``round``."""

    statement: int
    round: int
    distance_before: float | None
    distance_after: float | None
    distance_change: float | None
    distance_ci: tuple[float, float] | None
    bridging_before: float | None
    bridging_after: float | None
    bridging_change: float | None
    bridging_ci: tuple[float, float] | None
    withheld: bool


@dataclass(frozen=True)
class TrackingResult:
    sides: tuple[SideShift, ...]
    gaps: tuple[GapShift, ...]
    min_cell: int
    level: float


def latest_votes(
    participant: Sequence[str], statement: Sequence[int], round_: Sequence[int], value: ArrayLike
) -> dict[tuple[int, int], dict[str, int]]:
    """(statement, round) -> participant -> their last vote in that round (input in time order)."""
    values = np.asarray(value, dtype=np.int64)
    if not len(participant) == len(statement) == len(round_) == values.size:
        raise ValueError("participant, statement, round and value must have the same length")
    found: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for who, s, r, v in zip(participant, statement, round_, values.tolist(), strict=True):
        found[(int(s), int(r))][who] = int(v)
    return found


def _gap_and_bridge(supports: Sequence[float]) -> tuple[float, float]:
    return float(max(supports) - min(supports)), float(min(supports))


def _bootstrap(
    pairs: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]],
    rng: np.random.Generator,
    n_boot: int,
    level: float,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Percentile intervals of the distance and bridging changes, resampling within sides."""
    gaps = np.empty(n_boot)
    bridges = np.empty(n_boot)
    for b in range(n_boot):
        before, after = [], []
        for x, y in pairs.values():
            pick = rng.integers(0, x.size, x.size)
            before.append(float(x[pick].mean()))
            after.append(float(y[pick].mean()))
        g0, b0 = _gap_and_bridge(before)
        g1, b1 = _gap_and_bridge(after)
        gaps[b], bridges[b] = g1 - g0, b1 - b0
    tail = (1.0 - level) / 2.0 * 100.0
    lo, hi = np.percentile(gaps, [tail, 100.0 - tail])
    blo, bhi = np.percentile(bridges, [tail, 100.0 - tail])
    return (float(lo), float(hi)), (float(blo), float(bhi))


def revote_shifts(
    participant: Sequence[str],
    side: Sequence[str],
    statement: Sequence[int],
    round_: Sequence[int],
    value: ArrayLike,
    *,
    min_cell: int = 5,
    level: float = DEFAULT_LEVEL,
    n_boot: int = 2000,
    seed: int = 0,
) -> TrackingResult:
    """Shifts of tracking statements between round 1 and each later round.

    Parameters
    ----------
    participant, side : sequence of str, shape (n,)
        The voter of each vote and their side (a participant keeps one side).
    statement, round_ : sequence of int, shape (n,)
        The statement voted on, and the round (1 = the first voting).
    value : array_like of int, shape (n,)
        +1 agree, -1 disagree, 0 pass; in time order (the last vote in a round counts).
    min_cell : int
        Sides with fewer paired voters are withheld.
    level : float
    n_boot : int
        Bootstrap resamples for the distance and bridging intervals.
    seed : int

    Returns
    -------
    TrackingResult
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    side_of = dict(zip(participant, side, strict=True))
    votes = latest_votes(participant, statement, round_, value)
    rng = np.random.default_rng(seed)
    sides_out: list[SideShift] = []
    gaps_out: list[GapShift] = []
    for s, r in sorted(k for k in votes if k[1] > 1):
        rows, pairs = _sides(s, r, votes.get((s, 1), {}), votes[(s, r)], side_of, min_cell, level)
        sides_out += rows
        withheld = any(row.withheld for row in rows)
        gaps_out.append(_gap(s, r, pairs, withheld, rng, n_boot, level))
    return TrackingResult(tuple(sides_out), tuple(gaps_out), min_cell, level)


Pairs = dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]


def _sides(
    s: int,
    r: int,
    first: dict[str, int],
    later: dict[str, int],
    side_of: dict[str, str],
    min_cell: int,
    level: float,
) -> tuple[list[SideShift], Pairs]:
    """Each side's support in round 1 and round ``r`` among its paired voters."""
    both = sorted(set(first) & set(later))
    rows: list[SideShift] = []
    pairs: Pairs = {}
    for label in sorted({side_of[p] for p in set(first) | set(later)}):
        people = [p for p in both if side_of[p] == label]
        x = np.array([first[p] == AGREE for p in people], dtype=np.float64)
        y = np.array([later[p] == AGREE for p in people], dtype=np.float64)
        if len(people) < max(min_cell, 2):
            rows.append(SideShift(s, label, r, None, None, None, None, None, None, True))
            continue
        change = paired_change(x, y, level=level)  # no spread: the interval is the change
        rows.append(
            SideShift(
                s,
                label,
                r,
                len(people),
                float(x.mean()),
                float(y.mean()),
                change.mean_change,
                change.ci_low,
                change.ci_high,
                False,
            )
        )
        pairs[label] = (x, y)
    return rows, pairs


def _gap(
    s: int,
    r: int,
    pairs: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]],
    withheld: bool,
    rng: np.random.Generator,
    n_boot: int,
    level: float,
) -> GapShift:
    if withheld or len(pairs) < 2:
        return GapShift(s, r, None, None, None, None, None, None, None, None, True)
    g0, b0 = _gap_and_bridge([float(x.mean()) for x, _ in pairs.values()])
    g1, b1 = _gap_and_bridge([float(y.mean()) for _, y in pairs.values()])
    gap_ci, bridge_ci = _bootstrap(pairs, rng, n_boot, level)
    return GapShift(s, r, g0, g1, g1 - g0, gap_ci, b0, b1, b1 - b0, bridge_ci, False)

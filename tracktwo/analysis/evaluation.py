"""Evaluation of change: paired change across survey waves, effect sizes, attrition.

Participants answer the same measures before the first meeting (``pre``), after the last
(``post``) and about a month later (``follow-up``). Their answers are linked across waves
by an opaque key, never by identity. This module turns long-format answers
``(respondent, side, wave, measure, value)`` into, per measure and per side:

- the **paired change** ``after - before`` over the respondents who answered the measure in
  both waves, with a two-sided t interval on its mean (``scipy.stats.ttest_rel`` gives the
  same interval);
- **Cohen's d_z**: the mean change divided by the standard deviation of the changes
  (Lakens 2013, eq. 5), the effect size of a within-person design;
- **Hedges' g** for two independent groups (e.g. the change of hawks against the change of
  doves): Cohen's d on the pooled standard deviation times the small-sample correction
  ``J = 1 - 3 / (4 (n_a + n_b) - 9)`` (Hedges & Olkin 1985), with a Welch t interval on
  the difference of means;
- **attrition**: respondents per wave and how many of the pre wave's are still there.

A result for a side answered by fewer than ``min_cell`` paired respondents is withheld
(numbers ``None``, ``withheld`` true); callers that show results beside totals apply the
site's complementary suppression on top (``tracktwo.insight.suppression``).

Several items of one measure are averaged into the measure's score per respondent and wave
(items skipped are left out of the mean); reverse-keyed items must be flipped by the caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

WAVES = ("pre", "post", "follow-up")
COMPARISONS = (("post", "pre"), ("follow-up", "pre"))
ALL_SIDES = "all"
DEFAULT_LEVEL = 0.95


@dataclass(frozen=True)
class PairedChange:
    """The change ``after - before`` of one measure over paired respondents.

    Attributes
    ----------
    n_paired : int
        Respondents with a value in both waves.
    mean_change, sd_change : float
        Mean and standard deviation (ddof=1) of the changes; ``nan`` where undefined.
    ci_low, ci_high : float
        Two-sided t interval on the mean change at ``level``; ``nan`` below two pairs.
    d_z : float
        Cohen's d_z, ``mean_change / sd_change``; ``nan`` below two pairs or with no spread.
    level : float
    """

    n_paired: int
    mean_change: float
    sd_change: float
    ci_low: float
    ci_high: float
    d_z: float
    level: float


@dataclass(frozen=True)
class UnpairedDifference:
    """The difference ``mean(a) - mean(b)`` of two independent groups.

    Attributes
    ----------
    n_a, n_b : int
    mean_difference : float
    ci_low, ci_high : float
        Welch t interval on the difference at ``level``.
    d : float
        Cohen's d on the pooled standard deviation.
    g : float
        Hedges' g: ``d`` times ``1 - 3 / (4 (n_a + n_b) - 9)``.
    level : float
    """

    n_a: int
    n_b: int
    mean_difference: float
    ci_low: float
    ci_high: float
    d: float
    g: float
    level: float


@dataclass(frozen=True)
class ChangeRow:
    """One line of the report: a measure, a side (or stance group), one comparison.

    ``comparison`` is ``"post-pre"`` or ``"follow-up-pre"``. When ``withheld`` every number
    but the comparison's labels is ``None``.
    """

    measure: str
    side: str
    comparison: str
    n_paired: int | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    d_z: float | None
    withheld: bool


@dataclass(frozen=True)
class WaveCount:
    """Respondents of a side in a wave, and how many of them also answered the pre wave.

    ``retained`` over the pre wave's count is the retention; ``1 - retention`` the attrition.
    """

    side: str
    wave: str
    respondents: int
    retained: int


@dataclass(frozen=True)
class EvaluationResult:
    """Everything :func:`analyze_change` finds; rows sorted by measure, side, comparison.

    Attributes
    ----------
    rows : tuple of ChangeRow
        Per measure, per side (and ``"all"``), per comparison.
    by_stance : tuple of ChangeRow
        The same per prior-stance group (``side`` holds the group), when stances are given.
    attrition : tuple of WaveCount
        Per side (and ``"all"``) and wave.
    min_cell : int
    level : float
    """

    rows: tuple[ChangeRow, ...]
    by_stance: tuple[ChangeRow, ...]
    attrition: tuple[WaveCount, ...]
    min_cell: int
    level: float


def _float(x: float | np.floating) -> float:
    return float(x)


def paired_change(
    before: ArrayLike, after: ArrayLike, *, level: float = DEFAULT_LEVEL
) -> PairedChange:
    """Paired change ``after - before`` with a t interval and Cohen's d_z.

    Parameters
    ----------
    before, after : array_like of float, shape (n,)
        One respondent per position; ``nan`` marks a skipped answer and drops the pair.
    level : float
        Two-sided confidence level of the interval.

    Returns
    -------
    PairedChange
    """
    a = np.asarray(before, dtype=np.float64)
    b = np.asarray(after, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("before and after must be 1-d arrays of the same length")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level {level!r} must be strictly between 0 and 1")
    keep = ~(np.isnan(a) | np.isnan(b))
    diff: NDArray[np.float64] = b[keep] - a[keep]
    n = int(diff.size)
    nan = float("nan")
    if n == 0:
        return PairedChange(0, nan, nan, nan, nan, nan, level)
    mean = _float(diff.mean())
    if n < 2:
        return PairedChange(n, mean, nan, nan, nan, nan, level)
    sd = _float(diff.std(ddof=1))
    half = _float(stats.t.ppf((1.0 + level) / 2.0, n - 1)) * sd / np.sqrt(n)
    d_z = mean / sd if sd > 0 else nan
    return PairedChange(n, mean, sd, mean - half, mean + half, d_z, level)


def unpaired_difference(
    a: ArrayLike, b: ArrayLike, *, level: float = DEFAULT_LEVEL
) -> UnpairedDifference:
    """Difference of means of two independent groups, Welch interval, Cohen's d, Hedges' g.

    Parameters
    ----------
    a, b : array_like of float, shape (n_a,) and (n_b,)
        ``nan`` values are dropped.
    level : float

    Returns
    -------
    UnpairedDifference
        Numbers are ``nan`` unless each group has at least two values.
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    n_a, n_b = int(x.size), int(y.size)
    nan = float("nan")
    if n_a < 2 or n_b < 2:
        return UnpairedDifference(n_a, n_b, nan, nan, nan, nan, nan, level)
    diff = _float(x.mean() - y.mean())
    va, vb = _float(x.var(ddof=1)), _float(y.var(ddof=1))
    pooled = np.sqrt(((n_a - 1) * va + (n_b - 1) * vb) / (n_a + n_b - 2))
    d = diff / pooled if pooled > 0 else nan
    g = d * (1.0 - 3.0 / (4.0 * (n_a + n_b) - 9.0))
    se2a, se2b = va / n_a, vb / n_b
    se = np.sqrt(se2a + se2b)
    if se > 0:
        df = (se2a + se2b) ** 2 / (se2a**2 / (n_a - 1) + se2b**2 / (n_b - 1))
        half = _float(stats.t.ppf((1.0 + level) / 2.0, df)) * se
    else:
        half = 0.0
    return UnpairedDifference(n_a, n_b, diff, diff - half, diff + half, d, g, level)


def stance_group(placement: float, *, low: float = 3.0, high: float = 5.0) -> str:
    """A hawk-dove self-placement (1 = dove ... 7 = hawk) as ``dove``, ``middle`` or ``hawk``."""
    if placement <= low:
        return "dove"
    if placement >= high:
        return "hawk"
    return "middle"


Scores = dict[tuple[str, str, str], float]  # (respondent, wave, measure) -> score


def measure_scores(
    respondent: Sequence[str], wave: Sequence[str], measure: Sequence[str], value: ArrayLike
) -> Scores:
    """The mean of each respondent's answered items per wave and measure.

    Parameters
    ----------
    respondent, wave, measure : sequence of str, shape (n,)
    value : array_like of float, shape (n,)
        ``nan`` (a skipped item) is left out.

    Returns
    -------
    dict mapping (respondent, wave, measure) to float
    """
    values = np.asarray(value, dtype=np.float64)
    if not len(respondent) == len(wave) == len(measure) == values.size:
        raise ValueError("respondent, wave, measure and value must have the same length")
    bins: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for who, w, m, v in zip(respondent, wave, measure, values.tolist(), strict=True):
        if w not in WAVES:
            raise ValueError(f"unknown wave {w!r}: expected one of {', '.join(WAVES)}")
        if not np.isnan(v):
            bins[(who, w, m)].append(v)
    return {key: float(np.mean(vs)) for key, vs in bins.items()}


def _row(
    measure: str, side: str, comparison: str, change: PairedChange, min_cell: int
) -> ChangeRow:
    if change.n_paired < min_cell or change.n_paired < 2:
        return ChangeRow(measure, side, comparison, None, None, None, None, None, True)

    def num(x: float) -> float | None:
        return None if np.isnan(x) else x

    return ChangeRow(
        measure,
        side,
        comparison,
        change.n_paired,
        num(change.mean_change),
        num(change.ci_low),
        num(change.ci_high),
        num(change.d_z),
        False,
    )


def change_rows(
    scores: Scores,
    groups: Mapping[str, Iterable[str]],
    *,
    min_cell: int,
    level: float = DEFAULT_LEVEL,
) -> list[ChangeRow]:
    """Paired change per measure, per group of respondents, per comparison.

    Parameters
    ----------
    scores : dict
        From :func:`measure_scores`.
    groups : mapping of str to iterable of str
        Group label (a side, a stance) to its respondents.
    min_cell : int
        Groups with fewer paired respondents are withheld.
    level : float

    Returns
    -------
    list of ChangeRow
    """
    measures = sorted({m for (_, _, m) in scores})
    rows = []
    for measure in measures:
        for label in sorted(groups):
            people = sorted(set(groups[label]))
            for after, before in COMPARISONS:
                x = [scores.get((p, before, measure), np.nan) for p in people]
                y = [scores.get((p, after, measure), np.nan) for p in people]
                change = paired_change(x, y, level=level) if people else paired_change([], [])
                rows.append(_row(measure, label, f"{after}-{before}", change, min_cell))
    return rows


def wave_counts(scores: Scores, groups: Mapping[str, Iterable[str]]) -> list[WaveCount]:
    """Respondents per group and wave (anyone with a score in it) and those retained from pre."""
    present: dict[str, set[str]] = defaultdict(set)
    for who, wave, _ in scores:
        present[wave].add(who)
    out = []
    for label in sorted(groups):
        people = set(groups[label])
        pre = people & present["pre"]
        for wave in WAVES:
            here = people & present[wave]
            out.append(WaveCount(label, wave, len(here), len(here & pre)))
    return out


def analyze_change(
    respondent: Sequence[str],
    side: Sequence[str],
    wave: Sequence[str],
    measure: Sequence[str],
    value: ArrayLike,
    *,
    stance: Mapping[str, str] | None = None,
    min_cell: int = 5,
    level: float = DEFAULT_LEVEL,
) -> EvaluationResult:
    """Paired change per measure and side, by prior stance, and attrition per wave.

    Parameters
    ----------
    respondent, side, wave, measure : sequence of str, shape (n,)
        Long-format answers; a respondent keeps one side.
    value : array_like of float, shape (n,)
        ``nan`` marks a skipped item.
    stance : mapping of str to str, optional
        Respondent to prior-stance group (e.g. from :func:`stance_group`).
    min_cell : int
        Results of fewer paired respondents are withheld.
    level : float

    Returns
    -------
    EvaluationResult
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    if len(side) != len(respondent):
        raise ValueError("respondent and side must have the same length")
    scores = measure_scores(respondent, wave, measure, value)
    sides: dict[str, set[str]] = defaultdict(set)
    seen: dict[str, str] = {}
    for who, s in zip(respondent, side, strict=True):
        if seen.setdefault(who, s) != s:
            raise ValueError(f"respondent {who!r} appears on two sides")
        sides[s].add(who)
    sides[ALL_SIDES] = set(seen)
    stances: dict[str, set[str]] = defaultdict(set)
    for who, group in (stance or {}).items():
        if who in seen:
            stances[group].add(who)
    return EvaluationResult(
        rows=tuple(change_rows(scores, sides, min_cell=min_cell, level=level)),
        by_stance=tuple(change_rows(scores, stances, min_cell=min_cell, level=level)),
        attrition=tuple(wave_counts(scores, sides)),
        min_cell=min_cell,
        level=level,
    )

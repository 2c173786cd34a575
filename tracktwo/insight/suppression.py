"""Small-cell suppression for everything that leaves the facilitators.

A tally "2 of the Upstream side disagreed" in a room where everyone knows who sits on
which side comes close to naming two people. So in participants' result views, exports
and briefs, every count by party, track, gender or opinion group that is above zero and
below the dialogue's threshold (``Dialogue.small_cell_threshold``, 5 by default) is
withheld (``None``), and so are enough other cells that no withheld count can be worked
out from the totals that are shown.

The method is the statistical offices' classic one, on a table with its margins:

1. **Primary suppression**: every cell, row total, column total or grand total ``v`` with
   ``0 < v < threshold``. A row whose total is primarily suppressed is withheld whole
   (a side heard by fewer than ``threshold`` voters says nothing at all).
2. **Complementary suppression**: the table is read as lines -- each row with its total,
   each column with its total, the totals row with the grand total. A line with exactly
   one withheld entry would give it away by subtraction, so another entry of that line
   is withheld too (the smallest non-zero inner cell first, a total last). This repeats
   until no line has exactly one withheld entry.

Rows that are never shown but count in the totals (e.g. voters without a declared side,
participants outside every opinion group) are passed as ``hidden`` rows: they are
unknowns to the reader from the start.

Shares and intervals are derived from counts, so they are shown only when both the count
they come from and its base are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.intervals import DEFAULT_LEVEL, agree_interval

Cell = int | None
TALLY_KEYS = ("agree", "disagree", "pass")


@dataclass(frozen=True)
class Protected:
    """A table after suppression: ``None`` marks a withheld value.

    Attributes
    ----------
    cells : list of rows (lists) of int or None
    row_totals : list of int or None
    column_totals : list of int or None
    total : int or None
    """

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def suppression_mask(
    table: NDArray[np.int64],
    threshold: int,
    *,
    hidden: Sequence[bool] = (),
    totals_known: bool = False,
) -> NDArray[np.bool_]:
    """Which entries of a table with margins to withhold.

    Parameters
    ----------
    table : ndarray of int64, shape (R + 1, C + 1)
        Inner cells ``[:R, :C]``, row totals in the last column, column totals in the last
        row, the grand total in the corner (the margins must be the sums).
    threshold : int
        Counts ``0 < v < threshold`` are withheld.
    hidden : sequence of bool, length R, optional
        Rows that are never shown (unknown to the reader) but count in the totals.
    totals_known : bool
        The column totals and the grand total are published elsewhere (e.g. a statement's
        overall tally): they are never withheld, and protection works around them.

    Returns
    -------
    ndarray of bool, shape (R + 1, C + 1)

    Kept in one piece: the primary and complementary suppression rounds share their state until
    no cell can be worked out.
    """
    n_rows, n_cols = table.shape[0] - 1, table.shape[1] - 1
    fixed = np.zeros(table.shape, np.bool_)
    if totals_known:
        fixed[n_rows, :] = True
    mask = (table > 0) & (table < threshold) & ~fixed
    for r in range(n_rows):
        if mask[r, n_cols] or (r < len(hidden) and hidden[r]):
            mask[r, :] = True
    if n_cols > 1:
        lines = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
        lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    else:  # one column: the row totals repeat the cells, the column is the only line
        lines = [[(r, 0) for r in range(n_rows + 1)]]
        mask[:, 1] = mask[:, 0] = mask[:, 0] | mask[:, 1]

    def cost(cell: tuple[int, int]) -> tuple[bool, bool, int]:
        r, c = cell
        value = int(table[cell])
        return (r == n_rows or c == n_cols, value == 0, value)

    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for cell in line if mask[cell]) != 1:
                continue
            candidates = [cell for cell in line if not mask[cell] and not fixed[cell]]
            if not candidates:  # cannot be protected within the line: withhold it all
                mask |= ~fixed
                return mask
            chosen = min(candidates, key=cost)
            mask[chosen] = True
            if n_cols == 1:
                mask[chosen[0], :] = True
            changed = True
    return mask


def protect(
    cells: Sequence[Sequence[int]] | NDArray[np.int64],
    threshold: int,
    *,
    hidden: Sequence[bool] = (),
    totals_known: bool = False,
) -> Protected:
    """Suppress a table of counts (rows x columns) with its row, column and grand totals.

    See :func:`suppression_mask` for ``hidden`` and ``totals_known``.
    """
    inner = np.asarray(cells, dtype=np.int64)
    if inner.ndim != 2:
        raise ValueError("cells must be a 2-d table")
    n_rows, n_cols = inner.shape
    table = np.zeros((n_rows + 1, n_cols + 1), np.int64)
    table[:n_rows, :n_cols] = inner
    table[:n_rows, n_cols] = inner.sum(axis=1)
    table[n_rows, :n_cols] = inner.sum(axis=0)
    table[n_rows, n_cols] = inner.sum()
    mask = suppression_mask(table, threshold, hidden=hidden, totals_known=totals_known)

    def value(r: int, c: int) -> Cell:
        return None if mask[r, c] else int(table[r, c])

    return Protected(
        cells=[[value(r, c) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[value(r, n_cols) for r in range(n_rows)],
        column_totals=[value(n_rows, c) for c in range(n_cols)],
        total=value(n_rows, n_cols),
    )


def _with_rest(
    rows: Sequence[Sequence[int]], overall: Sequence[int]
) -> tuple[list[list[int]], list[bool]]:
    """The rows, plus a hidden row for what the overall counts hold beyond them (if any)."""
    table = [list(map(int, row)) for row in rows]
    hidden = [False] * len(table)
    width = len(overall)
    sums = [sum(row[c] for row in table) for c in range(width)]
    rest = [int(overall[c]) - sums[c] for c in range(width)]
    if any(v < 0 for v in rest):
        raise ValueError("the rows add up to more than the overall counts")
    if any(rest):
        table.append(rest)
        hidden.append(True)
    return table, hidden


def tally(
    agree: Cell,
    disagree: Cell,
    passes: Cell,
    n: Cell,
    level: float,
    band: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A support bar: counts, agree share and its Wilson interval (None where withheld),
    and where the share is withheld its coarse band (see :func:`coarse_band`), if any."""
    shown = agree is not None and n is not None and n > 0
    low, high = agree_interval(agree or 0, n or 0, level) if shown else (None, None)
    return {
        "agree": agree,
        "disagree": disagree,
        "pass": passes,
        "n": n,
        "share": round(agree / n, 4) if shown and agree is not None and n else None,
        "low": None if low is None else round(float(low), 4),
        "high": None if high is None else round(float(high), 4),
        "band": None if shown else band,
    }


def protect_tallies(
    rows: Mapping[str, Sequence[int]],
    overall: Sequence[int],
    threshold: int | None,
    *,
    level: float = DEFAULT_LEVEL,
) -> dict[str, dict[str, Any]]:
    """Agree/disagree/pass tallies per party (or group, track...) for one statement.

    ``rows`` maps each label to ``(agree, disagree, pass)``; ``overall`` is the same over
    everyone (it may hold voters outside every row). ``threshold`` None means no
    suppression (the facilitators' own view). Returns ``{label: tally}``, and the overall
    tally under the key ``"overall"`` when it is not itself a label.
    """
    labels = list(rows)
    out: dict[str, dict[str, Any]] = {}
    if threshold is None:
        for label, row in [*((label, rows[label]) for label in labels), ("overall", overall)]:
            a, d, p = (int(v) for v in row)
            out.setdefault(label, tally(a, d, p, a + d + p, level))
        return out
    table, hidden = _with_rest([rows[label] for label in labels], overall)
    protected = protect(table, threshold, hidden=hidden, totals_known=True)
    for i, label in enumerate(labels):
        ca, cd, cp = protected.cells[i]
        real = [int(v) for v in rows[label]]
        band = coarse_band(real[0], sum(real))
        out[label] = tally(ca, cd, cp, protected.row_totals[i], level, band)
    ta, td, tp = protected.column_totals
    out.setdefault("overall", tally(ta, td, tp, protected.total, level))
    return out


def protect_sizes(
    sizes: Mapping[Any, int], total: int, threshold: int | None
) -> tuple[dict[Any, Cell], Cell]:
    """Head counts per label (groups, parties...) and the total they are part of.

    ``total`` may exceed the sum (people in no group): the difference is a hidden row.
    """
    labels = list(sizes)
    if threshold is None:
        return {label: int(sizes[label]) for label in labels}, int(total)
    table, hidden = _with_rest([[int(sizes[label])] for label in labels], [int(total)])
    protected = protect(table, threshold, hidden=hidden, totals_known=True)
    shown = {label: protected.cells[i][0] for i, label in enumerate(labels)}
    return shown, protected.total


def crosstab(
    table: Mapping[str, Mapping[str, int]], threshold: int | None
) -> dict[str, dict[str, Cell]]:
    """A contingency table (e.g. sides against groups): ``{row: {column: count}}``."""
    rows = list(table)
    columns = list(dict.fromkeys(col for row in rows for col in table[row]))
    if threshold is None or not rows or not columns:
        return {row: dict(table[row]) for row in rows}
    cells = [[int(table[row].get(col, 0)) for col in columns] for row in rows]
    protected = protect(cells, threshold)
    return {
        row: {col: protected.cells[i][j] for j, col in enumerate(columns)}
        for i, row in enumerate(rows)
    }


# -- coarse bands for withheld shares ----------------------------------------------------
#
# Where a side's tally is withheld, its agree share may still be told in fifths ("at least
# 4 in 5"), by this rule (docs/security.md, "Coarse bands"):
#
# 1. The shares are cut into five bands: [0, 1/5), [1/5, 2/5), [2/5, 3/5), [3/5, 4/5),
#    [4/5, 1]. For a side of ``n`` voters, each band holds the agree counts ``j`` (0..n)
#    whose share ``j / n`` falls in it.
# 2. A band is fit to publish when the counts it holds are at least two, and one of them
#    is neither 0 nor ``n``: then no count is pinned (no small cell is revealed) and, for
#    each voter, the band fits both their having agreed and their not having agreed, so no
#    single vote can be inferred -- even by a reader who knows the rule and ``n``.
# 3. A band that is not fit (and holds a count) is merged with its neighbour towards the
#    middle, and so on, until every band holding a count is fit. One band left covering
#    everything says nothing, and is not published.
#
# The band published for a count is the merged band holding it: a function of ``n`` and the
# band alone, so the reader learns exactly "the count is one of those the band holds".

FIFTHS = 5


def _fifth(j: int, n: int) -> int:
    return min(FIFTHS - 1, (FIFTHS * j) // n)


def band_partition(n: int) -> list[tuple[int, int]]:
    """The merged bands for a side of ``n`` voters: runs ``(first, last)`` of fifths."""
    if n < 1:
        return []
    runs = [(i, i) for i in range(FIFTHS)]

    def counts(run: tuple[int, int]) -> list[int]:
        return [j for j in range(n + 1) if run[0] <= _fifth(j, n) <= run[1]]

    def fit(run: tuple[int, int]) -> bool:
        held = counts(run)
        return not held or (len(held) >= 2 and any(0 < j < n for j in held))

    while len(runs) > 1:
        bad = next((i for i, run in enumerate(runs) if not fit(run)), None)
        if bad is None:
            break
        other = bad + 1 if bad < len(runs) / 2 - 0.5 else bad - 1
        low, high = sorted((bad, other))
        runs[low : high + 1] = [(runs[low][0], runs[high][1])]
    return runs


def coarse_band(agree: int, n: int) -> tuple[float, float] | None:
    """The published band ``(low, high)`` of the agree share, or None when none may be."""
    if n < 1 or not 0 <= agree <= n:
        return None
    runs = band_partition(n)
    if len(runs) <= 1:
        return None
    fifth = _fifth(agree, n)
    first, last = next(run for run in runs if run[0] <= fifth <= run[1])
    return first / FIFTHS, (last + 1) / FIFTHS


def band_text(band: tuple[float, float]) -> str:
    """How a band reads: "at least 4 in 5", "fewer than 2 in 5", "between 2 and 3 in 5"."""
    from django.utils.translation import gettext as _

    first, last = round(band[0] * FIFTHS), round(band[1] * FIFTHS)
    if last == FIFTHS:
        return _("at least %(n)d in 5 agree") % {"n": first}
    if first == 0:
        return _("fewer than %(n)d in 5 agree") % {"n": last}
    return _("between %(low)d and %(high)d in 5 agree") % {"low": first, "high": last}


def band_counts(band: tuple[float, float], n: int) -> list[int]:
    """The agree counts of a side of ``n`` voters that a published band stands for."""
    first, last = round(band[0] * FIFTHS), round(band[1] * FIFTHS) - 1
    return [j for j in range(n + 1) if first <= _fifth(j, n) <= last]

"""Count tables for print, small cells suppressed by the project's one rule.

The suppression itself -- primary (``0 < v < threshold``) and complementary, on the
table with its margins -- is :func:`tracktwo.insight.suppression.protect`, the same
the participants' result views use. This module lays the result out for a brief.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracktwo.insight.suppression import protect

SUPPRESSED = "–"


@dataclass(frozen=True)
class CountTable:
    """A count table ready to print: ``cells[r][c]`` are strings (a number or ``SUPPRESSED``).

    The last row is the column totals and the last column the row totals.
    """

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    threshold: int

    @property
    def any_suppressed(self) -> bool:
        return any(SUPPRESSED in row for row in self.cells)


def suppress(
    counts: Sequence[Sequence[int]],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    threshold: int,
    *,
    total_label: str = "Total",
) -> CountTable:
    """The table with margins, small cells and their complements suppressed."""
    n_cols = len(column_labels)
    if len(row_labels) != len(counts) or any(len(row) != n_cols for row in counts):
        raise ValueError("counts do not match the row and column labels")
    protected = protect([list(row) for row in counts], threshold)

    def show(value: int | None) -> str:
        return SUPPRESSED if value is None else str(value)

    rows = [
        (*map(show, cells), show(total))
        for cells, total in zip(protected.cells, protected.row_totals, strict=True)
    ]
    rows.append((*map(show, protected.column_totals), show(protected.total)))
    return CountTable(
        row_labels=(*row_labels, total_label),
        column_labels=(*column_labels, total_label),
        cells=tuple(rows),
        threshold=threshold,
    )

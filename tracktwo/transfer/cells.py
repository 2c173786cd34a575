"""Small-cell suppression of a count table with its margins, complementary included.

A table of counts (rows x columns) is published with its row totals, column totals
and grand total. A count from 1 to ``threshold - 1`` is *primary*-suppressed. Then,
so that no suppressed count can be worked out by subtraction, every line of the table
(a row with its row total, a column with its column total) must hold either no
suppressed entry or at least two: where a line holds exactly one, the smallest other
non-zero count of the line is suppressed too (a zero is chosen only when there is no
other, and the line's total when the line has nothing left). Suppressing one entry can
break another line, so this repeats until every line is safe.

Zeros are shown: a zero reveals nobody. Totals below the threshold are suppressed like
any other count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    n_rows, n_cols = len(counts), len(column_labels)
    if len(row_labels) != n_rows or any(len(row) != n_cols for row in counts):
        raise ValueError("counts do not match the row and column labels")
    full = [[*map(int, row), sum(row)] for row in counts]
    full.append([sum(full[r][c] for r in range(n_rows)) for c in range(n_cols + 1)])
    hidden = [[0 < value < threshold for value in row] for row in full]
    lines = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            suppressed = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(suppressed) != 1:
                continue
            *inner, margin = line
            open_inner = [cell for cell in inner if not hidden[cell[0]][cell[1]]]
            nonzero = [cell for cell in open_inner if full[cell[0]][cell[1]] > 0]
            pool = nonzero or open_inner
            if pool:
                r, c = min(pool, key=lambda cell: (full[cell[0]][cell[1]], cell))
            else:
                r, c = margin
            hidden[r][c] = True
            changed = True
    cells = tuple(
        tuple(SUPPRESSED if hidden[r][c] else str(full[r][c]) for c in range(n_cols + 1))
        for r in range(n_rows + 1)
    )
    return CountTable(
        row_labels=(*row_labels, total_label),
        column_labels=(*column_labels, total_label),
        cells=cells,
        threshold=threshold,
    )

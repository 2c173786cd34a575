"""Small-cell suppression: small counts withheld, and never recoverable from a single line."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.insight.suppression import protect, protect_sizes, protect_tallies, suppression_mask


def with_margins(cells: list[list[int]]) -> np.ndarray:
    inner = np.array(cells, np.int64)
    table = np.zeros((inner.shape[0] + 1, inner.shape[1] + 1), np.int64)
    table[:-1, :-1] = inner
    table[:-1, -1] = inner.sum(axis=1)
    table[-1, :-1] = inner.sum(axis=0)
    table[-1, -1] = inner.sum()
    return table


def lines(table: np.ndarray) -> list[list[tuple[int, int]]]:
    rows, cols = table.shape
    if cols == 2:  # one column: the column with its total is the only line
        return [[(r, 0) for r in range(rows)]]
    return [[(r, c) for c in range(cols)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(cols)
    ]


def test_it_withholds_a_side_heard_by_few_and_a_complement() -> None:
    # Upstream: 3 voters (all agree); Downstream 20. Overall tallies are published.
    shown = protect_tallies({"Upstream": [3, 0, 0], "Downstream": [12, 6, 2]}, [15, 6, 2], 5)
    assert shown["Upstream"]["n"] is None and shown["Upstream"]["agree"] is None
    assert shown["Upstream"]["share"] is None and shown["Upstream"]["low"] is None
    # Otherwise Downstream's agree (12) and the overall agree (15) would give Upstream's 3.
    assert shown["Downstream"]["agree"] is None
    assert shown["overall"] == {
        **shown["overall"],
        "agree": 15,
        "disagree": 6,
        "pass": 2,
        "n": 23,
    }


def test_it_shows_everything_when_no_cell_is_small() -> None:
    shown = protect_tallies({"A": [10, 6, 0], "B": [7, 9, 5]}, [17, 15, 5], 5)
    assert shown["A"]["agree"] == 10 and shown["A"]["pass"] == 0 and shown["B"]["pass"] == 5
    assert shown["A"]["share"] == round(10 / 16, 4)
    assert shown["A"]["low"] is not None and shown["A"]["low"] < 10 / 16 < shown["A"]["high"]


def test_it_shows_facilitators_everything() -> None:
    shown = protect_tallies({"A": [1, 0, 0], "B": [7, 9, 5]}, [8, 9, 5], None)
    assert shown["A"]["agree"] == 1 and shown["A"]["n"] == 1


def test_it_counts_people_outside_every_row_as_unknown() -> None:
    # Groups of 13 and 3 among 16 voters, all grouped: 16 - 13 would give the 3 away.
    sizes, total = protect_sizes({0: 13, 1: 3}, 16, 5)
    assert total == 16 and sizes == {0: None, 1: None}
    # Groups of 12 and 3 and one voter in no group: the 3 is one of 0..4, the 12 can show.
    sizes, total = protect_sizes({0: 12, 1: 3}, 16, 5)
    assert total == 16 and sizes == {0: 12, 1: None}
    sizes, total = protect_sizes({0: 12, 1: 9}, 21, 5)
    assert sizes == {0: 12, 1: 9}


def test_it_withholds_the_whole_table_when_nothing_can_hide_a_cell() -> None:
    protected = protect([[2, 1]], 5, totals_known=True)
    assert protected.cells == [[None, None]] and protected.row_totals == [None]
    assert protected.column_totals == [2, 1]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols),
            min_size=1,
            max_size=6,
        )
    ),
    st.integers(min_value=2, max_value=10),
    st.booleans(),
)
def test_it_never_leaves_a_withheld_value_alone_in_a_line(
    cells: list[list[int]], threshold: int, totals_known: bool
) -> None:
    table = with_margins(cells)
    mask = suppression_mask(table, threshold, totals_known=totals_known)
    small = (table > 0) & (table < threshold)
    if totals_known:
        small[-1, :] = False
        assert not mask[-1, :].any()
    assert (mask | ~small).all(), "every small count is withheld"
    fixed = np.zeros(table.shape, np.bool_)
    if totals_known:
        fixed[-1, :] = True
    for line in lines(table):
        withheld = [cell for cell in line if mask[cell]]
        if len(withheld) == 1:  # allowed only where nothing else in the line could be withheld
            assert all(fixed[cell] for cell in line if cell != withheld[0]), (line, mask)

"""Pools and quotas from CSV: every mistake names the file, the line and the field."""

from __future__ import annotations

import pytest

from tracktwo.analysis.selection import SelectionProblem
from tracktwo.analysis.selection_csv import read_pool, read_quotas


def test_it_reads_quotas_and_a_pool() -> None:
    quotas = read_quotas("category,value,min,max\nside,A,1,2\nside,B,1,2\n", "q.csv")
    assert [(q.label, q.min, q.max) for q in quotas] == [("side=A", 1, 2), ("side=B", 1, 2)]
    pool = read_pool(
        "id,side,home\nx,A,h1\ny,B,h1\n", ["side"], name="p.csv", household_column="home"
    )
    assert [(c.id, c.values["side"], c.household) for c in pool] == [
        ("x", "A", "h1"),
        ("y", "B", "h1"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("category,value,min\nside,A,1\n", "q.csv, line 1: missing column 'max'"),
        (
            "category,value,min,max\nside,A,one,2\n",
            "q.csv, line 2, field min: 'one' is not a whole number",
        ),
        ("category,value,min,max\nside,A,1,2\nside,,1,2\n", "q.csv, line 3, field value: empty"),
        (
            "category,value,min,max\nside,A,3,2\n",
            "q.csv, line 2: quota side=A has min 3 above max 2",
        ),
        ("category,value,min,max\nside,A,1\n", "q.csv, line 2: 3 fields, the header has 4"),
        ("", "q.csv: the file is empty"),
    ],
)
def test_it_names_the_line_and_field_of_a_bad_quota(text: str, message: str) -> None:
    with pytest.raises(SelectionProblem) as raised:
        read_quotas(text, "q.csv")
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,gender\nx,w\n", "p.csv, line 1: missing column 'side'"),
        ("id,side\nx,A\nx,B\n", "p.csv, line 3, field id: 'x' already on line 2"),
        ("id,side\nx,\n", "p.csv, line 2, field side: empty"),
        ("id,side\n,A\n", "p.csv, line 2, field id: empty"),
    ],
)
def test_it_names_the_line_and_field_of_a_bad_candidate(text: str, message: str) -> None:
    with pytest.raises(SelectionProblem) as raised:
        read_pool(text, ["side"], name="p.csv")
    assert str(raised.value) == message

"""The facilitators' opinion map is made from whole arrays (no Python work per participant
but making each point): the same anonymous points as one by one -- every participant with a
finite position, rounded to 3 decimals, sorted by position then group, no id -- on a real
Pol.is conversation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from tracktwo.analysis.engine import analyze
from tracktwo.analysis.polis_io import read_polis
from tracktwo.insight.facilitators_cut import opinion_map


def test_it_draws_the_same_points_as_one_by_one(shared_data: Path) -> None:
    result = analyze(read_polis(shared_data / "polis-opendata" / "vtaiwan.uberx"))
    listable = np.ones(len(result.statement_ids), dtype=np.bool_)
    drawn = opinion_map(result, listable)
    one_by_one = sorted(
        (round(float(x), 3), round(float(y), 3), int(g))
        for (x, y), g in zip(result.projection, result.group_labels, strict=True)
        if np.isfinite(x) and np.isfinite(y)
    )
    assert [(p.x, p.y, p.group) for p in drawn.points] == one_by_one
    assert len(one_by_one) > 1000 and len({g for _, _, g in one_by_one}) > 1
    assert all(type(p.x) is float and type(p.group) is int for p in drawn.points)
    assert [f.name for f in dataclasses.fields(drawn.points[0])] == ["x", "y", "group"]

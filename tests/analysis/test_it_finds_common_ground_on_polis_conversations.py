"""On real Pol.is conversations, with Pol.is's opinion groups standing in for declared sides.

Cross-side common ground must be a subset of what every group agrees with, counted here
independently from ``participants-votes.csv`` (Pol.is's own last vote per participant and
comment), not through our vote reader.
"""

from pathlib import Path

import polars as pl
import pytest

from tracktwo.analysis.cross_party import cross_party
from tracktwo.analysis.parties import parties_from_mapping
from tracktwo.analysis.polis_io import read_polis, read_polis_groups

CONVERSATIONS = ["brexit-consensus", "canadian-electoral-reform", "scoop-hivemind.ubi"]


def group_agreement(folder: Path) -> dict[int, dict[int, tuple[int, int]]]:
    """{comment: {group: (agrees, votes)}} straight from participants-votes.csv."""
    frame = pl.read_csv(folder / "participants-votes.csv", infer_schema_length=0)
    fixed = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    comments = [c for c in frame.columns if c not in fixed]
    frame = frame.filter(pl.col("group-id").is_not_null())
    out: dict[int, dict[int, tuple[int, int]]] = {}
    for comment in comments:
        cells = frame.select(pl.col("group-id").cast(pl.Int64), pl.col(comment).cast(pl.Int64))
        tallies = (
            cells.drop_nulls()
            .group_by("group-id")
            .agg((pl.col(comment) == 1).sum().alias("a"), pl.len().alias("n"))
        )
        out[int(comment)] = {int(g): (int(a), int(n)) for g, a, n in tallies.iter_rows()}
    return out


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_it_finds_common_ground_only_where_every_group_agrees(shared_data: Path, name: str) -> None:
    folder = shared_data / "polis-opendata" / name
    events = read_polis(folder)
    groups = read_polis_groups(folder)
    parties = parties_from_mapping(
        {p: f"group {g}" for p, g in groups.items()}, events.participant_ids
    )
    report = cross_party(events, parties, groups=groups)
    tallies = group_agreement(folder)
    n_groups = len(set(groups.values()))
    listed = [report.statement_ids[i] for i in report.common_ground]
    assert listed, f"{name}: no common ground found at all"
    for statement in listed:
        per_group = tallies[int(statement)]
        assert len(per_group) == n_groups
        for agrees, votes in per_group.values():
            assert agrees / votes >= report.threshold  # a fortiori a majority of the group
    # and the per-side counts are Pol.is's own
    for i in report.common_ground[:5]:
        per_group = tallies[int(report.statement_ids[i])]
        for k, party in enumerate(report.parties):
            assert (report.agree[k, i], report.n[k, i]) == per_group[int(party.split()[1])]
    # sides and groups line up exactly when the sides are the groups
    table = report.sides_and_groups
    assert table is not None and not table.split_sides() and not table.spanning_groups()

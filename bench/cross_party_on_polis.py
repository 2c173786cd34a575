"""Cross-side common ground on the 17 real Pol.is conversations, Pol.is's groups as sides.

For each conversation in ``../shared/data/polis-opendata`` we take Pol.is's own
``group-id`` (participants-votes.csv) as stand-in declared sides and run the cross-side
analysis with its defaults (threshold 0.6 on the 90% Wilson lower bound, at least 5
votes per side). Independently of our reader, the per-group agree shares are counted
straight from ``participants-votes.csv`` with polars, and we check that every
common-ground statement is one that every group agrees with (agree share >= 0.6, hence
a majority, in every group). Also shown: how many statements every group agrees with
by the point estimate alone, and the bridging fit's verdict on the common ground.

    .venv/bin/python bench/cross_party_on_polis.py [DATA_FOLDER]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tracktwo.analysis.bridging import bridging_scores  # noqa: E402
from tracktwo.analysis.cross_party import cross_party  # noqa: E402
from tracktwo.analysis.parties import PartyInputError, parties_from_mapping  # noqa: E402
from tracktwo.analysis.polis_io import read_polis, read_polis_groups  # noqa: E402

FIXED = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


def group_shares(folder: Path) -> dict[int, dict[int, tuple[int, int]]]:
    """{comment: {group: (agrees, votes)}} from participants-votes.csv, passes counted."""
    frame = pl.read_csv(folder / "participants-votes.csv", infer_schema_length=0)
    comments = [c for c in frame.columns if c not in FIXED]
    long = (
        frame.filter(pl.col("group-id").is_not_null())
        .select(["group-id", *comments])
        .unpivot(index="group-id", variable_name="comment", value_name="vote")
        .drop_nulls("vote")
        .with_columns(pl.col("group-id").cast(pl.Int64), pl.col("vote").cast(pl.Int64))
        .group_by("comment", "group-id")
        .agg((pl.col("vote") == 1).sum().alias("a"), pl.len().alias("n"))
    )
    out: dict[int, dict[int, tuple[int, int]]] = {}
    for comment, group, a, n in long.iter_rows():
        out.setdefault(int(comment), {})[int(group)] = (int(a), int(n))
    return out


def every_group_agrees(
    shares: dict[int, dict[int, tuple[int, int]]], n_groups: int, at_least: float
) -> set[int]:
    return {
        c
        for c, per in shares.items()
        if len(per) == n_groups and all(a / n >= at_least for a, n in per.values())
    }


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    folders = sorted((data / "polis-opendata").iterdir())
    print(
        "| conversation | grouped | groups | statements | common ground | every group >= 0.6 "
        "(point) | every group majority | subset | shared rejection | divides | "
        "bridging mu | common ground: median intercept, median abs factor, bridges | read + analyse |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    all_ok = True
    for folder in folders:
        started = time.perf_counter()
        events = read_polis(folder)
        groups = read_polis_groups(folder)
        n_groups = len(set(groups.values()))
        try:
            parties = parties_from_mapping(
                {p: f"group {g}" for p, g in groups.items()}, events.participant_ids
            )
        except PartyInputError as exc:
            print(f"| {folder.name} | {len(groups)} | {n_groups} | - | not run: {exc} |")
            continue
        report = cross_party(events, parties, groups=groups)
        bridging = bridging_scores(events)
        elapsed = time.perf_counter() - started
        shares = group_shares(folder)
        listed = {int(report.statement_ids[i]) for i in report.common_ground}
        point = every_group_agrees(shares, n_groups, report.threshold)
        majority = every_group_agrees(shares, n_groups, 0.5 + 1e-12)
        subset = listed <= point <= majority
        all_ok &= subset
        cg = report.common_ground
        bridges = int(bridging.bridges[cg].sum())
        if cg.size:
            median_int = f"{float(np.median(bridging.intercept[cg])):.2f}"
            median_fac = f"{float(np.median(np.abs(bridging.factor[cg]))):.2f}"
        else:
            median_int = median_fac = "-"
        print(
            f"| {folder.name} | {len(groups):,} | {n_groups} | {len(events.statements):,} | "
            f"{len(listed)} | {len(point)} | {len(majority)} | {'yes' if subset else 'NO'} | "
            f"{report.shared_rejection.size} | {report.divides.size} | {bridging.mu:.2f} | "
            f"{median_int}, {median_fac}, {bridges} of {len(listed)} | "
            f"{elapsed:.1f} s |"
        )
    print()
    print("every common-ground list is a subset of what every group agrees with:", all_ok)


if __name__ == "__main__":
    main()

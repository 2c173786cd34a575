"""Load the five Pol.is API fixtures in shared/data/polis-math (votes.json, comments.json and
Pol.is's own math output math-pca2.json) for number-for-number checks.

Sign: ``votes.json`` uses the export sign (agree = +1). Checked here empirically: the column
means of the votes negated equal math-pca2.json's ``pca.center`` (Pol.is's internal sign,
agree = -1) to 1e-14 on four fixtures, while the votes as given are off by up to 2.0
(``test_it_matches_polis_pca.py`` asserts this).

The 50-participant fixture's votes.json lacks participant 50, whom Pol.is counted
(``user-vote-counts``: 4 votes; not in-conv). Without them exactly four columns' means differ
from Pol.is's centre (statements 1, 4, 12 and 20), and one disagree on each of those four, and
nothing else, reconciles every column (also asserted in the tests). ``load`` restores those
four votes so that the rest of the pipeline can be compared; the restored votes are derived
from Pol.is's published centre and vote count, nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tracktwo.analysis.votes import Statements, VoteEvents, from_arrays

FIXTURES = (
    "150ptpt-3gp-no-strict-no-meta",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "above-100-ptpts",
    "below-100-ptpts",
)
RESTORED = {"50ptpt-3gp-strict-no-meta": (50, {1: -1, 4: -1, 12: -1, 20: -1})}


@dataclass(frozen=True)
class Fixture:
    name: str
    events: VoteEvents
    math: dict[str, Any]


def _get(record: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in record:
            return record[key]
    raise KeyError(f"none of {keys} in {sorted(record)}")


def load(folder: Path, restore: bool = True) -> Fixture:
    votes = json.loads((folder / "votes.json").read_text())
    comments = json.loads((folder / "comments.json").read_text())
    math = json.loads((folder / "math-pca2.json").read_text())
    comments = sorted(comments, key=lambda c: int(_get(c, "tid", "statement_id")))
    statements = Statements(
        tuple(int(_get(c, "tid", "statement_id")) for c in comments),
        tuple(str(c["txt"]) for c in comments),
        np.array([int(_get(c, "mod", "moderated")) for c in comments], np.int8),
        np.array([bool(c["is_meta"]) for c in comments], np.bool_),
    )
    pids = [int(_get(v, "pid", "participant_id")) for v in votes]
    tids = [int(_get(v, "tid", "statement_id")) for v in votes]
    values = [int(v["vote"]) for v in votes]
    times = [float(v["modified"]) / 1000.0 for v in votes]
    if restore and folder.name in RESTORED:
        pid, cast = RESTORED[folder.name]
        last = max(times)
        for tid, vote in cast.items():
            pids.append(pid)
            tids.append(tid)
            values.append(vote)
            times.append(last)
    events = from_arrays(
        np.array(pids), np.array(tids), np.array(values, np.int8), np.array(times), statements
    )
    return Fixture(folder.name, events, math)


def polis_base_clusters(math: dict[str, Any]) -> tuple[list[int], list[list[int]], np.ndarray]:
    """Pol.is's base clusters sorted by id: ids, member participant ids, centres (k, 2)."""
    folded = math["base-clusters"]
    order = np.argsort(folded["id"], kind="stable")
    ids = [int(folded["id"][i]) for i in order]
    members = [[int(p) for p in folded["members"][i]] for i in order]
    centres = np.array([[folded["x"][i], folded["y"][i]] for i in order])
    return ids, members, centres


def polis_groups(math: dict[str, Any]) -> dict[int, int]:
    """Pol.is's group of each clustered participant."""
    _ids, members, _centres = polis_base_clusters(math)
    base_of = dict(zip(_ids, members, strict=True))
    group_of: dict[int, int] = {}
    for group in math["group-clusters"]:
        for bid in group["members"]:
            for pid in base_of[bid]:
                group_of[pid] = int(group["id"])
    return group_of


def planted(
    sizes: tuple[int, ...] = (40, 30, 20),
    n_statements: int = 30,
    seed: int = 1,
    coverage: float = 0.8,
    noise: float = 0.1,
) -> tuple[VoteEvents, np.ndarray]:
    """A synthetic conversation with planted opinion groups: each group has a stance per
    statement (agree/disagree/pass); members vote on ``coverage`` of the statements, each vote
    flipped at random with probability ``noise``. Participants are numbered in a random order
    (as people join a real conversation), not group by group: Pol.is seeds its k-means from
    the first points in rating-matrix row order, so numbering the groups one after the other
    would seed every centre in the first group. Returns the events (in time order) and each
    participant's planted group."""
    rng = np.random.default_rng(seed)
    numbering = np.random.default_rng([seed, 1]).permutation(sum(sizes))
    stances = rng.choice([-1, 0, 1], size=(len(sizes), n_statements), p=[0.45, 0.1, 0.45])
    rows: list[tuple[int, int, int, float]] = []
    truth = np.zeros(sum(sizes), np.int64)
    person = 0
    for g, size in enumerate(sizes):
        for _ in range(size):
            pid = int(numbering[person])
            truth[pid] = g
            for s in np.flatnonzero(rng.random(n_statements) < coverage):
                vote = int(stances[g, s])
                if rng.random() < noise:
                    vote = int(rng.choice([-1, 0, 1]))
                rows.append((pid, int(s), vote, float(rng.random())))
            person += 1
    rows.sort(key=lambda r: r[3])
    arrays = list(zip(*rows, strict=True))
    events = from_arrays(
        np.array(arrays[0]), np.array(arrays[1]), np.array(arrays[2], np.int8), np.array(arrays[3])
    )
    return events, truth[np.array(events.participant_ids)]

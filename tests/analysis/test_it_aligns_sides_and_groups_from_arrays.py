"""Sides and opinion groups given as arrays in the participants' order (what the live
analysis has: one party name per participant, the engine's group labels) give the same
parties and the same cross-side report as the mappings participant id -> side or group."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tracktwo.analysis.cross_party import cross_party
from tracktwo.analysis.parties import PartyInputError, parties_from_labels, parties_from_mapping
from tracktwo.analysis.votes import from_arrays


def test_it_gives_the_mappings_parties_and_report() -> None:
    rng = random.Random(7)
    people = [f"p{i}" for i in range(300)] + [str(1000 + i) for i in range(40)]
    sides = ["North", " South ", "South", "East", None]
    voters, statements, values = [], [], []
    for person in people:
        for statement in rng.sample(range(12), 6):
            voters.append(person)
            statements.append(statement)
            values.append(rng.choice((-1, 0, 1)))
    events = from_arrays(voters, statements, values)
    pids = events.participant_ids
    side = {pid: rng.choice(sides) for pid in pids}
    group = np.array([rng.choice((-1, 0, 2, 3)) for _ in pids], np.int64)

    by_mapping = parties_from_mapping(side, pids, min_party_size=1)
    by_labels = parties_from_labels([side[pid] for pid in pids], min_party_size=1)
    assert by_labels.names == by_mapping.names == ("North", "South", "East")  # first seen
    assert np.array_equal(by_labels.member, by_mapping.member)
    assert np.array_equal(by_labels.sizes, by_mapping.sizes)

    groups = {pid: int(g) for pid, g in zip(pids, group, strict=True) if g >= 0}
    mapped = cross_party(events, by_mapping, groups=groups).sides_and_groups
    arrayed = cross_party(events, by_labels, groups=group).sides_and_groups
    assert mapped is not None and arrayed is not None
    assert arrayed.groups == mapped.groups == (0, 2, 3)
    assert np.array_equal(arrayed.counts, mapped.counts)
    assert np.array_equal(arrayed.ungrouped, mapped.ungrouped)
    with pytest.raises(ValueError, match="another vote set"):
        cross_party(events, by_labels, groups=group[:-1])


def test_it_refuses_what_the_mapping_refuses() -> None:
    with pytest.raises(PartyInputError, match="at least 2 parties"):
        parties_from_labels(["North", None, "North"], min_party_size=1)
    with pytest.raises(PartyInputError, match="empty party name"):
        parties_from_labels(["North", "  ", "South"], min_party_size=1)
    with pytest.raises(PartyInputError, match="too small"):
        parties_from_labels(["North", "South", "South"], min_party_size=2)

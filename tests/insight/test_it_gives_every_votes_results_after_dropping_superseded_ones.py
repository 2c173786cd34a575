"""A chain that drops superseded re-votes (``KEEP_SUPERSEDED``) gives, refresh after refresh,
exactly the results of a chain that keeps every vote event, and what the latest votes alone
decide equals a fresh analysis of the dialogue's votes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from insight_support import Room, cast, make_room, revote_rounds
from results_support import assert_same_analysis

from tracktwo.analysis.engine import analyze
from tracktwo.insight import chains
from tracktwo.insight.build import AUDIENCES, build
from tracktwo.insight.engine_input import dialogue_statements, dialogue_vote_events

pytestmark = pytest.mark.django_db


def advance(cached: chains.Entry, room: Room, keep: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chains, "KEEP_SUPERSEDED", keep)
    with cached.lock:
        for audience in AUDIENCES:
            chains.advance(cached, room.dialogue, audience)


def test_it_refreshes_through_many_revotes_as_with_every_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    room = make_room(per_side=8, n_statements=5)
    keep = chains.KEEP_SUPERSEDED
    every, latest = chains.Entry(room.dialogue.pk), chains.Entry(room.dialogue.pk)
    threshold = room.dialogue.small_cell_threshold
    for batch in revote_rounds(room, rounds=8):
        cast(batch)
        advance(every, room, float("inf"), monkeypatch)
        advance(latest, room, keep, monkeypatch)
        for audience in AUDIENCES:
            whole, lean = every.chains[audience], latest.chains[audience]
            assert whole.result is not None and lean.result is not None
            assert (whole.n_events, whole.version) == (lean.n_events, lean.version)
            assert_same_analysis(whole.result, lean.result)
            a, b = chains.built(whole, audience, threshold), chains.built(lean, audience, threshold)
            assert replace(a, as_of=None) == replace(b, as_of=None)
    lean_events = latest.chains["facilitator"].result.events  # type: ignore[union-attr]
    assert len(lean_events) < len(every.chains["facilitator"].result.events)  # type: ignore[union-attr]


def test_it_decides_what_the_latest_votes_decide_as_a_fresh_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    room = make_room(per_side=8, n_statements=5)
    latest = chains.Entry(room.dialogue.pk)
    for batch in revote_rounds(room, rounds=8, seed=5):
        cast(batch)
        advance(latest, room, chains.KEEP_SUPERSEDED, monkeypatch)
    chain = latest.chains["facilitator"]
    assert chain.result is not None and chain.snapshot is not None
    statements = dialogue_statements(room.dialogue)
    fresh = analyze(dialogue_vote_events(room.dialogue, statements))
    assert len(chain.result.events) < len(fresh.events) == chain.n_events
    mine, theirs = chain.result.events.latest(), fresh.events.latest()
    for a, b in zip(
        (mine.participant, mine.statement, mine.vote),
        (theirs.participant, theirs.statement, theirs.vote),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)
    assert chain.result.participant_ids == fresh.participant_ids
    assert chain.result.n_votes == fresh.n_votes
    np.testing.assert_array_equal(chain.result.support.counts, fresh.support.counts)
    made = chains.snapshot(
        chains.Entry(room.dialogue.pk), room.dialogue, fresh, statements, "facilitator"
    )
    threshold = room.dialogue.small_cell_threshold
    mine_built = chains.built(chain, "facilitator", threshold)
    theirs_built = build(made, "facilitator", threshold)
    assert mine_built.bridging == theirs_built.bridging and mine_built.bridging
    # per statement, overall and per side (the groups are the chain's: warm-started)
    by_votes = [(s.statement, s.overall, s.sides) for s in mine_built.support]
    assert by_votes == [(s.statement, s.overall, s.sides) for s in theirs_built.support]
    assert by_votes
    assert mine_built.consensus_agree == theirs_built.consensus_agree
    assert mine_built.consensus_disagree == theirs_built.consensus_disagree
    assert mine_built.uncertain == theirs_built.uncertain

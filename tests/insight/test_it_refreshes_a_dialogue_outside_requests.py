"""``refresh_dialogue(dialogue_id)``: what a worker process runs to keep a dialogue fresh."""

from __future__ import annotations

import pytest
from insight_support import Room, cast, planted_votes

from tracktwo.insight import chains, service
from tracktwo.insight.refresh import refresh_dialogue

pytestmark = pytest.mark.django_db


def test_it_brings_both_cuts_up_to_every_vote(room: Room, served: None) -> None:
    votes = planted_votes(room)
    cast(votes[:40])
    assert service.dialogue_insight(room.dialogue).votes_counted == 40
    cast(votes[40:])
    assert service.dialogue_insight(room.dialogue).stale
    refresh_dialogue(room.dialogue.pk)
    cached = chains.entry(room.dialogue.pk)
    threshold = room.dialogue.small_cell_threshold
    assert cached.chains["facilitator"].n_events == len(votes)
    assert cached.chains["participant"].n_events == len(votes) - len(votes) % threshold
    fresh = service.dialogue_insight(room.dialogue)
    assert fresh.votes_counted == len(votes) and not fresh.stale


def test_it_forgets_a_dialogue_that_is_gone(db: None) -> None:
    chains.entry(987_654)
    refresh_dialogue(987_654)
    assert 987_654 not in chains._entries

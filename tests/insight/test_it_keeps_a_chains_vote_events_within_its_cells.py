"""A chain's memory follows its cells, not the re-votes: after every refresh its result
keeps at most ``1 + KEEP_SUPERSEDED`` vote events per counted cell, however many times the
participants changed their minds, while it still counts every vote row."""

from __future__ import annotations

import pytest
from insight_support import cast, make_room, revote_rounds

from tracktwo.dialogues.models import Vote
from tracktwo.insight import chains
from tracktwo.insight.build import AUDIENCES
from tracktwo.insight.refresh import refresh_dialogue

pytestmark = pytest.mark.django_db


def test_it_keeps_at_most_the_allowed_events_per_cell_through_many_revotes() -> None:
    room = make_room(per_side=5, n_statements=4)
    bound = 1 + chains.KEEP_SUPERSEDED
    for batch in revote_rounds(room, rounds=16, seed=3):
        cast(batch)
        refresh_dialogue(room.dialogue.pk)
        for audience in AUDIENCES:
            result = chains.entry(room.dialogue.pk).chains[audience].result
            assert result is not None
            assert len(result.events) <= bound * result.n_votes
            assert result.state.next_rank == len(result.events)
    chain = chains.entry(room.dialogue.pk).chains["facilitator"]
    assert chain.result is not None
    cells = chain.result.n_votes
    rows = Vote.objects.filter(dialogue=room.dialogue).count()
    assert cells == 40 and rows > 4 * bound * cells  # far more re-votes than cells
    assert chain.n_events == rows  # every row is still counted as consumed

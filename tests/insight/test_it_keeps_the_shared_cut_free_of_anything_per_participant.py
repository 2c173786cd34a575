"""The shared cut (participants, observers) holds no map, no bridging, no participation,
no repness figures, no small cells and no participant's id; the facilitators' cut holds
no id either."""

from __future__ import annotations

import json

import pytest
from insight_support import make_room, planted_votes

from tracktwo.dialogues import actions
from tracktwo.insight import service

pytestmark = pytest.mark.django_db


def test_it_leaves_per_participant_things_out_of_the_shared_cut(db: None) -> None:
    room = make_room(per_side=8)
    votes = planted_votes(room)
    loner = room.participants[0]
    for person, statement, value in votes:
        if person is loner or room.side(person) == 1 or statement != room.statements[-1].pk:
            actions.cast_vote(person, statement, value)
    shared = service.dialogue_insight(room.dialogue, "participant")
    assert shared.ready
    assert shared.opinion_map is None and shared.bridging is None and shared.participation is None
    assert all(e.detail is None for r in shared.representative for e in r.statements)
    threshold = room.dialogue.small_cell_threshold
    for support in shared.support:
        for labelled in [*support.groups, *(support.sides or ())]:
            for count in (labelled.tally.agree, labelled.tally.disagree, labelled.tally.passes):
                assert count is None or count == 0 or count >= threshold
    upstream = shared.support_for(room.statements[-1].pk)
    assert upstream is not None and upstream.sides is not None
    assert {s.side: s.tally.n for s in upstream.sides}["Upstream"] is None  # one voter
    text = json.dumps(service.dialogue_analysis(room.dialogue, "participant"))
    text += json.dumps(service.dialogue_analysis(room.dialogue, "facilitator"))
    for person in room.participants:
        assert person.public_id not in text

"""Passes alone give the bridging model nothing to fit: the analysis is still served (and a
brief still made), with no bridging scores yet."""

from __future__ import annotations

import pytest
from insight_support import Room

from tracktwo.dialogues import actions
from tracktwo.insight import service
from tracktwo.transfer.content import findings_for

pytestmark = pytest.mark.django_db


def test_it_serves_an_analysis_of_passes_only(room: Room) -> None:
    for person in room.participants[:3]:
        actions.cast_vote(person, room.statements[0].pk, 0)
    insight = service.dialogue_insight(room.dialogue)
    assert insight.ready and insight.votes_counted == 3
    assert insight.bridging == ()
    assert findings_for(room.dialogue, None).votes_counted == 3

"""Withdrawing consent takes the participant's statements and votes out of every later
output -- the analysis, the pages, a brief -- at once; deleting their data erases what is
held about them. Both are audited by the participant's opaque id only (canaries)."""

from __future__ import annotations

import json

from consent_support import CANARY_HANDLES, CANARY_TEXT, Room, participant_browser
from factories import assess_tool

from tracktwo.consent.actions import set_risk_profile
from tracktwo.consent.models import ConsentRecord, RiskProfile
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant, Statement, Vote
from tracktwo.insight import service
from tracktwo.insight.json_form import as_json
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer.actions import render_draft


def _outputs(room: Room) -> str:
    """Everything that leaves: both analysis cuts, the statements, a brief, a results page."""
    d = room.dialogue
    facilitator = room.workshop.facilitator
    both = service.export_insight(d)
    cuts = [as_json(both.exact), as_json(both.shared)]
    listed = room.call("GET", f"/dialogues/{d.pk}/statements", room.token_of(facilitator)).body
    brief = render_draft(d, None, "md", facilitator).body.decode()
    page = participant_browser(room.participants[5]).get(f"/d/{d.pk}/results")
    return json.dumps([cuts, listed]) + brief + page.content.decode()


def test_it_takes_withdrawn_contributions_out_of_every_output(room: Room) -> None:
    assess_tool(room.dialogue, room.workshop.convener)
    actions.share_results(room.dialogue, True, room.workshop.facilitator)
    assert CANARY_TEXT in _outputs(room)
    counted = service.export_insight(room.dialogue).exact.votes_counted
    token = room.tokens[0]
    d = room.dialogue.pk
    withdrawn = room.call("DELETE", f"/dialogues/{d}/me/consent", token)
    assert withdrawn.status == 200 and withdrawn.body["given"] is False
    assert CANARY_TEXT not in _outputs(room)
    assert service.export_insight(room.dialogue).exact.votes_counted == counted - 4
    mine = room.call("GET", f"/dialogues/{d}/me/data", token)
    assert mine.status == 200, mine.body
    assert mine.body["statements"][0]["withdrawn"] is True, mine.body
    assert mine.body["consent"][-1]["withdrawn_at"] is not None
    refused = room.call("POST", f"/dialogues/{d}/votes", token, {"statement": 1, "vote": "pass"})
    assert refused.status in (400, 409)
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.actor_id == room.participants[0].public_id and event.details in ({}, None)


def test_it_hands_over_everything_then_erases_it(room: Room) -> None:
    d = room.dialogue.pk
    token = room.tokens[0]
    me = room.participants[0]
    set_risk_profile(me, {"level": "elevated", "notes": "CANARY-NOTE"})
    room.call("POST", f"/dialogues/{d}/me/consent", token, {"version": 1})
    held = room.call("GET", f"/dialogues/{d}/me/data", token).body
    assert held["handle"] == CANARY_HANDLES[0]
    assert [s["text"] for s in held["statements"]] == [CANARY_TEXT]
    assert len(held["votes"]) == 4 and held["risk_profile"]["notes"] == "CANARY-NOTE"
    assert held["consent"][0]["version"] == 1
    other = room.call("GET", f"/dialogues/{d}/me/data", room.tokens[1]).body
    assert CANARY_TEXT not in json.dumps(other) and CANARY_HANDLES[0] not in json.dumps(other)
    assert room.call("DELETE", f"/dialogues/{d}/me", token).status == 204
    assert room.call("GET", f"/dialogues/{d}/me/data", token).status == 401
    assert not Vote.objects.filter(participant=me).exists()
    assert not RiskProfile.objects.exists() and not ConsentRecord.objects.exists()
    box = room.workshop.box()
    statement = Statement.objects.get(pk=room.canary.pk if room.canary else 0)
    assert statement.text.read(box) == "" and statement.deleted_at is not None
    gone = Participant.objects.get(pk=me.pk)
    assert gone.handle.read(box) == "" and gone.withdrawn_at is not None
    assert CANARY_TEXT not in _outputs(room)
    erased = AuditEvent.objects.get(action="participant.erased")
    assert erased.actor_id == me.public_id and erased.target_id == str(d)
    every = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "CANARY" not in every and "elevated" not in every

"""Consent about exposure is versioned like the ground rules: when the dialogue's
protections rise the terms change, and a participant takes no further part -- no vote
through the fast path or the slow one, no statement, no page but their own -- until they
consent to the new version, in their language."""

from __future__ import annotations

from consent_support import Room, participant_browser

from tracktwo.consent.actions import set_risk_profile
from tracktwo.dialogues.models import Participant, Statement, Vote
from tracktwo.safety.models import AuditEvent


def test_it_blocks_participation_until_consent_is_given_again(room: Room) -> None:
    d = room.dialogue.pk
    token = room.tokens[1]
    sid = room.statements[0].pk
    assert room.call("POST", f"/dialogues/{d}/votes", token, {"statement": sid, "vote": "agree"})
    assert room.call("GET", f"/dialogues/{d}/me/consent", token).body["version"] == 1
    set_risk_profile(room.participants[4], {"level": "high"})
    votes = Vote.objects.count()
    refused = room.call("POST", f"/dialogues/{d}/votes", token, {"statement": sid, "vote": "pass"})
    assert refused.status == 400 and "consent" in refused.body["detail"]
    assert Vote.objects.count() == votes
    written = room.call("POST", f"/dialogues/{d}/statements", token, {"text": "A new idea."})
    assert written.status == 400 and not Statement.objects.filter(text_sealed=b"").exists()
    terms = room.call("GET", f"/dialogues/{d}/me/consent", token).body
    assert terms["version"] == 2 and terms["given"] is False and len(terms["terms"]) == 6
    stale = room.call("POST", f"/dialogues/{d}/me/consent", token, {"version": 1})
    assert stale.status == 400 and stale.body["detail"].startswith("version:")
    given = room.call("POST", f"/dialogues/{d}/me/consent", token, {"version": 2})
    assert given.status == 200 and given.body["given"] is True
    again = room.call("POST", f"/dialogues/{d}/votes", token, {"statement": sid, "vote": "pass"})
    assert again.status == 201
    assert Participant.objects.get(pk=room.participants[1].pk).consent_version_accepted == 2
    audit = AuditEvent.objects.filter(action="consent.given").get()
    assert audit.details == {"version": 2}
    assert audit.actor_id == room.participants[1].public_id


def test_it_sends_the_participant_to_the_terms_in_their_language(room: Room) -> None:
    d = room.dialogue.pk
    page = participant_browser(room.participants[2], "ar")
    assert page.get(f"/d/{d}/vote").status_code == 200
    set_risk_profile(room.participants[4], {"level": "severe"})
    sent = page.get(f"/d/{d}/vote")
    assert sent.status_code == 302 and sent["Location"] == f"/d/{d}/me/consent"
    html = page.get(f"/d/{d}/me/consent").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and 'name="version" value="2"' in html
    assert page.get(f"/d/{d}/me/risk").status_code == 200  # their own pages stay open
    assert page.get(f"/d/{d}/me/data").status_code == 200
    done = page.post(f"/d/{d}/me/consent", {"version": 2, "accept": "on"})
    assert done.status_code == 302
    assert page.get(f"/d/{d}/vote").status_code == 200

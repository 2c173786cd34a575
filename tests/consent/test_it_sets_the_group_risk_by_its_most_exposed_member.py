"""The dialogue's effective risk is the highest of its members' levels; facilitators see
that level (in the API and on the safeguards page), never whose it is, and nobody else
sees it. Profiles are sealed whole, and the audit rows of a profile say nothing of it."""

from __future__ import annotations

from consent_support import CANARY_HANDLES, Room
from django.test import Client

from tracktwo.consent.actions import erase_participant, set_risk_profile
from tracktwo.consent.gates import effective_level
from tracktwo.consent.models import RiskProfile
from tracktwo.safety.models import AuditEvent


def test_it_takes_the_highest_level_among_the_members(room: Room) -> None:
    assert effective_level(room.dialogue) == "low"
    set_risk_profile(room.participants[0], {"level": "elevated"})
    set_risk_profile(room.participants[4], {"level": "high"})
    set_risk_profile(room.participants[1], {"level": "low"})
    assert effective_level(room.dialogue) == "high"
    erase_participant(room.participants[4])  # the most exposed member leaves
    assert effective_level(room.dialogue) == "elevated"


def test_it_shows_facilitators_the_level_and_nobody_whose(room: Room) -> None:
    set_risk_profile(room.participants[2], {"level": "severe", "adversaries": ["armed_groups"]})
    path = f"/dialogues/{room.dialogue.pk}"
    workshop = room.workshop
    facilitator = room.call("GET", path, room.token_of(workshop.facilitator))
    assert facilitator.status == 200 and facilitator.body["effective_risk"] == "severe"
    for token in (room.token_of(workshop.observer), room.tokens[2], room.tokens[3]):
        assert room.call("GET", path, token).body["effective_risk"] is None
    page = Client()
    page.force_login(workshop.facilitator)
    html = page.get(f"/dialogues/{room.dialogue.pk}/safeguards").content.decode()
    assert 'id="effective-risk">severe<' in html
    assert not any(handle in html for handle in CANARY_HANDLES)
    assert "armed" not in html


def test_it_seals_the_profile_and_audits_it_without_its_content(room: Room) -> None:
    set_risk_profile(room.participants[0], {"level": "severe", "notes": "CANARY-NOTE"})
    sealed = bytes(RiskProfile.objects.get().record_sealed)
    assert b"severe" not in sealed and b"CANARY-NOTE" not in sealed
    event = AuditEvent.objects.get(action="risk_profile.recorded")
    assert event.actor_id == room.participants[0].public_id
    assert event.details in ({}, None)
    assert "severe" not in str(AuditEvent.objects.filter(actor_kind="participant").values())

"""The page of risk profiles (``/dialogues/<id>/safeguards/risk-profiles``, linked from the
Safeguards page) shows a convener the profiles participants chose to share with them, and
never one shared with another convener or with nobody (canaries); it audits nothing."""

from __future__ import annotations

import pytest
from consent_support import CANARY_HANDLES, Room
from django.test import Client
from factories import make_user

from tracktwo.accounts.models import User
from tracktwo.consent.actions import set_risk_profile
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import MemberRole
from tracktwo.safety.models import AuditEvent

SHARED = "CANARY-SHARED-NOTE the checkpoint at the bridge"
OTHERS = "CANARY-OTHER-CONVENER-NOTE my cousin works for the ministry"
NOBODYS = "CANARY-PRIVATE-NOTE nobody may read this"


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def second_convener(room: Room) -> User:
    user = make_user("second-convener")
    workshop = room.workshop
    initiative_actions.add_member(workshop.initiative, user, MemberRole.CONVENER, workshop.convener)
    return user


def share(room: Room, second: User) -> None:
    first = room.workshop.convener
    set_risk_profile(
        room.participants[0],
        {
            "level": "high",
            "adversaries": ["own_government"],
            "channels": ["device_seizure"],
            "device": "inspected",
            "known_at_home": "no",
            "notes": SHARED,
            "share_with": [first.pk],
        },
    )
    set_risk_profile(
        room.participants[1], {"level": "elevated", "notes": OTHERS, "share_with": [second.pk]}
    )
    set_risk_profile(room.participants[2], {"level": "severe", "notes": NOBODYS})


def test_it_shows_a_convener_only_what_was_shared_with_them(
    room: Room, second_convener: User
) -> None:
    share(room, second_convener)
    dialogue_id = room.dialogue.pk
    path = f"/dialogues/{dialogue_id}/safeguards/risk-profiles"
    convener = browser(room.workshop.convener)
    safeguards = convener.get(f"/dialogues/{dialogue_id}/safeguards").content.decode()
    assert f'href="{path}"' in safeguards
    audited = AuditEvent.objects.count()
    page = convener.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h3 dir="auto">{CANARY_HANDLES[0]}</h3>' in html
    assert f'<dd dir="auto">{SHARED}</dd>' in html
    assert "my own government" in html and "may be inspected" in html and "High" in html
    for hidden in (OTHERS, NOBODYS, CANARY_HANDLES[1], CANARY_HANDLES[2], "Severe"):
        assert hidden not in html
    other = browser(second_convener).get(path).content.decode()
    assert OTHERS in other and CANARY_HANDLES[1] in other
    for hidden in (SHARED, NOBODYS, CANARY_HANDLES[0], CANARY_HANDLES[2]):
        assert hidden not in other
    assert AuditEvent.objects.count() == audited


def test_it_keeps_the_page_from_everyone_but_conveners(room: Room, second_convener: User) -> None:
    share(room, second_convener)
    path = f"/dialogues/{room.dialogue.pk}/safeguards/risk-profiles"
    refused = browser(room.workshop.facilitator).get(path)
    assert refused.status_code == 403
    assert SHARED not in refused.content.decode()
    assert Client().get(path).status_code == 302
    empty = browser(make_user("stranger")).get(path)
    assert empty.status_code == 404

"""Joining through the pages: the token leaves the URL, ground rules, handle, recovery code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from web_support import World, make_world, participant_of, text_of

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.dialogues.models import Invitation, Participant
from tracktwo.practice.formats import CHATHAM_HOUSE_RULE, OFF_THE_RECORD_RULE
from tracktwo.safety.crypto import token_digest

pytestmark = pytest.mark.django_db


def test_it_takes_the_token_out_of_the_address_at_once(world: World) -> None:
    client = Client()
    token = world.invite()
    response = client.get(f"/join/{token}")
    assert response.status_code == 302
    assert response["Location"] == "/join"
    assert response.get("Referrer-Policy") == "no-referrer"
    page = client.get("/join")
    assert page.status_code == 200
    assert token not in page.content.decode()
    # The form posts to /join, never to an address with the token in it.
    assert 'action="/join"' in page.content.decode()


def test_it_shows_the_ground_rules_and_the_chatham_house_rule_word_for_word(world: World) -> None:
    client = Client()
    client.get(f"/join/{world.invite()}")
    page = text_of(client.get("/join").content)
    assert str(CHATHAM_HOUSE_RULE) in page
    assert "No fault" in page  # the format's first default rule
    assert "Valley workshop" in page  # the invitee may know what they are invited to
    html = client.get("/join").content.decode()
    assert "<title>Join · Dialogue</title>" in html  # the tab title stays neutral
    assert 'class="quick-exit"' in html


def test_it_shows_the_off_the_record_rule_for_such_a_dialogue(db: None) -> None:
    world = make_world(confidentiality="off-the-record")
    client = Client()
    client.get(f"/join/{world.invite()}")
    page = text_of(client.get("/join").content)
    assert str(OFF_THE_RECORD_RULE) in page
    assert str(CHATHAM_HOUSE_RULE) not in page


def test_it_joins_and_shows_the_recovery_code_once(world: World) -> None:
    client = Client()
    token = world.invite(party=1)
    client.get(f"/join/{token}")
    response = client.post("/join", {"handle": "Heron", "accept": "on", "gender": "female"})
    assert response.status_code == 201
    page = response.content.decode()
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", page)
    assert code is not None
    assert "Heron" in page
    participant = participant_of(client)
    assert participant.dialogue_id == world.dialogue.pk
    assert participant.ground_rules_version_accepted == world.dialogue.ground_rules_version
    assert Invitation.objects.get(token_digest=token_digest(token)).used_at is not None
    # The invitation token is gone from the session; the code is not shown again.
    assert token not in str(dict(client.session.items()))
    assert code.group(0) not in client.get(f"/d/{world.dialogue.pk}/me").content.decode()
    assert client.get(f"/d/{world.dialogue.pk}/vote").status_code == 200


def test_it_needs_the_ground_rules_accepted(world: World) -> None:
    client = Client()
    client.get(f"/join/{world.invite()}")
    response = client.post("/join", {"handle": "Heron"})
    assert response.status_code == 200
    assert "Accept the ground rules to take part." in text_of(response.content)
    assert Participant.objects.count() == 0
    assert PARTICIPANT_SESSION_KEY not in client.session


def test_it_says_when_a_handle_is_taken(world: World) -> None:
    world.join("Heron")
    client = Client()
    client.get(f"/join/{world.invite()}")
    response = client.post("/join", {"handle": "HERON ", "accept": "on"})
    assert response.status_code == 200
    assert "already uses that handle" in text_of(response.content)
    assert Participant.objects.count() == 1
    # The invitation stays usable with another handle.
    assert client.post("/join", {"handle": "Kestrel", "accept": "on"}).status_code == 201


def test_it_refuses_a_used_invitation(world: World) -> None:
    token = world.invite()
    first = Client()
    first.get(f"/join/{token}")
    assert first.post("/join", {"handle": "Heron", "accept": "on"}).status_code == 201
    second = Client()
    second.get(f"/join/{token}")
    response = second.get("/join")
    assert response.status_code == 410
    assert "already used" in text_of(response.content)
    assert second.post("/join", {"handle": "Kestrel", "accept": "on"}).status_code == 410
    assert Participant.objects.count() == 1


def test_it_refuses_an_expired_invitation(world: World) -> None:
    token = world.invite()
    Invitation.objects.filter(token_digest=token_digest(token)).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = Client()
    client.get(f"/join/{token}")
    response = client.get("/join")
    assert response.status_code == 410
    assert "expired" in text_of(response.content)


def test_it_refuses_an_unknown_or_missing_invitation(world: World) -> None:
    client = Client()
    assert client.get("/join").status_code == 400
    client.get("/join/t2i_not-a-real-token")
    assert client.get("/join").status_code == 404
    client.get("/join/something-else")
    assert client.post("/join", {"handle": "Heron", "accept": "on"}).status_code == 404


@override_settings(TRACKTWO_RATELIMITS={"sign-in": "10/m", "join": "3/m", "vote": "600/m"})
def test_it_limits_join_attempts_per_address(world: World) -> None:
    client = Client()
    for _ in range(3):
        assert client.get("/join/t2i_guess").status_code == 302
    assert client.get("/join/t2i_guess").status_code == 429


def test_it_recovers_a_participant_on_a_new_device(world: World) -> None:
    phone = Client()
    phone.get(f"/join/{world.invite()}")
    first = phone.post("/join", {"handle": "Heron", "accept": "on"}).content.decode()
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", first)
    assert code is not None
    laptop = Client()
    wrong = laptop.post(
        "/recover", {"dialogue": world.dialogue.pk, "handle": "Heron", "code": "AAAA-BBBB"}
    )
    assert "No participant with that handle" in text_of(wrong.content)
    assert PARTICIPANT_SESSION_KEY not in laptop.session
    response = laptop.post(
        "/recover", {"dialogue": world.dialogue.pk, "handle": "heron", "code": code.group(0)}
    )
    assert response.status_code == 200
    assert "Welcome back" in text_of(response.content)
    assert participant_of(laptop) == participant_of(phone)
    assert laptop.get(f"/d/{world.dialogue.pk}/vote").status_code == 200
    # The old code is spent.
    again = Client().post(
        "/recover", {"dialogue": world.dialogue.pk, "handle": "Heron", "code": code.group(0)}
    )
    assert "No participant with that handle" in text_of(again.content)


def test_it_ends_the_older_device_session_when_recovering(world: World) -> None:
    phone = Client()
    phone.get(f"/join/{world.invite()}")
    first = phone.post("/join", {"handle": "Heron", "accept": "on"}).content.decode()
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", first)
    assert code is not None
    assert phone.get(f"/d/{world.dialogue.pk}/vote").status_code == 200
    laptop = Client()
    laptop.post(
        "/recover", {"dialogue": world.dialogue.pk, "handle": "Heron", "code": code.group(0)}
    )
    assert laptop.get(f"/d/{world.dialogue.pk}/vote").status_code == 200
    lost = phone.get(f"/d/{world.dialogue.pk}/vote")
    assert lost.status_code == 302 and lost["Location"] == "/recover"

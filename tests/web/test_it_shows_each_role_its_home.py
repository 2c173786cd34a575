"""``/`` is each role's home: anonymous visitors get the sign-in and "I have an invitation";
conveners and facilitators their dialogues with what needs attention; liaisons the briefs
sent to them; participants their dialogue."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import assess_tool, make_user
from web_support import World, signed_in, text_of

from tracktwo.dialogues import actions
from tracktwo.transfer import actions as transfer

pytestmark = pytest.mark.django_db


def test_it_shows_anonymous_visitors_both_doors() -> None:
    page = Client().get("/")
    assert page.status_code == 200
    text = text_of(page.content)
    assert "I have an invitation" in text and "Sign in" in text
    assert 'href="/accounts/sign-in"' in page.content.decode()
    assert 'href="/recover"' in page.content.decode()


def test_it_takes_a_pasted_invitation_link_to_the_join_page(world: World) -> None:
    token = world.invite()
    client = Client()
    pasted = client.get("/", {"invitation": f"https://dialogue.example/join/{token}"})
    assert pasted.status_code == 302 and pasted["Location"] == f"/join/{token}"
    assert client.get("/", {"invitation": token})["Location"] == f"/join/{token}"
    refused = client.get("/", {"invitation": "nonsense!"})
    assert refused.status_code == 400
    assert "copy the whole link" in text_of(refused.content)


def test_it_shows_facilitators_what_needs_attention(world: World) -> None:
    upstream = world.join("Kestrel")
    upstream.post(f"/d/{world.dialogue.pk}/write", {"text": "Share the water by season."})
    actions.start_session(world.dialogue, world.facilitator)
    page = signed_in(world.facilitator).get("/")
    assert page.status_code == 200
    text = text_of(page.content)
    assert "Valley workshop" in text
    assert "1 statement awaits moderation" in text
    assert "session 1, phase:" in text
    assert "0 of 1 participant voted" in text
    html = page.content.decode()
    assert f'href="/dialogues/{world.dialogue.pk}/moderation"' in html
    assert f'href="/briefs/dialogues/{world.dialogue.pk}/"' in html
    assert f'href="/initiatives/{world.initiative.pk}/transfer"' in html
    assert "Second meeting" not in text  # the facilitator runs the first dialogue only


def test_it_shows_conveners_the_initiative_and_its_transfer_log(world: World) -> None:
    html = signed_in(world.convener).get("/").content.decode()
    assert f'href="/initiatives/{world.initiative.pk}/transfer-log"' in html
    assert f'href="/initiatives/{world.initiative.pk}/members"' in html
    assert 'href="/dialogues/new"' in html
    assert "Second meeting" in text_of(html)


def test_it_shows_liaisons_the_briefs_sent_to_them(world: World) -> None:
    page = signed_in(world.liaison).get("/")
    assert "Nothing is waiting for you here yet" in text_of(page.content)
    assess_tool(world.dialogue, world.convener, "briefs")
    brief = transfer.draft_for(world.dialogue, None, world.facilitator)
    copy = transfer.issue(brief, world.facilitator, [(world.liaison, "Ministry desk")])[0]
    transfer.open_link(copy.link_token, world.liaison)
    page = signed_in(world.liaison).get("/")
    text = text_of(page.content)
    assert f"Brief {brief.pk}" in text
    assert f'href="/briefs/copies/{copy.recipient.pk}/"' in page.content.decode()
    assert "New dialogue" not in text and "Valley workshop" not in text


def test_it_sends_a_participant_to_their_dialogue(world: World) -> None:
    participant = world.join("Heron")
    answer = participant.get("/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/d/{world.dialogue.pk}/"


def test_it_lands_a_sign_in_on_the_home(world: World) -> None:
    user = make_user("plain", password="a long enough passphrase 42")
    answer = Client().post(
        "/accounts/sign-in", {"username": user.username, "password": "a long enough passphrase 42"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/"

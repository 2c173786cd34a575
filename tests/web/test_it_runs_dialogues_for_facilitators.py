"""Facilitators' pages: a new dialogue from a template, invitations shown once, balance,
sessions and phases, sharing results, ground rules."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from factories import make_user
from web_support import World, signed_in, text_of

from tracktwo.dialogues.models import Dialogue, Invitation, Session
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def test_it_creates_a_dialogue_and_its_initiative_from_a_template(db: None) -> None:
    user = make_user("convener", convener=True)
    client = signed_in(user)
    form = client.get("/dialogues/new").content.decode()
    assert "Interactive problem-solving workshop" in form
    assert "Chatham House Rule" in form
    missing = client.post(
        "/dialogues/new",
        {
            "title": "Talks",
            "format": "living-room",
            "confidentiality": "secret",
            "parties": "Alone",
        },
    )
    assert "at least two parties" in text_of(missing.content)
    assert not Dialogue.objects.exists()
    response = client.post(
        "/dialogues/new",
        {
            "initiative": "",
            "initiative_title": "Valley process",
            "parties": "Upstream\nDownstream\n",
            "title": "Spring workshop",
            "format": "sustained-dialogue",
            "confidentiality": "off-the-record",
        },
    )
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dialogues/{dialogue.pk}/invitations"
    assert dialogue.format == "sustained-dialogue"
    assert dialogue.confidentiality == "off-the-record"
    assert dialogue.moderation_required is False  # the box was left unticked
    box = box_for(dialogue.initiative_id)
    assert dialogue.initiative.title.read(box) == "Valley process"
    names = [p.name.read(box) for p in dialogue.initiative.parties.order_by("position")]
    assert names == ["Upstream", "Downstream"]
    assert Membership.objects.get(user=user).role == MemberRole.CONVENER
    # A second dialogue in the same initiative.
    client.post(
        "/dialogues/new",
        {
            "initiative": str(dialogue.initiative_id),
            "title": "Citizens",
            "format": "citizen-exchange",
            "confidentiality": "chatham-house",
            "moderation_required": "on",
        },
    )
    assert Initiative.objects.count() == 1
    assert Dialogue.objects.count() == 2
    listing = text_of(client.get("/dialogues/").content)
    assert "Spring workshop" in listing and "Citizens" in listing


def test_it_does_not_let_a_dialogue_facilitator_create_in_the_initiative(world: World) -> None:
    client = signed_in(world.facilitator)
    response = client.post(
        "/dialogues/new",
        {
            "initiative": str(world.initiative.pk),
            "title": "Sneaky",
            "format": "living-room",
            "confidentiality": "secret",
        },
    )
    assert response.status_code == 200  # the initiative is not among the choices
    assert not Dialogue.objects.filter(pk__gt=world.other.pk).exists()


def test_it_shows_each_invitation_link_once(world: World) -> None:
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/invitations"
    response = client.post(
        url,
        {
            "party": str(world.parties[1].pk),
            "track": "5",
            "role": "participant",
            "expires_in_days": "3",
            "count": "2",
        },
    )
    assert response.status_code == 201
    links = re.findall(r'value="(http://testserver/join/t2i_[^"]+)"', response.content.decode())
    assert len(links) == 2 and links[0] != links[1]
    assert "2 new invitations for Downstream" in text_of(response.content)
    assert "<svg" in response.content.decode()  # a QR code, drawn here
    assert Invitation.objects.filter(dialogue=world.dialogue).count() == 2
    listing = client.get(url).content.decode()
    assert "t2i_" not in listing  # never shown again
    rows = text_of(listing)
    assert "Downstream" in rows and "Research, training and education" in rows
    # Each link admits one person, to the right party.
    participant = Client()
    participant.get(links[0].removeprefix("http://testserver"))
    assert participant.post("/join", {"handle": "Heron", "accept": "on"}).status_code == 201
    balance = text_of(client.get(url).content)
    assert "1 participant has joined" in balance


def test_it_counts_the_delegation_balance(world: World) -> None:
    for handle, party in (("A1", 0), ("A2", 0), ("B1", 1)):
        world.join(handle, party)
    client = signed_in(world.facilitator)
    page = client.get(f"/dialogues/{world.dialogue.pk}/invitations").content.decode()
    assert re.search(r"Upstream</th><td class=\"num\">2<", page)
    assert re.search(r"Downstream</th><td class=\"num\">1<", page)
    assert "3 participants have joined" in text_of(page)


def test_it_runs_sessions_through_phases(world: World) -> None:
    client = signed_in(world.facilitator)
    base = f"/dialogues/{world.dialogue.pk}"
    assert "Start the first session" in text_of(client.get(base + "/").content)
    client.post(base + "/phase", {"action": "advance"}, follow=True)  # no session: a message
    assert client.post(base + "/sessions").status_code == 302
    session = Session.objects.get(dialogue=world.dialogue)
    assert session.phase_index == 0
    client.post(base + "/phase", {"action": "advance"})
    session.refresh_from_db()
    assert session.phase_index == 1
    page = text_of(client.get(base + "/").content)
    assert "Joint thinking" in page
    client.post(base + "/phase", {"phase": "4"})
    session.refresh_from_db()
    assert session.phase_index == 4
    last = client.post(base + "/phase", {"action": "advance"}, follow=True)
    assert "already at its last phase" in text_of(last.content)
    assert client.post(base + "/phase", {"phase": "x"}).status_code == 400
    # Participants see the phase and its purpose.
    participant = world.join("Heron")
    vote = text_of(participant.get(f"/d/{world.dialogue.pk}/vote").content)
    assert "Next steps" in vote


def test_it_records_the_saunders_stage_of_a_sustained_dialogue(world: World) -> None:
    client = signed_in(world.convener)
    client.post(
        "/dialogues/new",
        {
            "initiative": str(world.initiative.pk),
            "title": "Series",
            "format": "sustained-dialogue",
            "confidentiality": "chatham-house",
        },
    )
    series = Dialogue.objects.get(format="sustained-dialogue")
    client.post(f"/dialogues/{series.pk}/sessions")
    client.post(f"/dialogues/{series.pk}/phase", {"action": "advance"})
    assert Session.objects.get(dialogue=series).saunders_stage == 2
    assert "Saunders stage 2 of 5" in text_of(client.get(f"/dialogues/{series.pk}/").content)


def test_it_shares_and_hides_results(world: World) -> None:
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/share"
    client.post(url, {"shared": "1"})
    world.dialogue.refresh_from_db()
    assert world.dialogue.results_shared
    client.post(url, {"shared": "0"})
    world.dialogue.refresh_from_db()
    assert not world.dialogue.results_shared


def test_it_edits_the_ground_rules(world: World) -> None:
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/ground-rules"
    assert "No fault" in text_of(client.get(url).content)
    version = world.dialogue.ground_rules_version
    client.post(url, {"rules": "Speak for yourself.\n\nListen to the end.\n"})
    world.dialogue.refresh_from_db()
    assert world.dialogue.ground_rules_version == version + 1
    box = box_for(world.initiative.pk)
    assert world.dialogue.ground_rules.read(box) == ["Speak for yourself.", "Listen to the end."]
    client.post(url, {"rules": ""})
    world.dialogue.refresh_from_db()
    assert world.dialogue.ground_rules.read(box) == []  # back to the format's defaults

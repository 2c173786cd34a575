"""The invitations page lists the invitations still open, each with a button that revokes
it; the revoked link then shows the invitee that it was withdrawn."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from web_support import World, signed_in, text_of

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Invitation

pytestmark = pytest.mark.django_db


def test_it_lists_open_invitations_and_revokes_one(world: World) -> None:
    target, token = actions.create_invitation(
        world.dialogue, party=world.parties[1], by=world.convener, track=3
    )
    world.invite(0)
    world.join("Heron")  # a third invitation, used
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/invitations"
    page = client.get(url).content.decode()
    assert "2 open · 1 used · 0 expired · 0 revoked" in text_of(page)
    revoke_urls = re.findall(r'action="(/dialogues/\d+/invitations/\d+/revoke)"', page)
    assert len(revoke_urls) == 2 and f"{url}/{target.pk}/revoke" in revoke_urls
    assert "Downstream" in text_of(page) and "Business" in text_of(page)
    assert "t2i_" not in page
    response = client.post(f"{url}/{target.pk}/revoke")
    assert response.status_code == 302 and response["Location"] == url
    after = client.get(url)
    assert "The invitation is revoked" in text_of(after.content)
    assert "1 open · 1 used · 0 expired · 1 revoked" in text_of(after.content)
    assert f"{url}/{target.pk}/revoke" not in after.content.decode()
    # Whoever holds the revoked link learns it was withdrawn, and cannot join.
    holder = Client()
    holder.get(f"/join/{token}")
    refused = holder.get("/join")
    assert refused.status_code == 410
    assert "This invitation was withdrawn" in text_of(refused.content)


def test_it_refuses_a_revoked_link_at_the_join_form(world: World) -> None:
    invitation, token = actions.create_invitation(
        world.dialogue, party=world.parties[0], by=world.convener
    )
    holder = Client()
    holder.get(f"/join/{token}")
    assert holder.get("/join").status_code == 200  # the form, while the invitation is open
    actions.revoke_invitation(world.dialogue, invitation.pk, world.facilitator)
    response = holder.post("/join", {"handle": "Heron", "accept": "on"})
    assert response.status_code == 410
    assert "This invitation was withdrawn" in text_of(response.content)


def test_it_says_when_a_used_invitation_cannot_be_revoked(world: World) -> None:
    world.join("Heron")
    used = Invitation.objects.get(dialogue=world.dialogue)
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/invitations"
    response = client.post(f"{url}/{used.pk}/revoke", follow=True)
    assert "already used" in text_of(response.content)
    used.refresh_from_db()
    assert used.revoked_at is None


def test_it_keeps_revoking_to_the_dialogues_facilitators(world: World) -> None:
    invitation, _token = actions.create_invitation(
        world.dialogue, party=world.parties[0], by=world.convener
    )
    other, _ = actions.create_invitation(world.other, party=world.parties[0], by=world.convener)
    base = f"/dialogues/{world.dialogue.pk}/invitations"
    expected = {"observer": 403, "outsider": 404, "liaison": 404}
    for name, status in expected.items():
        client = signed_in(getattr(world, name))
        assert client.post(f"{base}/{invitation.pk}/revoke").status_code == status, name
    assert Client().post(f"{base}/{invitation.pk}/revoke").status_code == 302  # to sign in
    participant = world.join("Heron")
    assert participant.post(f"{base}/{invitation.pk}/revoke").status_code == 302
    # The convener may run both dialogues, but names the other's invitation through this one.
    convener = signed_in(world.convener)
    assert convener.post(f"{base}/{other.pk}/revoke").status_code == 404
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()

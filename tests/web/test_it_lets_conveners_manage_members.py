"""The members page: a convener sees who has which role where (accounts only, never
participants), gives a role, changes it and takes it away, each change audited; nobody
else may, and an initiative keeps at least one convener."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from factories import make_user
from web_support import World, signed_in, text_of

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Membership
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(world: World) -> str:
    return f"/initiatives/{world.initiative.pk}/members"


def test_it_lists_accounts_and_their_roles_but_no_participant(world: World) -> None:
    world.join("Heron")
    client = signed_in(world.convener)
    page = client.get(_url(world)).content.decode()
    text = text_of(page)
    for user in (world.convener, world.facilitator, world.observer, world.liaison):
        assert user.username in text
    assert world.outsider.username not in text
    assert "Heron" not in page
    assert "Valley workshop" in text and "The whole initiative" in text
    row = page[page.index(world.facilitator.username) :]
    assert re.search(r'<option value="facilitator" selected>', row)
    listing = client.get("/dialogues/").content.decode()
    assert f'href="{_url(world)}"' in listing


def test_it_gives_changes_and_takes_away_a_role(world: World) -> None:
    newcomer = make_user("mediator")
    client = signed_in(world.convener)
    added = client.post(
        _url(world),
        {
            "action": "add",
            "name": newcomer.username,
            "role": "facilitator",
            "where": str(world.other.pk),
        },
    )
    assert added.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.role, membership.dialogue_id) == ("facilitator", world.other.pk)
    changed = client.post(
        _url(world), {"action": "change", "membership": membership.pk, "role": "observer"}
    )
    assert changed.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MemberRole.OBSERVER
    removed = client.post(_url(world), {"action": "remove", "membership": membership.pk})
    assert removed.status_code == 302
    assert "The role is taken away" in text_of(client.get(_url(world)).content)
    assert not Membership.objects.filter(user=newcomer).exists()
    trail = [
        (e.details["role_from"], e.details["role_to"])
        for e in AuditEvent.objects.filter(action="member.role_changed", target_id=str(newcomer.pk))
    ]
    assert trail == [(None, "facilitator"), ("facilitator", "observer"), ("observer", None)]


def test_it_explains_what_it_cannot_do(world: World) -> None:
    client = signed_in(world.convener)
    unknown = client.post(
        _url(world), {"action": "add", "name": "nobody-of-that-name", "role": "observer"}
    )
    assert "There is no active account with that name" in text_of(unknown.content)
    liaison_in_dialogue = client.post(
        _url(world),
        {
            "action": "add",
            "name": make_user("liaison").username,
            "role": "liaison",
            "where": str(world.dialogue.pk),
        },
    )
    assert "initiative-wide" in text_of(liaison_in_dialogue.content)
    own = Membership.objects.get(user=world.convener)
    last = client.post(_url(world), {"action": "change", "membership": own.pk, "role": "observer"})
    assert "at least one convener" in text_of(client.get(last["Location"]).content)
    own.refresh_from_db()
    assert own.role == MemberRole.CONVENER


def test_it_lets_only_conveners_manage_members(world: World) -> None:
    target = Membership.objects.get(user=world.observer)
    visitors = {
        "facilitator": (signed_in(world.facilitator), 403),
        "observer": (signed_in(world.observer), 403),
        "liaison": (signed_in(world.liaison), 404),  # liaisons see only their briefs
        "outsider": (signed_in(world.outsider), 404),
    }
    for name, (client, status) in visitors.items():
        assert client.get(_url(world)).status_code == status, name
        response = client.post(_url(world), {"action": "remove", "membership": target.pk})
        assert response.status_code == status, name
    anonymous = Client().get(_url(world))
    assert anonymous.status_code == 302 and "/accounts/sign-in" in anonymous["Location"]
    assert world.join("Heron").get(_url(world)).status_code == 302
    assert Membership.objects.filter(pk=target.pk).exists()


def test_it_ignores_a_membership_of_another_initiative(world: World) -> None:
    elsewhere_convener = make_user("convener", convener=True)
    elsewhere = initiative_actions.create_initiative(
        elsewhere_convener, "The pass", ["North", "South"]
    )
    foreign = Membership.objects.get(initiative=elsewhere)
    client = signed_in(world.convener)
    response = client.post(_url(world), {"action": "remove", "membership": foreign.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()

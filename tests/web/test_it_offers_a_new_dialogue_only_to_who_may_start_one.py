"""The "New dialogue" button and form appear only to accounts that may start a dialogue.

A convener may start one in a new initiative; a facilitator of an initiative may add one to
it; an observer, a liaison or an account in no initiative may not, and is told why instead of
being shown a form it cannot submit.
"""

from __future__ import annotations

import pytest
from django.test import Client
from factories import LEAD_FACILITATOR
from web_support import World, signed_in

pytestmark = pytest.mark.django_db

NEW_LINK = 'href="/dialogues/new"'
FORM = 'action="/dialogues/new"'


def _pages(client: Client) -> tuple[str, str]:
    listing = client.get("/dialogues/")
    new = client.get("/dialogues/new")
    assert listing.status_code == 200 and new.status_code == 200
    return listing.content.decode(), new.content.decode()


def test_it_offers_the_convener_a_new_dialogue(world: World) -> None:
    listing, new = _pages(signed_in(world.convener))
    assert NEW_LINK in listing
    assert FORM in new


def test_it_keeps_the_button_from_observers_and_outsiders(world: World) -> None:
    # a facilitator of one dialogue only may not start another: no button on any page
    for account in (world.observer, world.outsider, world.facilitator):
        client = signed_in(account)
        listing, new = _pages(client)
        assert NEW_LINK not in listing
        assert NEW_LINK not in client.get("/").content.decode()
        assert FORM not in new
        assert "Only conveners, and facilitators of an initiative, may start a dialogue" in new


def test_it_tells_an_account_in_no_initiative_who_adds_it(world: World) -> None:
    listing, _new = _pages(signed_in(world.outsider))
    assert "A convener adds you to one." in listing


def test_it_lets_a_facilitator_add_a_dialogue_to_their_initiative_only(world: World) -> None:
    world.cast(LEAD_FACILITATOR)
    listing, new = _pages(signed_in(world.lead_facilitator))
    assert NEW_LINK in listing
    assert FORM in new
    assert "Only conveners may create a new initiative" in new
    assert "A new initiative" not in new

"""The initiative's page: a convener records the conflict, the convening organisation,
sponsors and funders and the retention period (audited), and adds a party; the details are
stored sealed; nobody else may see or change them."""

from __future__ import annotations

import pytest
from django.test import Client
from web_support import World, signed_in, text_of

from tracktwo.initiatives.models import Initiative, Party
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db

DETAILS = {
    "action": "details",
    "title": "Water and the valley",
    "description": "Two valleys share one river and a dam upstream.",
    "convening_organisation": "Riverside Peace Institute",
    "sponsors": "A foundation\nA university\n",
    "retention_days": "180",
}


def _url(world: World) -> str:
    return f"/initiatives/{world.initiative.pk}/"


def test_it_records_the_initiatives_details(world: World) -> None:
    client = signed_in(world.convener)
    page = client.get(_url(world)).content.decode()
    assert 'value="Water and the valley"' in page and 'value="365"' in page
    assert "Upstream" in text_of(page) and "Downstream" in text_of(page)
    saved = client.post(_url(world), DETAILS)
    assert saved.status_code == 302
    initiative = Initiative.objects.get(pk=world.initiative.pk)
    box = box_for(initiative.pk)
    assert initiative.description.read(box) == DETAILS["description"]
    assert initiative.convening_organisation.read(box) == "Riverside Peace Institute"
    assert initiative.sponsors.read(box) == ["A foundation", "A university"]
    assert initiative.retention_days == 180
    assert b"Riverside" not in bytes(initiative.convening_organisation_sealed)
    event = AuditEvent.objects.get(action="initiative.retention_changed")
    assert event.details == {"retention_days": 180}
    shown = client.get(_url(world)).content.decode()
    assert "Riverside Peace Institute" in shown and "A university" in shown
    listing = client.get("/dialogues/").content.decode()
    assert f'href="{_url(world)}"' in listing


def test_it_adds_a_party_but_not_twice(world: World) -> None:
    client = signed_in(world.convener)
    added = client.post(_url(world), {"action": "party", "name": "Coastal towns"})
    assert added.status_code == 302
    names = [p.name.read(box_for(world.initiative.pk)) for p in Party.objects.all()]
    assert names[-1] == "Coastal towns"
    again = client.post(_url(world), {"action": "party", "name": "coastal TOWNS"})
    assert again.status_code == 200
    assert "already has a party of that name" in text_of(again.content)
    assert Party.objects.filter(initiative=world.initiative).count() == 3


def test_it_explains_bad_details(world: World) -> None:
    client = signed_in(world.convener)
    response = client.post(_url(world), {**DETAILS, "title": "", "retention_days": "0"})
    assert response.status_code == 200
    text = text_of(response.content)
    assert "This field is required" in text
    assert "greater than or equal to 1" in text
    assert Initiative.objects.get(pk=world.initiative.pk).retention_days == 365


def test_it_keeps_the_page_to_conveners(world: World) -> None:
    visitors = {
        "facilitator": (signed_in(world.facilitator), 403),
        "observer": (signed_in(world.observer), 403),
        "liaison": (signed_in(world.liaison), 404),
        "outsider": (signed_in(world.outsider), 404),
    }
    for name, (client, status) in visitors.items():
        assert client.get(_url(world)).status_code == status, name
        assert client.post(_url(world), DETAILS).status_code == status, name
    assert Client().get(_url(world))["Location"].startswith("/accounts/sign-in")
    assert Initiative.objects.get(pk=world.initiative.pk).retention_days == 365

"""Only accounts the operator marked as conveners (``is_convener``) may create an initiative:
in the action, on the new-dialogue page and through the API. Others may still open a
dialogue in an initiative where they facilitate."""

from __future__ import annotations

import pytest
from api_support import Api, Scene, account
from django.test import Client
from factories import make_user

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import NotAllowed

pytestmark = pytest.mark.django_db

NEW = {
    "title": "A new valley",
    "format": "living-room",
    "confidentiality": "chatham-house",
    "parties": ["East", "West"],
}


def test_it_refuses_the_action_to_a_plain_account() -> None:
    with pytest.raises(NotAllowed, match="only conveners may create an initiative"):
        initiative_actions.create_initiative(make_user(), "Valley", ["Up", "Down"])
    assert not Initiative.objects.exists()
    made = initiative_actions.create_initiative(make_user(convener=True), "Valley", ["Up", "Down"])
    assert made.parties.count() == 2


def test_it_refuses_the_api_with_a_json_reason(api: Api) -> None:
    _, token = account("plain")
    refused = api.post("/dialogues", token, NEW)
    assert refused.status == 403
    assert "only conveners may create an initiative" in refused.body["detail"]
    assert not Initiative.objects.exists()
    _, convener_token = account("convener", convener=True)
    assert api.post("/dialogues", convener_token, NEW).status == 201


def test_it_lets_a_facilitator_add_a_dialogue_to_their_initiative(scene: Scene) -> None:
    _user, token = scene.add_member("facilitator", dialogue_only=False)
    body = {**NEW, "initiative": scene.model.initiative_id, "parties": []}
    assert scene.api.post("/dialogues", token, body).status == 201
    assert Initiative.objects.count() == 1


def test_it_offers_no_new_initiative_on_the_page_to_a_plain_account() -> None:
    client = Client()
    client.force_login(make_user("plain"))
    page = client.get("/dialogues/new").content.decode()
    assert "A new initiative" not in page
    assert "Only conveners, and facilitators of an initiative, may start a dialogue" in page
    refused = client.post(
        "/dialogues/new",
        {**NEW, "initiative": "", "initiative_title": "Valley", "parties": "East\nWest"},
    )
    assert refused.status_code == 200
    assert (
        "Only conveners, and facilitators of an initiative, may start" in refused.content.decode()
    )
    assert not Initiative.objects.exists()

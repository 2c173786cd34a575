"""One serialisation: the API answers ``as_json`` of the typed result, in the documented
shape, and reading that JSON back gives the same result."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from insight_support import Room, cast, planted_votes

from tracktwo.insight import service
from tracktwo.insight.json_form import as_json, from_json, position_from_json, position_json
from tracktwo.insight.results import DialogueInsight

pytestmark = pytest.mark.django_db

READY_KEYS = [
    "dialogue", "audience", "as_of", "votes_counted", "stale", "status", "counts", "groups",
    "common_ground", "consensus", "representative", "divisive", "uncertain", "cross_side",
    "support", "statements",
]  # fmt: skip
FACILITATORS_ONLY = ["map", "bridging", "participation"]


def test_it_answers_the_typed_result_as_json(room: Room) -> None:
    cast(planted_votes(room))
    insight = service.dialogue_insight(room.dialogue, "facilitator")
    assert isinstance(insight, DialogueInsight) and insight.ready
    response = Client().get(
        f"/api/v1/dialogues/{room.dialogue.pk}/analysis",
        HTTP_AUTHORIZATION=f"Bearer {room.token}",
    )
    body = json.loads(response.content)
    assert body == json.loads(json.dumps(as_json(insight)))
    assert list(body) == READY_KEYS + FACILITATORS_ONLY
    shared = as_json(service.dialogue_insight(room.dialogue, "participant"))
    assert list(shared) == READY_KEYS


def test_it_reads_its_json_back_to_the_same_result(room: Room) -> None:
    cast(planted_votes(room))
    for audience in ("facilitator", "participant"):
        insight = service.dialogue_insight(room.dialogue, audience)  # type: ignore[arg-type]
        payload = as_json(insight)
        assert json.dumps(as_json(from_json(json.loads(json.dumps(payload))))) == json.dumps(
            payload
        )
    position = service.own_position(room.participants[0])
    assert position_from_json(position_json(position)) == position


def test_it_serialises_a_dialogue_without_votes(room: Room) -> None:
    payload = service.dialogue_analysis(room.dialogue)
    assert payload["status"] == "no-votes"
    assert payload["counts"] == {"participants": 0, "votes": 0}
    assert list(payload) == READY_KEYS[:7]

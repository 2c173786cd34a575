"""``GET /api/v1/dialogues/{id}/analysis`` renders the JSON of an analysis once per process
and reuses it while the analysis (its chain's version) and its staleness stay the same:
the same bytes as rendering it afresh, a new body once a vote is counted or the result
falls behind, and each audience its own cut."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from insight_support import Room, cast, planted_votes

from tracktwo.insight import json_form, service

pytestmark = pytest.mark.django_db


def get(room: Room) -> bytes:
    response = Client().get(
        f"/api/v1/dialogues/{room.dialogue.pk}/analysis",
        HTTP_AUTHORIZATION=f"Bearer {room.token}",
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return bytes(response.content)


def test_it_renders_each_analysis_once(
    room: Room, served: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []

    def counted(insight: Any) -> dict[str, Any]:
        rendered.append(insight.audience)
        return json_form.as_json(insight)

    monkeypatch.setattr(service, "as_json", counted)
    votes = planted_votes(room)
    cast(votes[:90])
    first = get(room)  # a cold dialogue: computed in the request, rendered
    assert get(room) == first and rendered == ["facilitator"]  # the same analysis: reused
    assert json.loads(first) == json_form.as_json(service.dialogue_insight(room.dialogue))
    assert json.loads(first)["votes_counted"] == 90 and json.loads(first)["stale"] is False

    cast(votes[90:])  # the cached result falls behind (no refresh in this served process)
    behind = json.loads(get(room))
    assert behind["votes_counted"] == 90 and behind["stale"] is True
    assert len(rendered) == 2  # staleness is part of the body: rendered again

    service.forget(room.dialogue.pk)  # a refresh: a new analysis, counting every vote
    fresh = json.loads(get(room))
    assert fresh["votes_counted"] == len(votes) and fresh["stale"] is False
    assert len(rendered) == 3


def test_it_keeps_each_audiences_cut(room: Room) -> None:
    cast(planted_votes(room))
    dialogue = room.dialogue

    def render(data: dict[str, Any]) -> bytes:
        return json.dumps(data).encode()

    exact = service.analysis_body(dialogue, "facilitator", render)
    cut = service.analysis_body(dialogue, "participant", render)
    assert json.loads(exact) == service.dialogue_analysis(dialogue, "facilitator")
    assert json.loads(cut) == service.dialogue_analysis(dialogue, "participant")
    assert json.loads(cut)["audience"] == "participant" and "map" not in json.loads(cut)
    assert service.analysis_body(dialogue, "participant", render) is cut
    with pytest.raises(ValueError, match="audience"):
        service.analysis_body(dialogue, "everyone", render)  # type: ignore[arg-type]

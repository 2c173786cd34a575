"""Canaries: no response to anyone names another participant; participants' results hide
small cells."""

from __future__ import annotations

import json
import random
import secrets
from typing import Any

import pytest
from api_support import Api, Scene, make_scene

from tracktwo.dialogues.models import Participant

pytestmark = pytest.mark.django_db


def canary() -> str:
    return f"CANARY{secrets.token_hex(4)}"


def walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, leaf) in a JSON value."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in walk(item, f"{path}/{key}")]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in walk(item, f"{path}[{i}]")]
    return [(path, value)]


@pytest.fixture
def room(api: Api) -> tuple[Scene, dict[str, str]]:
    """12 Upstream and 3 Downstream participants with canary handles, planted votes, shared."""
    scene = make_scene(api)
    statements = [scene.seed(f"Seed number {i} about the river") for i in range(8)]
    tokens: dict[str, str] = {}
    for i in range(15):
        handle = canary()
        tokens[handle] = scene.join(handle, party=0 if i < 12 else 1)["participant_token"]
    rng = random.Random(5)
    for n, token in enumerate(tokens.values()):
        for s, sid in enumerate(statements):
            agree = (s < 4) == (n % 3 == 0) if s < 6 else True
            vote = "agree" if agree else "disagree"
            if rng.random() < 0.1:
                vote = "pass"
            response = api.post(
                f"/dialogues/{scene.id}/votes", token, {"statement": sid, "vote": vote}
            )
            assert response.status == 201
    written = api.post(
        f"/dialogues/{scene.id}/statements", next(iter(tokens.values())), {"text": "Mine"}
    )
    assert written.status == 201
    assert (
        api.post(f"/dialogues/{scene.id}/share", scene.convener_token, {"shared": True}).status
        == 200
    )
    return scene, tokens


READABLE = ("", "/statements", "/analysis", "/me", "/next-statement", "/balance")


def test_it_names_no_other_participant_in_any_response(room: tuple[Scene, dict[str, str]]) -> None:
    scene, tokens = room
    _f, facilitator = scene.add_member("facilitator")
    _o, observer = scene.add_member("observer")
    callers = {"convener": scene.convener_token, "facilitator": facilitator, "observer": observer}
    callers.update(tokens)
    public_ids = set(
        Participant.objects.filter(dialogue_id=scene.id).values_list("public_id", flat=True)
    )
    answered = 0
    for who, token in callers.items():
        bodies = [scene.api.get("/dialogues", token).raw]
        for suffix in READABLE:
            response = scene.api.get(f"/dialogues/{scene.id}{suffix}", token)
            if response.status == 200:
                bodies.append(response.raw)
        answered += len(bodies)
        text = b"".join(bodies).decode()
        for handle in tokens:
            if handle != who:
                assert handle not in text, f"{who} was shown {handle}"
        for public_id in public_ids:
            assert public_id not in text, f"{who} was shown a participant id"
        assert '"members"' not in text
        if who in tokens:
            assert who in text  # their own handle, in /me
    assert answered >= 50


def test_it_suppresses_small_cells_for_participants(room: tuple[Scene, dict[str, str]]) -> None:
    scene, tokens = room
    token = next(iter(tokens.values()))
    shown = scene.api.get(f"/dialogues/{scene.id}/analysis", token)
    assert shown.status == 200 and shown.body["audience"] == "participant"
    data = shown.body
    threshold = scene.dialogue["small_cell_threshold"]
    assert data["cross_side"]["parties"]["Downstream"] is None  # three voters
    counted = 0
    for path, value in walk({"support": data["support"], "groups": data["groups"]}):
        if (
            path.rsplit("/", 1)[-1] in {"agree", "disagree", "pass", "n", "size"}
            and "/overall/" not in path
        ):
            assert value is None or value == 0 or value >= threshold, (path, value)
            counted += 1
    assert counted > 100
    for entry in data["support"].values():
        assert all(v is None for v in entry["sides"]["Downstream"].values())
    assert "map" not in data and "bridging" not in data and "participation" not in data
    full = scene.api.get(f"/dialogues/{scene.id}/analysis", scene.convener_token).body
    assert full["audience"] == "facilitator"
    assert full["cross_side"]["parties"]["Downstream"] == 3
    assert json.dumps(full).count('"Downstream"') > 8

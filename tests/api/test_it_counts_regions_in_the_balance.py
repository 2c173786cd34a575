"""GET /dialogues/{id}/balance counts active participants per region as well (the region
given on joining, "" when none was)."""

from __future__ import annotations

import pytest
from api_support import Scene

pytestmark = pytest.mark.django_db


def _join(scene: Scene, handle: str, **profile: object) -> None:
    token = scene.invite()
    body = {"token": token, "handle": handle, "accept_ground_rules": True, **profile}
    assert scene.api.post("/join", body=body).status == 201


def test_it_counts_participants_per_region(scene: Scene) -> None:
    _join(scene, "A1", region="North bank", languages=["ar"])
    _join(scene, "A2", region="North bank")
    _join(scene, "A3")
    response = scene.api.get(f"/dialogues/{scene.id}/balance", scene.convener_token)
    assert response.status == 200
    assert response.body["by_region"] == {"North bank": 2, "": 1}

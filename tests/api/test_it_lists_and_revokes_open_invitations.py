"""GET /dialogues/{id}/invitations lists the open invitations (no tokens) and counts;
DELETE /dialogues/{id}/invitations/{iid} revokes one nobody used (then /join answers 410)."""

from __future__ import annotations

import pytest
from api_support import Scene

from tracktwo.dialogues.models import Invitation

pytestmark = pytest.mark.django_db


def _invite(scene: Scene, party: int = 0) -> dict[str, object]:
    response = scene.api.post(
        f"/dialogues/{scene.id}/invitations",
        scene.convener_token,
        {"party": scene.party(party), "track": 7, "official": True},
    )
    assert response.status == 201, response.body
    return dict(response.body)


def test_it_lists_open_invitations_without_their_tokens(scene: Scene) -> None:
    made = _invite(scene, 1)
    scene.join("Heron")
    listed = scene.api.get(f"/dialogues/{scene.id}/invitations", scene.convener_token)
    assert listed.status == 200
    assert listed.body["counts"] == {"open": 1, "used": 1, "expired": 0, "revoked": 0}
    [entry] = listed.body["open"]
    assert entry["id"] == made["id"]
    assert entry["party"] == {"id": scene.party(1), "name": "Downstream"}
    assert (entry["track"], entry["role"], entry["official"]) == (7, "participant", True)
    assert b"t2i_" not in listed.raw


def test_it_revokes_an_unused_invitation_and_join_answers_410(scene: Scene) -> None:
    made = _invite(scene)
    url = f"/dialogues/{scene.id}/invitations/{made['id']}"
    assert scene.api.delete(url, scene.convener_token).status == 204
    again = scene.api.delete(url, scene.convener_token)
    assert again.status == 409 and "already revoked" in again.body["detail"]
    joined = scene.api.post(
        "/join", body={"token": made["token"], "handle": "Heron", "accept_ground_rules": True}
    )
    assert joined.status == 410
    assert "withdrawn" in joined.body["detail"]


def test_it_keeps_used_and_foreign_invitations(scene: Scene) -> None:
    participant = scene.join("Heron")
    listed = scene.api.get(f"/dialogues/{scene.id}/invitations", scene.convener_token)
    assert listed.body["open"] == []
    used = Invitation.objects.get(dialogue_id=scene.id)
    url = f"/dialogues/{scene.id}/invitations/{used.pk}"
    assert scene.api.delete(url, scene.convener_token).status == 409
    assert scene.api.delete(url, participant["participant_token"]).status == 403
    _observer, observer_token = scene.add_member("observer")
    assert scene.api.delete(url, observer_token).status == 403
    assert scene.api.get(f"/dialogues/{scene.id}/invitations", observer_token).status == 403
    assert scene.api.delete(url).status == 401
    assert (
        scene.api.delete(f"/dialogues/{scene.id}/invitations/999999", scene.convener_token).status
        == 404
    )
    used.refresh_from_db()
    assert used.revoked_at is None

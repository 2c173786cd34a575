"""A dialogue from creation to shared results, through the JSON API only."""

from __future__ import annotations

import pytest
from api_support import Api, Scene, account, make_scene

from tracktwo.dialogues.models import Vote
from tracktwo.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_it_creates_a_dialogue_with_a_new_initiative(api: Api) -> None:
    scene = make_scene(api)
    body = scene.dialogue
    assert body["title"] == "Water and the valley"
    assert [p["name"] for p in body["parties"]] == ["Upstream", "Downstream"]
    assert body["format"] == "problem-solving-workshop"
    assert body["confidentiality"] == "chatham-house"
    assert body["role"] == "convener"
    assert body["phases"][0]["key"] == "needs-and-fears"
    assert Initiative.objects.get(pk=body["initiative"]).dialogues.count() == 1


def test_it_creates_a_second_dialogue_in_an_existing_initiative(scene: Scene) -> None:
    response = scene.api.post(
        "/dialogues",
        scene.convener_token,
        {
            "title": "Second round",
            "format": "living-room",
            "confidentiality": "secret",
            "initiative": scene.dialogue["initiative"],
        },
    )
    assert response.status == 201, response.body
    assert response.body["initiative"] == scene.dialogue["initiative"]
    assert response.body["parties"] == scene.dialogue["parties"]
    listed = scene.api.get("/dialogues", scene.convener_token).body
    assert [d["id"] for d in listed] == [scene.id, response.body["id"]]
    assert scene.api.get(f"/dialogues/{scene.id}", scene.convener_token).body["id"] == scene.id


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"format": "cocktail-party"}, 422),
        ({"confidentiality": "public"}, 422),
        ({"parties": ["Only one side"]}, 400),
        ({"parties": ["Same", "same"]}, 400),
        ({"title": "   "}, 400),
        ({"initiative": 999_999}, 404),
        ({"initiative": 2**70}, 422),
    ],
)
def test_it_refuses_a_bad_dialogue(api: Api, change: dict[str, object], status: int) -> None:
    _user, token = account(convener=True)
    body = {
        "title": "A title",
        "format": "citizen-exchange",
        "confidentiality": "off-the-record",
        "parties": ["North", "South"],
        **change,
    }
    response = api.post("/dialogues", token, body)
    assert response.status == status
    assert "detail" in response.body


def test_it_invites_and_joins(scene: Scene) -> None:
    response = scene.api.post(
        f"/dialogues/{scene.id}/invitations",
        scene.convener_token,
        {"party": scene.party(1), "track": 9, "role": "participant"},
    )
    assert response.status == 201
    token = response.body["token"]
    assert response.body["url"] == f"/join/{token}"
    joined = scene.api.post(
        "/join", body={"token": token, "handle": "Heron", "accept_ground_rules": True}
    )
    assert joined.status == 201, joined.body
    assert joined.body["participant_token"].startswith("t2p_")
    assert joined.body["recovery_code"]
    assert joined.body["handle"] == "Heron"
    assert joined.body["dialogue"]["id"] == scene.id
    assert joined.body["dialogue"]["role"] == "participant"
    me = scene.api.get(f"/dialogues/{scene.id}/me", joined.body["participant_token"])
    assert me.status == 200
    assert me.body["handle"] == "Heron" and me.body["party"] == "Downstream"
    assert me.body["track"] == 9


def test_it_answers_join_errors_with_their_status(scene: Scene) -> None:
    token = scene.invite()
    refused = scene.api.post("/join", body={"token": token, "handle": "Kite"})
    assert refused.status == 400 and "ground rules" in refused.body["detail"]
    scene.join("Kite")
    again = scene.api.post(
        "/join", body={"token": scene.invite(), "handle": "KITE", "accept_ground_rules": True}
    )
    assert again.status == 409 and "handle" in again.body["detail"]
    used = scene.api.post(
        "/join",
        body={"token": scene.participants[0]["participant_token"], "handle": "x"},
    )
    assert used.status == 404
    first = scene.invite()
    ok = scene.api.post(
        "/join", body={"token": first, "handle": "Wren", "accept_ground_rules": True}
    )
    assert ok.status == 201
    reused = scene.api.post(
        "/join", body={"token": first, "handle": "Wren2", "accept_ground_rules": True}
    )
    assert reused.status == 410
    unknown = scene.api.post(
        "/join", body={"token": "t2i_nothing", "handle": "x", "accept_ground_rules": True}
    )
    assert unknown.status == 404


def test_it_answers_an_expired_invitation_with_410(scene: Scene) -> None:
    from django.utils import timezone

    from tracktwo.dialogues.models import Invitation

    token = scene.invite()
    Invitation.objects.filter(dialogue_id=scene.id).update(expires_at=timezone.now())
    response = scene.api.post(
        "/join", body={"token": token, "handle": "Late", "accept_ground_rules": True}
    )
    assert response.status == 410 and "expired" in response.body["detail"]


def test_it_rate_limits_joining_per_address(scene: Scene, settings: object) -> None:
    settings.TRACKTWO_RATELIMITS = {**settings.TRACKTWO_RATELIMITS, "join": "2/h"}  # type: ignore[attr-defined]
    bodies = [{"token": "t2i_unknown", "handle": "x", "accept_ground_rules": True}] * 3
    statuses = [scene.api.post("/join", body=b).status for b in bodies]
    assert statuses == [404, 404, 429]


def test_it_moderates_statements_and_shows_each_reader_what_is_theirs(scene: Scene) -> None:
    seed = scene.seed("The river is shared by everyone who lives along it.")
    alice = scene.join("Alice")["participant_token"]
    bob = scene.join("Bob", party=1)["participant_token"]
    written = scene.api.post(
        f"/dialogues/{scene.id}/statements", alice, {"text": "Dams need joint oversight."}
    )
    assert written.status == 201
    assert written.body["moderation"] == "pending" and written.body["mine"] is True
    pending_id = written.body["id"]
    own = scene.api.get(f"/dialogues/{scene.id}/statements", alice).body
    assert {s["id"] for s in own} == {seed, pending_id}
    other = scene.api.get(f"/dialogues/{scene.id}/statements", bob).body
    assert {s["id"] for s in other} == {seed}
    everything = scene.api.get(f"/dialogues/{scene.id}/statements", scene.convener_token).body
    assert {s["id"] for s in everything} == {seed, pending_id}
    assert all("author" not in key for s in everything for key in s)
    moderated = scene.api.post(
        f"/dialogues/{scene.id}/statements/{pending_id}/moderation",
        scene.convener_token,
        {"state": "accepted", "redacted_text": "Dams need joint oversight by both sides."},
    )
    assert moderated.status == 200
    assert moderated.body["moderation"] == "accepted" and moderated.body["redacted"] is True
    other = scene.api.get(f"/dialogues/{scene.id}/statements", bob).body
    assert {s["id"] for s in other} == {seed, pending_id}
    notices = scene.api.get(f"/dialogues/{scene.id}/me", alice).body["notices"]
    assert notices and notices[0]["kind"] == "statement-redacted"
    bad = scene.api.post(
        f"/dialogues/{scene.id}/statements/{pending_id}/moderation",
        scene.convener_token,
        {"state": "maybe"},
    )
    assert bad.status == 422
    missing = scene.api.post(
        f"/dialogues/{scene.id}/statements/999999/moderation",
        scene.convener_token,
        {"state": "accepted"},
    )
    assert missing.status == 404


def test_it_routes_statements_takes_votes_and_answers_204_at_the_end(scene: Scene) -> None:
    ids = {scene.seed(f"Seed statement {i}") for i in range(3)}
    token = scene.join("Alice")["participant_token"]
    seen = set()
    for _ in range(3):
        response = scene.api.get(f"/dialogues/{scene.id}/next-statement", token)
        assert response.status == 200
        assert response.body["remaining"] == 3 - len(seen)
        seen.add(response.body["id"])
        voted = scene.api.post(
            f"/dialogues/{scene.id}/votes",
            token,
            {"statement": response.body["id"], "vote": "agree"},
        )
        assert voted.status == 201 and voted.body == {
            "statement": response.body["id"],
            "vote": "agree",
        }
    assert seen == ids
    done = scene.api.get(f"/dialogues/{scene.id}/next-statement", token)
    assert done.status == 204
    sid = min(ids)
    again = scene.api.post(
        f"/dialogues/{scene.id}/votes", token, {"statement": sid, "vote": "pass"}
    )
    assert again.status == 201
    assert list(
        Vote.objects.filter(statement_id=sid).order_by("id").values_list("value", flat=True)
    ) == [1, 0]


def test_it_answers_409_for_a_vote_on_a_statement_not_open(scene: Scene) -> None:
    alice = scene.join("Alice")["participant_token"]
    pending = scene.api.post(
        f"/dialogues/{scene.id}/statements", alice, {"text": "Pending one."}
    ).body["id"]
    response = scene.api.post(
        f"/dialogues/{scene.id}/votes", alice, {"statement": pending, "vote": "agree"}
    )
    assert response.status == 409
    other = make_scene(scene.api)
    foreign = other.seed("Elsewhere.")
    response = scene.api.post(
        f"/dialogues/{scene.id}/votes", alice, {"statement": foreign, "vote": "agree"}
    )
    assert response.status == 409
    assert (
        scene.api.post(
            f"/dialogues/{scene.id}/votes", alice, {"statement": 2**63, "vote": "agree"}
        ).status
        == 422
    )
    assert (
        scene.api.post(
            f"/dialogues/{scene.id}/votes", alice, {"statement": foreign, "vote": "yes"}
        ).status
        == 422
    )


def test_it_rate_limits_votes_per_participant(scene: Scene, settings: object) -> None:
    settings.TRACKTWO_RATELIMITS = {**settings.TRACKTWO_RATELIMITS, "vote": "3/m"}  # type: ignore[attr-defined]
    sid = scene.seed("Vote on me.")
    alice = scene.join("Alice")["participant_token"]
    bob = scene.join("Bob")["participant_token"]
    body = {"statement": sid, "vote": "agree"}
    statuses = [
        scene.api.post(f"/dialogues/{scene.id}/votes", alice, body).status for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    assert scene.api.post(f"/dialogues/{scene.id}/votes", bob, body).status == 201


def test_it_lets_a_participant_delete_their_statement_and_withdraw(scene: Scene) -> None:
    alice = scene.join("Alice")["participant_token"]
    bob = scene.join("Bob")["participant_token"]
    sid = scene.api.post(f"/dialogues/{scene.id}/statements", alice, {"text": "Mine."}).body["id"]
    assert scene.api.delete(f"/dialogues/{scene.id}/statements/{sid}", bob).status == 404
    assert scene.api.delete(f"/dialogues/{scene.id}/statements/{sid}", alice).status == 204
    assert scene.api.delete(f"/dialogues/{scene.id}/statements/{sid}", alice).status == 404
    out = scene.api.post(f"/dialogues/{scene.id}/withdraw", alice, {"remove_contributions": True})
    assert out.status == 200 and out.body == {"withdrawn": True, "contributions_removed": True}
    assert scene.api.get(f"/dialogues/{scene.id}/me", alice).status == 401


def test_it_recovers_a_lost_token(scene: Scene) -> None:
    joined = scene.join("Alice")
    response = scene.api.post(
        f"/dialogues/{scene.id}/recover",
        body={"handle": "alice", "recovery_code": joined["recovery_code"]},
    )
    assert response.status == 201
    assert scene.api.get(f"/dialogues/{scene.id}/me", joined["participant_token"]).status == 401
    assert (
        scene.api.get(f"/dialogues/{scene.id}/me", response.body["participant_token"]).status == 200
    )
    wrong = scene.api.post(
        f"/dialogues/{scene.id}/recover", body={"handle": "alice", "recovery_code": "AAAA-BBBB"}
    )
    assert wrong.status == 404


def test_it_advances_phases_and_shares_results(scene: Scene) -> None:
    first = scene.api.post(f"/dialogues/{scene.id}/phase", scene.convener_token, {})
    assert first.status == 200 and first.body["session"] == 1 and first.body["phase_index"] == 0
    second = scene.api.post(f"/dialogues/{scene.id}/phase", scene.convener_token, {})
    assert second.body["phase_index"] == 1 and second.body["phase"] == "joint-thinking"
    jump = scene.api.post(f"/dialogues/{scene.id}/phase", scene.convener_token, {"phase": 0})
    assert jump.body["phase_index"] == 0
    beyond = scene.api.post(f"/dialogues/{scene.id}/phase", scene.convener_token, {"phase": 99})
    assert beyond.status == 400
    assert scene.api.get(f"/dialogues/{scene.id}", scene.convener_token).body["current_phase"] == 0
    shared = scene.api.post(f"/dialogues/{scene.id}/share", scene.convener_token, {"shared": True})
    assert shared.status == 200 and shared.body == {"results_shared": True}
    assert scene.model.results_shared


def test_it_reports_delegation_balance(scene: Scene) -> None:
    scene.join("A1", party=0)
    scene.join("A2", party=0)
    scene.join("B1", party=1)
    response = scene.api.get(f"/dialogues/{scene.id}/balance", scene.convener_token)
    assert response.status == 200
    assert response.body["total"] == 3
    assert response.body["by_party"] == {"Upstream": 2, "Downstream": 1}
    assert response.body["by_track"] == {"4": 3}


def test_it_serves_a_valid_openapi_document(api: Api) -> None:
    assert api.get("/openapi.json").status == 401  # accounts only (DEBUG is off)
    _, token = account()
    response = api.get("/openapi.json", token)
    assert response.status == 200
    paths = response.body["paths"]
    for path in (
        "/api/v1/dialogues",
        "/api/v1/dialogues/{id}",
        "/api/v1/dialogues/{id}/invitations",
        "/api/v1/join",
        "/api/v1/dialogues/{id}/statements",
        "/api/v1/dialogues/{id}/statements/{sid}/moderation",
        "/api/v1/dialogues/{id}/next-statement",
        "/api/v1/dialogues/{id}/votes",
        "/api/v1/dialogues/{id}/analysis",
        "/api/v1/dialogues/{id}/statements/{sid}",
        "/api/v1/dialogues/{id}/withdraw",
        "/api/v1/dialogues/{id}/me",
        "/api/v1/dialogues/{id}/phase",
        "/api/v1/dialogues/{id}/share",
        "/api/v1/dialogues/{id}/balance",
    ):
        assert path in paths, path
    from schemathesis.specs.openapi import definitions

    assert response.body["openapi"].startswith("3.1")
    definitions.OPENAPI_31_VALIDATOR.validate(response.body)

"""Every dialogue route checks who is calling, on the object, before anything else."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from api_support import Api, Scene, account, make_scene

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: dict[str, object] | None = None


def routes(scene: Scene, sid: int) -> dict[str, Route]:
    d = f"/dialogues/{scene.id}"
    return {
        "get": Route("GET", d),
        "invite": Route("POST", f"{d}/invitations", {"party": scene.party(0), "track": 1}),
        "write": Route("POST", f"{d}/statements", {"text": "A statement."}),
        "statements": Route("GET", f"{d}/statements"),
        "moderate": Route("POST", f"{d}/statements/{sid}/moderation", {"state": "rejected"}),
        "delete": Route("DELETE", f"{d}/statements/{sid}"),
        "next": Route("GET", f"{d}/next-statement"),
        "vote": Route("POST", f"{d}/votes", {"statement": sid, "vote": "agree"}),
        "analysis": Route("GET", f"{d}/analysis"),
        "me": Route("GET", f"{d}/me"),
        "phase": Route("POST", f"{d}/phase", {}),
        "share": Route("POST", f"{d}/share", {"shared": False}),
        "balance": Route("GET", f"{d}/balance"),
        "ground-rules": Route("POST", f"{d}/ground-rules", {"version": 1}),
        "export": Route("GET", f"{d}/export/polis"),
        "withdraw": Route("POST", f"{d}/withdraw", {}),  # last: it ends a participant's access
    }


def call(scene: Scene, route: Route, token: str | None) -> int:
    return scene.api.call(route.method, route.path, token, route.body).status


def statuses(scene: Scene, token: str | None, sid: int) -> dict[str, int]:
    return {name: call(scene, route, token) for name, route in routes(scene, sid).items()}


@pytest.fixture
def setting(api: Api) -> tuple[Scene, int]:
    scene = make_scene(api)
    sid = scene.seed("The river is shared.")
    return scene, sid


def test_it_answers_401_to_anonymous_callers(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    assert set(statuses(scene, None, sid).values()) == {401}
    assert set(statuses(scene, "t2p_not-a-real-token", sid).values()) == {401}
    assert scene.api.get("/dialogues").status == 401
    assert scene.api.post("/dialogues", body={}).status == 401


def test_it_hides_the_dialogue_from_a_participant_of_another(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    other = make_scene(scene.api, title="Another valley")
    stranger = other.join("Stranger")["participant_token"]
    found = statuses(scene, stranger, sid)
    assert set(found.values()) == {404}, found
    listed = scene.api.get("/dialogues", stranger).body
    assert [d["id"] for d in listed] == [other.id]


@pytest.mark.parametrize("role", ["liaison", "stranger"])
def test_it_hides_the_dialogue_from_accounts_without_a_role_in_it(
    setting: tuple[Scene, int], role: str
) -> None:
    scene, sid = setting
    if role == "liaison":
        _user, token = scene.add_member("liaison", dialogue_only=False)
    else:
        _user, token = account("stranger")
    found = statuses(scene, token, sid)
    assert set(found.values()) == {404}, found
    assert scene.api.get("/dialogues", token).body == []


def test_it_lets_an_observer_look_but_not_act(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    _user, token = scene.add_member("observer")
    found = statuses(scene, token, sid)
    allowed = {"get", "statements", "analysis"}
    assert {name for name, status in found.items() if status == 200} == allowed, found
    assert {status for name, status in found.items() if name not in allowed} == {403}, found


def test_it_lets_a_dialogue_facilitator_run_it_but_not_export(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    _user, token = scene.add_member("facilitator")
    found = statuses(scene, token, sid)
    participants_only = {"delete", "next", "vote", "me", "withdraw", "ground-rules"}
    assert {found[name] for name in participants_only} == {403}, found
    assert found["export"] == 403
    assert found["invite"] == 201 and found["write"] == 201 and found["moderate"] == 200
    assert found["balance"] == 200 and found["phase"] == 200 and found["share"] == 200


def test_it_keeps_participants_off_facilitator_routes(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    token = scene.join("Alice")["participant_token"]
    found = statuses(scene, token, sid)
    for name in ("invite", "moderate", "phase", "share", "balance", "export"):
        assert found[name] == 403, (name, found)
    assert found["analysis"] == 403  # results not shared yet
    assert found["delete"] == 404  # not their statement
    assert found["get"] == found["statements"] == found["me"] == 200
    assert found["vote"] == 201 and found["write"] == 201


def test_it_keeps_invited_observers_from_voting_and_writing(setting: tuple[Scene, int]) -> None:
    scene, sid = setting
    token = scene.join("Watcher", role="observer")["participant_token"]
    found = statuses(scene, token, sid)
    assert found["vote"] == 403 and found["write"] == 403 and found["next"] == 403
    assert found["get"] == 200 and found["me"] == 200


def test_it_asks_for_the_new_ground_rules_before_voting(setting: tuple[Scene, int]) -> None:
    from tracktwo.dialogues import actions

    scene, sid = setting
    token = scene.join("Alice")["participant_token"]
    actions.update_ground_rules(scene.model, ["Be kind."], scene.convener)
    vote = routes(scene, sid)["vote"]
    assert call(scene, vote, token) == 400
    assert (
        scene.api.post(f"/dialogues/{scene.id}/ground-rules", token, {"version": 1}).status == 400
    )
    accepted = scene.api.post(f"/dialogues/{scene.id}/ground-rules", token, {"version": 2})
    assert accepted.status == 200 and accepted.body["ground_rules_version_accepted"] == 2
    assert call(scene, vote, token) == 201


def test_it_answers_404_for_ids_out_of_range(setting: tuple[Scene, int]) -> None:
    scene, _sid = setting
    assert scene.api.get("/dialogues/0", scene.convener_token).status == 422
    assert scene.api.get(f"/dialogues/{2**64}", scene.convener_token).status == 422
    assert scene.api.get("/dialogues/987654321", scene.convener_token).status == 404

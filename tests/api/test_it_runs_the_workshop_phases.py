"""Issue 13 through the API: meetings of a kind, phases that act, regimes that act, rounds.

Every refusal is a 4xx with a JSON reason naming the phase, the meeting or the regime,
and nothing is lost (a held critique is kept for the constraints phase).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from api_support import Response, Scene
from django.utils import timezone

from tracktwo.dialogues.models import HeldCritique, Session, Statement, Vote

pytestmark = pytest.mark.django_db


def vote(scene: Scene, token: str, sid: int, choice: str) -> Response:
    return scene.api.post(f"/dialogues/{scene.id}/votes", token, {"statement": sid, "vote": choice})


def meeting(scene: Scene, **body: Any) -> dict[str, Any]:
    response = scene.api.post(f"/dialogues/{scene.id}/meetings", scene.convener_token, body)
    assert response.status == 201, response.body
    return dict(response.body)


def to_phase(scene: Scene, index: int) -> None:
    response = scene.api.post(
        f"/dialogues/{scene.id}/phase", scene.convener_token, {"phase": index}
    )
    assert response.status == 200, response.body


def test_it_holds_disagreement_in_the_brainstorm_and_opens_it_in_constraints(
    scene: Scene,
) -> None:
    alice = scene.join("Alice", 0)["participant_token"]
    found = meeting(scene, kind="agenda")
    assert (found["phase"], found["votes_allowed"]) == ("needs-and-fears", ["agree", "pass"])
    to_phase(scene, 1)  # joint thinking
    idea = scene.api.post(
        f"/dialogues/{scene.id}/statements", alice, {"text": "A joint water board."}
    )
    sid = scene.seed("Share the aquifer data.")
    assert vote(scene, alice, sid, "agree").status == 201  # "I could live with this"
    refused = vote(scene, alice, sid, "disagree")
    assert refused.status == 409
    assert "Joint thinking" in refused.body["detail"]
    assert "disagreement is held" in refused.body["detail"]
    assert list(Vote.objects.values_list("value", "phase_index")) == [(1, 1)]
    kept = scene.api.post(
        f"/dialogues/{scene.id}/held-critiques", alice, {"statement": sid, "note": "Who pays?"}
    )
    assert kept.status == 201 and kept.body["phase_index"] == 1
    bob = scene.join("Bob", 1)["participant_token"]
    assert scene.api.get(f"/dialogues/{scene.id}/held-critiques", bob).body == []
    assert (
        scene.api.get(f"/dialogues/{scene.id}/held-critiques", alice).body[0]["note"] == "Who pays?"
    )
    assert scene.api.get(f"/dialogues/{scene.id}/next-statement", alice).status == 204
    to_phase(scene, 2)  # constraints: critique opens, the held ideas are put to a full vote
    again = scene.api.get(f"/dialogues/{scene.id}/next-statement", alice)
    assert again.status == 200 and again.body["id"] == sid
    assert vote(scene, alice, sid, "disagree").status == 201
    assert Vote.objects.latest("id").phase_index == 2
    assert scene.api.get(f"/dialogues/{scene.id}/next-statement", alice).status == 204
    assert Statement.objects.get(pk=idea.body["id"]).phase_index == 1


def test_it_takes_no_votes_in_side_meetings_and_keeps_their_notes_on_that_side(
    scene: Scene,
) -> None:
    alice = scene.join("Alice", 0)["participant_token"]
    bob = scene.join("Bob", 1)["participant_token"]
    sid = scene.seed("A statement.")
    pre = meeting(scene, kind="pre-briefing", side=scene.party(0))
    refused = vote(scene, alice, sid, "agree")
    assert refused.status == 409 and "Pre-briefing" in refused.body["detail"]
    url = f"/dialogues/{scene.id}/meetings/{pre['number']}/notes"
    note = {"kind": "pre-briefing", "text": "CANARY-SIDE-A fear of arrest"}
    assert scene.api.post(url, alice, note).status == 201
    assert scene.api.post(url, bob, note).status == 404
    assert scene.api.get(url, bob).status == 404
    assert b"CANARY-SIDE-A" not in scene.api.get(f"/dialogues/{scene.id}/meetings", bob).raw
    assert [n["text"] for n in scene.api.get(url, alice).body] == [note["text"]]
    assert [n["text"] for n in scene.api.get(url, scene.convener_token).body] == [note["text"]]
    assert [m["number"] for m in scene.api.get(f"/dialogues/{scene.id}/meetings", bob).body] == []
    assert (
        scene.api.post(
            f"/dialogues/{scene.id}/meetings", scene.convener_token, {"kind": "re-entry"}
        ).status
        == 400
    )


def test_it_records_the_openings_acknowledgement_and_refuses_it_elsewhere(scene: Scene) -> None:
    alice = scene.join("Alice", 0)["participant_token"]
    opening = meeting(scene, kind="opening")
    url = f"/dialogues/{scene.id}/meetings/{opening['number']}/opening"
    assert scene.api.post(url, alice).status == 200
    agenda = meeting(scene, kind="agenda")
    wrong = scene.api.post(f"/dialogues/{scene.id}/meetings/{agenda['number']}/opening", alice)
    assert wrong.status == 409 and "opening" in wrong.body["detail"]


def test_it_edits_the_agenda_and_moves_what_was_recorded_with_it(scene: Scene) -> None:
    alice = scene.join("Alice", 0)["participant_token"]
    meeting(scene, kind="agenda")
    to_phase(scene, 1)
    sid = scene.seed("Recorded in joint thinking.")
    put = scene.api.call(
        "PUT",
        f"/dialogues/{scene.id}/agenda",
        scene.convener_token,
        {
            "phases": [
                {"key": "joint-thinking", "name": "Brainstorm"},
                {"key": "needs-and-fears"},
                {"name": "Site visit", "purpose": "See the river.", "held": False},
                {"key": "constraints"},
                {"key": "overcoming-constraints"},
                {"key": "next-steps"},
            ]
        },
    )
    assert put.status == 200, put.body
    assert [p["name"] for p in put.body][:3] == ["Brainstorm", "Needs and fears", "Site visit"]
    assert put.body[2]["key"] == "custom-1"
    assert Statement.objects.get(pk=sid).phase_index == 0
    assert Session.objects.get().phase_index == 0  # still in the phase now called Brainstorm
    shown = scene.api.get(f"/dialogues/{scene.id}", alice).body
    assert shown["phases"][0]["name"] == "Brainstorm" and shown["current_phase"] == 0
    assert vote(scene, alice, sid, "disagree").status == 409
    unheld = [{"key": "joint-thinking", "held": False}, {"key": "needs-and-fears"}]
    rest = [{"key": k} for k in ("custom-1", "constraints", "overcoming-constraints", "next-steps")]
    body = {"phases": unheld + rest}
    assert (
        scene.api.call("PUT", f"/dialogues/{scene.id}/agenda", scene.convener_token, body).status
        == 200
    )
    assert vote(scene, alice, sid, "disagree").status == 201
    dropped = {"phases": [{"key": "needs-and-fears"}]}
    gone = scene.api.call("PUT", f"/dialogues/{scene.id}/agenda", scene.convener_token, dropped)
    assert gone.status == 409
    assert scene.api.call("PUT", f"/dialogues/{scene.id}/agenda", alice, body).status == 403


def test_it_closes_a_timed_round_by_itself(scene: Scene) -> None:
    alice = scene.join("Alice", 0)["participant_token"]
    sid = scene.seed("Timed.")
    found = meeting(scene, kind="agenda")
    to_phase(scene, 2)
    url = f"/dialogues/{scene.id}/meetings/{found['number']}/round"
    started = scene.api.post(url, scene.convener_token, {"minutes": 20})
    assert started.status == 200 and started.body["round_open"]
    assert 1190 <= started.body["seconds_left"] <= 1200
    assert vote(scene, alice, sid, "agree").status == 201
    Session.objects.update(round_ends_at=timezone.now() - timedelta(seconds=1))
    late = vote(scene, alice, sid, "disagree")
    assert late.status == 409 and "timed round" in late.body["detail"]
    shown = scene.api.get(f"/dialogues/{scene.id}/meetings", alice).body[0]
    assert (shown["round_open"], shown["votes_allowed"]) == (False, [])
    assert scene.api.post(url, alice, {"minutes": 5}).status == 403
    assert scene.api.delete(url, scene.convener_token).status == 200
    assert vote(scene, alice, sid, "disagree").status == 201
    assert scene.api.post(url, scene.convener_token, {"minutes": 0}).status == 422


def test_it_lets_nothing_leave_an_off_the_record_meeting(scene: Scene) -> None:
    scene.join("Alice", 0)
    first = meeting(scene, kind="agenda")
    url = f"/dialogues/{scene.id}/meetings/{first['number']}"
    patched = scene.api.call(
        "PATCH", url, scene.convener_token, {"confidentiality": "off-the-record"}
    )
    assert patched.status == 200 and patched.body["confidentiality"] == "off-the-record"
    brief = scene.api.get(f"/dialogues/{scene.id}/brief?format=md", scene.convener_token)
    assert brief.status == 409 and "off the record" in brief.body["detail"]
    single = scene.api.get(f"/dialogues/{scene.id}/brief?session=1", scene.convener_token)
    assert single.status == 409
    export = scene.api.get(f"/dialogues/{scene.id}/export/polis", scene.convener_token)
    assert export.status == 409 and "export" in export.body["detail"]
    second = meeting(scene, kind="agenda", confidentiality="chatham-house")
    assert second["confidentiality"] == "chatham-house"
    only_second = scene.api.get(
        f"/dialogues/{scene.id}/brief?session=2&format=md", scene.convener_token
    )
    assert only_second.status == 200


def test_it_states_a_track_one_and_a_half_meeting_in_the_brief(scene: Scene) -> None:
    found = meeting(scene, kind="agenda", officials_private_capacity=True)
    assert found["officials_private_capacity"] is True
    brief = scene.api.get(f"/dialogues/{scene.id}/brief?format=md", scene.convener_token)
    assert brief.status == 200
    assert b"Track 1.5: officials took part in a private capacity" in brief.raw


def test_it_keeps_held_critiques_private_and_refuses_observers(scene: Scene) -> None:
    sid = scene.seed("Something.")
    observer = scene.join("Olga", 0, role="observer")["participant_token"]
    refused = scene.api.post(f"/dialogues/{scene.id}/held-critiques", observer, {"statement": sid})
    assert refused.status == 403
    assert HeldCritique.objects.count() == 0


def test_it_withholds_the_dates_of_a_secret_meeting_in_a_chatham_house_dialogue(
    scene: Scene,
) -> None:
    meeting(scene, kind="agenda", confidentiality="secret")
    brief = scene.api.get(f"/dialogues/{scene.id}/brief?format=md", scene.convener_token)
    assert brief.status == 200
    assert b"withheld (secret meeting)" in brief.raw
    shown = scene.api.get(f"/dialogues/{scene.id}/meetings", scene.convener_token).body[0]
    assert shown["confidentiality"] == "secret" and "existence" in shown["regime_text"]

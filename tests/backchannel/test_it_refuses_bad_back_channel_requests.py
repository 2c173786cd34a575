"""Bad input and out-of-turn acts: each a 4xx whose JSON names the field, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from backchannel_support import Scene

from tracktwo.backchannel import actions
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.practice.errors import NotAllowed


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        BackChannelMessage.objects.order_by("id").values_list(
            "id", "state", "body_sealed", "proposed_sealed", "hold_reason_sealed", "carried_at"
        )
    )


def _send(scene: Scene, text: str = "Shall we talk?") -> int:
    sent = scene.api.post(
        scene.messages, scene.tokens["a"], {"to_party": scene.parties[1].pk, "text": text}
    )
    assert sent.status == 201, sent.body
    return int(sent.body["id"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to_party": "DOWN", "text": ""}, "text"),
        ({"to_party": "DOWN", "text": "   "}, "text"),
        ({"to_party": "DOWN", "text": "x" * 4001}, "text"),
        ({"to_party": "UP", "text": "To ourselves."}, "to_party"),
        ({"to_party": "FAR", "text": "To another initiative."}, "to_party"),
        ({"to_party": 999_999, "text": "To nobody."}, "to_party"),
        ({"text": "A reply to nothing.", "reply_to": 999_999}, "reply_to"),
    ],
)
def test_it_refuses_bad_drafts(scene: Scene, body: dict[str, Any], field: str) -> None:
    ids = {"DOWN": scene.parties[1].pk, "UP": scene.parties[0].pk, "FAR": scene.far_party.pk}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    answer = scene.api.post(scene.messages, scene.tokens["a"], body)
    assert answer.status == 400, answer.body
    assert answer.body["detail"].startswith(f"{field}: ")
    assert _snapshot() == []


def test_it_refuses_to_carry_twice_or_act_on_held_and_withdrawn(scene: Scene) -> None:
    api, facilitator = scene.api, scene.tokens["facilitator"]
    carried = _send(scene)
    assert api.post(f"/back-channel/messages/{carried}/carry", facilitator).status == 200
    held = _send(scene, "Another.")
    assert (
        api.post(f"/back-channel/messages/{held}/hold", facilitator, {"reason": "No."}).status
        == 200
    )
    withdrawn = _send(scene, "A third.")
    assert api.post(f"/back-channel/messages/{withdrawn}/withdraw", scene.tokens["a"]).status == 200
    before = _snapshot()
    refused = [
        (carried, "carry", facilitator, None),
        (carried, "propose", facilitator, {"text": "Reworded."}),
        (held, "carry", facilitator, None),
        (held, "propose", facilitator, {"text": "Reworded."}),
        (held, "accept", scene.tokens["a"], None),
        (held, "withdraw", scene.tokens["a"], None),
        (withdrawn, "carry", facilitator, None),
        (withdrawn, "hold", facilitator, {"reason": "No."}),
        (withdrawn, "edit", scene.tokens["a"], {"text": "Again."}),
        (carried, "accept", scene.tokens["a"], None),
    ]
    for message, verb, token, body in refused:
        answer = api.post(f"/back-channel/messages/{message}/{verb}", token, body)
        assert answer.status == 409, (verb, answer.body)
        assert answer.body["detail"].startswith("state: "), answer.body
    assert _snapshot() == before


def test_it_refuses_empty_rewordings_and_reasons(scene: Scene) -> None:
    message = _send(scene)
    api, facilitator = scene.api, scene.tokens["facilitator"]
    propose = api.post(f"/back-channel/messages/{message}/propose", facilitator, {"text": " "})
    hold = api.post(f"/back-channel/messages/{message}/hold", facilitator, {"reason": ""})
    assert (propose.status, propose.body["detail"].split(":")[0]) == (400, "text")
    assert (hold.status, hold.body["detail"].split(":")[0]) == (400, "reason")
    assert BackChannelMessage.objects.get().state == "awaiting"


def test_it_refuses_a_participant_who_has_withdrawn(scene: Scene) -> None:
    message = _send(scene)
    scene.api.post(
        f"/back-channel/messages/{message}/propose",
        scene.tokens["facilitator"],
        {"text": "Better."},
    )
    before = _snapshot()
    dialogue_actions.withdraw(scene.participants["a"])
    scene.participants["a"].refresh_from_db()
    assert (
        scene.api.post(f"/back-channel/messages/{message}/accept", scene.tokens["a"]).status == 401
    )
    assert (
        scene.api.post(scene.messages, scene.tokens["a"], {"to_party": None, "text": "x"}).status
        == 401
    )
    with pytest.raises(NotAllowed) as refused:
        actions.accept(BackChannelMessage.objects.get(), scene.caller("a"))
    assert refused.value.field == "participant"
    assert _snapshot() == before


def test_it_refuses_observers_liaisons_and_the_other_side(scene: Scene) -> None:
    message = _send(scene)
    api = scene.api
    for name in ("observer", "liaison", "a_observer"):
        assert api.get(scene.messages, scene.tokens[name]).status in (403, 404), name
        answer = api.post(scene.messages, scene.tokens[name], {"to_party": None, "text": "x"})
        assert answer.status in (403, 404), name
        assert api.post(f"/back-channel/messages/{message}/carry", scene.tokens[name]).status in (
            403,
            404,
        )
    # the addressee does not know of it before it is carried, and may not accept it after
    for verb in ("carry", "accept", "withdraw"):
        assert api.post(f"/back-channel/messages/{message}/{verb}", scene.tokens["b"]).status == 404
    assert (
        api.post(f"/back-channel/messages/{message}/carry", scene.tokens["facilitator"]).status
        == 200
    )
    assert api.post(f"/back-channel/messages/{message}/withdraw", scene.tokens["b"]).status == 404
    assert BackChannelMessage.objects.get().state == "carried"

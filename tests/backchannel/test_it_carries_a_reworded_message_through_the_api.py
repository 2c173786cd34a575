"""The shuttle through the API: A drafts, the facilitator rewords, A accepts, B reads "from
Upstream" and replies, the reply is carried, A reads it; every step audited by ids only."""

from __future__ import annotations

from backchannel_support import Scene

from tracktwo.safety.models import AuditEvent


def test_it_carries_a_reworded_message_and_its_reply(scene: Scene) -> None:
    api, down = scene.api, scene.parties[1]
    sent = api.post(
        scene.messages, scene.tokens["a"], {"to_party": down.pk, "text": "We could talk water."}
    )
    assert sent.status == 201, sent.body
    assert sent.body["state"] == "awaiting" and sent.body["mine"] is True
    message = sent.body["id"]
    # the other side sees nothing yet
    assert api.get(scene.messages, scene.tokens["b"]).body["messages"] == []

    queue = api.get(scene.messages, scene.tokens["facilitator"]).body
    assert [m["id"] for m in queue["messages"]] == [message]
    proposed = api.post(
        f"/back-channel/messages/{message}/propose",
        scene.tokens["facilitator"],
        {"text": "Upstream is ready to discuss water sharing."},
    )
    assert proposed.status == 200, proposed.body
    mine = api.get(scene.messages, scene.tokens["a"]).body["messages"][0]
    assert mine["state"] == "proposed"
    assert mine["proposed"] == "Upstream is ready to discuss water sharing."
    # another member of the side sees the state but may not accept in the writer's place
    other = api.get(scene.messages, scene.tokens["a2"]).body["messages"][0]
    assert other["state"] == "proposed" and other["mine"] is False
    assert api.post(f"/back-channel/messages/{message}/accept", scene.tokens["a2"]).status == 403

    accepted = api.post(f"/back-channel/messages/{message}/accept", scene.tokens["a"])
    assert accepted.status == 200, accepted.body
    assert accepted.body["state"] == "carried"

    received = api.get(scene.messages, scene.tokens["b"]).body
    assert received["side"] == "Downstream"
    [read] = received["messages"]
    assert read["direction"] == "received"
    assert read["from_side"] == "Upstream"
    assert read["text"] == "Upstream is ready to discuss water sharing."
    assert read["proposed"] == "" and read["hold_reason"] == ""
    assert len(read["day"]) == 10  # the day, never a time

    reply = api.post(
        scene.messages,
        scene.tokens["b"],
        {"text": "Downstream agrees to talk.", "reply_to": message},
    )
    assert reply.status == 201, reply.body
    assert reply.body["to_side"] == "Upstream"
    carried = api.post(
        f"/back-channel/messages/{reply.body['id']}/carry", scene.tokens["facilitator"]
    )
    assert carried.status == 200, carried.body

    seen = {m["id"]: m for m in api.get(scene.messages, scene.tokens["a"]).body["messages"]}
    assert seen[message]["state"] == "answered"
    answer = seen[reply.body["id"]]
    assert answer["direction"] == "received" and answer["from_side"] == "Downstream"
    assert answer["text"] == "Downstream agrees to talk."
    assert answer["reply_to"] == message
    actions = list(
        AuditEvent.objects.filter(action__startswith="back_channel.").values_list(
            "action", "target_id"
        )
    )
    assert actions == [
        ("back_channel.rewording_proposed", str(message)),
        ("back_channel.rewording_accepted", str(message)),
        ("back_channel.carried", str(reply.body["id"])),
    ]


def test_it_holds_a_message_with_a_reason_its_side_sees(scene: Scene) -> None:
    api = scene.api
    sent = api.post(
        scene.messages, scene.tokens["a"], {"to_party": scene.parties[1].pk, "text": "Too soon."}
    ).body
    held = api.post(
        f"/back-channel/messages/{sent['id']}/hold",
        scene.tokens["facilitator"],
        {"reason": "Wait until after the elections."},
    )
    assert held.status == 200, held.body
    for member in ("a", "a2"):
        [mine] = api.get(scene.messages, scene.tokens[member]).body["messages"]
        assert (mine["state"], mine["hold_reason"]) == ("held", "Wait until after the elections.")
    assert api.get(scene.messages, scene.tokens["b"]).body["messages"] == []


def test_it_takes_messages_for_the_facilitators_only(scene: Scene) -> None:
    api = scene.api
    sent = api.post(scene.messages, scene.tokens["a"], {"to_party": None, "text": "Only you."})
    assert sent.status == 201 and sent.body["to_side"] is None
    assert (
        api.post(f"/back-channel/messages/{sent.body['id']}/carry", scene.tokens["convener"]).status
        == 200
    )
    for other in ("b",):
        assert api.get(scene.messages, scene.tokens[other]).body["messages"] == []


def test_it_keeps_a_draft_to_its_writer_until_edited(scene: Scene) -> None:
    api = scene.api
    draft = api.post(
        scene.messages,
        scene.tokens["a"],
        {"to_party": scene.parties[1].pk, "text": "A first go.", "draft": True},
    ).body
    assert draft["state"] == "drafted"
    assert api.get(scene.messages, scene.tokens["a2"]).body["messages"] == []
    assert api.get(scene.messages, scene.tokens["facilitator"]).body["messages"] == []
    edited = api.post(
        f"/back-channel/messages/{draft['id']}/edit", scene.tokens["a"], {"text": "A better go."}
    )
    assert (edited.status, edited.body["state"], edited.body["text"]) == (
        200,
        "awaiting",
        "A better go.",
    )
    withdrawn = api.post(f"/back-channel/messages/{draft['id']}/withdraw", scene.tokens["a"])
    assert withdrawn.body["state"] == "withdrawn"
    assert api.get(scene.messages, scene.tokens["facilitator"]).body["messages"] == []

"""Each side's caucus: threads, replies and a pinned position, for that side's members only."""

from __future__ import annotations

from backchannel_support import Scene


def test_it_keeps_a_caucus_per_side(scene: Scene) -> None:
    api = scene.api
    caucus = f"/initiatives/{scene.initiative.pk}/back-channel/caucus"
    thread = api.post(f"{caucus}/posts", scene.tokens["a"], {"text": "What do we ask for?"})
    assert thread.status == 201, thread.body
    reply = api.post(
        f"{caucus}/posts",
        scene.tokens["a2"],
        {"text": "Guaranteed flow.", "reply_to": thread.body["id"]},
    )
    assert reply.status == 201, reply.body
    position = api.post(
        f"{caucus}/position", scene.tokens["a2"], {"text": "Flow first, then dams."}
    )
    assert position.status == 200, position.body

    seen = api.get(caucus, scene.tokens["a"]).body
    assert seen["side"] == "Upstream" and seen["position"] == "Flow first, then dams."
    [only] = seen["threads"]
    assert only["text"] == "What do we ask for?"
    assert [r["text"] for r in only["replies"]] == ["Guaranteed flow."]
    assert "handle" not in str(seen).lower()

    theirs = api.get(caucus, scene.tokens["b"]).body
    assert theirs == {
        "side": "Downstream",
        "side_id": scene.parties[1].pk,
        "position": "",
        "threads": [],
        "facilitators_included": False,
    }
    # the other side cannot reply into Upstream's thread
    refused = api.post(
        f"{caucus}/posts", scene.tokens["b"], {"text": "Hi", "reply_to": thread.body["id"]}
    )
    assert (refused.status, refused.body["detail"].split(":")[0]) == (400, "reply_to")
    for name in ("facilitator", "observer", "liaison", "a_observer"):
        assert api.get(caucus, scene.tokens[name]).status in (403, 404), name


def test_it_keeps_the_channel_between_facilitators(scene: Scene) -> None:
    api, facilitator = scene.api, scene.tokens["facilitator"]
    base = f"/initiatives/{scene.initiative.pk}/back-channel"
    fresh = api.get(f"{base}/continuity", facilitator).body
    assert [c["quiet"] for c in fresh["channels"]] == [True, True, True]
    assert [c["last_carried"] for c in fresh["channels"]] == [None, None, None]
    sent = api.post(
        f"{base}/messages", scene.tokens["a"], {"to_party": scene.parties[1].pk, "text": "Hello."}
    )
    api.post(f"/back-channel/messages/{sent.body['id']}/carry", facilitator)
    api.post(f"{base}/check-ins", facilitator, {"due_on": "2099-01-15", "note": "Ask both sides."})
    api.post(f"{base}/handover", facilitator, {"text": "Downstream prefers Fridays."})
    # a convener who takes over sees it all
    after = api.get(f"{base}/continuity", scene.tokens["convener"]).body
    assert after["channels"][0]["sides"] == ["Upstream", "Downstream"]
    assert after["channels"][0]["quiet"] is False and after["channels"][0]["last_carried"]
    assert after["check_ins"] == [["2099-01-15", "Ask both sides."]]
    assert after["handover"] == "Downstream prefers Fridays."
    past = api.post(f"{base}/check-ins", facilitator, {"due_on": "2001-01-01"})
    assert (past.status, past.body["detail"].split(":")[0]) == (400, "due_on")
    for name in ("a", "observer", "liaison"):
        assert api.get(f"{base}/continuity", scene.tokens[name]).status in (403, 404), name

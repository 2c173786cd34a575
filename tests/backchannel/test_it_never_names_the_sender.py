"""Canaries: whatever the other side, an observer or a liaison receives from the back-channel
-- JSON or pages -- holds no handle and no account name of the sender (every handle and
account name of the scene contains ``CANARY``), and no time finer than the day."""

from __future__ import annotations

import re

from backchannel_support import Scene, page_client

NOT_IN_SIDE = ("b", "observer", "liaison", "a_observer")


def _flow(scene: Scene) -> int:
    api, up_token = scene.api, scene.tokens["a"]
    sent = api.post(scene.messages, up_token, {"to_party": scene.parties[1].pk, "text": "Talk?"})
    message = sent.body["id"]
    api.post(
        f"/back-channel/messages/{message}/propose",
        scene.tokens["facilitator"],
        {"text": "Shall we talk?"},
    )
    api.post(f"/back-channel/messages/{message}/accept", up_token)
    reply = api.post(scene.messages, scene.tokens["b"], {"text": "Yes.", "reply_to": message}).body
    api.post(f"/back-channel/messages/{reply['id']}/carry", scene.tokens["facilitator"])
    api.post(
        f"/initiatives/{scene.initiative.pk}/back-channel/caucus/posts", up_token, {"text": "Ours."}
    )
    return int(message)


def test_it_never_names_the_sender_to_anyone_outside_the_side(scene: Scene) -> None:
    message = _flow(scene)
    base = f"/initiatives/{scene.initiative.pk}/back-channel"
    received: dict[str, str] = {}
    for name in NOT_IN_SIDE:
        token = scene.tokens[name]
        for path in (f"{base}/messages", f"{base}/caucus", f"{base}/continuity"):
            received[f"{name} GET {path}"] = str(scene.api.get(path, token).body)
        for verb in ("carry", "accept", "withdraw"):
            path = f"/back-channel/messages/{message}/{verb}"
            received[f"{name} POST {path}"] = str(scene.api.post(path, token).body)
        client = page_client(scene, name)
        for path in (base, f"{base}/caucus"):
            received[f"{name} page {path}"] = client.get(path).content.decode()
    assert "Shall we talk?" in received[f"b GET {base}/messages"]  # B did receive it
    leaks = [where for where, body in received.items() if "CANARY" in body]
    assert leaks == []
    times = [where for where, body in received.items() if re.search(r"\d{2}:\d{2}", body)]
    assert times == []

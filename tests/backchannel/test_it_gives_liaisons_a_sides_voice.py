"""A Track 1.5 exchange: the convener gives a Track One liaison Upstream's voice; the liaison's
message goes through a facilitator (a rewording, accepted), Downstream reads "Upstream" and
the text, never the liaison, replies, and the liaison reads the reply."""

from __future__ import annotations

from backchannel_support import Scene, _account

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.safety.models import AuditEvent


def _open(scene: Scene) -> int:
    api, base = scene.api, f"/initiatives/{scene.initiative.pk}/back-channel"
    opened = api.post(f"{base}/exchanges", scene.tokens["convener"], {"name": "Ministries, May"})
    assert opened.status == 201, opened.body
    exchange = opened.body["id"]
    voice = {"user": scene.users["liaison"].pk, "party": scene.parties[0].pk}
    given = api.post(f"/back-channel/exchanges/{exchange}/voices", scene.tokens["convener"], voice)
    assert given.status == 200, given.body
    assert given.body["voices"] == [{"user": scene.users["liaison"].pk, "side": "Upstream"}]
    return int(exchange)


def test_it_carries_a_liaisons_message_with_the_sides_voice(scene: Scene) -> None:
    api, exchange = scene.api, _open(scene)
    path = f"/back-channel/exchanges/{exchange}/messages"
    body = {"to_party": scene.parties[1].pk, "text": "The ministry could fund gauges."}
    written = api.post(path, scene.tokens["liaison"], body)
    assert written.status == 201, written.body
    assert (written.body["state"], written.body["mine"]) == ("awaiting", True)
    message = written.body["id"]
    # the same carrying rules: nothing reaches Downstream before a facilitator acts
    assert api.get(scene.messages, scene.tokens["b"]).body["messages"] == []
    proposed = api.post(
        f"/back-channel/messages/{message}/propose",
        scene.tokens["facilitator"],
        {"text": "Funding for gauges may be found."},
    )
    assert proposed.status == 200 and proposed.body["exchange"] == "Ministries, May"
    assert api.post(f"/back-channel/messages/{message}/accept", scene.tokens["a"]).status == 403
    accepted = api.post(f"/back-channel/messages/{message}/accept", scene.tokens["liaison"])
    assert accepted.status == 200 and accepted.body["state"] == "carried", accepted.body

    [received] = api.get(scene.messages, scene.tokens["b"]).body["messages"]
    assert (received["from_side"], received["text"]) == (
        "Upstream",
        "Funding for gauges may be found.",
    )
    assert received["exchange"] == "Ministries, May"
    assert "CANARY" not in str(received) and "liaison" not in str(received).lower()
    # Upstream's members see what was said in their side's name
    [sent] = api.get(scene.messages, scene.tokens["a"]).body["messages"]
    assert (sent["direction"], sent["mine"]) == ("sent", False)

    reply = api.post(
        scene.messages, scene.tokens["b"], {"text": "Which gauges?", "reply_to": message}
    )
    assert reply.status == 201, reply.body
    api.post(f"/back-channel/messages/{reply.body['id']}/carry", scene.tokens["facilitator"])
    seen = api.get(path, scene.tokens["liaison"]).body
    assert seen["side"] == "Upstream"
    assert [(m["direction"], m["text"]) for m in seen["messages"]] == [
        ("sent", "Funding for gauges may be found."),
        ("received", "Which gauges?"),
    ]
    again = api.post(
        path, scene.tokens["liaison"], {"text": "River gauges.", "reply_to": reply.body["id"]}
    )
    assert again.status == 201 and again.body["to_side"] == "Downstream"
    actions = set(
        AuditEvent.objects.filter(action__startswith="back_channel.exchange").values_list(
            "action", flat=True
        )
    )
    assert actions == {"back_channel.exchange_opened", "back_channel.exchange_voice_given"}


def test_it_refuses_exchanges_to_those_without_a_voice(scene: Scene) -> None:
    api, exchange = scene.api, _open(scene)
    path = f"/back-channel/exchanges/{exchange}/messages"
    other = _account(scene, "second_liaison")
    initiative_actions.add_member(scene.initiative, other, "liaison", scene.users["convener"])
    assert api.get(path, scene.tokens["second_liaison"]).status == 403
    assert (
        api.get(
            f"/initiatives/{scene.initiative.pk}/back-channel/exchanges",
            scene.tokens["second_liaison"],
        ).body
        == []
    )
    for name in ("a", "b", "observer"):
        assert api.post(path, scene.tokens[name], {"text": "x"}).status in (403, 404), name
    own_side = api.post(
        path, scene.tokens["liaison"], {"to_party": scene.parties[0].pk, "text": "x"}
    )
    assert (own_side.status, own_side.body["detail"].split(":")[0]) == (400, "to_party")
    far = api.post(path, scene.tokens["liaison"], {"to_party": scene.far_party.pk, "text": "x"})
    assert (far.status, far.body["detail"].split(":")[0]) == (400, "to_party")
    empty = api.post(path, scene.tokens["liaison"], {"to_party": None, "text": "  "})
    assert (empty.status, empty.body["detail"].split(":")[0]) == (400, "text")
    # only the convener opens exchanges and gives voices; only liaisons get one
    base = f"/initiatives/{scene.initiative.pk}/back-channel/exchanges"
    assert api.post(base, scene.tokens["facilitator"], {"name": "x"}).status == 403
    not_liaison = {"user": scene.users["observer"].pk, "party": scene.parties[0].pk}
    refused = api.post(
        f"/back-channel/exchanges/{exchange}/voices", scene.tokens["convener"], not_liaison
    )
    assert (refused.status, refused.body["detail"].split(":")[0]) == (400, "user")
    closed = api.post(f"/back-channel/exchanges/{exchange}/close", scene.tokens["convener"])
    assert closed.body["closed"] is True
    late = api.post(path, scene.tokens["liaison"], {"to_party": None, "text": "Late."})
    assert (late.status, late.body["detail"].split(":")[0]) == (409, "exchange")

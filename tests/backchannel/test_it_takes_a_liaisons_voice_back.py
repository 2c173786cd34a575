"""The convener takes one liaison's voice back without closing the exchange: that liaison no
longer reads or writes in it, what they wrote that was not yet carried is withdrawn (never
carried in the side's name), what was carried stays, another liaison keeps their voice; by API
and on the desk; audited with ids and a count only."""

from __future__ import annotations

from backchannel_support import Scene, _account, page_client

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.safety.models import AuditEvent


def _exchange_with_two_voices(scene: Scene) -> tuple[int, str]:
    api, convener = scene.api, scene.tokens["convener"]
    second = _account(scene, "second_liaison")
    initiative_actions.add_member(scene.initiative, second, "liaison", scene.users["convener"])
    base = f"/initiatives/{scene.initiative.pk}/back-channel/exchanges"
    exchange = api.post(base, convener, {"name": "Ministries, June"}).body["id"]
    for name, party in (("liaison", 0), ("second_liaison", 1)):
        voice = {"user": scene.users[name].pk, "party": scene.parties[party].pk}
        given = api.post(f"/back-channel/exchanges/{exchange}/voices", convener, voice)
        assert given.status == 200, given.body
    return int(exchange), f"/back-channel/exchanges/{exchange}/messages"


def test_it_takes_a_voice_back_and_withdraws_what_was_not_carried(scene: Scene) -> None:
    api, (exchange, path) = scene.api, _exchange_with_two_voices(scene)
    to_down = {"to_party": scene.parties[1].pk}
    carried = api.post(path, scene.tokens["liaison"], {**to_down, "text": "Gauges are funded."})
    api.post(f"/back-channel/messages/{carried.body['id']}/carry", scene.tokens["facilitator"])
    waiting = api.post(path, scene.tokens["liaison"], {**to_down, "text": "CANARY-UNCARRIED"})
    assert waiting.body["state"] == "awaiting"

    voice = f"/back-channel/exchanges/{exchange}/voices/{scene.users['liaison'].pk}"
    assert api.call("DELETE", voice, scene.tokens["facilitator"]).status == 403
    taken = api.call("DELETE", voice, scene.tokens["convener"])
    assert taken.status == 200, taken.body
    assert taken.body["voices"] == [
        {"user": scene.users["second_liaison"].pk, "side": "Downstream"}
    ]
    again = api.call("DELETE", voice, scene.tokens["convener"])
    assert (again.status, again.body["detail"]) == (
        404,
        "this liaison has no voice in this exchange",
    )

    assert api.get(path, scene.tokens["liaison"]).status in (403, 404)
    assert api.post(path, scene.tokens["liaison"], {**to_down, "text": "x"}).status in (403, 404)
    states = dict(BackChannelMessage.objects.values_list("pk", "state"))
    assert states[waiting.body["id"]] == "withdrawn" and states[carried.body["id"]] == "carried"
    # the facilitators cannot carry the withdrawn words; Downstream reads only what was carried
    late = api.post(
        f"/back-channel/messages/{waiting.body['id']}/carry", scene.tokens["facilitator"]
    )
    assert late.status == 409
    received = api.get(scene.messages, scene.tokens["b"]).body["messages"]
    assert [m["text"] for m in received] == ["Gauges are funded."]
    # the other liaison keeps their voice
    kept = api.post(
        path, scene.tokens["second_liaison"], {"to_party": scene.parties[0].pk, "text": "Yes."}
    )
    assert kept.status == 201, kept.body

    [event] = AuditEvent.objects.filter(action="back_channel.exchange_voice_withdrawn")
    assert event.details == {"user": scene.users["liaison"].pk, "messages": 1}
    assert "CANARY" not in str(event.details)


def test_it_takes_a_voice_back_on_the_desk(scene: Scene) -> None:
    exchange, _path = _exchange_with_two_voices(scene)
    desk = f"/initiatives/{scene.initiative.pk}/back-channel"
    convener, facilitator = page_client(scene, "convener"), page_client(scene, "facilitator")
    assert "Take this voice back" not in facilitator.get(desk).content.decode()
    html = convener.get(desk).content.decode()
    speaks = f"{scene.users['liaison'].username}</span> speaks for"
    assert "Take this voice back" in html and speaks in html
    form = {
        "action": "withdraw_voice",
        "exchange": str(exchange),
        "user": str(scene.users["liaison"].pk),
    }
    html = convener.post(desk, form, follow=True).content.decode()
    assert "The voice is taken back; 0 messages not yet carried are withdrawn." in html
    assert speaks not in html and "Take this voice back" in html  # the second liaison's
    assert convener.post(desk, form).status_code == 404  # no such voice any more

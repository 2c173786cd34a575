"""A side's choice: any member includes the facilitators in its caucus (audited, ids only);
they read and write there only while included, never another side's caucus."""

from __future__ import annotations

from backchannel_support import Scene

from tracktwo.safety.models import AuditEvent


def test_it_lets_a_side_include_the_facilitators(scene: Scene) -> None:
    api, base = scene.api, f"/initiatives/{scene.initiative.pk}/back-channel"
    upstream = scene.parties[0].pk
    api.post(f"{base}/caucus/posts", scene.tokens["a"], {"text": "Our red lines?"})
    # not yet included: the facilitator sees no caucus and cannot write in it
    assert api.get(f"{base}/caucuses", scene.tokens["facilitator"]).body == []
    refused = api.post(
        f"{base}/caucus/posts", scene.tokens["facilitator"], {"text": "Hi", "side": upstream}
    )
    assert refused.status == 404, refused.body

    included = api.post(f"{base}/caucus/facilitators", scene.tokens["a2"], {"included": True})
    assert included.status == 200 and included.body["facilitators_included"] is True
    [seen] = api.get(f"{base}/caucuses", scene.tokens["facilitator"]).body
    assert (seen["side"], seen["threads"][0]["text"]) == ("Upstream", "Our red lines?")
    written = api.post(
        f"{base}/caucus/posts",
        scene.tokens["convener"],
        {"text": "Shall we talk before Friday?", "side": upstream},
    )
    assert written.status == 201, written.body
    mine = api.get(f"{base}/caucus", scene.tokens["a"]).body
    assert [t["text"] for t in mine["threads"]][-1] == "Shall we talk before Friday?"
    # the other side's caucus stays closed to them, and to the other side
    downstream = {"text": "Hi", "side": scene.parties[1].pk}
    assert api.post(f"{base}/caucus/posts", scene.tokens["facilitator"], downstream).status == 404
    assert api.get(f"{base}/caucuses", scene.tokens["b"]).status == 403
    for name in ("observer", "liaison"):
        assert (
            api.post(f"{base}/caucus/facilitators", scene.tokens[name], {"included": True}).status
            == 403
        )

    left_out = api.post(f"{base}/caucus/facilitators", scene.tokens["a"], {"included": False})
    assert left_out.body["facilitators_included"] is False
    assert api.get(f"{base}/caucuses", scene.tokens["facilitator"]).body == []
    events = AuditEvent.objects.filter(action__startswith="back_channel.caucus_facilitators")
    assert [e.action for e in events.order_by("id")] == [
        "back_channel.caucus_facilitators_included",
        "back_channel.caucus_facilitators_left_out",
    ]
    assert all(e.details == {"party": upstream} for e in events)
    bad = api.post(f"{base}/caucus/facilitators", scene.tokens["a"], {"included": "maybe"})
    assert bad.status in (400, 422)

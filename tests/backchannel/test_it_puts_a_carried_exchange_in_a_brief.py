"""A facilitator puts a carried exchange in a draft brief: "Upstream conveyed: ...
Downstream replied: ...", never a person; refused for what was not carried."""

from __future__ import annotations

from backchannel_support import Scene

from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions as transfer


def _exchange(scene: Scene) -> int:
    api, facilitator = scene.api, scene.tokens["facilitator"]
    sent = api.post(
        scene.messages, scene.tokens["a"], {"to_party": scene.parties[1].pk, "text": "Meet in May?"}
    )
    api.post(f"/back-channel/messages/{sent.body['id']}/carry", facilitator)
    reply = api.post(
        scene.messages, scene.tokens["b"], {"text": "May suits us.", "reply_to": sent.body["id"]}
    )
    api.post(f"/back-channel/messages/{reply.body['id']}/carry", facilitator)
    return int(sent.body["id"])


def test_it_puts_a_carried_exchange_in_a_brief(scene: Scene) -> None:
    message = _exchange(scene)
    dialogue = scene.participants["a"].dialogue
    brief = transfer.draft_for(dialogue, None, scene.users["facilitator"])
    answer = scene.api.post(
        f"/back-channel/messages/{message}/brief", scene.tokens["facilitator"], {"brief": brief.pk}
    )
    assert answer.status == 200, answer.body
    assert (
        answer.body["context"]
        == "Upstream conveyed: Meet in May?\nDownstream replied: May suits us."
    )
    rendered = transfer.render_draft(dialogue, None, "md", scene.users["facilitator"]).body.decode()
    assert (
        "Upstream conveyed: Meet in May?" in rendered
        and "Downstream replied: May suits us." in rendered
    )
    assert "CANARY" not in rendered
    event = AuditEvent.objects.get(action="back_channel.included_in_brief")
    assert (event.target_id, event.details) == (str(message), {"brief": brief.pk})


def test_it_refuses_what_was_not_carried_or_belongs_elsewhere(scene: Scene) -> None:
    dialogue = scene.participants["a"].dialogue
    brief = transfer.draft_for(dialogue, None, scene.users["facilitator"])
    waiting = scene.api.post(
        scene.messages, scene.tokens["a"], {"to_party": scene.parties[1].pk, "text": "Later."}
    )
    path = f"/back-channel/messages/{waiting.body['id']}/brief"
    refused = scene.api.post(path, scene.tokens["facilitator"], {"brief": brief.pk})
    assert (refused.status, refused.body["detail"].split(":")[0]) == (409, "state")
    missing = scene.api.post(path, scene.tokens["facilitator"], {"brief": 999_999})
    assert (missing.status, missing.body["detail"].split(":")[0]) == (400, "brief")
    assert scene.api.post(path, scene.tokens["a"], {"brief": brief.pk}).status == 403
    assert transfer.narrative_of(brief, dialogue)["context"] == ""

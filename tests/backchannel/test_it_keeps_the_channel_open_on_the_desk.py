"""The facilitators' desk without JavaScript: hold with a reason the side reads, schedule a
check-in, leave a handover note a new facilitator finds; bad days name the field."""

from __future__ import annotations

from backchannel_support import Scene, page_client

from tracktwo.backchannel.models import CheckIn, HandoverNote
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.safety.models import AuditEvent


def test_it_keeps_the_channel_open_on_the_desk(scene: Scene) -> None:
    channel = f"/initiatives/{scene.initiative.pk}/back-channel"
    a, desk = page_client(scene, "a"), page_client(scene, "facilitator")
    a.post(channel, {"action": "send", "to_party": "facilitators", "text": "Only for you."})
    message = BackChannelMessage.objects.get()
    held = desk.post(
        f"/back-channel/messages/{message.pk}/hold", {"reason": "Not before the vote."}
    )
    assert held.status_code == 302
    assert "Not before the vote." in a.get(channel).content.decode()
    assert AuditEvent.objects.filter(action="back_channel.held", target_id=str(message.pk)).exists()

    bad = desk.post(channel, {"action": "check_in", "due_on": "soon"}, follow=True)
    assert "due_on: must be a day (YYYY-MM-DD)" in bad.content.decode()
    assert not CheckIn.objects.exists()
    desk.post(channel, {"action": "check_in", "due_on": "2099-03-01", "note": "Call Downstream."})
    desk.post(channel, {"action": "handover", "text": "Downstream answers on Fridays."})
    assert HandoverNote.objects.count() == 1

    # a new facilitator of the initiative takes over and finds the channel as it was left
    newcomer = initiative_actions.add_member(
        scene.initiative, scene.users["observer"], "facilitator", scene.users["convener"]
    ).user
    scene.users["newcomer"] = newcomer
    html = page_client(scene, "newcomer").get(channel).content.decode()
    for text in ("Downstream answers on Fridays.", "Call Downstream.", "Not before the vote."):
        assert text in html

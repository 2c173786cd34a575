"""Carried messages expire a set time after carrying (default 90 days; the convener sets it
per initiative), deleted by the retention purge; messages never carried wait for the
initiative's retention period."""

from __future__ import annotations

from datetime import timedelta

from backchannel_support import Scene
from django.utils import timezone

from tracktwo.backchannel import actions
from tracktwo.backchannel.policy import expiry_days_of
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.safety import retention
from tracktwo.safety.models import AuditEvent


def _carried(scene: Scene, text: str, days_ago: int) -> int:
    message = actions.draft_message(scene.initiative, scene.caller("a"), scene.parties[1].pk, text)
    actions.carry(message, scene.caller("facilitator"))
    then = timezone.now() - timedelta(days=days_ago)
    BackChannelMessage.objects.filter(pk=message.pk).update(carried_at=then, created_at=then)
    return message.pk


def test_it_expires_carried_messages_after_ninety_days_by_default(scene: Scene) -> None:
    assert expiry_days_of(scene.initiative) == 90
    old, young = _carried(scene, "Old news.", 91), _carried(scene, "Fresh.", 89)
    waiting = actions.draft_message(scene.initiative, scene.caller("a"), None, "Still waiting.")
    BackChannelMessage.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(days=200)  # under the 365-day retention
    )
    retention.purge_expired()
    left = set(BackChannelMessage.objects.values_list("pk", flat=True))
    assert left == {young, waiting.pk} and old not in left
    event = AuditEvent.objects.get(action="carried_messages.purged")
    assert event.details == {"messages": 1, "retention_days": 90}


def test_it_lets_the_convener_set_the_expiry(scene: Scene) -> None:
    api, base = scene.api, f"/initiatives/{scene.initiative.pk}/back-channel"
    for name in ("facilitator", "a", "liaison"):
        assert api.post(f"{base}/expiry", scene.tokens[name], {"days": 10}).status == 403, name
    for bad in (0, 3651, "ten"):
        refused = api.post(f"{base}/expiry", scene.tokens["convener"], {"days": bad})
        assert refused.status in (400, 422), bad
    assert expiry_days_of(scene.initiative) == 90
    done = api.post(f"{base}/expiry", scene.tokens["convener"], {"days": 30})
    assert done.status == 200 and done.body == {"message_expiry_days": 30}
    continuity = api.get(f"{base}/continuity", scene.tokens["facilitator"]).body
    assert continuity["message_expiry_days"] == 30
    assert AuditEvent.objects.get(action="back_channel.expiry_changed").details == {"days": 30}

    kept, gone = _carried(scene, "Ten days.", 10), _carried(scene, "A month.", 31)
    retention.purge_expired()
    left = set(BackChannelMessage.objects.values_list("pk", flat=True))
    assert kept in left and gone not in left

"""The back-channel under the safety machinery: an emergency wipe deletes every message,
caucus, post, check-in and handover note of the initiative; old caucus posts expire with
the retention period; a key rotation keeps everything readable."""

from __future__ import annotations

from datetime import date, timedelta

from backchannel_support import Scene
from django.utils import timezone

from tracktwo.backchannel import actions, exchanges, policy, queries
from tracktwo.backchannel.members import require_member
from tracktwo.backchannel.models import (
    Caucus,
    CaucusPost,
    ChannelPolicy,
    CheckIn,
    Exchange,
    ExchangeMessage,
    ExchangeVoice,
    HandoverNote,
)
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.safety import retention


def _fill(scene: Scene) -> None:
    a, facilitator = scene.caller("a"), scene.caller("facilitator")
    message = actions.draft_message(scene.initiative, a, scene.parties[1].pk, "Meet in May?")
    actions.propose(message, facilitator, "Shall we meet in May?")
    actions.hold(
        actions.draft_message(scene.initiative, a, None, "Only you."), facilitator, "Later."
    )
    thread = actions.post_in_caucus(scene.initiative, a, "Our line?")
    actions.post_in_caucus(scene.initiative, a, "Water first.", reply_to=thread.pk)
    actions.set_position(scene.initiative, a, "Water first.")
    actions.schedule_check_in(scene.initiative, facilitator, date(2099, 1, 1), "Call both.")
    actions.write_handover(scene.initiative, facilitator, "Downstream prefers Fridays.")


def test_it_wipes_the_whole_back_channel(scene: Scene) -> None:
    _fill(scene)
    convener = scene.users["convener"]
    exchange = exchanges.open_exchange(scene.initiative, convener, "Ministries")
    exchanges.give_voice(exchange, convener, scene.users["liaison"].pk, scene.parties[0].pk)
    exchanges.draft_in_exchange(exchange, scene.caller("liaison"), None, "Gauges?")
    policy.set_message_expiry(scene.initiative, convener, 30)
    wiped = initiative_actions.wipe_initiative(scene.initiative, convener)
    assert wiped.deleted["back_channel"] == 3 and wiped.deleted["caucus_posts"] == 2
    assert (wiped.deleted["exchanges"], wiped.deleted["exchange_messages"]) == (1, 1)
    models = (Exchange, ExchangeVoice, ExchangeMessage, ChannelPolicy)
    for model in (BackChannelMessage, Caucus, CaucusPost, CheckIn, HandoverNote, *models):
        assert not model.objects.filter(initiative_id=scene.initiative.pk).exists(), model


def test_it_expires_old_caucus_posts_with_the_retention_period(scene: Scene) -> None:
    _fill(scene)
    old = CaucusPost.objects.order_by("id").first()
    assert old is not None
    days = scene.initiative.retention_days
    CaucusPost.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days + 1))
    retention.purge_expired()
    assert list(CaucusPost.objects.values_list("pk", flat=True)) == []  # the reply went with it
    assert Caucus.objects.filter(initiative=scene.initiative).exists()


def test_it_keeps_the_back_channel_readable_after_a_key_rotation(scene: Scene) -> None:
    _fill(scene)
    initiative_actions.rotate_initiative_key(scene.initiative, scene.users["convener"])
    scene.participants["a"].refresh_from_db()  # as each request loads its caller afresh
    member = require_member(scene.caller("a"), scene.initiative)
    [sent, held] = queries.for_member(scene.initiative, member)
    assert (sent.proposed, held.hold_reason) == ("Shall we meet in May?", "Later.")
    caucus = queries.caucus(scene.initiative, member)
    assert caucus.position == "Water first." and caucus.threads[0].replies[0].text == "Water first."
    continuity = queries.continuity(scene.initiative)
    assert continuity.handover == "Downstream prefers Fridays."
    assert continuity.check_ins == ((date(2099, 1, 1), "Call both."),)

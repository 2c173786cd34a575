from datetime import timedelta

import pytest
from django.utils import timezone
from factories import Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Session, Statement, Vote
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import BackChannelMessage
from tracktwo.practice.errors import NotFound
from tracktwo.safety import actions as safety_actions
from tracktwo.safety.models import AuditEvent
from tracktwo.safety.retention import dialogue_content_purged, last_activity

pytestmark = pytest.mark.django_db


def _fill(workshop: Workshop) -> str:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    actions.cast_vote(participant, seed.pk, 1)
    actions.start_session(workshop.dialogue, workshop.convener)
    return workshop.invite()


def _age(dialogue: Dialogue, days: int) -> None:
    past = timezone.now() - timedelta(days=days)
    Dialogue.objects.filter(pk=dialogue.pk).update(created_at=past)
    Statement.objects.filter(dialogue=dialogue).update(created_at=past)
    Vote.objects.filter(dialogue=dialogue).update(created_at=past)
    Participant.objects.filter(dialogue=dialogue).update(joined_at=past)
    Session.objects.filter(dialogue=dialogue).update(created_at=past)


def test_it_purges_dialogues_past_their_retention(workshop: Workshop) -> None:
    token = _fill(workshop)
    initiative_actions.update_initiative(workshop.initiative, workshop.convener, retention_days=30)
    _age(workshop.dialogue, 31)
    recent = make_workshop("Recent")
    _fill(recent)
    signalled: list[list[int]] = []

    def listener(sender: object, dialogue_ids: list[int], **_: object) -> None:
        signalled.append(dialogue_ids)

    dialogue_content_purged.connect(listener)
    try:
        purged = safety_actions.purge_expired()
    finally:
        dialogue_content_purged.disconnect(listener)

    assert [p.dialogue_id for p in purged] == [workshop.dialogue.pk]
    assert signalled == [[workshop.dialogue.pk]]
    assert purged[0].deleted["votes"] == 1 and purged[0].deleted["participants"] == 1
    workshop.dialogue.refresh_from_db()
    assert workshop.dialogue.purged_at is not None
    for model in (Statement, Vote, Participant, Session):
        assert not model.objects.filter(dialogue=workshop.dialogue).exists()
        assert model.objects.filter(dialogue=recent.dialogue).exists()
    with pytest.raises(NotFound):
        actions.join(token, "Late", True)
    event = AuditEvent.objects.get(action="dialogue.purged")
    assert event.details["votes"] == 1 and event.details["retention_days"] == 30
    assert safety_actions.purge_expired() == []


def test_it_counts_from_the_last_activity_not_the_creation(workshop: Workshop) -> None:
    _fill(workshop)
    _age(workshop.dialogue, 400)
    participant = actions.participant_by_token(workshop.join("Late joiner").token)
    seed = Statement.objects.get(dialogue=workshop.dialogue)
    actions.cast_vote(participant, seed.pk, 1)  # the session's brainstorm holds disagreement
    assert timezone.now() - last_activity(workshop.dialogue) < timedelta(days=1)
    assert safety_actions.purge_expired() == []
    later = timezone.now() + timedelta(days=366)
    assert [p.dialogue_id for p in safety_actions.purge_expired(later)] == [workshop.dialogue.pk]


def test_it_purges_old_back_channel_messages(workshop: Workshop) -> None:
    upstream, downstream = workshop.parties
    old = initiative_actions.send_back_channel_message(
        workshop.initiative, upstream, downstream, "Old news", workshop.convener
    )
    initiative_actions.send_back_channel_message(
        workshop.initiative, downstream, upstream, "Fresh", workshop.convener
    )
    BackChannelMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=366)
    )
    safety_actions.purge_expired()
    assert [m.body.read(workshop.box()) for m in BackChannelMessage.objects.all()] == ["Fresh"]
    event = AuditEvent.objects.get(action="back_channel.purged")
    assert event.details == {"messages": 1, "retention_days": 365}

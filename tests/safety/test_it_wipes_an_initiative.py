from pathlib import Path

import pytest
from factories import LEAD_FACILITATOR, Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import (
    Dialogue,
    Invitation,
    Notice,
    Participant,
    ParticipantIdentity,
    Session,
    Statement,
    Vote,
)
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import BackChannelMessage, Initiative, Membership, Party
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.safety import datakeys, keys
from tracktwo.safety.crypto import DecryptionError
from tracktwo.safety.models import AuditEvent, InitiativeKey

pytestmark = pytest.mark.django_db


def _fill(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    participant = actions.participant_by_token(joined.token)
    actions.record_identity(participant, workshop.convener, real_name="Amal Haddad")
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    own = actions.write_statement(workshop.dialogue, "Mine", participant=participant)
    actions.moderate_statement(own, "rejected", workshop.convener)
    actions.cast_vote(participant, seed.pk, 1)
    actions.start_session(workshop.dialogue, workshop.convener)
    workshop.invite()
    initiative_actions.send_back_channel_message(
        workshop.initiative, *workshop.parties, "Meet in May", workshop.convener
    )


def test_it_destroys_the_key_so_a_saved_copy_is_useless_and_deletes_the_rows(
    workshop: Workshop, private_master_key: Path
) -> None:
    _fill(workshop)
    survivor = make_workshop("Survivor")
    _fill(survivor)
    initiative_id = workshop.initiative.pk
    stolen = InitiativeKey.objects.get(initiative_id=initiative_id)
    stolen_wrapped, stolen_fp = bytes(stolen.wrapped), stolen.master_fingerprint

    wiped = initiative_actions.wipe_initiative(workshop.initiative, workshop.convener)

    assert wiped.master_rotated and wiped.warning == ""
    assert wiped.deleted["votes"] == 1 and wiped.deleted["statements"] == 2
    assert not Initiative.objects.filter(pk=initiative_id).exists()
    assert not InitiativeKey.objects.filter(initiative_id=initiative_id).exists()
    for model, lookup in [
        (Party, "initiative_id"),
        (Dialogue, "initiative_id"),
        (Membership, "initiative_id"),
        (BackChannelMessage, "initiative_id"),
        (Participant, "dialogue__initiative_id"),
        (Invitation, "dialogue__initiative_id"),
        (Statement, "dialogue__initiative_id"),
        (Session, "dialogue__initiative_id"),
        (Vote, "dialogue__initiative_id"),
        (Notice, "participant__dialogue__initiative_id"),
        (ParticipantIdentity, "participant__dialogue__initiative_id"),
    ]:
        assert not model.objects.filter(**{lookup: initiative_id}).exists(), model
    # The copy of the wrapped key an old backup holds no longer opens: its master key is gone.
    with pytest.raises(datakeys.DataKeyUnavailable):
        datakeys.master_for(stolen_fp)
    with pytest.raises(DecryptionError):
        keys.unwrap_data_key(stolen_wrapped, initiative_id, 1, keys.master_key())
    assert sorted(p.name for p in private_master_key.parent.iterdir()) == ["master.key"]
    # Everything else is still readable under the new master key.
    datakeys.forget_data_keys()
    assert survivor.initiative.title.read(survivor.box()) == "Survivor"
    assert Statement.objects.filter(dialogue=survivor.dialogue).count() == 2
    # The audit trail survives the wipe.
    actions_logged = [e.action for e in AuditEvent.objects.filter(initiative_id=initiative_id)]
    assert "initiative.created" in actions_logged and "initiative.wiped" in actions_logged
    wipe_event = AuditEvent.objects.get(action="initiative.wiped", initiative_id=initiative_id)
    assert wipe_event.actor_id == str(workshop.convener.pk)


def test_it_warns_when_the_master_key_cannot_be_rotated(
    workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(workshop)

    def read_only(**_: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(datakeys, "rotate_master_key", read_only)
    initiative_id = workshop.initiative.pk
    wiped = initiative_actions.wipe_initiative(initiative_id, None)
    assert not wiped.master_rotated
    assert "Read-only file system" in wiped.warning and "keys rotate" in wiped.warning
    assert not Initiative.objects.exists()
    assert (
        AuditEvent.objects.get(action="initiative.wiped", initiative_id=initiative_id).actor_id
        == "operator"
    )


def test_it_lets_only_conveners_wipe(workshop: Workshop) -> None:
    facilitator = workshop.cast(LEAD_FACILITATOR).lead_facilitator
    for user in (facilitator, make_workshop("Other").convener):
        with pytest.raises(NotAllowed):
            initiative_actions.wipe_initiative(workshop.initiative, user)
    assert Initiative.objects.filter(pk=workshop.initiative.pk).exists()
    with pytest.raises(NotFound):
        initiative_actions.wipe_initiative(987654, None)

"""Participants' real identities: recorded by a convener, seen only by conveners, audited.

Kept apart from everything a participant says or votes: an identity row names a person,
never their handle in any output, and every look at one writes an audit row.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import (
    Dialogue,
    Participant,
    ParticipantIdentity,
)
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Party
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing


class Identity(NamedTuple):
    """A participant's recorded real identity (conveners only)."""

    id: int
    real_name: str
    contact: str
    notes: str
    party: str


def clean_identity(real_name: str, contact: str, notes: str) -> dict[str, str]:
    return {
        "real_name": clean_text(real_name, "real_name", max_chars=200),
        "contact": clean_text(contact, "contact", max_chars=500, required=False),
        "notes": clean_text(notes, "notes", max_chars=2000, required=False, multiline=True),
    }


@transaction.atomic
def record_identity(
    participant: Participant, by: User, *, real_name: str, contact: str = "", notes: str = ""
) -> None:
    """Record or replace a participant's real identity (conveners only; audited)."""
    dialogue = participant.dialogue
    permissions.require(
        permissions.can_convene(by, dialogue.initiative), _("record real identities")
    )
    identity = ParticipantIdentity.objects.filter(participant=participant).first()
    identity = identity or ParticipantIdentity(participant=participant)
    identity.recorded_by = by
    identity.record.write(
        box_for_sealing(dialogue.initiative_id), clean_identity(real_name, contact, notes)
    )
    identity.save()
    record(
        "identity.recorded",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="participant",
        target_id=participant.public_id,
    )


def _identity(identity: ParticipantIdentity, box: Any, party_names: dict[int, str]) -> Identity:
    data = identity.record.read(box)
    profile = Profile.from_json(identity.participant.profile.read(box))
    return Identity(
        identity.pk,
        data.get("real_name", ""),
        data.get("contact", ""),
        data.get("notes", ""),
        party_names.get(profile.party_id, ""),
    )


def _party_names(initiative_id: int, box: Any) -> dict[int, str]:
    return {p.pk: p.name.read(box) for p in Party.objects.filter(initiative_id=initiative_id)}


@transaction.atomic
def view_identity(participant: Participant, by: User) -> Identity | None:
    """A participant's recorded identity, or None (conveners only; every view is audited)."""
    dialogue = participant.dialogue
    permissions.require(permissions.can_convene(by, dialogue.initiative), _("see real identities"))
    identity = ParticipantIdentity.objects.filter(participant=participant).first()
    record(
        "identity.viewed",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="participant",
        target_id=participant.public_id,
        details={"found": identity is not None},
    )
    if identity is None:
        return None
    box = box_for(dialogue.initiative_id)
    return _identity(identity, box, _party_names(dialogue.initiative_id, box))


@transaction.atomic
def list_identities(dialogue: Dialogue, by: User) -> list[Identity]:
    """Every recorded identity in the dialogue, without handles or participant ids, so the
    list cannot be joined to what anyone wrote or voted (conveners only; audited)."""
    permissions.require(permissions.can_convene(by, dialogue.initiative), _("see real identities"))
    identities = list(
        ParticipantIdentity.objects.filter(participant__dialogue=dialogue).select_related(
            "participant"
        )
    )
    record(
        "identity.listed",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"count": len(identities)},
    )
    box = box_for(dialogue.initiative_id)
    names = _party_names(dialogue.initiative_id, box)
    return sorted(
        (_identity(identity, box, names) for identity in identities), key=lambda i: i.real_name
    )


@transaction.atomic
def erase_identity(participant: Participant, by: User) -> bool:
    """Delete a participant's recorded identity (conveners only; audited)."""
    dialogue = participant.dialogue
    permissions.require(permissions.can_convene(by, dialogue.initiative), _("erase identities"))
    deleted = ParticipantIdentity.objects.filter(participant=participant).delete()[0]
    record(
        "identity.erased",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="participant",
        target_id=participant.public_id,
    )
    return deleted > 0

"""Retention and wipe: deleting what is no longer needed, and everything in an emergency.

- :func:`purge_expired` deletes the content of every dialogue whose last activity is
  older than its initiative's retention period (participants, handles, profiles,
  identities, invitations, statements, votes, notices, sessions with their notes),
  leaving an empty dialogue marked ``purged_at`` and an audit row with counts; and
  back-channel messages older than the retention period.
- :func:`wipe` destroys an initiative's data key, then deletes all its rows, and finally
  rotates the master key (shredding the old one), so the copy of the wrapped data key
  in any earlier database backup can no longer be unwrapped.

Audit rows survive both: they hold ids and counts, no confidential text. Other apps can
react to a purge through :data:`dialogue_content_purged`; a wipe reaches their rows
through the foreign-key cascade from the initiative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.dispatch import Signal
from django.utils import timezone

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
from tracktwo.initiatives.models import BackChannelMessage, Initiative, Membership, Party
from tracktwo.safety import datakeys
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.keys import MasterKeyError

dialogue_content_purged = Signal()
"""Sent inside the purge transaction with ``dialogue_ids`` (list of int)."""


class NoSuchInitiative(Exception):
    """The initiative to wipe does not exist (or was already wiped)."""


@dataclass(frozen=True)
class Purged:
    dialogue_id: int
    initiative_id: int
    last_activity: datetime
    deleted: dict[str, int]


@dataclass(frozen=True)
class Wiped:
    initiative_id: int
    deleted: dict[str, int]
    master_rotated: bool
    warning: str = ""
    rewrapped: int = field(default=0)


def delete_dialogue_content(dialogue_ids: list[int]) -> dict[str, int]:
    """Delete everything participants brought to these dialogues; returns counts per kind."""
    deleted = {
        "votes": Vote.objects.filter(dialogue_id__in=dialogue_ids).delete()[0],
        "notices": Notice.objects.filter(participant__dialogue_id__in=dialogue_ids).delete()[0],
        "identities": ParticipantIdentity.objects.filter(
            participant__dialogue_id__in=dialogue_ids
        ).delete()[0],
    }
    deleted["statements"] = Statement.objects.filter(dialogue_id__in=dialogue_ids).delete()[0]
    deleted["participants"] = Participant.objects.filter(dialogue_id__in=dialogue_ids).delete()[0]
    deleted["invitations"] = Invitation.objects.filter(dialogue_id__in=dialogue_ids).delete()[0]
    deleted["sessions"] = Session.objects.filter(dialogue_id__in=dialogue_ids).delete()[0]
    return deleted


def _latest(model: type[Vote | Statement | Participant | Session], column: str) -> Subquery:
    rows = model._default_manager.filter(dialogue_id=OuterRef("pk")).order_by(f"-{column}")
    return Subquery(rows.values(column)[:1])


def last_activity(dialogue: Dialogue) -> datetime:
    """When anything last happened in the dialogue (creation, a join, statement, vote, session)."""
    return _activity_rows(Dialogue.objects.filter(pk=dialogue.pk))[0][1]


def _activity_rows(dialogues: QuerySet[Dialogue]) -> list[tuple[Dialogue, datetime]]:
    annotated = dialogues.annotate(
        last_vote=_latest(Vote, "created_at"),
        last_statement=_latest(Statement, "created_at"),
        last_join=_latest(Participant, "joined_at"),
        last_session=_latest(Session, "created_at"),
    ).select_related("initiative")
    rows: list[tuple[Dialogue, datetime]] = []
    for dialogue in annotated:
        moments = [
            dialogue.created_at,
            dialogue.last_vote,
            dialogue.last_statement,
            dialogue.last_join,
            dialogue.last_session,
        ]
        rows.append((dialogue, max(m for m in moments if m is not None)))
    return rows


def expired_dialogues(now: datetime | None = None) -> list[tuple[Dialogue, datetime]]:
    """Dialogues not yet purged whose last activity is older than their retention period."""
    now = now or timezone.now()
    candidates = Dialogue.objects.filter(purged_at__isnull=True)
    return [
        (dialogue, last)
        for dialogue, last in _activity_rows(candidates)
        if last + timedelta(days=dialogue.initiative.retention_days) <= now
    ]


def purge_expired(now: datetime | None = None, *, actor: Actor | None = None) -> list[Purged]:
    """Delete the content of every expired dialogue, in one transaction, with an audit row each."""
    now = now or timezone.now()
    actor = actor or Actor.system()
    purged: list[Purged] = []
    with transaction.atomic():
        for dialogue, last in expired_dialogues(now):
            locked = Dialogue.objects.select_for_update().filter(
                pk=dialogue.pk, purged_at__isnull=True
            )
            if not locked.exists():
                continue
            deleted = delete_dialogue_content([dialogue.pk])
            dialogue_content_purged.send(sender=Dialogue, dialogue_ids=[dialogue.pk])
            locked.update(purged_at=now)
            record(
                "dialogue.purged",
                actor=actor,
                initiative_id=dialogue.initiative_id,
                target_type="dialogue",
                target_id=dialogue.pk,
                details={"retention_days": dialogue.initiative.retention_days, **deleted},
            )
            purged.append(Purged(dialogue.pk, dialogue.initiative_id, last, deleted))
        _purge_old_back_channel(now, actor)
    return purged


def _purge_old_back_channel(now: datetime, actor: Actor) -> None:
    """Back-channel messages belong to no dialogue: each goes once older than the retention."""
    for initiative in Initiative.objects.filter(back_channel__isnull=False).distinct():
        cutoff = now - timedelta(days=initiative.retention_days)
        count = BackChannelMessage.objects.filter(
            initiative=initiative, created_at__lte=cutoff
        ).delete()[0]
        if count:
            record(
                "back_channel.purged",
                actor=actor,
                initiative_id=initiative.pk,
                target_type="initiative",
                target_id=initiative.pk,
                details={"messages": count, "retention_days": initiative.retention_days},
            )


def wipe(initiative_id: int, *, actor: Actor, rotate_master: bool = True) -> Wiped:
    """Destroy the initiative's data key, delete all its rows, then rotate the master key.

    The deletion commits first (must not run inside another transaction). If the master
    key cannot be rotated (e.g. a read-only key file), the result carries a warning: the
    data is gone from the live database, but an old backup holding the wrapped data key
    stays readable with the current master key until ``tracktwo keys rotate`` succeeds.
    """
    with transaction.atomic(durable=True):
        if not Initiative.objects.select_for_update().filter(pk=initiative_id).exists():
            raise NoSuchInitiative(f"initiative {initiative_id} does not exist")
        dialogue_ids = list(
            Dialogue.objects.filter(initiative_id=initiative_id).values_list("pk", flat=True)
        )
        datakeys.destroy_data_key(initiative_id)
        deleted = delete_dialogue_content(dialogue_ids)
        deleted["back_channel"] = BackChannelMessage.objects.filter(
            initiative_id=initiative_id
        ).delete()[0]
        deleted["members"] = Membership.objects.filter(initiative_id=initiative_id).delete()[0]
        deleted["dialogues"] = Dialogue.objects.filter(initiative_id=initiative_id).delete()[0]
        deleted["parties"] = Party.objects.filter(initiative_id=initiative_id).delete()[0]
        Initiative.objects.filter(pk=initiative_id).delete()
        record(
            "initiative.wiped",
            actor=actor,
            initiative_id=initiative_id,
            target_type="initiative",
            target_id=initiative_id,
            details=deleted,
        )
    if not rotate_master:
        return Wiped(initiative_id, deleted, False, "the master key was not rotated (asked not to)")
    try:
        rotation = datakeys.rotate_master_key(keep_old=False)
    except (OSError, MasterKeyError, datakeys.DataKeyUnavailable) as exc:
        return Wiped(
            initiative_id,
            deleted,
            False,
            f"the data is deleted, but the master key could not be rotated ({exc}); until "
            "'tracktwo keys rotate' succeeds, an old backup of the database stays readable",
        )
    with transaction.atomic():
        record(
            "keys.master_rotated",
            actor=actor,
            details={"reason": "wipe", "rewrapped": rotation.data_keys_rewrapped},
        )
    return Wiped(initiative_id, deleted, True, "", rotation.data_keys_rewrapped)

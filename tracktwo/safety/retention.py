"""Retention and wipe: deleting what is no longer needed, and everything in an emergency.

- :func:`purge_expired` deletes the content of every dialogue whose last activity is
  older than its initiative's retention period (participants, handles, profiles,
  identities, invitations, statements, votes, notices, sessions with their notes),
  leaving an empty dialogue marked ``purged_at`` and an audit row with counts; and every
  row registered with its own expiry (back-channel messages, prepared files) once past it,
  with an audit row of counts per initiative.
- :func:`wipe` destroys an initiative's data key, then deletes all its rows, and finally
  rotates the master key (shredding the old one), so the copy of the wrapped data key
  in any earlier database backup can no longer be unwrapped.

Both work from :mod:`tracktwo.safety.registry`, which each app fills with its own
confidential models: this module names none of them. Audit rows survive both: they hold
ids and counts, no confidential text. Other apps can react to a purge through
:data:`dialogue_content_purged`; a wipe reaches unregistered rows through the
foreign-key cascade from the initiative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.dispatch import Signal
from django.utils import timezone

from tracktwo.safety import datakeys
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.keys import MasterKeyError
from tracktwo.safety.registry import ConfidentialRows, confidential_rows, dialogue_model, key_owner

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


def _of_dialogues() -> list[ConfidentialRows]:
    return [rows for rows in confidential_rows() if rows.dialogue is not None]


def delete_dialogue_content(dialogue_ids: list[int]) -> dict[str, int]:
    """Delete everything participants brought to these dialogues; returns counts per kind."""
    return {
        rows.name: rows.model._default_manager.filter(
            **{f"{rows.dialogue}__in": dialogue_ids}
        ).delete()[0]
        for rows in _of_dialogues()
    }


def _latest(rows: ConfidentialRows) -> Subquery:
    assert rows.activity is not None
    found = rows.model._default_manager.filter(**{rows.dialogue or "": OuterRef("pk")})
    return Subquery(found.order_by(f"-{rows.activity}").values(rows.activity)[:1])


def last_activity(dialogue: models.Model) -> datetime:
    """When anything last happened in the dialogue (creation, a join, statement, vote, session)."""
    unit = dialogue_model()
    return _activity_rows(unit.model._default_manager.filter(pk=dialogue.pk))[0][1]


def _activity_rows(dialogues: QuerySet[Any]) -> list[tuple[Any, datetime]]:
    unit = dialogue_model()
    active = [rows for rows in _of_dialogues() if rows.activity is not None]
    annotated = dialogues.annotate(
        **{f"last_{rows.name}": _latest(rows) for rows in active}
    ).select_related(unit.initiative.removesuffix("_id"))
    found: list[tuple[Any, datetime]] = []
    for dialogue in annotated:
        moments = [getattr(dialogue, unit.created)]
        moments += [getattr(dialogue, f"last_{rows.name}") for rows in active]
        found.append((dialogue, max(m for m in moments if m is not None)))
    return found


def _retention_days(dialogue: Any) -> int:
    value: Any = dialogue
    for part in dialogue_model().retention_days.split("__"):
        value = getattr(value, part)
    return int(value)


def expired_dialogues(now: datetime | None = None) -> list[tuple[Any, datetime]]:
    """Dialogues not yet purged whose last activity is older than their retention period."""
    now = now or timezone.now()
    unit = dialogue_model()
    candidates = unit.model._default_manager.filter(**{f"{unit.purged}__isnull": True})
    return [
        (dialogue, last)
        for dialogue, last in _activity_rows(candidates)
        if last + timedelta(days=_retention_days(dialogue)) <= now
    ]


def purge_expired(now: datetime | None = None, *, actor: Actor | None = None) -> list[Purged]:
    """Delete the content of every expired dialogue, in one transaction, with an audit row
    each (and every row past its own expiry, see :func:`purge`)."""
    return purge(now, actor=actor)[0]


def purge(
    now: datetime | None = None, *, actor: Actor | None = None
) -> tuple[list[Purged], dict[str, int]]:
    """:func:`purge_expired`, also returning how many rows past their own expiry went, by
    kind (``{"prepared_files": 2}``; kinds with none left out). One transaction."""
    now = now or timezone.now()
    actor = actor or Actor.system()
    unit = dialogue_model()
    manager = unit.model._default_manager
    purged: list[Purged] = []
    with transaction.atomic():
        for dialogue, last in expired_dialogues(now):
            locked = manager.select_for_update().filter(
                pk=dialogue.pk, **{f"{unit.purged}__isnull": True}
            )
            if not locked.exists():
                continue
            deleted = delete_dialogue_content([dialogue.pk])
            dialogue_content_purged.send(sender=unit.model, dialogue_ids=[dialogue.pk])
            locked.update(**{unit.purged: now})
            initiative_id = int(getattr(dialogue, unit.initiative))
            days = _retention_days(dialogue)
            record(
                "dialogue.purged",
                actor=actor,
                initiative_id=initiative_id,
                target_type="dialogue",
                target_id=dialogue.pk,
                details={"retention_days": days, **deleted},
            )
            purged.append(Purged(dialogue.pk, initiative_id, last, deleted))
        expired = _purge_expiring_rows(now, actor)
    return purged, expired


def _purge_expiring_rows(now: datetime, actor: Actor) -> dict[str, int]:
    """Rows registered with ``expires`` (back-channel messages, prepared files) go each once
    past their period: the retention period, or the app's own (``expiry_days``). Deleted
    through the queryset, so the models' ``post_delete`` receivers run (a prepared file's
    file goes once the transaction commits). Returns the counts by kind."""
    owner, retention_field = key_owner()
    expired: dict[str, int] = {}
    for rows in confidential_rows():
        if rows.expires is None:
            continue
        manager = rows.model._default_manager
        owners = set(manager.values_list(rows.initiative, flat=True).distinct())
        for initiative in owner._default_manager.filter(pk__in=owners).order_by("pk"):
            if rows.expiry_days is None:
                days = int(getattr(initiative, retention_field))
            else:
                days = int(rows.expiry_days(initiative))
            count = manager.filter(
                **{rows.initiative: initiative.pk, f"{rows.expires}__lte": now - timedelta(days)}
            ).delete()[0]
            if count:
                expired[rows.name] = expired.get(rows.name, 0) + count
                record(
                    f"{rows.name}.purged",
                    actor=actor,
                    initiative_id=initiative.pk,
                    target_type="initiative",
                    target_id=initiative.pk,
                    details={rows.unit: count, "retention_days": days},
                )
    return expired


def _delete_initiative_rows(initiative_id: int) -> dict[str, int]:
    """Every registered row of the initiative: dialogues' content first, then by wipe order."""
    unit = dialogue_model()
    dialogue_ids = list(
        unit.model._default_manager.filter(**{unit.initiative: initiative_id}).values_list(
            "pk", flat=True
        )
    )
    deleted = delete_dialogue_content(dialogue_ids)
    others = [rows for rows in confidential_rows() if rows.dialogue is None]
    for rows in sorted(others, key=lambda rows: rows.wipe_order):
        manager = rows.model._default_manager
        deleted[rows.name] = manager.filter(**{rows.initiative: initiative_id}).delete()[0]
    return deleted


def wipe(initiative_id: int, *, actor: Actor, rotate_master: bool = True) -> Wiped:
    """Destroy the initiative's data key, delete all its rows, then rotate the master key.

    The deletion commits first (must not run inside another transaction). If the master
    key cannot be rotated (e.g. a read-only key file), the result carries a warning: the
    data is gone from the live database, but an old backup holding the wrapped data key
    stays readable with the current master key until ``tracktwo keys rotate`` succeeds.
    """
    owner = key_owner()[0]._default_manager
    with transaction.atomic(durable=True):
        if not owner.select_for_update().filter(pk=initiative_id).exists():
            raise NoSuchInitiative(f"initiative {initiative_id} does not exist")
        datakeys.destroy_data_key(initiative_id)
        deleted = _delete_initiative_rows(initiative_id)
        owner.filter(pk=initiative_id).delete()
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

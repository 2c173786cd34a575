"""Editing and deleting actors and their relationships on the actor map.

Each action runs in one transaction, checks the caller is a convener of the initiative,
re-seals the names, details and notes it changes under the initiative's data key, and
writes an audit row holding ids and counts only. Deleting an actor removes its
relationships; a candidate drawn from it stays in its pool, unlinked from the map.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.initiatives.actors import csv_io
from tracktwo.initiatives.actors.actions import party_lookup, require_convener
from tracktwo.initiatives.actors.models import Actor, ActorTie
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor as AuditActor
from tracktwo.safety.audit import record
from tracktwo.safety.datakeys import box_for_sealing


def _actor(initiative: Initiative, actor_id: int) -> Actor:
    found = Actor.objects.select_for_update().filter(pk=actor_id, initiative=initiative).first()
    if found is None:
        raise InvalidInput(_("no such actor on this map"), field="actor")
    return found


def _tie(initiative: Initiative, tie_id: int) -> ActorTie:
    found = ActorTie.objects.select_for_update().filter(pk=tie_id, initiative=initiative).first()
    if found is None:
        raise InvalidInput(_("no such relationship on this map"), field="tie")
    return found


def _audit(
    by: User, initiative: Initiative, action: str, kind: str, pk: int, **details: int
) -> None:
    record(
        action,
        actor=AuditActor.user(by),
        initiative_id=initiative.pk,
        target_type=kind,
        target_id=pk,
        details=details or None,
    )


@transaction.atomic
def edit_actor(initiative: Initiative, by: User, actor_id: int, fields: dict[str, str]) -> Actor:
    """Change an actor with the same rules as a CSV row; its notes stay unless ``fields``
    give new ones. The name and details are sealed again."""
    require_convener(by, initiative)
    actor = _actor(initiative, actor_id)
    box = box_for_sealing(initiative.pk)
    kept = actor.details.read(box) or {}
    values = {"notes": kept.get("notes", ""), **fields, "id": str(actor.pk)}
    text = csv_io.write_rows(
        csv_io.ACTOR_COLUMNS, [[values.get(c, "") for c in csv_io.ACTOR_COLUMNS]]
    )
    row = csv_io.read_actors(text, party_lookup(initiative.pk, box), name=_("the form"))[0]
    actor.kind = row.kind
    actor.party_id = row.party_id
    actor.track = row.track
    actor.level = row.level
    actor.influence = row.influence
    actor.access = row.access
    actor.decision_maker = row.decision_maker
    actor.name.write(box, row.name)
    actor.details.write(box, row.details)
    actor.save()
    _audit(by, initiative, "actor.edited", "actor", actor.pk)
    return actor


@transaction.atomic
def delete_actor(initiative: Initiative, by: User, actor_id: int) -> int:
    """Delete an actor and its relationships; returns how many relationships went with it."""
    require_convener(by, initiative)
    actor = _actor(initiative, actor_id)
    ties = ActorTie.objects.filter(initiative=initiative).filter(
        source_id=actor.pk
    ) | ActorTie.objects.filter(initiative=initiative, target_id=actor.pk)
    count = ties.count()
    ties.delete()
    pk = actor.pk
    actor.delete()
    _audit(by, initiative, "actor.deleted", "actor", pk, ties=count)
    return count


@transaction.atomic
def edit_tie(initiative: Initiative, by: User, tie_id: int, kind: str, note: str) -> ActorTie:
    """Change a relationship's kind and note (the note sealed again)."""
    require_convener(by, initiative)
    tie = _tie(initiative, tie_id)
    row = csv_io.read_ties(
        csv_io.write_rows(csv_io.TIE_COLUMNS, [[tie.source_id, tie.target_id, kind, note]]),
        _("the form"),
    )[0]
    tie.kind = row.kind
    tie.note.write(
        box_for_sealing(initiative.pk), clean_text(note, "note", max_chars=500, required=False)
    )
    tie.save()
    _audit(by, initiative, "tie.edited", "tie", tie.pk)
    return tie


@transaction.atomic
def delete_tie(initiative: Initiative, by: User, tie_id: int) -> None:
    require_convener(by, initiative)
    tie = _tie(initiative, tie_id)
    pk = tie.pk
    tie.delete()
    _audit(by, initiative, "tie.deleted", "tie", pk)

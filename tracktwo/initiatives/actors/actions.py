"""Every change to the actor map, a dialogue's pool and plan, draws and their invitations.

Each action runs in one transaction, checks the caller is a convener of the initiative
(the actor map, screening notes and real names are for conveners only), seals what names
or describes a person, and writes an audit row holding ids and counts only.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.selection import (
    SelectionProblem,
)
from tracktwo.analysis.selection_csv import read_quotas
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.initiatives.actors import csv_io
from tracktwo.initiatives.actors.models import (
    Actor,
    ActorTie,
    Candidate,
    DelegationPlan,
)
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor as AuditActor
from tracktwo.safety.audit import record
from tracktwo.safety.datakeys import box_for_sealing
from tracktwo.safety.sealed import Box

ALGORITHMS = ("maximin", "nash", "leximin")


def require_convener(by: User, initiative: Initiative) -> None:
    permissions.require(permissions.can_convene(by, initiative), _("keep the actor map"))


def party_lookup(initiative_id: int, box: Box) -> dict[str, int]:
    """Side names, case-folded, to party ids."""
    parties = Party.objects.filter(initiative_id=initiative_id)
    return {party.name.read(box).casefold(): party.pk for party in parties}


def _save_actor(initiative: Initiative, box: Box, row: csv_io.ActorRow) -> Actor:
    actor = Actor(
        initiative=initiative,
        kind=row.kind,
        party_id=row.party_id,
        track=row.track,
        level=row.level,
        influence=row.influence,
        access=row.access,
        decision_maker=row.decision_maker,
    )
    actor.name.write(box, row.name)
    actor.details.write(box, row.details)
    actor.save()
    return actor


@transaction.atomic
def import_actors(
    initiative: Initiative, by: User, actors_text: str, ties_text: str = ""
) -> dict[str, int]:
    """Add the actors (and ties) of CSV files; nothing is stored unless both files read."""
    require_convener(by, initiative)
    box = box_for_sealing(initiative.pk)
    rows = (
        csv_io.read_actors(actors_text, party_lookup(initiative.pk, box))
        if actors_text.strip()
        else []
    )
    ties = csv_io.read_ties(ties_text) if ties_text.strip() else []
    known = {
        str(pk): pk
        for pk in Actor.objects.filter(initiative=initiative).values_list("pk", flat=True)
    }
    for row in ties:  # checked before anything is written
        for ref, column in ((row.source, "from"), (row.target, "to")):
            if ref not in known and ref not in {r.ref for r in rows}:
                raise InvalidInput(
                    _("%(v)r is no actor") % {"v": ref}, field=f"ties.csv, field {column}"
                )
    made = {row.ref: _save_actor(initiative, box, row).pk for row in rows}
    ids = {**known, **made}
    for row in ties:
        tie = ActorTie(
            initiative=initiative,
            source_id=ids[row.source],
            target_id=ids[row.target],
            kind=row.kind,
        )
        tie.note.write(box, row.note)
        tie.save()
    counts = {"actors": len(rows), "ties": len(ties)}
    record(
        "actors.imported",
        actor=AuditActor.user(by),
        initiative_id=initiative.pk,
        target_type="initiative",
        target_id=initiative.pk,
        details=counts,
    )
    return counts


@transaction.atomic
def add_actor(initiative: Initiative, by: User, fields: dict[str, str]) -> Actor:
    """One actor from a form (the same rules as a CSV row)."""
    require_convener(by, initiative)
    box = box_for_sealing(initiative.pk)
    values = {**fields, "id": "new"}  # a CSV row's id, which a form has not
    text = csv_io.write_rows(
        csv_io.ACTOR_COLUMNS, [[values.get(c, "") for c in csv_io.ACTOR_COLUMNS]]
    )
    row = csv_io.read_actors(text, party_lookup(initiative.pk, box), name=_("the form"))[0]
    actor = _save_actor(initiative, box, row)
    record(
        "actor.added",
        actor=AuditActor.user(by),
        initiative_id=initiative.pk,
        target_type="actor",
        target_id=actor.pk,
    )
    return actor


@transaction.atomic
def add_tie(
    initiative: Initiative, by: User, source: int, target: int, kind: str, note: str = ""
) -> ActorTie:
    require_convener(by, initiative)
    ids = set(
        Actor.objects.filter(initiative=initiative, pk__in=[source, target]).values_list(
            "pk", flat=True
        )
    )
    if source == target or ids != {source, target}:
        raise InvalidInput(_("choose two different actors of this initiative"), field="target")
    row = csv_io.read_ties(
        csv_io.write_rows(csv_io.TIE_COLUMNS, [[source, target, kind, note]]), _("the form")
    )[0]
    tie = ActorTie(initiative=initiative, source_id=source, target_id=target, kind=row.kind)
    tie.note.write(
        box_for_sealing(initiative.pk), clean_text(note, "note", max_chars=500, required=False)
    )
    tie.save()
    record(
        "actor.tied",
        actor=AuditActor.user(by),
        initiative_id=initiative.pk,
        target_type="tie",
        target_id=tie.pk,
    )
    return tie


@transaction.atomic
def import_pool(dialogue: Dialogue, by: User, text: str) -> int:
    """Add a pool's candidates from CSV to the dialogue (ids must be new to its pool)."""
    require_convener(by, dialogue.initiative)
    box = box_for_sealing(dialogue.initiative_id)
    _categories, rows = csv_io.read_candidates(text, party_lookup(dialogue.initiative_id, box))
    existing = {c.ref.read(box) for c in Candidate.objects.filter(dialogue=dialogue)}
    actors = set(
        Actor.objects.filter(initiative_id=dialogue.initiative_id).values_list("pk", flat=True)
    )
    for index, row in enumerate(rows, start=1):
        if row.ref in existing:
            raise InvalidInput(
                _("%(v)r is already in the pool") % {"v": row.ref},
                field=f"pool.csv, candidate {index}, field id",
            )
        if row.actor and (not row.actor.isdigit() or int(row.actor) not in actors):
            raise InvalidInput(
                _("%(v)r is no actor of the map") % {"v": row.actor},
                field=f"pool.csv, candidate {index}, field actor",
            )
    for row in rows:
        candidate = Candidate(
            initiative_id=dialogue.initiative_id,
            dialogue=dialogue,
            party_id=row.party_id,
            actor_id=int(row.actor) if row.actor else None,
            consent=row.consent,
            hardliner=row.hardliner,
            spoiler=row.spoiler,
            credibility=row.credibility,
        )
        candidate.ref.write(box, row.ref)
        candidate.name.write(box, row.name)
        candidate.values.write(box, row.values)
        candidate.household.write(box, row.household)
        candidate.screening.write(box, row.screening)
        candidate.save()
    record(
        "pool.imported",
        actor=AuditActor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"candidates": len(rows)},
    )
    return len(rows)


def _targets(text: str) -> dict[str, dict[str, int]]:
    _header, rows = csv_io.rows_of(text, "targets.csv", ("category", "value", "target"))
    out: dict[str, dict[str, int]] = {}
    for line, cells in rows:
        if not cells["target"].isdigit():
            raise InvalidInput(
                _("must be a whole number"), field=f"targets.csv, line {line}, field target"
            )
        out.setdefault(cells["category"].casefold(), {})[cells["value"]] = int(cells["target"])
    return out


@transaction.atomic
def set_plan(
    dialogue: Dialogue, by: User, quotas_text: str, targets_text: str = ""
) -> DelegationPlan:
    """The dialogue's quotas (``category,value,min,max``) and targets (``category,value,target``)."""
    require_convener(by, dialogue.initiative)
    try:
        quotas = read_quotas(quotas_text, name="quotas.csv") if quotas_text.strip() else []
    except SelectionProblem as error:
        raise InvalidInput(str(error), field="quotas") from None
    targets = _targets(targets_text) if targets_text.strip() else {}
    plan, _created = DelegationPlan.objects.get_or_create(
        dialogue=dialogue, defaults={"initiative_id": dialogue.initiative_id}
    )
    box = box_for_sealing(dialogue.initiative_id)
    plan.quotas.write(
        box,
        [
            {"category": q.category.casefold(), "value": q.value, "min": q.min, "max": q.max}
            for q in quotas
        ],
    )
    plan.targets.write(box, targets)
    plan.save()
    record(
        "delegation.planned",
        actor=AuditActor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"quotas": len(quotas)},
    )
    return plan


@transaction.atomic
def add_actors_to_pool(dialogue: Dialogue, by: User) -> int:
    """Every person on the actor map not yet in the dialogue's pool becomes a candidate,
    with the map's side, track, level, gender and region, and without consent (to be
    recorded when they agree to be considered)."""
    require_convener(by, dialogue.initiative)
    box = box_for_sealing(dialogue.initiative_id)
    linked = set(
        Candidate.objects.filter(dialogue=dialogue, actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )
    names = {pk: name for name, pk in party_lookup(dialogue.initiative_id, box).items()}
    added = 0
    for actor in Actor.objects.filter(initiative_id=dialogue.initiative_id, kind="person").order_by(
        "id"
    ):
        if actor.pk in linked:
            continue
        details = actor.details.read(box) or {}
        values = {
            "side": names.get(actor.party_id or 0, ""),
            "track": actor.track,
            "level": actor.level,
        }
        values.update({k: details.get(k, "") for k in ("gender", "region")})
        candidate = Candidate(
            initiative_id=dialogue.initiative_id,
            dialogue=dialogue,
            actor=actor,
            party_id=actor.party_id,
        )
        candidate.ref.write(box, f"actor-{actor.pk}")
        candidate.name.write(box, actor.name.read(box))
        candidate.values.write(box, values)
        candidate.household.write(box, "")
        candidate.screening.write(box, "")
        candidate.save()
        added += 1
    record(
        "pool.from_map",
        actor=AuditActor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"candidates": added},
    )
    return added


@transaction.atomic
def screen(dialogue: Dialogue, by: User, candidate_id: int, fields: dict[str, Any]) -> Candidate:
    """Record a candidate's consent to be considered, inclusion flags, credibility and the
    screening notes (willingness, capacity to listen)."""
    require_convener(by, dialogue.initiative)
    candidate = (
        Candidate.objects.select_for_update().filter(pk=candidate_id, dialogue=dialogue).first()
    )
    if candidate is None:
        raise InvalidInput(_("no such candidate in this pool"), field="candidate")
    credibility = fields.get("credibility", 0)
    if (
        isinstance(credibility, bool)
        or not isinstance(credibility, int)
        or not 0 <= credibility <= 3
    ):
        raise InvalidInput(_("must be 0, 1, 2 or 3"), field="credibility")
    notes = clean_text(
        fields.get("screening", ""), "screening", max_chars=2000, required=False, multiline=True
    )
    candidate.consent = bool(fields.get("consent"))
    candidate.hardliner = bool(fields.get("hardliner"))
    candidate.spoiler = bool(fields.get("spoiler"))
    candidate.credibility = credibility
    candidate.screening.write(box_for_sealing(dialogue.initiative_id), notes)
    candidate.save()
    record(
        "candidate.screened",
        actor=AuditActor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="candidate",
        target_id=candidate.pk,
        details={"consent": candidate.consent},
    )
    return candidate

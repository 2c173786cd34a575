"""Meetings as the process runs them: the agenda, a meeting's regime, timed rounds, what
participants leave in a side's meeting or the opening, and critiques held for later.

Each action is one transaction and checks the caller itself; regime changes and agenda
edits are audited (ids only).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.actions.contributions import _require_participant_in_good_standing
from tracktwo.dialogues.models import (
    Dialogue,
    HeldCritique,
    MeetingNote,
    OpeningAcknowledgement,
    Participant,
    Session,
    Statement,
    Vote,
)
from tracktwo.dialogues.queries.meetings import attends, dialogue_agenda, meeting_for
from tracktwo.initiatives import permissions
from tracktwo.practice.agenda import (
    MAX_PHASE_NAME_CHARS,
    MAX_PHASE_PURPOSE_CHARS,
    MAX_PHASES,
    NOTE_KINDS_OF,
    MeetingKind,
    next_custom_key,
)
from tracktwo.practice.errors import Conflict, HeldInPhase, InvalidInput, NotFound
from tracktwo.practice.formats import Confidentiality, template
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

MAX_ROUND_MINUTES = 240


# -- the agenda -------------------------------------------------------------------------


def _clean_phase(item: Any, i: int, keys: list[str], known: set[str]) -> tuple[str, dict[str, Any]]:
    if not isinstance(item, dict):
        raise InvalidInput(_("each phase is an object"), field=f"phases[{i}]")
    key = item.get("key") or next_custom_key(keys)
    if key not in known and not key.startswith("custom-"):
        raise InvalidInput(_("is not a phase of this agenda"), field=f"phases[{i}].key")
    if key in keys:
        raise InvalidInput(_("appears twice"), field=f"phases[{i}].key")
    label: dict[str, Any] = {}
    name = clean_text(
        item.get("name") or "",
        f"phases[{i}].name",
        max_chars=MAX_PHASE_NAME_CHARS,
        required=key not in known,
    )
    purpose = clean_text(
        item.get("purpose") or "",
        f"phases[{i}].purpose",
        max_chars=MAX_PHASE_PURPOSE_CHARS,
        required=False,
    )
    if name:
        label["name"] = name
    if purpose:
        label["purpose"] = purpose
    if "held" in item and item["held"] is not None:
        label["held"] = bool(item["held"])
    return key, label


def _renumber(dialogue: Dialogue, moves: dict[int, int]) -> None:
    """Move the recorded phase of statements, votes, critiques and meetings with the agenda."""
    moves = {old: new for old, new in moves.items() if old != new}
    if not moves:
        return
    mapping = Case(
        *(When(phase_index=old, then=Value(new)) for old, new in moves.items()),
        output_field=IntegerField(),
    )
    for model in (Statement, Vote, HeldCritique, Session):
        model.objects.filter(dialogue=dialogue, phase_index__in=list(moves)).update(
            phase_index=mapping
        )


@transaction.atomic
def set_agenda(dialogue: Dialogue, phases: Sequence[Any], by: User) -> Dialogue:
    """Replace the dialogue's agenda: phases in order, each ``{"key", "name", "purpose",
    "held"}`` (no ``key``: a new phase; a template phase keeps its name unless renamed).

    Reordering moves what was recorded in each phase with it; a phase may be left out only
    if nothing was recorded in it and no meeting is in it.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("edit the agenda"))
    if not isinstance(phases, list | tuple) or not 1 <= len(phases) <= MAX_PHASES:
        raise InvalidInput(_("between 1 and %(n)d phases") % {"n": MAX_PHASES}, field="phases")
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    old = list(dialogue.phases)
    known = {*template(dialogue.format).phase_keys(), *old}
    keys: list[str] = []
    labels: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(phases):
        key, label = _clean_phase(item, i, keys, known)
        keys.append(key)
        if label:
            labels[key] = label
    dropped = [i for i, key in enumerate(old) if key not in keys]
    for model in (Statement, Vote, HeldCritique, Session):
        if model.objects.filter(dialogue=dialogue, phase_index__in=dropped).exists():
            raise Conflict(_("a phase in which something was recorded cannot be removed"))
    _renumber(dialogue, {i: keys.index(key) for i, key in enumerate(old) if key in keys})
    dialogue.phases = keys
    dialogue.phase_labels.write(box_for_sealing(dialogue.initiative_id), labels)
    dialogue.save(update_fields=["phases", "phase_labels_sealed"])
    for session in Session.objects.filter(dialogue=dialogue):
        session.dialogue = dialogue
        phase_rules.refresh_vote_rule(session)
    record(
        "dialogue.agenda_changed",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"phases": len(keys)},
    )
    return dialogue


# -- a meeting's regime and timed rounds --------------------------------------------------


@transaction.atomic
def set_meeting_regime(
    session: Session, by: User, *, confidentiality: str, officials_private_capacity: bool
) -> Session:
    """Set the meeting's own regime (blank: the dialogue's) and whether it is Track 1.5."""
    dialogue = session.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), _("set the meeting's regime"))
    session.confidentiality = clean_choice(
        confidentiality, "confidentiality", ["", *Confidentiality.values]
    )
    session.officials_private_capacity = bool(officials_private_capacity)
    session.save(update_fields=["confidentiality", "officials_private_capacity"])
    record(
        "session.regime_changed",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="session",
        target_id=session.pk,
        details={"regime": session.regime, "track_1_5": session.officials_private_capacity},
    )
    return session


@transaction.atomic
def start_round(session: Session, minutes: int, by: User) -> Session:
    """Start a timed round of voting: it closes by itself after ``minutes`` (1-240)."""
    permissions.require(permissions.can_facilitate(by, session.dialogue), _("run this session"))
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput(_("must be a whole number of minutes"), field="minutes")
    if not 1 <= minutes <= MAX_ROUND_MINUTES:
        raise InvalidInput(
            _("must be between 1 and %(n)d minutes") % {"n": MAX_ROUND_MINUTES}, field="minutes"
        )
    now = timezone.now()
    session.round_started_at, session.round_ends_at = now, now + timedelta(minutes=minutes)
    session.save(update_fields=["round_started_at", "round_ends_at"])
    return session


@transaction.atomic
def clear_round(session: Session, by: User) -> Session:
    """End the timer: voting is open again without a time limit (as the phase allows)."""
    permissions.require(permissions.can_facilitate(by, session.dialogue), _("run this session"))
    session.round_started_at = session.round_ends_at = None
    session.save(update_fields=["round_started_at", "round_ends_at"])
    return session


# -- participants in a meeting ------------------------------------------------------------


def _their_meeting(participant: Participant, session_number: int | None) -> Session:
    dialogue = participant.dialogue
    _require_participant_in_good_standing(participant, dialogue)
    if session_number is None:
        session = meeting_for(participant)
    else:
        session = Session.objects.filter(dialogue=dialogue, number=session_number).first()
    if session is None or not attends(participant, session):
        raise NotFound(_("no such meeting for you"))
    session.dialogue = dialogue
    return session


@transaction.atomic
def write_meeting_note(
    participant: Participant, kind: str, text: str, *, session_number: int | None = None
) -> MeetingNote:
    """A note in the participant's side's pre-briefing or re-entry meeting (seen by that side
    and the facilitators, never with its author)."""
    session = _their_meeting(participant, session_number)
    allowed = NOTE_KINDS_OF.get(session.kind, ())
    if not allowed:
        raise HeldInPhase(
            _(
                "notes are written in a side's pre-briefing or re-entry meeting, not in this one "
                "(%(kind)s)"
            )
            % {"kind": MeetingKind(session.kind).label},
            field="kind",
        )
    kind = clean_choice(kind, "kind", allowed)
    note = MeetingNote(
        session=session, dialogue=session.dialogue, participant=participant, kind=kind
    )
    note.text.write(
        box_for_sealing(session.dialogue.initiative_id),
        clean_text(text, "text", max_chars=MAX_LONG_TEXT_CHARS, multiline=True),
    )
    note.save()
    return note


@transaction.atomic
def acknowledge_opening(
    participant: Participant, *, session_number: int | None = None
) -> OpeningAcknowledgement:
    """The participant acknowledges the ground rules at the opening meeting."""
    session = _their_meeting(participant, session_number)
    if session.kind != MeetingKind.OPENING:
        raise HeldInPhase(
            _("ground rules are acknowledged at the opening, not in this meeting (%(kind)s)")
            % {"kind": MeetingKind(session.kind).label},
            field="session",
        )
    found, _created = OpeningAcknowledgement.objects.get_or_create(
        session=session,
        participant=participant,
        defaults={
            "dialogue": session.dialogue,
            "ground_rules_version": session.dialogue.ground_rules_version,
        },
    )
    return found


@transaction.atomic
def keep_held_critique(participant: Participant, statement_id: int, note: str) -> HeldCritique:
    """Keep a critique of a statement, while critique is held, for the constraints phase
    (private to its author; nothing is lost)."""
    dialogue = participant.dialogue
    _require_participant_in_good_standing(participant, dialogue)
    statement = Statement.objects.filter(
        pk=statement_id, dialogue=dialogue, deleted_at__isnull=True
    ).first()
    if statement is None:
        raise NotFound(_("no such statement in this dialogue"))
    session = meeting_for(participant)
    critique = HeldCritique(
        dialogue=dialogue,
        statement=statement,
        participant=participant,
        phase_index=session.phase_index if session else None,
    )
    critique.note.write(
        box_for_sealing(dialogue.initiative_id),
        clean_text(note, "note", max_chars=MAX_LONG_TEXT_CHARS, required=False, multiline=True),
    )
    critique.save()
    return critique


def agenda_for_edit(dialogue: Dialogue) -> list[dict[str, Any]]:
    """The agenda as the edit form and the API show it."""
    return [
        {
            "index": i,
            "key": phase.key,
            "name": str(phase.name),
            "purpose": str(phase.purpose),
            "held": phase.criticism_held_back,
        }
        for i, phase in enumerate(dialogue_agenda(dialogue))
    ]

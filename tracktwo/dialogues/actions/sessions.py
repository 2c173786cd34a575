"""Meetings: starting a session, moving it through the agenda's phases, its notes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Party
from tracktwo.practice.agenda import SIDE_KINDS, MeetingKind
from tracktwo.practice.errors import (
    Conflict,
    InvalidInput,
)
from tracktwo.practice.formats import Confidentiality, template
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing


@transaction.atomic
def start_session(
    dialogue: Dialogue,
    by: User,
    *,
    starts_at: datetime | None = None,
    kind: str = MeetingKind.AGENDA,
    side: int | None = None,
    confidentiality: str = "",
    officials_private_capacity: bool = False,
) -> Session:
    """A new meeting of the dialogue, at the first phase (a sustained dialogue continues at
    the Saunders stage its previous meeting reached).

    ``kind`` is a :class:`~tracktwo.practice.agenda.MeetingKind`; a pre-briefing or a
    re-entry meeting is one ``side``'s own (a party of the initiative). ``confidentiality``
    sets the meeting's own regime (blank: the dialogue's); ``officials_private_capacity``
    marks a Track 1.5 meeting.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("start sessions"))
    kind = clean_choice(kind, "kind", MeetingKind.values)
    party = meeting_side(dialogue, kind, side)
    regime = clean_choice(confidentiality, "confidentiality", ["", *Confidentiality.values])
    previous = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    session = Session(dialogue=dialogue, number=(previous.number + 1) if previous else 1)
    session.kind, session.side, session.confidentiality = kind, party, regime
    session.officials_private_capacity = bool(officials_private_capacity)
    if template(dialogue.format).stages_are_saunders:
        session.phase_index = previous.phase_index if previous else 0
        session.saunders_stage = session.phase_index + 1
    box = box_for_sealing(dialogue.initiative_id)
    session.starts_at.write(box, starts_at.isoformat() if starts_at else None)
    session.notes.write(box, "")
    session.vote_rule = phase_rules.rule_of(dialogue, session)
    session.save()
    record(
        "session.started",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="session",
        target_id=session.pk,
        details={
            "kind": kind,
            "regime": session.regime,
            "track_1_5": session.officials_private_capacity,
        },
    )
    return session


def meeting_side(dialogue: Dialogue, kind: str, side: int | None) -> Party | None:
    """The side of a side's own meeting (required for pre-briefing and re-entry, refused
    for the others)."""
    if kind not in SIDE_KINDS:
        if side is not None:
            raise InvalidInput(
                _("only a pre-briefing or re-entry meeting has a side"), field="side"
            )
        return None
    party = (
        Party.objects.filter(pk=side, initiative_id=dialogue.initiative_id).first()
        if side is not None
        else None
    )
    if party is None:
        raise InvalidInput(_("choose the side this meeting is for"), field="side")
    return party


def _move_to_phase(session: Session, index: int, by: User) -> Session:
    dialogue = session.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), _("run this session"))
    if not 0 <= index < len(dialogue.phases):
        raise InvalidInput(
            _("must be between 0 and %(last)d") % {"last": len(dialogue.phases) - 1}, field="phase"
        )
    session.phase_index = index
    # A new phase is a new activity: a timed round of the previous one does not close it.
    session.round_started_at = session.round_ends_at = None
    session.vote_rule = phase_rules.rule_of(dialogue, session)
    fields = ["phase_index", "vote_rule", "round_started_at", "round_ends_at"]
    if template(dialogue.format).stages_are_saunders:
        session.saunders_stage = index + 1
        fields.append("saunders_stage")
    session.save(update_fields=fields)
    return session


@transaction.atomic
def advance_phase(session: Session, by: User) -> Session:
    """Move the session to the next phase of its agenda (Conflict at the last one)."""
    if session.phase_index + 1 >= len(session.dialogue.phases):
        raise Conflict(_("the session is already at its last phase"))
    return _move_to_phase(session, session.phase_index + 1, by)


@transaction.atomic
def set_phase(session: Session, index: int, by: User) -> Session:
    """Move the session to any phase of its agenda (e.g. back to revisit one)."""
    return _move_to_phase(session, index, by)


@transaction.atomic
def write_session_notes(session: Session, notes: str, by: User) -> None:
    """Replace the facilitators' notes of a session (sealed; never shown to participants)."""
    permissions.require(permissions.can_facilitate(by, session.dialogue), _("write notes"))
    box = box_for_sealing(session.dialogue.initiative_id)
    session.notes.write(
        box,
        clean_text(notes, "notes", max_chars=MAX_LONG_TEXT_CHARS, required=False, multiline=True),
    )
    session.save(update_fields=["notes_sealed"])

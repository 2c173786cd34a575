"""Meetings: starting a session, moving it through the agenda's phases, its notes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import (
    Conflict,
    InvalidInput,
)
from tracktwo.practice.formats import template
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, clean_text
from tracktwo.safety.datakeys import box_for_sealing


@transaction.atomic
def start_session(dialogue: Dialogue, by: User, *, starts_at: datetime | None = None) -> Session:
    """A new meeting of the dialogue, at the first phase (a sustained dialogue continues at
    the Saunders stage its previous meeting reached)."""
    permissions.require(permissions.can_facilitate(by, dialogue), _("start sessions"))
    previous = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    session = Session(dialogue=dialogue, number=(previous.number + 1) if previous else 1)
    if template(dialogue.format).stages_are_saunders:
        session.phase_index = previous.phase_index if previous else 0
        session.saunders_stage = session.phase_index + 1
    box = box_for_sealing(dialogue.initiative_id)
    session.starts_at.write(box, starts_at.isoformat() if starts_at else None)
    session.notes.write(box, "")
    session.save()
    return session


def _move_to_phase(session: Session, index: int, by: User) -> Session:
    dialogue = session.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), _("run this session"))
    if not 0 <= index < len(dialogue.phases):
        raise InvalidInput(
            _("must be between 0 and %(last)d") % {"last": len(dialogue.phases) - 1}, field="phase"
        )
    session.phase_index = index
    fields = ["phase_index"]
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

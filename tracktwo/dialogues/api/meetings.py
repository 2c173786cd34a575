"""API routes of meetings (issue 13): the agenda, meetings of a kind and side, a meeting's
regime, timed rounds, side notes, the opening's acknowledgement and held critiques.

=============================================  ============================================
route                                          who (anyone else: 401, 403 or 404)
=============================================  ============================================
GET    /dialogues/{id}/agenda                  members who may observe; participants
PUT    /dialogues/{id}/agenda                  facilitators
POST   /dialogues/{id}/meetings                facilitators
GET    /dialogues/{id}/meetings                members who may observe; participants (the
                                               meetings they attend)
PATCH  /dialogues/{id}/meetings/{n}            facilitators (regime, Track 1.5)
POST   /dialogues/{id}/meetings/{n}/round      facilitators (start a timed round)
DELETE /dialogues/{id}/meetings/{n}/round      facilitators (clear the timer)
GET    /dialogues/{id}/meetings/{n}/notes      facilitators; participants of that side
POST   /dialogues/{id}/meetings/{n}/notes      participants of that side
POST   /dialogues/{id}/meetings/{n}/opening    participants (acknowledge the ground rules)
GET    /dialogues/{id}/held-critiques          participants (their own)
POST   /dialogues/{id}/held-critiques          participants
=============================================  ============================================
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from tracktwo.accounts.auth import API_AUTH
from tracktwo.dialogues.actions import meetings as act
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.actions.sessions import start_session
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.api.common import ERRORS, _any, _member, _participant
from tracktwo.dialogues.models import Dialogue, HeldCritique, Session
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.safety.datakeys import box_for

router = Router(tags=["meetings"])
VOTE_NAMES = {1: "agree", 0: "pass", -1: "disagree"}


def _meeting(dialogue: Dialogue, number: int) -> Session:
    session = Session.objects.filter(dialogue=dialogue, number=number).first()
    if session is None:
        raise NotFound(_("no such meeting"))
    session.dialogue = dialogue
    return session


def _meeting_out(session: Session) -> dict[str, Any]:
    dialogue = session.dialogue
    view = meetings.meeting_view(session, {})
    phase = meetings.phase_of(dialogue, session)
    latest = reading.current_session(dialogue)
    allowed = (
        phase_rules.allowed_votes(dialogue, session)
        if latest is not None and latest.pk == session.pk and not phase_rules.round_closed(session)
        else frozenset()
    )
    return {
        "number": session.number,
        "kind": session.kind,
        "side": session.side_id,
        "confidentiality": view.regime,
        "regime_text": view.regime_text,
        "officials_private_capacity": session.officials_private_capacity,
        "phase_index": session.phase_index,
        "phase": phase.key if phase else None,
        "votes_allowed": [VOTE_NAMES[v] for v in (1, 0, -1) if v in allowed],
        "round_ends_at": session.round_ends_at,
        "round_open": view.round_open,
        "seconds_left": view.seconds_left,
    }


@router.get(
    "/dialogues/{id}/agenda", auth=API_AUTH, response={200: list[s.AgendaPhaseOut], **ERRORS}
)
def get_agenda(request: HttpRequest, id: s.PathId) -> list[dict[str, Any]]:
    """The dialogue's agenda as it holds it (what each phase is and whether critique is held)."""
    dialogue, _who = _any(request, id)
    return act.agenda_for_edit(dialogue)


@router.put(
    "/dialogues/{id}/agenda", auth=API_AUTH, response={200: list[s.AgendaPhaseOut], **ERRORS}
)
def put_agenda(request: HttpRequest, id: s.PathId, body: s.AgendaIn) -> list[dict[str, Any]]:
    """Replace the agenda: add (no key), rename, reorder, mark critique held (facilitators)."""
    dialogue, user = _member(request, id, "facilitate")
    dialogue = act.set_agenda(dialogue, [p.dict() for p in body.phases], user)
    return act.agenda_for_edit(dialogue)


@router.post("/dialogues/{id}/meetings", auth=API_AUTH, response={201: s.MeetingOut, **ERRORS})
def post_meeting(request: HttpRequest, id: s.PathId, body: s.MeetingIn) -> Any:
    """Start a meeting of a kind (a side's own for pre-briefing and re-entry), its regime."""
    dialogue, user = _member(request, id, "facilitate")
    session = start_session(
        dialogue,
        user,
        kind=body.kind,
        side=body.side,
        confidentiality=body.confidentiality,
        officials_private_capacity=body.officials_private_capacity,
    )
    session.dialogue = dialogue
    return Status(201, _meeting_out(session))


@router.get("/dialogues/{id}/meetings", auth=API_AUTH, response={200: list[s.MeetingOut], **ERRORS})
def list_meetings(request: HttpRequest, id: s.PathId) -> list[dict[str, Any]]:
    """The dialogue's meetings (a participant: those they attend)."""
    dialogue, who = _any(request, id)
    rows = list(Session.objects.filter(dialogue=dialogue).order_by("number"))
    for row in rows:
        row.dialogue = dialogue
    if who.kind == "participant":
        box = box_for(dialogue.initiative_id)
        rows = [r for r in rows if meetings.attends(who.participant, r, box)]
    return [_meeting_out(r) for r in rows]


@router.patch(
    "/dialogues/{id}/meetings/{number}", auth=API_AUTH, response={200: s.MeetingOut, **ERRORS}
)
def patch_meeting(
    request: HttpRequest, id: s.PathId, number: s.PathId, body: s.MeetingRegimeIn
) -> dict[str, Any]:
    """Set the meeting's regime (blank: the dialogue's) and Track 1.5 mark (facilitators)."""
    dialogue, user = _member(request, id, "facilitate")
    session = act.set_meeting_regime(
        _meeting(dialogue, number),
        user,
        confidentiality=body.confidentiality,
        officials_private_capacity=body.officials_private_capacity,
    )
    return _meeting_out(session)


@router.post(
    "/dialogues/{id}/meetings/{number}/round", auth=API_AUTH, response={200: s.MeetingOut, **ERRORS}
)
def post_round(
    request: HttpRequest, id: s.PathId, number: s.PathId, body: s.RoundIn
) -> dict[str, Any]:
    """Start a timed round of voting; it closes by itself after ``minutes``."""
    dialogue, user = _member(request, id, "facilitate")
    return _meeting_out(act.start_round(_meeting(dialogue, number), body.minutes, user))


@router.delete(
    "/dialogues/{id}/meetings/{number}/round", auth=API_AUTH, response={200: s.MeetingOut, **ERRORS}
)
def delete_round(request: HttpRequest, id: s.PathId, number: s.PathId) -> dict[str, Any]:
    """Clear the timer: voting open again as the phase allows."""
    dialogue, user = _member(request, id, "facilitate")
    return _meeting_out(act.clear_round(_meeting(dialogue, number), user))


@router.get(
    "/dialogues/{id}/meetings/{number}/notes",
    auth=API_AUTH,
    response={200: list[s.MeetingNoteOut], **ERRORS},
)
def get_notes(request: HttpRequest, id: s.PathId, number: s.PathId) -> list[dict[str, str]]:
    """A side's meeting notes, without authors: its side's participants and facilitators."""
    dialogue, who = _any(request, id)
    session = _meeting(dialogue, number)
    if who.kind == "participant":
        if not meetings.attends(who.participant, session):
            raise NotFound(_("no such meeting"))
    else:
        _member(request, id, "facilitate")
    return [{"kind": k, "text": t} for k, t in meetings.side_notes(session)]


@router.post(
    "/dialogues/{id}/meetings/{number}/notes",
    auth=API_AUTH,
    response={201: s.MeetingNoteOut, **ERRORS},
)
def post_note(request: HttpRequest, id: s.PathId, number: s.PathId, body: s.MeetingNoteIn) -> Any:
    """Write a note in one's side's pre-briefing or re-entry meeting."""
    _dialogue, participant = _participant(request, id)
    note = act.write_meeting_note(participant, body.kind, body.text, session_number=number)
    return Status(201, {"kind": note.kind, "text": body.text.strip()})


@router.post(
    "/dialogues/{id}/meetings/{number}/opening",
    auth=API_AUTH,
    response={200: s.MeetingOut, **ERRORS},
)
def post_opening(request: HttpRequest, id: s.PathId, number: s.PathId) -> dict[str, Any]:
    """Acknowledge the ground rules at the opening meeting."""
    dialogue, participant = _participant(request, id)
    act.acknowledge_opening(participant, session_number=number)
    return _meeting_out(_meeting(dialogue, number))


@router.get(
    "/dialogues/{id}/held-critiques",
    auth=API_AUTH,
    response={200: list[s.HeldCritiqueOut], **ERRORS},
)
def get_critiques(request: HttpRequest, id: s.PathId) -> list[dict[str, Any]]:
    """The caller's own critiques held for the constraints phase."""
    dialogue, participant = _participant(request, id)
    box = box_for(dialogue.initiative_id)
    rows = HeldCritique.objects.filter(participant=participant).order_by("id")
    return [
        {
            "id": c.pk,
            "statement": c.statement_id,
            "note": c.note.read(box),
            "phase_index": c.phase_index,
        }
        for c in rows
    ]


@router.post(
    "/dialogues/{id}/held-critiques", auth=API_AUTH, response={201: s.HeldCritiqueOut, **ERRORS}
)
def post_critique(request: HttpRequest, id: s.PathId, body: s.HeldCritiqueIn) -> Any:
    """Keep a critique of a statement for the constraints phase (private to the caller)."""
    dialogue, participant = _participant(request, id)
    if participant.role != "participant":
        raise NotAllowed(_("observers do not vote or write statements"))
    critique = act.keep_held_critique(participant, body.statement, body.note)
    box = box_for(dialogue.initiative_id)
    return Status(
        201,
        {
            "id": critique.pk,
            "statement": critique.statement_id,
            "note": critique.note.read(box),
            "phase_index": critique.phase_index,
        },
    )

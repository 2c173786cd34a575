"""Participants' meeting page (issue 13): the meeting they are in and what it asks of them.

- a pre-briefing (their side only): notes for the facilitators and their own side;
- the opening: the ground rules, acknowledged with one button;
- the facilitated agenda: the phases, the current one and what it allows;
- a re-entry meeting (their side only): what each will say at home, the risks of return.

And the held critique: during the brainstorm a participant who disagrees keeps their
critique for the constraints phase instead (nothing lost; only they see it).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tracktwo.dialogues.actions import meetings as act
from tracktwo.dialogues.meeting_forms import CritiqueForm, MeetingNoteForm
from tracktwo.dialogues.models import HeldCritique, OpeningAcknowledgement, Participant
from tracktwo.dialogues.queries import meetings
from tracktwo.dialogues.views.common import bad_request, participant_page
from tracktwo.dialogues.views.participant import page
from tracktwo.practice.agenda import NOTE_KINDS_OF, NoteKind
from tracktwo.practice.errors import DialogueError
from tracktwo.safety.datakeys import box_for


def _post(request: HttpRequest, participant: Participant) -> HttpResponse | None:
    try:
        if request.POST.get("action") == "acknowledge":
            act.acknowledge_opening(participant)
            messages.success(request, _("Thank you: you acknowledged the ground rules."))
        else:
            prefix = request.POST.get("form", "")
            form = MeetingNoteForm(request.POST, prefix=prefix)
            if prefix not in NoteKind.values or not form.is_valid():
                return bad_request(request)
            act.write_meeting_note(
                participant, form.cleaned_data["kind"], form.cleaned_data["text"]
            )
            messages.success(
                request, _("Your note is saved. Only your side and the facilitators read it.")
            )
    except DialogueError as error:
        messages.error(request, error.message)
    return None


def _own_critiques(participant: Participant) -> list[tuple[str, str]]:
    """The participant's own held critiques: (statement text, their note)."""
    box = box_for(participant.dialogue.initiative_id)
    rows = HeldCritique.objects.filter(participant=participant).select_related("statement")
    return [(c.statement.text.read(box), c.note.read(box)) for c in rows.order_by("id")]


@require_http_methods(["GET", "POST"])
@participant_page()
def meeting(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The meeting the participant is in, with what it asks of them."""
    if request.method == "POST":
        refused = _post(request, participant)
        if refused is not None:
            return refused
        return redirect("dialogues:my-meeting", dialogue_id=participant.dialogue_id)
    session = meetings.meeting_for(participant)
    dialogue = participant.dialogue
    kinds = NOTE_KINDS_OF.get(session.kind, ()) if session else ()
    context = page(
        participant,
        tab="meeting",
        session=session,
        agenda=meetings.dialogue_agenda(dialogue),
        note_forms=[
            (k, NoteKind(k).label, MeetingNoteForm(initial={"kind": k}, prefix=k)) for k in kinds
        ],
        held_critiques=_own_critiques(participant),
        notes=[(NoteKind(k).label, t) for k, t in meetings.side_notes(session)] if session else [],
        acknowledged=bool(
            session
            and OpeningAcknowledgement.objects.filter(
                session=session, participant=participant
            ).exists()
        ),
    )
    return render(request, "dialogues/my_meeting.html", context)


@require_POST
@participant_page()
def critique(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Keep a critique for the constraints phase (the brainstorm holds disagreement)."""
    form = CritiqueForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    try:
        act.keep_held_critique(
            participant, form.cleaned_data["statement"], form.cleaned_data["note"]
        )
    except DialogueError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your critique is kept for the constraints phase. Only you can see it.")
        )
    return redirect("dialogues:vote", dialogue_id=participant.dialogue_id)

"""Facilitators' meeting pages (issue 13): one meeting (its kind, side, regime, Track 1.5
mark, timed round, and a side's notes without their authors), and the agenda editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.dialogues.actions import meetings as act
from tracktwo.dialogues.actions import phase_rules
from tracktwo.dialogues.meeting_forms import AgendaFormSet, RegimeForm, RoundForm
from tracktwo.dialogues.models import Dialogue, OpeningAcknowledgement, Session
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.dialogues.views.common import dialogue_page, not_found, user_of
from tracktwo.initiatives import permissions
from tracktwo.practice.agenda import NoteKind, VoteRule
from tracktwo.practice.errors import DialogueError


def _context(dialogue: Dialogue, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "tab": "overview",
        **extra,
    }


def _act_on_meeting(request: HttpRequest, session: Session) -> str | None:
    """Apply the posted change; the error to show, if any."""
    user = user_of(request)
    action = request.POST.get("action")
    try:
        if action == "regime":
            form = RegimeForm(request.POST)
            if not form.is_valid():
                return _("Choose a regime.")
            act.set_meeting_regime(session, user, **form.cleaned_data)
            messages.success(request, _("The meeting's regime is saved."))
        elif action == "round":
            found = RoundForm(request.POST)
            if not found.is_valid():
                return _("Give the round between 1 and 240 minutes.")
            act.start_round(session, found.cleaned_data["minutes"], user)
            messages.success(request, _("The timed round has started."))
        elif action == "clear-round":
            act.clear_round(session, user)
            messages.success(request, _("The timer is cleared."))
        else:
            return _("Unknown action.")
    except DialogueError as error:
        return error.message
    return None


@require_http_methods(["GET", "POST"])
@dialogue_page("observe")
def meeting(request: HttpRequest, dialogue: Dialogue, number: int) -> HttpResponse:
    """One meeting: what it is, its regime, its timed round, and a side's notes."""
    session = Session.objects.filter(dialogue=dialogue, number=number).first()
    if session is None:
        return not_found(request)
    session.dialogue = dialogue
    if request.method == "POST":
        if not permissions.can_facilitate(request.user, dialogue):
            return render(request, "errors/403.html", status=403)
        error = _act_on_meeting(request, session)
        if error:
            messages.error(request, error)
        return redirect("dialogues:meeting", dialogue_id=dialogue.pk, number=number)
    sides = reading.party_names(dialogue.initiative_id)
    may_facilitate = permissions.can_facilitate(request.user, dialogue)
    notes = meetings.side_notes(session) if may_facilitate else []
    context = _context(
        dialogue,
        request,
        meeting=meetings.meeting_view(session, sides),
        session=session,
        phase=meetings.phase_of(dialogue, session),
        rule=VoteRule(phase_rules.rule_of(dialogue, session)).label,
        notes=[(NoteKind(kind).label, text) for kind, text in notes],
        acknowledged=OpeningAcknowledgement.objects.filter(session=session).count(),
        regime_form=RegimeForm(
            initial={
                "confidentiality": session.confidentiality,
                "officials_private_capacity": session.officials_private_capacity,
            }
        ),
        round_form=RoundForm(),
    )
    return render(request, "dialogues/meeting.html", context)


def _posted_agenda(formset: Any) -> list[dict[str, Any]]:
    rows = [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data
        and not f.cleaned_data.get("remove")
        and (f.cleaned_data.get("key") or f.cleaned_data.get("name"))
    ]
    rows.sort(key=lambda row: row["position"] or 99)
    return [
        {"key": r["key"] or None, "name": r["name"], "purpose": r["purpose"], "held": r["held"]}
        for r in rows
    ]


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def agenda(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Edit the agenda: rename, reorder (the order numbers), add a phase, mark critique held."""
    current = act.agenda_for_edit(dialogue)
    initial = [
        {
            "key": p["key"],
            "position": p["index"] + 1,
            "name": p["name"],
            "purpose": p["purpose"],
            "held": p["held"],
        }
        for p in current
    ]
    formset = AgendaFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            act.set_agenda(dialogue, _posted_agenda(formset), user_of(request))
        except DialogueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agenda is saved."))
            return redirect("dialogues:overview", dialogue_id=dialogue.pk)
    return render(request, "dialogues/agenda.html", _context(dialogue, request, formset=formset))

"""Pages of a listening circle: the circle's page (participants, on a phone) and the desk.

Participants read the open round's prompt and the circle's reflections (unnamed) and write
their own. The desk (facilitators and conveners only: observers are outside the circle)
holds the monthly gathering, opens and closes rounds, and shows who has spoken in the
round; nobody else sees that. Forms post, then redirect; a refusal is a plain sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.circles import actions, queries, rules
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import dialogue_page, not_found, participant_page, user_of
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for

DESK_ACTS = ("rhythm", "gathering", "open", "close")


def _context(dialogue: Dialogue, reader: Participant | None, **extra: Any) -> dict[str, Any]:
    circle = rules.is_circle(dialogue)
    box = box_for(dialogue.initiative_id)
    rounds = queries.rounds(dialogue, box) if circle else []
    current = rounds[0] if rounds else None
    return {
        "dialogue": reading.dialogue_view(dialogue, box),
        "circle": circle,
        "rhythm": queries.rhythm(dialogue) if circle else None,
        "round": current,
        "reflections": queries.reflections(current.id, dialogue, reader, box) if current else [],
        "earlier": [(r, queries.reflections(r.id, dialogue, reader, box)) for r in rounds[1:4]],
        "tab": "circle",
        **extra,
    }


@require_http_methods(["GET", "POST"])
@participant_page()
def circle(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The open round's prompt, the circle's reflections, and one's own to write."""
    if request.method == "POST":
        try:
            actions.reflect(participant, request.POST.get("text", ""))
        except DialogueError as problem:
            messages.error(request, problem.message)
        else:
            messages.success(request, _("Your reflection is shared with the circle."))
        return redirect("circles:circle", dialogue_id=participant.dialogue_id)
    context = _context(
        participant.dialogue,
        participant,
        quick_exit=True,
        participant=participant,
        is_observer=participant.role != ParticipantRole.PARTICIPANT,
    )
    mine = next((r.text for r in context["reflections"] if r.mine), "")
    return render(request, "circles/circle.html", {**context, "mine": mine})


@require_GET
@dialogue_page("facilitate")
def desk(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The facilitators' page: the rhythm, the rounds, and who has spoken in this round."""
    context = _context(dialogue, None, may_facilitate=True)
    current = context["round"]
    context["turns"] = queries.turns(current.id, dialogue) if current else []
    return render(request, "circles/desk.html", context)


@require_POST
@dialogue_page("facilitate")
def desk_act(request: HttpRequest, dialogue: Dialogue, act: str) -> HttpResponse:
    """Set the next gathering's day, hold the gathering, open or close a round."""
    if act not in DESK_ACTS:
        return not_found(request)
    user = user_of(request)
    try:
        if act == "rhythm":
            try:
                day = dt.date.fromisoformat(request.POST.get("next_on", ""))
            except ValueError:
                messages.error(request, _("The day of the next gathering is not a date."))
                return redirect("circles:desk", dialogue_id=dialogue.pk)
            actions.set_rhythm(dialogue, day, user)
        elif act == "gathering":
            session = actions.hold_gathering(dialogue, user)
            messages.success(request, _("Gathering %(n)d has begun.") % {"n": session.number})
        elif act == "open":
            actions.open_round(dialogue, request.POST.get("prompt", ""), user)
            messages.success(request, _("The round is open."))
        else:
            actions.close_round(dialogue, user)
    except DialogueError as problem:
        messages.error(request, problem.message)
    return redirect("circles:desk", dialogue_id=dialogue.pk)

"""The site's front door, ``/``: each role's home.

Anonymous visitors are offered the sign-in and "I have an invitation" (a pasted invitation
link or code goes on to the join page). A browser that joined a dialogue goes to its
dialogue. A signed-in account sees what its roles need: conveners and facilitators their
initiatives and dialogues with what needs attention (statements awaiting moderation, the
session's phase, participation), liaisons the briefs sent to them.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import session_participant
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.formats import MemberRole, Moderation, ParticipantRole, template
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import actions as transfer

# The invitation token at the end of a pasted link (``.../join/<token>``) or alone.
TOKEN = re.compile(r"(?:/join/)?([A-Za-z0-9_\-]{16,200})/?\s*$")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home of whoever asks (see the module's docstring)."""
    pasted = request.GET.get("invitation", "")
    if pasted:
        found = TOKEN.search(pasted.strip())
        if found is None:
            return render(request, "home/anonymous.html", {"bad_invitation": True}, status=400)
        return redirect("dialogues:join-link", token=found.group(1))
    if request.user.is_authenticated:
        return render(request, "home/account.html", account_home(request.user))
    participant = session_participant(request)
    if participant is not None:
        return redirect("dialogues:home", dialogue_id=participant.dialogue_id)
    return render(request, "home/anonymous.html")


def account_home(user: Any) -> dict[str, Any]:
    """What a signed-in account's home shows: its initiatives' dialogues and its briefs."""
    assert isinstance(user, User)
    ids = (
        Membership.objects.filter(user=user)
        .exclude(role=MemberRole.LIAISON)
        .values_list("initiative_id", flat=True)
        .distinct()
    )
    initiatives = [
        _initiative_row(user, initiative)
        for initiative in Initiative.objects.filter(pk__in=ids).order_by("pk")
    ]
    now = timezone.now()
    briefs = [
        {
            "id": r.pk,
            "brief": r.brief_id,
            "issued_at": r.brief.issued_at,
            "expires_at": r.expires_at,
            "opened": r.opened_at is not None,
            "usable": r.opened_at is not None and r.revoked_at is None and r.expires_at > now,
        }
        for r in transfer.copies_of(user)
    ]
    may_start = permissions.may_start_dialogue(user)
    return {"initiatives": initiatives, "briefs": briefs, "may_start": may_start}


def _initiative_row(user: User, initiative: Initiative) -> dict[str, Any]:
    box = box_for(initiative.pk)
    dialogues = [
        _dialogue_row(user, d, box)
        for d in permissions.visible_dialogues(user, initiative)
        if d.purged_at is None
    ]
    role = permissions.role_in(user, initiative)
    return {
        "id": initiative.pk,
        "title": initiative.title.read(box),
        "role_label": MemberRole(role).label if role else "",
        "may_convene": permissions.can_convene(user, initiative),
        "may_keep_log": role in (MemberRole.CONVENER, MemberRole.FACILITATOR),
        "may_facilitate_any": any(d["may_facilitate"] for d in dialogues),
        "dialogues": dialogues,
    }


def _dialogue_row(user: User, dialogue: Dialogue, box: Any) -> dict[str, Any]:
    session = reading.current_session(dialogue)
    phases = template(dialogue.format).phases
    phase = phases[session.phase_index].name if session is not None else ""
    joined = Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    )
    voted = (
        Vote.objects.filter(dialogue=dialogue, participant__in=joined)
        .aggregate(n=Count("participant", distinct=True))
        .get("n", 0)
    )
    return {
        "id": dialogue.pk,
        "title": dialogue.title.read(box),
        "format": template(dialogue.format).name,
        "may_facilitate": permissions.can_facilitate(user, dialogue),
        "session": session.number if session is not None else None,
        "phase": phase,
        "joined": joined.count(),
        "voted": voted,
        "pending": Statement.objects.filter(
            dialogue=dialogue, moderation=Moderation.PENDING, deleted_at__isnull=True
        ).count(),
    }

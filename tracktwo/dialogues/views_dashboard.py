"""The live dashboard of a dialogue, for its conveners, facilitators and observers.

``/dialogues/<id>/dashboard`` is the whole page; ``/dialogues/<id>/dashboard/live`` is its
changing part alone, which ``static/js/dashboard.js`` fetches every second and swaps in
(without JavaScript the page has a refresh link). The fragment endpoint takes the version
the browser already shows (``?since=``) and answers 204 when nothing changed, so polling
costs a few aggregate queries, not a re-analysis.

Nothing here names a participant: participation is counted per party, the opinion map
draws anonymous dots, statements come without authors.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracktwo.dialogues import live, permissions, reading, views_analysis
from tracktwo.dialogues.contributions import Profile
from tracktwo.dialogues.formats import ParticipantRole
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.views import dialogue_page
from tracktwo.safety.datakeys import box_for


def version(dialogue: Dialogue, payload: dict[str, Any]) -> str:
    """A short digest that changes whenever anything the dashboard shows may have changed.

    A stale analysis (the background refresh is still catching up) gets an empty version,
    which never matches, so the browser asks again until the fresh one is shown.
    """
    if payload.get("stale"):
        return ""
    votes = Vote.objects.filter(dialogue=dialogue).aggregate(last=Max("id"), n=Count("id"))
    statements = Statement.objects.filter(dialogue=dialogue).aggregate(
        last=Max("id"), moderated=Max("moderated_at"), deleted=Max("deleted_at")
    )
    people = Participant.objects.filter(dialogue=dialogue).aggregate(
        n=Count("id"), withdrawn=Max("withdrawn_at")
    )
    session = reading.current_session(dialogue)
    state = (
        votes,
        statements,
        people,
        dialogue.results_shared,
        dialogue.small_cell_threshold,
        (session.number, session.phase_index) if session else None,
        payload.get("votes_counted"),
        payload.get("as_of"),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def participation(dialogue: Dialogue) -> list[dict[str, Any]]:
    """Per party: participants who joined, how many of them voted, and their votes."""
    box = box_for(dialogue.initiative_id)
    names = reading.party_names(dialogue.initiative_id, box)
    votes_by_participant = dict(
        Vote.objects.filter(dialogue=dialogue)
        .values_list("participant_id")
        .annotate(n=Count("id"))
        .values_list("participant_id", "n")
    )
    joined: Counter[int] = Counter()
    voted: Counter[int] = Counter()
    votes: Counter[int] = Counter()
    active = Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    ).only("pk", "profile_sealed", "dialogue_id")
    for participant in active:
        party = Profile.from_json(participant.profile.read(box)).party_id
        joined[party] += 1
        n = votes_by_participant.get(participant.pk, 0)
        voted[party] += n > 0
        votes[party] += n
    return [
        {"party": name, "joined": joined[pk], "voted": voted[pk], "votes": votes[pk]}
        for pk, name in names.items()
    ]


def _context(request: HttpRequest, dialogue: Dialogue, payload: dict[str, Any]) -> dict[str, Any]:
    rows = participation(dialogue)
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "tab": "dashboard",
        "version": version(dialogue, payload),
        "analysis": views_analysis.sections(payload),
        "opinion_map": views_analysis.facilitator_map(payload),
        "map_legend": views_analysis.legend(payload.get("groups", [])),
        "participation": rows,
        "totals": {
            "joined": sum(r["joined"] for r in rows),
            "voted": sum(r["voted"] for r in rows),
            "votes": sum(r["votes"] for r in rows),
        },
    }


@require_GET
@dialogue_page("observe")
def dashboard(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    payload = live.dialogue_analysis(dialogue, "facilitator")
    return render(request, "dialogues/dashboard.html", _context(request, dialogue, payload))


@require_GET
@dialogue_page("observe")
def dashboard_live(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The dashboard's changing part; 204 when the browser already shows this version."""
    payload = live.dialogue_analysis(dialogue, "facilitator")
    since = request.GET.get("since", "")
    if since and since == version(dialogue, payload):
        return HttpResponse(status=204)
    return render(request, "dialogues/_dashboard.html", _context(request, dialogue, payload))

"""The live dashboard of a dialogue, for its conveners, facilitators and observers.

Facilitators and conveners see the whole live analysis. Observers, who look on but do not
run the dialogue, see what leaves the facilitators (``permissions.analysis_audience``):
small cells withheld (participation per party included), results in batches, no map of
individual participants; their page changes only when that batched view does.

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
import threading
from collections import OrderedDict
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from tracktwo.dialogues.actions.phase_rules import round_closed
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.dialogues.views.common import dialogue_page
from tracktwo.initiatives import permissions
from tracktwo.insight import delegation, presentation, service, suppression, turnout
from tracktwo.insight.phases import dialogue_phases, phases_json
from tracktwo.insight.results import DialogueInsight

ALL = ""  # the totals row's key
DRAWN = 32  # analyses whose drawn sections and map this process keeps (LRU)
_drawn: OrderedDict[tuple[Any, ...], tuple[dict[str, Any], str, bool]] = OrderedDict()
_drawn_lock = threading.Lock()


def version(dialogue: Dialogue, insight: DialogueInsight, audience: str = "facilitator") -> str:
    """A short digest that changes whenever anything the dashboard shows may have changed.

    A stale analysis (the background refresh is still catching up) gets an empty version,
    which never matches, so the browser asks again until the fresh one is shown. An
    observer's version follows the batched analysis and the withheld participation table,
    not each vote, so not even the moment of a single vote shows.
    """
    if insight.stale:
        return ""
    if audience != "facilitator":
        seen = (insight, _participation_shown(dialogue, audience))
        return hashlib.sha256(repr(seen).encode()).hexdigest()[:16]
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
        (session.number, session.phase_index, str(session.round_ends_at), round_closed(session))
        if session
        else None,
        insight.votes_counted,
        insight.as_of.isoformat() if insight.as_of else None,
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def participation(dialogue: Dialogue, threshold: int | None = None) -> list[dict[str, Any]]:
    """Per party: participants who joined, how many of them voted, and their votes.

    With ``threshold``, each column's small counts are withheld (``None``) with
    complementary suppression against the column's total, as for every output that
    leaves the facilitators; the totals are the ``"All"`` row.
    """
    names = reading.party_names(dialogue.initiative_id)
    counted = turnout.party_counts(dialogue)
    joined, voted, votes = counted.joined, counted.voted, counted.votes
    columns = {"joined": joined, "voted": voted, "votes": votes}
    shown: dict[str, dict[Any, Any]] = {}
    for key, counts in columns.items():
        sizes = {pk: counts[pk] for pk in names}
        cells, total = suppression.protect_sizes(sizes, sum(counts.values()), threshold)
        shown[key] = {**cells, ALL: total}
    rows = [_row(name, pk, shown) for pk, name in names.items()]
    rows.append(_row(ALL, ALL, shown))
    return rows


def _row(party: str, key: Any, shown: dict[str, dict[Any, Any]]) -> dict[str, Any]:
    cells = [shown[column][key] for column in ("joined", "voted", "votes")]
    return {
        "party": party,
        "joined": cells[0],
        "voted": cells[1],
        "votes": cells[2],
        "cells": cells,
    }


def _participation_shown(dialogue: Dialogue, audience: str) -> list[dict[str, Any]]:
    """Participation as ``audience`` sees it: observers get people, not votes, per party
    (a vote count would tick with each vote), with small cells withheld."""
    if audience == "facilitator":
        return participation(dialogue)
    rows = participation(dialogue, dialogue.small_cell_threshold)
    return [{**row, "votes": None, "cells": row["cells"][:2]} for row in rows]


def _context(
    request: HttpRequest, dialogue: Dialogue, insight: DialogueInsight, audience: str
) -> dict[str, Any]:
    *rows, totals = _participation_shown(dialogue, audience)
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "observing": audience != "facilitator",
        "threshold": dialogue.small_cell_threshold,
        "tab": "dashboard",
        "version": version(dialogue, insight, audience),
        **_drawn_parts(dialogue, insight, audience),
        "map_legend": presentation.legend(insight.groups),
        "participation": rows,
        "totals": totals,
        "meeting": _meeting(dialogue),
        "phases": phases_json(insight, dialogue_phases(dialogue, insight)),
    }


def _drawn_parts(dialogue: Dialogue, insight: DialogueInsight, audience: str) -> dict[str, Any]:
    """The dashboard's sections and opinion map for this analysis, drawn once per analysis
    and language in this process: every dashboard that polls (and every poll while votes
    tick the participation table) shows the same ones, and the map of 100,000 participants
    takes a noticeable part of a second to draw."""
    key = (
        dialogue.pk,
        audience,
        get_language(),
        dialogue.small_cell_threshold,
        insight.as_of,
        insight.votes_counted,
        insight.status,
        insight.stale,
    )
    with _drawn_lock:
        found = _drawn.get(key)
        if found is not None:
            _drawn.move_to_end(key)
    if found is None:
        found = (
            presentation.sections(insight),
            presentation.facilitator_map(insight),
            presentation.map_merges_dots(insight),
        )
        with _drawn_lock:
            _drawn[key] = found
            while len(_drawn) > DRAWN:
                _drawn.popitem(last=False)
    sections, opinion_map, merges = found
    return {"analysis": sections, "opinion_map": opinion_map, "map_merges_dots": merges}


def _meeting(dialogue: Dialogue) -> meetings.MeetingView | None:
    """The current meeting (its kind, regime and timed round) for the dashboard's header."""
    session = reading.current_session(dialogue)
    if session is None:
        return None
    return meetings.meeting_view(session, reading.party_names(dialogue.initiative_id))


def _insight(request: HttpRequest, dialogue: Dialogue) -> tuple[DialogueInsight, str]:
    audience = permissions.analysis_audience(request.user, dialogue)
    return service.dialogue_insight(dialogue, audience), audience


@require_GET
@dialogue_page("observe")
def dashboard(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    insight, audience = _insight(request, dialogue)
    context = _context(request, dialogue, insight, audience)
    threshold = None if audience == "facilitator" else dialogue.small_cell_threshold
    context["delegation_balance"] = delegation.balance(dialogue, threshold)
    return render(request, "dialogues/dashboard.html", context)


@require_GET
@dialogue_page("observe")
def dashboard_live(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The dashboard's changing part; 204 when the browser already shows this version."""
    insight, audience = _insight(request, dialogue)
    since = request.GET.get("since", "")
    if since and since == version(dialogue, insight, audience):
        return HttpResponse(status=204)
    context = _context(request, dialogue, insight, audience)
    return render(request, "dialogues/_dashboard.html", context)

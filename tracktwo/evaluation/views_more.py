"""More pages of the evaluation: re-votes across rounds (the facilitators' forms and the
participants' page), the evaluation report (HTML and PDF), and the initiative's page with
the theory of change, its indicators and the outcome-harvesting register.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import (
    dialogue_page,
    forbidden,
    not_found,
    participant_page,
    user_of,
)
from tracktwo.evaluation import instruments, outcomes, report, theory, tracking
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import Moderation
from tracktwo.transfer.render import style_hash
from tracktwo.workers import enabled as on_workers
from tracktwo.workers.actions import request_file
from tracktwo.workers.models import JobKind


def tracking_context(dialogue: Dialogue) -> dict[str, Any]:
    """What the results page shows and offers about re-votes."""
    accepted = reading.statements(dialogue, states=(Moderation.ACCEPTED,))
    return {
        "tracking": tracking.results(dialogue),
        "tracking_ids": tracking.tracking_ids(dialogue),
        "statements": [{"id": s.id, "text": s.text} for s in accepted],
    }


@require_POST
@dialogue_page("facilitate")
def tracking_form(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Mark the tracking statements, or open the next round of re-votes."""
    try:
        if request.POST.get("action") == "round":
            opened = tracking.open_round(dialogue, user_of(request))
            messages.success(request, _("Round %(n)d of re-votes is open.") % {"n": opened.number})
        else:
            ids = [int(v) for v in request.POST.getlist("statements") if v.isdigit()]
            tracking.set_tracking(dialogue, user_of(request), ids)
            messages.success(request, _("The tracking statements are saved."))
    except DialogueError as problem:
        messages.error(request, str(problem))
    return redirect("evaluation:results", dialogue_id=dialogue.pk)


@require_http_methods(["GET", "POST"])
@participant_page()
def revote(request: HttpRequest, participant: Participant) -> HttpResponse:
    """A participant votes again on the tracking statements in the round now open."""
    if request.method == "POST":
        raw = request.POST.get("vote", "")
        statement = request.POST.get("statement", "")
        try:
            if statement not in {str(s) for s in tracking.tracking_ids(participant.dialogue)}:
                raise DialogueError(_("not a tracking statement"), field="statement")
            value = {"agree": 1, "disagree": -1, "pass": 0}.get(raw)
            if value is None:
                raise DialogueError(_("must be agree, disagree or pass"), field="vote")
            dialogue_actions.cast_vote(participant, int(statement), value)
        except DialogueError as problem:
            messages.error(request, str(problem))
        return redirect("evaluation:revote", dialogue_id=participant.dialogue_id)
    context = {
        "quick_exit": True,
        "dialogue": reading.dialogue_view(participant.dialogue),
        "participant": participant,
        "tab": "survey",
        "round": tracking.current_round(participant.dialogue),
        "items": tracking.to_revote(participant),
    }
    return render(request, "evaluation/revote.html", context)


@require_GET
@dialogue_page("facilitate")
def report_page(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The evaluation report: HTML to read or save, ``?format=pdf`` to download (with
    workers, prepared on one: the page of the job says when it is ready)."""
    if request.GET.get("format") == "pdf" and on_workers():
        job = request_file(JobKind.EVALUATION_REPORT, dialogue, user_of(request))
        return redirect("workers:job", key=job.key)
    document = report.html(dialogue, user_of(request))
    if request.GET.get("format") == "pdf":
        response = HttpResponse(report.pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="evaluation-report.pdf"'
        return response
    response = HttpResponse(document, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="evaluation-report.html"'
    response._csp_update = {"style-src": [style_hash()]}  # type: ignore[attr-defined]
    return response


def _initiative(request: HttpRequest, initiative_id: int) -> tuple[Initiative | None, User | None]:
    user = request.user if request.user.is_authenticated else None
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    assert user is None or isinstance(user, User)
    return initiative, user


INDICATOR_ACTIONS = ("entry", "edit-indicator", "remove-indicator", "remove-entry")


def _number(raw: str | None, field: str) -> int:
    if not raw or not raw.isdigit():
        raise DialogueError(_("must be a number"), field=field)
    return int(raw)


def _indicator_act(action: str, initiative: Initiative, user: User, data: QueryDict) -> None:
    indicator = theory.indicator_of(initiative.pk, _number(data.get("indicator"), "indicator"))
    if action == "entry":
        theory.add_entry(indicator, user, {k: data.get(k, "") for k in ("value", "on", "source")})
    elif action == "edit-indicator":
        fields = {k: data.get(k, "") for k in ("name", "baseline", "target", "measure")}
        theory.edit_indicator(indicator, user, {**fields, "outcomes": "outcomes" in data})
    elif action == "remove-indicator":
        theory.remove_indicator(indicator, user)
    else:
        theory.remove_entry(indicator, user, _number(data.get("position"), "position"))


def _act(request: HttpRequest, initiative: Initiative, user: User) -> None:
    data, action = request.POST, request.POST.get("action")
    if action == "theory":
        theory.set_theory(initiative, user, {k: data.get(k, "") for k in theory.THEORY_FIELDS})
    elif action == "indicator":
        fields = {k: data.get(k, "") for k in ("name", "baseline", "target", "measure")}
        theory.add_indicator(initiative, user, {**fields, "outcomes": "outcomes" in data})
    elif action in INDICATOR_ACTIONS:
        _indicator_act(action, initiative, user, data)
    elif action == "outcome":
        try:
            happened = dt.date.fromisoformat(data.get("happened_on", ""))
        except ValueError:
            raise DialogueError(_("must be a day (YYYY-MM-DD)"), field="happened_on") from None
        texts = {k: data.get(k, "") for k in outcomes.FIELDS}
        raw = data.get("statements", "").replace(",", " ").split()
        if not all(part.isdigit() for part in raw):
            raise DialogueError(_("must be statement numbers"), field="statements")
        brief = data.get("brief", "").strip()
        if brief and not brief.isdigit():
            raise DialogueError(_("must be a brief's number"), field="brief")
        outcomes.record_outcome(
            user,
            initiative,
            happened_on=happened,
            statements=[int(part) for part in raw],
            brief=int(brief) if brief else None,
            **texts,
        )
    else:
        raise DialogueError(_("unknown action"), field="action")


@require_http_methods(["GET", "POST"])
def initiative_page(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The theory of change with its indicators, and the outcome register (their keepers)."""
    initiative, user = _initiative(request, initiative_id)
    if user is None:
        return redirect("accounts:sign-in")
    if (
        initiative is None
        or not Membership.objects.filter(user=user, initiative=initiative).exists()
    ):
        return not_found(request)
    if not outcomes.can_keep_register(user, initiative):
        return forbidden(request)
    if request.method == "POST":
        try:
            _act(request, initiative, user)
            messages.success(request, _("Saved."))
        except DialogueError as problem:
            messages.error(request, str(problem))
        return redirect("evaluation:initiative", initiative_id=initiative.pk)
    context = {
        "initiative": initiative,
        "theory": theory.theory_view(initiative),
        "register": outcomes.register(user, initiative),
        "measures": [(m.key, m.name) for m in instruments.MEASURES],
        "rpp_people": theory.RPP_PEOPLE,
        "rpp_level": theory.RPP_LEVEL,
    }
    return render(request, "evaluation/initiative.html", context)

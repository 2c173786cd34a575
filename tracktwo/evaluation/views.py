"""Pages of the evaluation of change.

Participants (their dialogue's session, the same quick exit as every participant page):
the survey's waves and one wave's questions, each skippable. Conveners and facilitators:
compose the survey, open its waves and set the follow-up date; with observers: the
results per measure and side, with intervals, effect sizes and the change figure, small
cells withheld.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.analysis.evaluation import WAVES
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import (
    dialogue_page,
    not_found,
    participant_page,
    user_of,
)
from tracktwo.evaluation import actions, figure, instruments, queries, tracking
from tracktwo.evaluation.views_more import tracking_context
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for


def _wave_label(wave: str) -> str:
    return {"pre": _("Before"), "post": _("After"), "follow-up": _("A month later")}[wave]


def _participant_context(participant: Participant, **extra: Any) -> dict[str, Any]:
    return {
        "quick_exit": True,
        "dialogue": reading.dialogue_view(participant.dialogue),
        "participant": participant,
        "is_observer": participant.role != ParticipantRole.PARTICIPANT,
        "tab": "survey",
        **extra,
    }


@require_GET
@participant_page()
def waves(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The survey's waves: which are open, which the participant has answered."""
    survey = queries.survey_of(participant.dialogue)
    rows = []
    if survey is not None:
        box = box_for(participant.dialogue.initiative_id)
        done = set(queries.answered_waves(survey, participant, box))
        rows = [
            {
                "wave": w,
                "label": _wave_label(w),
                "open": actions.wave_is_open(survey, w),
                "done": w in done,
            }
            for w in WAVES
        ]
    context = _participant_context(
        participant,
        waves=rows,
        survey=survey is not None,
        revote_open=tracking.current_round(participant.dialogue) > 1,
    )
    return render(request, "evaluation/waves.html", context)


def _question(item: instruments.Item, value: int | None) -> dict[str, Any]:
    return {
        "key": item.key,
        "text": str(item.text),
        "low": item.low,
        "high": item.high,
        "low_label": str(item.low_label),
        "high_label": str(item.high_label),
        "choices": list(range(item.low, item.high + 1)) if item.high - item.low <= 10 else None,
        "value": value,
    }


@require_http_methods(["GET", "POST"])
@participant_page()
def answer(request: HttpRequest, participant: Participant, wave: str) -> HttpResponse:
    """One wave's questions as a plain form; an item left blank is skipped."""
    if wave not in WAVES:
        return not_found(request)
    survey = queries.survey_of(participant.dialogue)
    box = box_for(participant.dialogue.initiative_id)
    asked = queries.questions(survey, wave, box) if survey else []
    error = ""
    if request.method == "POST":
        given = {item.key: request.POST.get(item.key, "").strip() or None for item in asked}
        try:
            actions.answer(participant, wave, given)
        except DialogueError as problem:
            error = problem.message
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("evaluation:waves", dialogue_id=participant.dialogue_id)
    own = queries.own_answers(survey, participant, wave, box) if survey else {}
    context = _participant_context(
        participant,
        wave=wave,
        wave_label=_wave_label(wave),
        open=survey is not None and actions.wave_is_open(survey, wave),
        questions=[_question(item, own.get(item.key)) for item in asked],
        error=error,
    )
    return render(request, "evaluation/answer.html", context, status=400 if error else 200)


# -- conveners, facilitators, observers --------------------------------------------------


def _member_context(request: HttpRequest, dialogue: Dialogue, **extra: Any) -> dict[str, Any]:
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "tab": "evaluation",
        **extra,
    }


@require_GET
@dialogue_page("observe")
def results(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Change per measure and side, with intervals and effect sizes; small cells withheld."""
    report = queries.results(dialogue)
    survey = queries.survey_of(dialogue)
    measures = report.get("measures", {})
    context = _member_context(
        request,
        dialogue,
        report=report,
        survey=queries.survey_out(survey) if survey else None,
        figure=figure.change_figure(report["results"], measures),
        measure_names=measures,
        default_follow_up=(timezone.localdate() + dt.timedelta(days=actions.FOLLOW_UP_DAYS)),
        wave_choices=[(w, _wave_label(w)) for w in WAVES],
        **tracking_context(dialogue),
    )
    return render(request, "evaluation/results.html", context)


def _own_items(text: str) -> list[dict[str, Any]]:
    return [{"text": line, "low": 1, "high": 7} for line in text.splitlines() if line.strip()]


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def compose(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Choose items from the library (with their sources) and write the convener's own."""
    survey = queries.survey_of(dialogue)
    box = box_for(dialogue.initiative_id)
    chosen = list(survey.items) if survey else []
    own = (
        "\n".join(
            str(i.text)
            for i in actions.scales(survey, box).values()
            if i.key.startswith(instruments.CUSTOM_PREFIX)
        )
        if survey
        else ""
    )
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("items")
        own = request.POST.get("own", "")
        try:
            actions.compose_survey(user_of(request), dialogue, items=chosen, custom=_own_items(own))
        except DialogueError as problem:
            error = str(problem)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("evaluation:results", dialogue_id=dialogue.pk)
    context = _member_context(
        request, dialogue, library=queries.library(), chosen=chosen, own=own, error=error
    )
    return render(request, "evaluation/compose.html", context, status=400 if error else 200)


@require_POST
@dialogue_page("facilitate")
def set_waves(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Open or close waves and set the follow-up date."""
    raw = request.POST.get("follow_up_on", "").strip()
    try:
        follow_up_on = dt.date.fromisoformat(raw) if raw else None
        actions.set_waves(
            user_of(request),
            dialogue,
            open_waves=request.POST.getlist("open"),
            follow_up_on=follow_up_on,
        )
    except ValueError:
        messages.error(request, _("The follow-up date is not a date."))
    except DialogueError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("The survey waves are saved."))
    return redirect("evaluation:results", dialogue_id=dialogue.pk)

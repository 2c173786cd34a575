"""Pages of risk and consent.

Participants (their own pages, ``/d/<id>/me/...``): the risk profile, the consent terms
(give or withdraw), the download of everything held about them, and deleting it.
Conveners (``/dialogues/<id>/safeguards``): the dialogue's level, the do-no-harm
assessments of its tools and the stricter floor; and (``.../safeguards/risk-profiles``) the
risk profiles that participants chose to let the calling convener see, and no others.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.accounts.models import User
from tracktwo.consent import actions, gates, profiles, queries
from tracktwo.consent.forms import (
    AssessmentForm,
    ConsentForm,
    DeleteForm,
    FloorForm,
    RiskProfileForm,
)
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.views.common import (
    dialogue_page,
    forbidden,
    participant_page,
    show_error,
    user_of,
)
from tracktwo.dialogues.views.facilitator import _tabs
from tracktwo.dialogues.views.participant import page
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError


def _conveners(dialogue: Dialogue) -> list[tuple[int, str]]:
    ids = actions.conveners_of(dialogue.initiative_id)
    return [(u.pk, u.get_username()) for u in User.objects.filter(pk__in=ids).order_by("pk")]


@require_http_methods(["GET", "POST"])
@participant_page(rules=False)
def risk(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The participant's own risk profile: seen by them and the conveners they choose."""
    conveners = _conveners(participant.dialogue)
    if request.method == "POST":
        form = RiskProfileForm(request.POST, conveners=conveners)
        if form.is_valid():
            try:
                actions.set_risk_profile(participant, form.cleaned_data)
            except DialogueError as error:
                show_error(form, error)
            else:
                messages.success(request, _("Your risk profile is saved. Only you see it."))
                return redirect("consent:risk", dialogue_id=participant.dialogue_id)
    else:
        form = RiskProfileForm(initial=queries.own_risk_profile(participant), conveners=conveners)
    return render(request, "consent/risk.html", page(participant, form=form, tab="me"))


@require_http_methods(["GET", "POST"])
@participant_page(rules=False)
def consent(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The consent terms in plain language; consent to the current version."""
    dialogue = participant.dialogue
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"version": dialogue.consent_version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.give_consent(participant, form.cleaned_data["version"], get_language() or "")
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect("dialogues:home", dialogue_id=dialogue.pk)
    state = queries.consent_state(participant)
    return render(request, "consent/consent.html", page(participant, form=form, state=state))


@require_POST
@participant_page(rules=False)
def withdraw_consent(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Withdraw consent: contributions leave every output; deletion is offered next."""
    actions.withdraw_consent(participant)
    messages.success(
        request,
        _("Your consent is withdrawn: your statements and votes are out of every result."),
    )
    return redirect("consent:delete", dialogue_id=participant.dialogue_id)


@require_GET
@participant_page(rules=False)
def data(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Everything held about the participant, as a JSON file to keep."""
    body = json.dumps(queries.my_data(participant), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@participant_page(rules=False)
def delete(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Delete everything held about the participant (after a confirmation)."""
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.erase_participant(participant)
        request.session.flush()
        return render(request, "consent/deleted.html", {"quick_exit": True})
    given = participant.consent_version_accepted >= participant.dialogue.consent_version
    return render(request, "consent/delete.html", page(participant, form=form, given=given))


# -- conveners -------------------------------------------------------------------------------


def _safeguards_context(request: HttpRequest, dialogue: Dialogue, **forms: Any) -> dict[str, Any]:
    return {
        **_tabs(dialogue, request, "safeguards"),
        "may_convene": permissions.can_convene(user_of(request), dialogue.initiative),
        "effective": gates.effective_level(dialogue),
        "rules": gates.effective_protections(dialogue),
        "tools_on": queries.tools_on(dialogue),
        "assessments": queries.assessments(dialogue),
        "assessment_form": forms.get("assessment_form") or AssessmentForm(),
        "floor_form": forms.get("floor_form") or FloorForm(),
    }


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def safeguards(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The dialogue's level (never whose), its tools' assessments, the convener's floor
    (facilitators see it; conveners change it)."""
    user = user_of(request)
    if request.method == "POST" and not permissions.can_convene(user, dialogue.initiative):
        return forbidden(request)
    assessment_form, floor_form = AssessmentForm(), FloorForm()
    if request.method == "POST" and "tool" in request.POST:
        assessment_form = AssessmentForm(request.POST)
        if assessment_form.is_valid():
            try:
                actions.assess_tool(user, dialogue, **assessment_form.cleaned_data)
            except DialogueError as error:
                show_error(assessment_form, error)
            else:
                messages.success(request, _("The assessment is recorded."))
                return redirect("consent:safeguards", dialogue_id=dialogue.pk)
    elif request.method == "POST":
        floor_form = FloorForm(request.POST)
        if floor_form.is_valid():
            actions.set_floor(user, dialogue, floor_form.cleaned_data["level"])
            messages.success(request, _("The dialogue's protections are updated."))
            return redirect("consent:safeguards", dialogue_id=dialogue.pk)
    context = _safeguards_context(
        request, dialogue, assessment_form=assessment_form, floor_form=floor_form
    )
    return render(request, "consent/safeguards.html", context)


@require_GET
@dialogue_page("observe")
def risk_profiles(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The risk profiles shared with the calling convener (those only; reading is not
    audited, and nothing of a profile is written anywhere)."""
    user = user_of(request)
    if not permissions.can_convene(user, dialogue.initiative):
        return forbidden(request)
    shared = [profiles.readable(p) for p in queries.profiles_shared_with(user.pk, dialogue)]
    context = {**_tabs(dialogue, request, "safeguards"), "profiles": shared}
    return render(request, "consent/risk_profiles.html", context)

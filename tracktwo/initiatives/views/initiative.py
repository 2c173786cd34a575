"""An initiative's own page, for its conveners: its details and its parties.

The details are the Track Two process as the convener describes it -- the conflict, the
convening organisation, sponsors and funders -- and the retention period the purge
applies. Parties can be added (never renamed or removed: dialogues and participants refer
to them). The changes go through :func:`tracktwo.dialogues.actions.setup.update_initiative` and
``add_party``, which check the permission again; a retention change is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.accounts.auth import signed_in_required
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import bad_request, show_error, user_of
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.forms import InitiativeForm, PartyForm
from tracktwo.initiatives.models import Initiative
from tracktwo.initiatives.views.members import convened
from tracktwo.practice.errors import DialogueError
from tracktwo.safety.datakeys import box_for


def _initial(initiative: Initiative) -> dict[str, object]:
    box = box_for(initiative.pk)
    return {
        "title": initiative.title.read(box),
        "description": initiative.description.read(box),
        "convening_organisation": initiative.convening_organisation.read(box),
        "sponsors": "\n".join(initiative.sponsors.read(box) or []),
        "retention_days": initiative.retention_days,
    }


def _save_details(request: HttpRequest, initiative: Initiative, form: InitiativeForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        initiative_actions.update_initiative(
            initiative,
            user_of(request),
            title=data["title"],
            description=data["description"],
            convening_organisation=data["convening_organisation"],
            sponsors=form.sponsor_list(),
            retention_days=data["retention_days"],
        )
    except DialogueError as error:
        show_error(form, error)
        return False
    messages.success(request, _("The initiative's details are saved."))
    return True


def _add_party(request: HttpRequest, initiative: Initiative, form: PartyForm) -> bool:
    if not form.is_valid():
        return False
    try:
        initiative_actions.add_party(initiative, form.cleaned_data["name"], user_of(request))
    except DialogueError as error:
        show_error(form, error)
        return False
    messages.success(request, _("The party is added."))
    return True


@require_http_methods(["GET", "POST"])
@signed_in_required
def initiative(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The initiative's details and parties; conveners change them here."""
    found = convened(request, initiative_id)
    if isinstance(found, HttpResponse):
        return found
    action = request.POST.get("action", "")
    details = InitiativeForm(request.POST if action == "details" else None, initial=_initial(found))
    party = PartyForm(request.POST if action == "party" else None)
    if action == "details" and _save_details(request, found, details):
        return redirect("initiatives:initiative", initiative_id=found.pk)
    if action == "party" and _add_party(request, found, party):
        return redirect("initiatives:initiative", initiative_id=found.pk)
    if request.method == "POST" and action not in ("details", "party"):
        return bad_request(request)
    context = {
        "initiative": {"id": found.pk, "title": found.title.read(box_for(found.pk))},
        "parties": list(reading.party_names(found).values()),
        "details": details,
        "party_form": party,
    }
    return render(request, "dialogues/initiative.html", context)

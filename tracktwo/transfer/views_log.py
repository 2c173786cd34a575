"""Pages of the initiative's transfer work: the hub, the transfer log, the timeline.

The hub is for whoever may brief on one of the initiative's dialogues; the transfer log,
its entries and the timeline span the whole initiative, so they are for conveners and
initiative-wide facilitators only. Other members get 403, strangers the neutral 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tracktwo.accounts.auth import signed_in_required
from tracktwo.dialogues.views.common import forbidden, not_found, show_error, user_of
from tracktwo.initiatives import permissions
from tracktwo.initiatives.actions import update_initiative
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import TransferModel
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import log
from tracktwo.transfer.forms import EventForm, TransferForm, TransferModelForm
from tracktwo.transfer.models import Brief, BriefState


def _initiative(
    request: HttpRequest, initiative_id: int, allowed: Callable[[Any, Initiative], bool]
) -> Initiative | HttpResponse:
    user = user_of(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if (
        initiative is None
        or not Membership.objects.filter(user=user, initiative=initiative).exists()
    ):
        return not_found(request)
    if not allowed(user, initiative):
        return forbidden(request)
    return initiative


def _may_brief_any(user: Any, initiative: Initiative) -> bool:
    """Whoever may brief on at least one dialogue of the initiative they can see."""
    return any(
        permissions.can_facilitate(user, d) for d in permissions.visible_dialogues(user, initiative)
    )


def _brief_choices(initiative: Initiative) -> list[tuple[int, str]]:
    box = box_for(initiative.pk)
    choices = []
    for brief in Brief.objects.filter(
        dialogue__initiative=initiative, state=BriefState.ISSUED
    ).order_by("-issued_at"):
        title = brief.frozen.read(box).get("title", "")
        assert brief.issued_at is not None
        choices.append((brief.pk, f"{brief.pk}: {title} ({brief.issued_at:%Y-%m-%d})"))
    return choices


@require_GET
@signed_in_required
def hub(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """Briefs per dialogue, and the way to the transfer log, timeline and tracer."""
    found = _initiative(request, initiative_id, _may_brief_any)
    if isinstance(found, HttpResponse):
        return found
    user = user_of(request)
    box = box_for(found.pk)
    dialogues = [
        {
            "id": d.pk,
            "title": d.title.read(box),
            "may_brief": permissions.can_facilitate(user, d),
            "issued": Brief.objects.filter(dialogue=d, state=BriefState.ISSUED).count(),
        }
        for d in permissions.visible_dialogues(user, found)
        if d.purged_at is None
    ]
    return render(
        request,
        "transfer/hub.html",
        {
            "initiative_id": found.pk,
            "title": found.title.read(box),
            "dialogues": dialogues,
            "may_convene": permissions.can_convene(user, found),
            "may_keep_log": log.can_keep_log(user, found),
            "transfer_model": found.get_transfer_model_display() if found.transfer_model else "",
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in_required
def transfer_log(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The log (oldest first), a form to add to it, and the initiative's transfer model."""
    found = _initiative(request, initiative_id, log.can_keep_log)
    if isinstance(found, HttpResponse):
        return found
    user = user_of(request)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "log")
    form = TransferForm(posted if action == "log" else None, briefs=_brief_choices(found))
    model_form = TransferModelForm(
        posted if action == "model" else None, initial={"transfer_model": found.transfer_model}
    )
    if posted is not None and action == "model" and model_form.is_valid():
        try:
            update_initiative(found, user, transfer_model=model_form.cleaned_data["transfer_model"])
        except DialogueError:
            return forbidden(request)
        messages.success(request, _("The transfer model is saved."))
        return redirect("transfer:log", initiative_id=found.pk)
    if posted is not None and action == "log" and form.is_valid():
        try:
            log.log_transfer(found, user, **form.cleaned_data)
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The transfer is logged."))
            return redirect("transfer:log", initiative_id=found.pk)
    return render(
        request,
        "transfer/log.html",
        {
            "initiative_id": found.pk,
            "entries": log.transfer_log(found, user),
            "form": form,
            "model_form": model_form,
            "may_convene": permissions.can_convene(user, found),
            "transfer_model": found.get_transfer_model_display() if found.transfer_model else "",
            "models": TransferModel.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in_required
def edit_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Change an entry: typically to add the reaction and the follow-up."""
    try:
        entry = log.get_entry(entry_id)
    except DialogueError:
        return not_found(request)
    found = _initiative(request, entry.initiative_id, log.can_keep_log)
    if isinstance(found, HttpResponse):
        return found
    user = user_of(request)
    current: dict[str, Any] = log.entry_view(entry).to_json()
    current["brief"] = entry.brief_id
    form = TransferForm(request.POST or None, initial=current, briefs=_brief_choices(found))
    if request.method == "POST" and form.is_valid():
        try:
            log.update_transfer(entry, user, **form.cleaned_data)
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("transfer:log", initiative_id=found.pk)
    return render(
        request, "transfer/entry.html", {"initiative_id": found.pk, "entry": entry, "form": form}
    )


@require_http_methods(["GET", "POST"])
@signed_in_required
def timeline(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """Dialogue sessions, briefs and transfers beside Track One events; add an event."""
    found = _initiative(request, initiative_id, log.can_keep_log)
    if isinstance(found, HttpResponse):
        return found
    user = user_of(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            log.add_track_one_event(found, user, **form.cleaned_data)
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The Track One event is recorded."))
            return redirect("transfer:timeline", initiative_id=found.pk)
    return render(
        request,
        "transfer/timeline.html",
        {"initiative_id": found.pk, "rows": log.timeline(found, user), "form": form},
    )

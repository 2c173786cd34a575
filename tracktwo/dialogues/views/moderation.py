"""The moderation queue: accept, reject or redact participants' statements; seed statements.

Facilitators read statements without their authors: the queue shows text, state and
time only. A redaction replaces the text and tells the author privately (a notice on
their own page); a rejection tells them too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.dialogues import actions
from tracktwo.dialogues.forms import ModerationForm, SeedForm
from tracktwo.dialogues.models import Dialogue, Statement
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import (
    bad_request,
    dialogue_page,
    not_found,
    show_error,
    user_of,
)
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import Moderation
from tracktwo.safety.datakeys import box_for

RECENT = 50


def _moderate(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    form = ModerationForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    statement = (
        Statement.objects.select_related("dialogue")
        .filter(pk=form.cleaned_data["statement"], dialogue=dialogue)
        .first()
    )
    if statement is None:
        return not_found(request)
    before = statement.text.read(box_for(dialogue.initiative_id))
    edited = form.cleaned_data["redacted_text"].strip()
    redacted = edited if edited and " ".join(edited.split()) != " ".join(before.split()) else None
    try:
        actions.moderate_statement(
            statement, form.cleaned_data["state"], user_of(request), redacted_text=redacted
        )
    except DialogueError as error:
        messages.error(request, error.message)
    else:
        label = Moderation(form.cleaned_data["state"]).label
        if redacted is not None:
            messages.success(
                request,
                _("Statement edited and marked: %(state)s. Its author is told.") % {"state": label},
            )
        else:
            messages.success(request, _("Statement marked: %(state)s.") % {"state": label})
    return redirect("dialogues:moderation", dialogue_id=dialogue.pk)


def _seed(request: HttpRequest, dialogue: Dialogue, form: SeedForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        actions.write_statement(dialogue, form.cleaned_data["text"], user=user_of(request))
    except DialogueError as error:
        show_error(form, error)
        return None
    messages.success(request, _("Seed statement added and open for voting."))
    return redirect("dialogues:moderation", dialogue_id=dialogue.pk)


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def moderation(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Pending statements first (oldest first), then recent decisions; and a seed form."""
    action = request.POST.get("action", "")
    seed_form = SeedForm(request.POST if action == "seed" else None)
    if action == "moderate":
        return _moderate(request, dialogue)
    if action == "seed":
        response = _seed(request, dialogue, seed_form)
        if response is not None:
            return response
    elif request.method == "POST":
        return bad_request(request)
    everything = reading.statements(dialogue)
    pending = [s for s in everything if s.moderation == Moderation.PENDING]
    decided = [s for s in everything if s.moderation != Moderation.PENDING][-RECENT:][::-1]
    context: dict[str, Any] = {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "tab": "moderation",
        "pending": pending,
        "decided": decided,
        "seed_form": seed_form,
        "states": Moderation,
    }
    return render(request, "dialogues/moderation.html", context)

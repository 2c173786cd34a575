"""The members of an initiative, for its conveners: who has which role, and where.

A convener gives an account a role in the whole initiative or in one of its dialogues,
changes it or takes it away (:func:`tracktwo.dialogues.actions.setup.add_member` and
``remove_member``, which check the permission again and write the audit rows). The page
lists accounts only -- conveners, facilitators, observers, Track One liaisons -- by the
name they sign in with. Participants are never listed: they have no account, and the
dialogue pages count them without naming them.

Anyone else who belongs to the initiative gets 403; anyone who does not, 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.accounts.auth import signed_in_required
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.dialogues.views.common import (
    bad_request,
    forbidden,
    not_found,
    show_error,
    user_of,
)
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives import permissions
from tracktwo.initiatives.forms import MemberForm, MemberRoleForm
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for


def convened(request: HttpRequest, initiative_id: int) -> Initiative | HttpResponse:
    """The initiative if the user convenes it; else the 404 or 403 to send."""
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None or not permissions.can_see_initiative(request.user, initiative):
        return not_found(request)
    if not permissions.can_convene(request.user, initiative):
        return forbidden(request)
    return initiative


def _dialogues(initiative: Initiative) -> list[tuple[int, str]]:
    box = box_for(initiative.pk)
    rows = Dialogue.objects.filter(initiative=initiative, purged_at__isnull=True).order_by("id")
    return [(d.pk, d.title.read(box)) for d in rows]


def _rows(initiative: Initiative, titles: dict[int, str]) -> list[dict[str, Any]]:
    memberships = (
        Membership.objects.filter(initiative=initiative)
        .select_related("user")
        .order_by("dialogue_id", "role", "user__username")
    )
    return [
        {
            "id": m.pk,
            "name": m.user.get_username(),
            "active": m.user.is_active,
            "role": m.role,
            "role_label": MemberRole(m.role).label,
            "where": titles.get(m.dialogue_id, "") if m.dialogue_id else "",
            "initiative_wide": m.dialogue_id is None,
            "since": m.created_at,
        }
        for m in memberships
        if m.dialogue_id is None or m.dialogue_id in titles
    ]


def _add(request: HttpRequest, initiative: Initiative, form: MemberForm) -> HttpResponse | None:
    """Give the named account the role; None when the form goes back with its errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    user = User.objects.filter(username=data["name"].strip(), is_active=True).first()
    if user is None:
        form.add_error("name", _("There is no active account with that name."))
        return None
    dialogue = None
    if data["where"]:
        dialogue = Dialogue.objects.filter(
            pk=int(data["where"]), initiative=initiative, purged_at__isnull=True
        ).first()
    try:
        initiative_actions.add_member(
            initiative, user, data["role"], user_of(request), dialogue=dialogue
        )
    except DialogueError as error:
        show_error(form, error)
        return None
    messages.success(request, _("The role is saved."))
    return redirect("initiatives:members", initiative_id=initiative.pk)


def _change(request: HttpRequest, initiative: Initiative, action: str) -> HttpResponse:
    """Change one membership's role, or take it away."""
    form = MemberRoleForm(request.POST)
    if not form.is_valid() or (action == "change" and not form.cleaned_data["role"]):
        return bad_request(request)
    membership = (
        Membership.objects.select_related("user", "dialogue")
        .filter(pk=form.cleaned_data["membership"], initiative=initiative)
        .first()
    )
    if membership is None:
        return not_found(request)
    by = user_of(request)
    try:
        if action == "remove":
            initiative_actions.remove_member(
                initiative, membership.user, by, dialogue=membership.dialogue
            )
        else:
            initiative_actions.add_member(
                initiative,
                membership.user,
                form.cleaned_data["role"],
                by,
                dialogue=membership.dialogue,
            )
    except DialogueError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The role is taken away.") if action == "remove" else _("The role is saved.")
        )
    return redirect("initiatives:members", initiative_id=initiative.pk)


@require_http_methods(["GET", "POST"])
@signed_in_required
def members(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """Who has which role in the initiative and its dialogues; add, change, take away."""
    found = convened(request, initiative_id)
    if isinstance(found, HttpResponse):
        return found
    initiative = found
    dialogues = _dialogues(initiative)
    action = request.POST.get("action", "")
    form = MemberForm(request.POST if action == "add" else None, dialogues=dialogues)
    if action == "add":
        response = _add(request, initiative, form)
        if response is not None:
            return response
    elif action in ("change", "remove"):
        return _change(request, initiative, action)
    elif request.method == "POST":
        return bad_request(request)
    context = {
        "initiative": {"id": initiative.pk, "title": initiative.title.read(box_for(initiative.pk))},
        "members": _rows(initiative, dict(dialogues)),
        "roles": MemberRole.choices,
        "form": form,
    }
    return render(request, "dialogues/members.html", context)

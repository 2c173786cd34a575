"""Conveners' and facilitators' pages: dialogues, a new dialogue, its overview, sessions and
phases, sharing results, ground rules, invitations and delegation balance.

Every page checks the object permission on each request (:mod:`tracktwo.dialogues.views.common`).
Nothing here shows a participant's handle: invitations list party, track and dates, the
balance lists counts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.accounts.auth import signed_in_required
from tracktwo.accounts.totp import qr_svg
from tracktwo.dialogues import actions
from tracktwo.dialogues.forms import DialogueForm, GroundRulesForm, InvitationForm, PhaseForm
from tracktwo.dialogues.meeting_forms import MeetingForm
from tracktwo.dialogues.models import Dialogue, Statement
from tracktwo.dialogues.queries import invitations as outstanding
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.dialogues.views.common import (
    bad_request,
    dialogue_page,
    not_found,
    show_error,
    user_of,
)
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import DialogueError, NotFound
from tracktwo.practice.formats import Gender, MemberRole, Moderation, Track, template
from tracktwo.safety.datakeys import box_for


def _small_sides(dialogue: Dialogue, balance: reading.Balance) -> list[str]:
    """The sides with fewer active participants than the small-cell threshold: their
    results will be told in coarse bands or not at all (the planning warning)."""
    return [name for name, n in balance.by_party.items() if n < dialogue.small_cell_threshold]


def _tabs(dialogue: Dialogue, request: HttpRequest, tab: str, **extra: Any) -> dict[str, Any]:
    """Context shared by the pages about one dialogue (its tabs, what the user may do)."""
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "may_facilitate": permissions.can_facilitate(request.user, dialogue),
        "may_convene": permissions.can_convene(request.user, dialogue.initiative),
        "may_keep_log": permissions.role_in(request.user, dialogue.initiative)
        in (MemberRole.CONVENER, MemberRole.FACILITATOR),
        "tab": tab,
        **extra,
    }


# -- the list and a new dialogue ---------------------------------------------------------


@require_GET
@signed_in_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    """The initiatives the user belongs to and the dialogues they may know of."""
    user = user_of(request)
    memberships = (
        Membership.objects.filter(user=user)
        .exclude(role=MemberRole.LIAISON)
        .select_related("initiative")
    )
    initiatives: dict[int, Initiative] = {m.initiative_id: m.initiative for m in memberships}
    rows = []
    for initiative in sorted(initiatives.values(), key=lambda i: i.pk):
        box = box_for(initiative.pk)
        dialogues = [
            {
                "id": d.pk,
                "title": d.title.read(box),
                "format": template(d.format).name,
                "confidentiality": d.get_confidentiality_display(),
                "pending": Statement.objects.filter(
                    dialogue=d, moderation=Moderation.PENDING, deleted_at__isnull=True
                ).count(),
            }
            for d in permissions.visible_dialogues(user, initiative)
            if d.purged_at is None
        ]
        role = permissions.role_in(user, initiative)
        rows.append(
            {
                "id": initiative.pk,
                "title": initiative.title.read(box),
                "role": role,
                "role_label": MemberRole(role).label if role else "",
                "dialogues": dialogues,
            }
        )
    may_start = permissions.may_start_dialogue(user)
    return render(request, "dialogues/list.html", {"initiatives": rows, "may_start": may_start})


def _creatable_initiatives(request: HttpRequest) -> list[tuple[int, str]]:
    rows = Membership.objects.filter(
        user=user_of(request),
        dialogue__isnull=True,
        role__in=(MemberRole.CONVENER, MemberRole.FACILITATOR),
    ).select_related("initiative")
    return [(m.initiative_id, m.initiative.title.read(box_for(m.initiative_id))) for m in rows]


@require_http_methods(["GET", "POST"])
@signed_in_required
def new_dialogue(request: HttpRequest) -> HttpResponse:
    """A dialogue from a template, in one of the user's initiatives or in a new one."""
    user = user_of(request)
    choices = _creatable_initiatives(request)
    initial = {"initiative": request.GET.get("initiative", "")}
    form = DialogueForm(
        request.POST if request.method == "POST" else None,
        initiatives=choices,
        may_convene=user.is_convener,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["initiative"]:
                    initiative = Initiative.objects.get(pk=int(data["initiative"]))
                else:
                    initiative = initiative_actions.create_initiative(
                        user, data["initiative_title"] or data["title"], form.party_names()
                    )
                dialogue = actions.create_dialogue(
                    initiative,
                    data["title"],
                    data["format"],
                    data["confidentiality"],
                    user,
                    description=data["description"],
                    moderation_required=data["moderation_required"],
                )
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The dialogue is ready. Invite its participants."))
            return redirect("dialogues:invitations", dialogue_id=dialogue.pk)
    may_start = user.is_convener or bool(choices)
    return render(
        request,
        "dialogues/new.html",
        {"form": form, "may_convene": user.is_convener, "may_start": may_start},
    )


# -- one dialogue ------------------------------------------------------------------------


@require_GET
@dialogue_page("observe")
def overview(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The dialogue at a glance: its settings, the session and its phases, what needs doing."""
    session = reading.current_session(dialogue)
    tmpl = template(dialogue.format)
    pending = Statement.objects.filter(
        dialogue=dialogue, moderation=Moderation.PENDING, deleted_at__isnull=True
    ).count()
    balance = reading.delegation_balance(dialogue)
    context = _tabs(
        dialogue,
        request,
        "overview",
        session=session,
        phases=[
            {"index": i, "name": p.name, "purpose": p.purpose, "held": p.criticism_held_back}
            for i, p in enumerate(meetings.dialogue_agenda(dialogue))
        ],
        saunders=tmpl.stages_are_saunders,
        pending=pending,
        balance=balance,
        small_sides=_small_sides(dialogue, balance),
        phase_form=PhaseForm(initial={"phase": session.phase_index if session else 0}),
        meeting_form=MeetingForm(
            sides=reading.party_names(dialogue.initiative_id),
            initial={
                "kind": "agenda",
                "officials_private_capacity": dialogue.format == "track-one-and-a-half",
            },
        ),
        meetings=list(dialogue.sessions.order_by("number")),
    )
    return render(request, "dialogues/overview.html", context)


@require_POST
@dialogue_page("facilitate")
def start_session(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Start a meeting: by default the facilitated agenda, or a kind, side and regime."""
    form = MeetingForm(
        request.POST if "kind" in request.POST else {"kind": "agenda"},
        sides=reading.party_names(dialogue.initiative_id),
    )
    if not form.is_valid():
        return bad_request(request)
    try:
        session = actions.start_session(dialogue, user_of(request), **form.cleaned_data)
    except DialogueError as error:
        messages.error(request, error.message)
        return redirect("dialogues:overview", dialogue_id=dialogue.pk)
    messages.success(request, _("Session %(number)d has started.") % {"number": session.number})
    return redirect("dialogues:overview", dialogue_id=dialogue.pk)


@require_POST
@dialogue_page("facilitate")
def change_phase(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Advance to the next phase, or go to a chosen one, in the current session."""
    session = reading.current_session(dialogue)
    if session is None:
        messages.error(request, _("Start a session first."))
        return redirect("dialogues:overview", dialogue_id=dialogue.pk)
    try:
        if request.POST.get("action") == "advance":
            actions.advance_phase(session, user_of(request))
        else:
            form = PhaseForm(request.POST)
            if not form.is_valid():
                return bad_request(request)
            actions.set_phase(session, form.cleaned_data["phase"], user_of(request))
    except DialogueError as error:
        messages.error(request, error.message)
    else:
        phase = meetings.dialogue_agenda(dialogue)[session.phase_index]
        messages.success(request, _("The session is now in: %(phase)s.") % {"phase": phase.name})
    return redirect("dialogues:overview", dialogue_id=dialogue.pk)


@require_POST
@dialogue_page("facilitate")
def share(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    actions.share_results(dialogue, shared, user_of(request))
    if shared:
        messages.success(request, _("Participants can now see the results."))
    else:
        messages.success(request, _("The results are hidden from participants again."))
    return redirect("dialogues:overview", dialogue_id=dialogue.pk)


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def ground_rules(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Edit the ground rules; every participant accepts the new version before going on."""
    box = box_for(dialogue.initiative_id)
    custom: list[str] = dialogue.ground_rules.read(box)
    form = GroundRulesForm(
        request.POST if request.method == "POST" else None,
        initial={"rules": "\n".join(custom)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_ground_rules(dialogue, form.rule_list(), user_of(request))
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("The ground rules are saved. Participants will accept them again.")
            )
            return redirect("dialogues:overview", dialogue_id=dialogue.pk)
    context = _tabs(dialogue, request, "rules", form=form, custom=bool(custom))
    return render(request, "dialogues/ground_rules.html", context)


# -- invitations and balance ------------------------------------------------------------


def _gender_label(value: str) -> str:
    if not value:
        return str(_("(not given)"))
    return str(Gender(value).label) if value in Gender.values else value


def _balance_rows(dialogue: Dialogue) -> dict[str, Any]:
    balance = reading.delegation_balance(dialogue)
    return {
        "total": balance.total,
        "officials": balance.officials,
        "by_party": list(balance.by_party.items()),
        "by_track": [(Track(track).label, count) for track, count in balance.by_track.items()],
        "by_gender": [(_gender_label(gender), n) for gender, n in balance.by_gender.items()],
        "by_region": [(region or _("(not given)"), n) for region, n in balance.by_region.items()],
    }


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def invitations(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Invite per party and track (each link shown once), the invitations still open (each
    can be revoked), and the delegation balance."""
    parties = reading.party_names(dialogue.initiative_id)
    form = InvitationForm(request.POST if request.method == "POST" else None, parties=parties)
    created: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                for _n in range(data["count"]):
                    _invitation, token = actions.create_invitation(
                        dialogue,
                        party=int(data["party"]),
                        by=user_of(request),
                        track=int(data["track"]) if data["track"] else None,
                        role=data["role"],
                        official=data["official"],
                        expires_in=timedelta(days=int(data["expires_in_days"])),
                    )
                    url = request.build_absolute_uri(
                        reverse("dialogues:join-link", kwargs={"token": token})
                    )
                    created.append({"url": url, "qr": qr_svg(url, _("Invitation QR code"))})
        except DialogueError as error:
            show_error(form, error)
        else:
            status = 201
            form = InvitationForm(parties=parties, initial=data)
    context = _tabs(
        dialogue,
        request,
        "invitations",
        form=form,
        created=created,
        created_party=parties.get(int(form.initial.get("party") or 0), "") if created else "",
        open_invitations=outstanding.open_invitations(dialogue),
        invitation_counts=outstanding.invitation_counts(dialogue),
        balance=_balance_rows(dialogue),
        small_sides=_small_sides(dialogue, reading.delegation_balance(dialogue)),
    )
    return render(request, "dialogues/invitations.html", context, status=status)


@require_POST
@dialogue_page("facilitate")
def revoke_invitation(request: HttpRequest, dialogue: Dialogue, invitation_id: int) -> HttpResponse:
    """Withdraw an invitation nobody has used yet; its link then admits no one."""
    try:
        actions.revoke_invitation(dialogue, invitation_id, user_of(request))
    except NotFound:
        return not_found(request)
    except DialogueError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is revoked: its link admits no one now."))
    return redirect("dialogues:invitations", dialogue_id=dialogue.pk)

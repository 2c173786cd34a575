"""The back-channel's pages: a side's messages and caucus, the facilitators' carrying desk.

Phone first and without JavaScript: every act is a form that posts and comes back here.
A side's members come with their participant session (as on their dialogue's pages), the
facilitators signed in. Strangers get the neutral 404; the initiative's observers and
liaisons 403. A refused act comes back as a message naming the field at fault.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tracktwo.accounts.auth import Caller
from tracktwo.accounts.models import User
from tracktwo.backchannel import actions, queries
from tracktwo.backchannel.exchanges import voice_for_message
from tracktwo.backchannel.members import may_carry, may_see, require_member
from tracktwo.backchannel.policy import caucus_for, include_facilitators
from tracktwo.backchannel.views_access import access_context, act_on_access, liaison_exchanges
from tracktwo.dialogues.views.common import forbidden, not_found, session_participant
from tracktwo.initiatives.models import BackChannelMessage, Initiative, Party
from tracktwo.initiatives.permissions import can_convene
from tracktwo.practice.errors import DialogueError, InvalidInput, NotAllowed, NotFound
from tracktwo.safety.datakeys import box_for

VERBS = ("carry", "propose", "hold", "accept", "edit", "withdraw")


def _caller(request: HttpRequest) -> Caller | None:
    if request.user.is_authenticated:
        user = request.user
        assert isinstance(user, User)
        return Caller(kind="user", user=user)
    participant = session_participant(request)
    return None if participant is None else Caller(kind="participant", participant=participant)


def _refused(request: HttpRequest, error: DialogueError) -> HttpResponse:
    """403 for the initiative's people without a place here; 404 otherwise (a facilitator
    asking for a caucus that did not include them is told it does not exist)."""
    return forbidden(request) if isinstance(error, NotAllowed) else not_found(request)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _member_context(initiative: Initiative, who: Caller) -> dict[str, Any]:
    member = require_member(who, initiative)
    box = box_for(initiative.pk)
    views = queries.for_member(initiative, member)
    return {
        "side": member.party.name.read(box),
        "sent": [v for v in views if v.direction == "sent"],
        "received": [v for v in views if v.direction == "received"],
        "others": [
            (p.pk, p.name.read(box))
            for p in Party.objects.filter(initiative=initiative).exclude(pk=member.party.pk)
        ],
        "send_url": reverse("backchannel:channel", args=[initiative.pk]),
    }


def _desk_context(initiative: Initiative) -> dict[str, Any]:
    views = queries.for_facilitators(initiative)
    return {
        "title": initiative.title.read(box_for(initiative.pk)),
        "waiting": [v for v in views if v.state in ("awaiting", "proposed")],
        "done": [v for v in views if v.state not in ("awaiting", "proposed")],
        "channels": queries.channels(initiative),
        "continuity": queries.continuity(initiative),
        **access_context(initiative),
    }


def _act_on_channel(request: HttpRequest, initiative: Initiative, who: Caller) -> None:
    action, data = request.POST.get("action"), request.POST
    if action == "send":
        reply_to = _int(data.get("reply_to"))
        to = data.get("to_party", "")
        actions.draft_message(
            initiative,
            who,
            None if to in ("", "facilitators") else _int(to) or to,
            data.get("text", ""),
            reply_to=reply_to,
            draft="draft" in data,
        )
        messages.success(request, _("Your message waits for the facilitators."))
    elif action == "check_in":
        try:
            due_on = date.fromisoformat(data.get("due_on", ""))
        except ValueError:
            raise InvalidInput(_("must be a day (YYYY-MM-DD)"), field="due_on") from None
        actions.schedule_check_in(initiative, who, due_on, data.get("note", ""))
        messages.success(request, _("The check-in is scheduled."))
    elif action == "handover":
        actions.write_handover(initiative, who, data.get("text", ""))
        messages.success(request, _("The handover note is saved."))
    elif not act_on_access(request, initiative, who, action):
        raise InvalidInput(_("unknown action"), field="action")


def _post_on_channel(request: HttpRequest, initiative: Initiative, who: Caller) -> None:
    try:
        _act_on_channel(request, initiative, who)
    except (NotAllowed, NotFound):
        raise
    except DialogueError as error:
        messages.error(request, str(error))


@require_http_methods(["GET", "POST"])
def channel(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A side's messages (and the form to write one), or the facilitators' desk."""
    who = _caller(request)
    if who is None:
        return redirect("dialogues:recover")
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None:
        return not_found(request)
    try:
        if request.method == "POST":
            _post_on_channel(request, initiative, who)
            return redirect("backchannel:channel", initiative_id=initiative.pk)
        if may_carry(who, initiative):
            context = _desk_context(initiative)
            context["is_convener"] = can_convene(who.user, initiative)
            template = "backchannel/desk.html"
        elif liaison_exchanges(initiative, who):
            context = {"exchanges": liaison_exchanges(initiative, who)}
            template = "backchannel/exchanges.html"
        else:
            context = _member_context(initiative, who)
            template = "backchannel/channel.html"
    except (NotAllowed, NotFound) as error:
        return _refused(request, error)
    context.update(initiative=initiative, quick_exit=True)
    return render(request, template, context)


@require_POST
def act(request: HttpRequest, message_id: int, verb: str) -> HttpResponse:
    """Carry, reword, hold (facilitators); accept, edit, withdraw (the writer)."""
    who = _caller(request)
    if who is None:
        return redirect("dialogues:recover")
    message = BackChannelMessage.objects.select_related("initiative").filter(pk=message_id).first()
    if message is None or verb not in VERBS:
        return not_found(request)
    initiative = message.initiative
    if not may_see(who, message):
        return not_found(request)
    text = request.POST.get("reason" if verb == "hold" else "text", "")
    try:
        if verb in ("propose", "hold", "edit"):
            getattr(actions, verb)(message, who, text)
        else:
            getattr(actions, verb)(message, who)
        messages.success(request, _("Done."))
    except (NotAllowed, NotFound) as error:
        return _refused(request, error)
    except DialogueError as error:
        messages.error(request, str(error))
    voice = None if may_carry(who, initiative) else voice_for_message(who, message)
    if voice is not None:  # a liaison writing in a Track 1.5 exchange
        return redirect("backchannel:exchange", exchange_id=voice.exchange_id)
    return redirect("backchannel:channel", initiative_id=initiative.pk)


@require_http_methods(["GET", "POST"])
def caucus(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A side's caucus: the pinned position, threads and replies."""
    who = _caller(request)
    if who is None:
        return redirect("dialogues:recover")
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None:
        return not_found(request)
    side = _int(request.POST.get("side") or request.GET.get("side"))
    try:
        found, is_member = caucus_for(who, initiative, side)
        if request.method == "POST":
            _act_in_caucus(request, initiative, who, side)
            back = reverse("backchannel:caucus", args=[initiative.pk])
            return redirect(back if is_member else f"{back}?side={found.party_id}")
    except (NotAllowed, NotFound, InvalidInput) as error:
        return _refused(request, error)
    context = {
        "initiative": initiative,
        "caucus": queries.caucus_of_side(initiative, found.party),
        "is_member": is_member,
    }
    return render(request, "backchannel/caucus.html", {**context, "quick_exit": True})


def _act_in_caucus(
    request: HttpRequest, initiative: Initiative, who: Caller, side: int | None
) -> None:
    data = request.POST
    try:
        if data.get("action") == "position":
            actions.set_position(initiative, who, data.get("text", ""))
        elif data.get("action") == "facilitators":
            include_facilitators(initiative, who, data.get("included") == "1")
        else:
            actions.post_in_caucus(
                initiative,
                who,
                data.get("text", ""),
                reply_to=_int(data.get("reply_to")),
                side=side,
            )
        messages.success(request, _("Saved."))
    except (NotAllowed, NotFound):
        raise
    except DialogueError as error:
        messages.error(request, str(error))

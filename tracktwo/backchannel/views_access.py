"""The pages' part in who else the back-channel lets in: the desk's forms for the message
expiry and the Track 1.5 exchanges, and the page where a liaison writes with a side's voice.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tracktwo.accounts.auth import Caller
from tracktwo.accounts.models import User
from tracktwo.backchannel import exchanges, policy, queries
from tracktwo.backchannel.models import Exchange, ExchangeVoice
from tracktwo.dialogues.views.common import forbidden, not_found
from tracktwo.initiatives.models import Initiative, Membership, Party
from tracktwo.practice.errors import DialogueError, NotAllowed, NotFound
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _desk_exchanges(initiative: Initiative) -> list[dict[str, Any]]:
    """The exchanges with each voice's account name (the convener's forms show it: they gave it)."""
    views = exchanges.exchanges(initiative)
    ids = {v.user for x in views for v in x.voices}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    return [
        {
            "id": x.id,
            "name": x.name,
            "closed": x.closed,
            "voices": [
                {"user": v.user, "side": v.side, "name": names.get(v.user, "")} for v in x.voices
            ],
        }
        for x in views
    ]


def access_context(initiative: Initiative) -> dict[str, Any]:
    """What the desk shows of expiry, exchanges and the caucuses that included the facilitators."""
    box = box_for(initiative.pk)
    sides = [(p.pk, p.name.read(box)) for p in Party.objects.filter(initiative=initiative)]
    liaison_ids = Membership.objects.filter(initiative=initiative, role=MemberRole.LIAISON).values(
        "user_id"
    )
    return {
        "expiry_days": policy.expiry_days_of(initiative),
        "exchanges": _desk_exchanges(initiative),
        "sides": sides,
        "liaisons": [(u.pk, u.username) for u in User.objects.filter(pk__in=liaison_ids)],
        "included_sides": [(p.pk, p.name.read(box)) for p in policy.included_sides(initiative)],
    }


def act_on_access(
    request: HttpRequest, initiative: Initiative, who: Caller, action: str | None
) -> bool:
    """The convener's forms on the desk; False for an action that is not one of them."""
    data, user = request.POST, who.user
    if action == "expiry":
        policy.set_message_expiry(initiative, user, _int(data.get("days")) or data.get("days"))
        messages.success(request, _("The message expiry is saved."))
    elif action == "exchange":
        exchanges.open_exchange(initiative, user, data.get("name", ""))
        messages.success(request, _("The exchange is open."))
    elif action in ("voice", "withdraw_voice", "close_exchange"):
        exchange = Exchange.objects.filter(
            pk=_int(data.get("exchange")) or 0, initiative=initiative
        ).first()
        if exchange is None:
            raise NotFound(_("no such exchange"))
        if action == "voice":
            liaison, side = _int(data.get("user")), _int(data.get("party"))
            exchanges.give_voice(exchange, user, liaison, side)
            messages.success(request, _("The liaison has the side's voice in the exchange."))
        elif action == "withdraw_voice":
            withdrawn = exchanges.withdraw_voice(exchange, user, _int(data.get("user")))
            messages.success(
                request,
                ngettext(
                    "The voice is taken back; %(n)d message not yet carried is withdrawn.",
                    "The voice is taken back; %(n)d messages not yet carried are withdrawn.",
                    withdrawn,
                )
                % {"n": withdrawn},
            )
        else:
            exchanges.close_exchange(exchange, user)
            messages.success(request, _("The exchange is closed."))
    else:
        return False
    return True


def liaison_exchanges(initiative: Initiative, who: Caller) -> list[exchanges.ExchangeView]:
    """The exchanges in which a signed-in liaison has a side's voice."""
    if not who.is_user or who.user is None:
        return []
    return exchanges.exchanges(initiative, user=who.user)


def _context(exchange: Exchange, voice: ExchangeVoice) -> dict[str, Any]:
    box = box_for(exchange.initiative_id)
    views = queries.for_voice(voice)
    others = Party.objects.filter(initiative_id=exchange.initiative_id).exclude(pk=voice.party_id)
    return {
        "initiative": exchange.initiative,
        "exchange": {"name": exchange.name.read(box), "closed": exchange.closed_at is not None},
        "side": voice.party.name.read(box),
        "sent": [v for v in views if v.direction == "sent"],
        "received": [v for v in views if v.direction == "received"],
        "others": [(p.pk, p.name.read(box)) for p in others],
        "send_url": reverse("backchannel:exchange", args=[exchange.pk]),
    }


@require_http_methods(["GET", "POST"])
def exchange(request: HttpRequest, exchange_id: int) -> HttpResponse:
    """A liaison's page in a Track 1.5 exchange: what was said with their side's voice and to
    it, and the form to write (each message waits for a facilitator)."""
    if not request.user.is_authenticated:
        return redirect("accounts:sign-in")
    assert isinstance(request.user, User)
    who = Caller(kind="user", user=request.user)
    voice = exchanges.voice_of(who, exchange_id)
    if voice is None:
        found = Exchange.objects.filter(pk=exchange_id).first()
        known = (
            found is not None
            and Membership.objects.filter(
                user_id=request.user.pk, initiative_id=found.initiative_id
            ).exists()
        )
        return forbidden(request) if known else not_found(request)
    if request.method == "POST":
        data = request.POST
        to = data.get("to_party", "")
        try:
            exchanges.draft_in_exchange(
                voice.exchange,
                who,
                None if to in ("", "facilitators") else _int(to) or to,
                data.get("text", ""),
                reply_to=_int(data.get("reply_to")),
            )
            messages.success(request, _("Your message waits for the facilitators."))
        except (NotAllowed, NotFound):
            return forbidden(request)
        except DialogueError as error:
            messages.error(request, str(error))
        return redirect("backchannel:exchange", exchange_id=exchange_id)
    context = _context(voice.exchange, voice)
    return render(request, "backchannel/channel.html", {**context, "quick_exit": True})

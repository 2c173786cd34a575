"""Who else the back-channel lets in, and for how long it keeps messages (see docs/api.md,
"The back-channel"): a side's choice to include the facilitators in its caucus, Track 1.5
exchanges in which Track One liaisons speak with a side's voice, and the convener's
message expiry. Refusals are 4xx JSON naming the field, as in :mod:`.api`.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, Caller, caller
from tracktwo.backchannel import exchanges, policy, queries
from tracktwo.backchannel.api import (
    ERRORS,
    CaucusOut,
    MessageIn,
    MessageOut,
    MessagesOut,
)
from tracktwo.backchannel.members import may_carry, member_of, require_carrier
from tracktwo.backchannel.models import Exchange, ExchangeVoice
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for

router = Router(tags=["back-channel"])
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class IncludedIn(Schema):
    included: bool


class ExpiryIn(Schema):
    days: int


class ExpiryOut(Schema):
    message_expiry_days: int


class NameIn(Schema):
    name: str


class VoiceIn(Schema):
    user: Id
    party: Id


class VoiceOut(Schema):
    user: int
    side: str


class ExchangeOut(Schema):
    id: int
    name: str
    closed: bool
    voices: list[VoiceOut]
    side: str | None


def _initiative(initiative_id: int) -> Initiative:
    found = Initiative.objects.filter(pk=initiative_id).first()
    if found is None:
        raise NotFound(_("no such initiative"))
    return found


def _knows(who: Caller, initiative: Initiative) -> bool:
    user = who.user if who.is_user else None
    return (
        user is not None
        and Membership.objects.filter(user_id=user.pk, initiative=initiative).exists()
    )


def _require_known(who: Caller, initiative: Initiative) -> None:
    """Strangers are told the initiative does not exist (its people get 403 further on)."""
    if not _knows(who, initiative) and member_of(who, initiative) is None:
        raise NotFound(_("no such initiative"))


def _is_liaison(who: Caller, initiative: Initiative) -> bool:
    user = who.user if who.is_user else None
    return (
        user is not None
        and Membership.objects.filter(
            user_id=user.pk, initiative=initiative, role=MemberRole.LIAISON
        ).exists()
    )


def _exchange(who: Caller, exchange_id: int) -> Exchange:
    """The exchange, for its initiative's facilitators and the liaisons with a voice in it."""
    found = Exchange.objects.select_related("initiative").filter(pk=exchange_id).first()
    if found is None:
        raise NotFound(_("no such exchange"))
    if may_carry(who, found.initiative) or exchanges.voice_of(who, found.pk) is not None:
        return found
    if _knows(who, found.initiative):
        raise NotAllowed(_("only the convener, the facilitators and its voices see an exchange"))
    raise NotFound(_("no such exchange"))


def _exchange_out(exchange: Exchange, who: Caller) -> ExchangeOut:
    user = None if may_carry(who, exchange.initiative) else who.user
    views = exchanges.exchanges(exchange.initiative, user=user)
    view = next(v for v in views if v.id == exchange.pk)
    return ExchangeOut.model_validate(view, from_attributes=True)


@router.post(
    "/initiatives/{initiative_id}/back-channel/caucus/facilitators",
    auth=API_AUTH,
    response={200: CaucusOut, **ERRORS},
)
def include_facilitators(
    request: HttpRequest, initiative_id: PathId, body: IncludedIn
) -> CaucusOut:
    """A member of a side lets the facilitators into its caucus (true) or leaves them out."""
    who, initiative = caller(request), _initiative(initiative_id)
    caucus = policy.include_facilitators(initiative, who, body.included)
    view = queries.caucus_of_side(initiative, caucus.party)
    return CaucusOut.model_validate(view, from_attributes=True)


@router.get(
    "/initiatives/{initiative_id}/back-channel/caucuses",
    auth=API_AUTH,
    response={200: list[CaucusOut], **ERRORS},
)
def included_caucuses(request: HttpRequest, initiative_id: PathId) -> list[CaucusOut]:
    """For the facilitators: the caucuses of the sides that included them."""
    who, initiative = caller(request), _initiative(initiative_id)
    require_carrier(who, initiative)
    return [
        CaucusOut.model_validate(queries.caucus_of_side(initiative, party), from_attributes=True)
        for party in policy.included_sides(initiative)
    ]


@router.post(
    "/initiatives/{initiative_id}/back-channel/expiry",
    auth=API_AUTH,
    response={200: ExpiryOut, **ERRORS},
)
def set_expiry(request: HttpRequest, initiative_id: PathId, body: ExpiryIn) -> ExpiryOut:
    """The convener sets how many days after carrying a message is deleted (default 90)."""
    who, initiative = caller(request), _initiative(initiative_id)
    _require_known(who, initiative)
    days = policy.set_message_expiry(initiative, who.user if who.is_user else None, body.days)
    return ExpiryOut(message_expiry_days=days)


@router.get(
    "/initiatives/{initiative_id}/back-channel/exchanges",
    auth=API_AUTH,
    response={200: list[ExchangeOut], **ERRORS},
)
def list_exchanges(request: HttpRequest, initiative_id: PathId) -> list[ExchangeOut]:
    """Every Track 1.5 exchange with its voices (facilitators), or a liaison's own."""
    who, initiative = caller(request), _initiative(initiative_id)
    if may_carry(who, initiative):
        views = exchanges.exchanges(initiative)
    elif _is_liaison(who, initiative):
        views = exchanges.exchanges(initiative, user=who.user)
    elif _knows(who, initiative) or member_of(who, initiative) is not None:
        raise NotAllowed(_("only the facilitators and the liaisons see the exchanges"))
    else:
        raise NotFound(_("no such initiative"))
    return [ExchangeOut.model_validate(v, from_attributes=True) for v in views]


@router.post(
    "/initiatives/{initiative_id}/back-channel/exchanges",
    auth=API_AUTH,
    response={201: ExchangeOut, **ERRORS},
)
def open_exchange(request: HttpRequest, initiative_id: PathId, body: NameIn) -> Status[ExchangeOut]:
    """The convener opens a named Track 1.5 exchange."""
    who, initiative = caller(request), _initiative(initiative_id)
    _require_known(who, initiative)
    exchange = exchanges.open_exchange(initiative, who.user if who.is_user else None, body.name)
    return Status(201, _exchange_out(exchange, who))


@router.post(
    "/back-channel/exchanges/{exchange_id}/voices",
    auth=API_AUTH,
    response={200: ExchangeOut, **ERRORS},
)
def give_voice(request: HttpRequest, exchange_id: PathId, body: VoiceIn) -> ExchangeOut:
    """The convener gives a liaison of the initiative a side's voice in the exchange."""
    who = caller(request)
    exchange = _exchange(who, exchange_id)
    exchanges.give_voice(exchange, who.user, body.user, body.party)
    return _exchange_out(exchange, who)


@router.delete(
    "/back-channel/exchanges/{exchange_id}/voices/{user_id}",
    auth=API_AUTH,
    response={200: ExchangeOut, **ERRORS},
)
def withdraw_voice(request: HttpRequest, exchange_id: PathId, user_id: PathId) -> ExchangeOut:
    """The convener takes a liaison's voice back; their uncarried messages are withdrawn."""
    who = caller(request)
    exchange = _exchange(who, exchange_id)
    exchanges.withdraw_voice(exchange, who.user, user_id)
    return _exchange_out(exchange, who)


@router.post(
    "/back-channel/exchanges/{exchange_id}/close",
    auth=API_AUTH,
    response={200: ExchangeOut, **ERRORS},
)
def close_exchange(request: HttpRequest, exchange_id: PathId) -> ExchangeOut:
    who = caller(request)
    exchange = exchanges.close_exchange(_exchange(who, exchange_id), who.user)
    return _exchange_out(exchange, who)


def _voice(who: Caller, exchange_id: int) -> ExchangeVoice:
    exchange = _exchange(who, exchange_id)
    voice = exchanges.voice_of(who, exchange.pk)
    if voice is None:
        raise NotAllowed(_("only the liaisons given a voice write in an exchange"))
    return voice


@router.get(
    "/back-channel/exchanges/{exchange_id}/messages",
    auth=API_AUTH,
    response={200: MessagesOut, **ERRORS},
)
def exchange_messages(request: HttpRequest, exchange_id: PathId) -> MessagesOut:
    """A liaison's view of the exchange: their side's messages in it and those carried to it."""
    voice = _voice(caller(request), exchange_id)
    side = voice.party.name.read(box_for(voice.exchange.initiative_id))
    views = queries.for_voice(voice)
    return MessagesOut(side=side, messages=[MessageOut(**v.__dict__) for v in views])


@router.post(
    "/back-channel/exchanges/{exchange_id}/messages",
    auth=API_AUTH,
    response={201: MessageOut, **ERRORS},
)
def write_in_exchange(
    request: HttpRequest, exchange_id: PathId, body: MessageIn
) -> Status[MessageOut]:
    """A liaison writes with their side's voice (``to_party``, or ``reply_to``); it waits
    for a facilitator like any message."""
    who = caller(request)
    voice = _voice(who, exchange_id)
    message = exchanges.draft_in_exchange(
        voice.exchange, who, body.to_party, body.text, reply_to=body.reply_to
    )
    view = next(v for v in queries.for_voice(voice) if v.id == message.pk)
    return Status(201, MessageOut(**view.__dict__))

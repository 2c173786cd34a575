"""The back-channel's JSON API under /api/v1 (see docs/api.md, "The back-channel").

A side's members call with their participant token, facilitators with theirs (or a
browser session). Someone with no part in the initiative gets 404; its observers and
liaisons, and participants who joined as observers, get 403. Refusals are 4xx JSON whose
``detail`` starts with the field at fault (``"to_party: a message goes to another side"``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, Caller, caller
from tracktwo.backchannel import actions, queries
from tracktwo.backchannel.exchanges import voice_for_message
from tracktwo.backchannel.members import may_carry, may_see, require_carrier, require_member
from tracktwo.backchannel.policy import expiry_days_of
from tracktwo.initiatives.models import BackChannelMessage, Initiative
from tracktwo.practice.errors import InvalidInput, NotFound
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer.actions import narrative_of
from tracktwo.transfer.models import Brief

router = Router(tags=["back-channel"])
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Detail(Schema):
    detail: str


ERRORS: dict[int, type[Detail]] = {c: Detail for c in (400, 401, 403, 404, 409)}


class MessageIn(Schema):
    to_party: Id | None = None
    text: str
    reply_to: Id | None = None
    draft: bool = False


class TextIn(Schema):
    text: str


class ReasonIn(Schema):
    reason: str


class BriefIn(Schema):
    brief: Id


class BriefOut(Schema):
    brief: int
    context: str


class CheckInIn(Schema):
    due_on: date
    note: str = ""


class MessageOut(Schema):
    id: int
    direction: Literal["sent", "received", "to_carry"]
    state: str
    from_side: str
    to_side: str | None
    text: str
    proposed: str
    hold_reason: str
    day: date | None
    reply_to: int | None
    mine: bool
    exchange: str


class ChannelOut(Schema):
    sides: tuple[str, str]
    last_carried: date | None
    quiet: bool


class MessagesOut(Schema):
    side: str | None  # the caller's side; None for the facilitators
    messages: list[MessageOut]


class PostOut(Schema):
    id: int
    text: str
    day: date
    replies: list[PostOut]


class CaucusOut(Schema):
    side: str
    side_id: int
    position: str
    threads: list[PostOut]
    facilitators_included: bool


class CaucusPostIn(Schema):
    text: str
    reply_to: Id | None = None
    side: Id | None = None  # for a facilitator: the side whose caucus included them


class ContinuityOut(Schema):
    channels: list[ChannelOut]
    check_ins: list[tuple[date, str]]
    handover: str
    handover_day: date | None
    message_expiry_days: int


def _initiative(initiative_id: int) -> Initiative:
    found = Initiative.objects.filter(pk=initiative_id).first()
    if found is None:
        raise NotFound(_("no such initiative"))
    return found


def _message(request: HttpRequest, message_id: int) -> tuple[BackChannelMessage, Caller]:
    """The message, for its initiative's facilitators, its side, and once carried its
    addressees; anyone else is told it does not exist."""
    who = caller(request)
    message = BackChannelMessage.objects.select_related("initiative").filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("no such message"))
    if not may_see(who, message):
        raise NotFound(_("no such message"))
    return message, who


def _out(message: BackChannelMessage, who: Caller) -> MessageOut:
    initiative = message.initiative
    voice = voice_for_message(who, message)
    if may_carry(who, initiative):
        views = queries.for_facilitators(initiative)
    elif voice is not None:
        views = queries.for_voice(voice)
    else:
        views = queries.for_member(initiative, require_member(who, initiative))
    view = next(v for v in views if v.id == message.pk)
    return MessageOut(**view.__dict__)


@router.get(
    "/initiatives/{initiative_id}/back-channel/messages",
    auth=API_AUTH,
    response={200: MessagesOut, **ERRORS},
)
def list_messages(request: HttpRequest, initiative_id: PathId) -> MessagesOut:
    """A member's side's messages and those carried to it; every message, for facilitators."""
    who, initiative = caller(request), _initiative(initiative_id)
    if may_carry(who, initiative):
        views = queries.for_facilitators(initiative)
        return MessagesOut(side=None, messages=[MessageOut(**v.__dict__) for v in views])
    member = require_member(who, initiative)
    views = queries.for_member(initiative, member)
    side = member.party.name.read(box_for(initiative.pk))
    return MessagesOut(side=side, messages=[MessageOut(**v.__dict__) for v in views])


@router.post(
    "/initiatives/{initiative_id}/back-channel/messages",
    auth=API_AUTH,
    response={201: MessageOut, **ERRORS},
)
def send_message(
    request: HttpRequest, initiative_id: PathId, body: MessageIn
) -> Status[MessageOut]:
    """Draft a message to another side (``to_party``) or to the facilitators (null)."""
    who, initiative = caller(request), _initiative(initiative_id)
    message = actions.draft_message(
        initiative, who, body.to_party, body.text, reply_to=body.reply_to, draft=body.draft
    )
    return Status(201, _out(message, who))


@router.post(
    "/back-channel/messages/{message_id}/carry", auth=API_AUTH, response={200: MessageOut, **ERRORS}
)
def carry(request: HttpRequest, message_id: PathId) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.carry(message, who), who)


@router.post(
    "/back-channel/messages/{message_id}/propose",
    auth=API_AUTH,
    response={200: MessageOut, **ERRORS},
)
def propose(request: HttpRequest, message_id: PathId, body: TextIn) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.propose(message, who, body.text), who)


@router.post(
    "/back-channel/messages/{message_id}/hold", auth=API_AUTH, response={200: MessageOut, **ERRORS}
)
def hold(request: HttpRequest, message_id: PathId, body: ReasonIn) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.hold(message, who, body.reason), who)


@router.post(
    "/back-channel/messages/{message_id}/accept",
    auth=API_AUTH,
    response={200: MessageOut, **ERRORS},
)
def accept(request: HttpRequest, message_id: PathId) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.accept(message, who), who)


@router.post(
    "/back-channel/messages/{message_id}/edit", auth=API_AUTH, response={200: MessageOut, **ERRORS}
)
def edit(request: HttpRequest, message_id: PathId, body: TextIn) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.edit(message, who, body.text), who)


@router.post(
    "/back-channel/messages/{message_id}/withdraw",
    auth=API_AUTH,
    response={200: MessageOut, **ERRORS},
)
def withdraw(request: HttpRequest, message_id: PathId) -> MessageOut:
    message, who = _message(request, message_id)
    return _out(actions.withdraw(message, who), who)


@router.post(
    "/back-channel/messages/{message_id}/brief",
    auth=API_AUTH,
    response={200: BriefOut, **ERRORS},
)
def include_in_brief(request: HttpRequest, message_id: PathId, body: BriefIn) -> BriefOut:
    """Add a carried exchange to a draft brief's context ("Side A conveyed ... Side B replied")."""
    message, who = _message(request, message_id)
    brief = Brief.objects.select_related("dialogue").filter(pk=body.brief).first()
    if brief is None:
        raise InvalidInput(_("no draft brief of this initiative with that id"), field="brief")
    updated = actions.include_in_brief(message, who, brief)
    return BriefOut(brief=updated.pk, context=narrative_of(updated, brief.dialogue)["context"])


@router.get(
    "/initiatives/{initiative_id}/back-channel/caucus",
    auth=API_AUTH,
    response={200: CaucusOut, **ERRORS},
)
def get_caucus(request: HttpRequest, initiative_id: PathId) -> CaucusOut:
    """The caller's side's caucus (members of the side only)."""
    who, initiative = caller(request), _initiative(initiative_id)
    view = queries.caucus(initiative, require_member(who, initiative))
    return CaucusOut.model_validate(view, from_attributes=True)


@router.post(
    "/initiatives/{initiative_id}/back-channel/caucus/posts",
    auth=API_AUTH,
    response={201: PostOut, **ERRORS},
)
def post_in_caucus(
    request: HttpRequest, initiative_id: PathId, body: CaucusPostIn
) -> Status[PostOut]:
    """A new thread, or a reply to one (``reply_to``); a facilitator names the ``side``
    whose caucus included the facilitators."""
    who, initiative = caller(request), _initiative(initiative_id)
    post = actions.post_in_caucus(
        initiative, who, body.text, reply_to=body.reply_to, side=body.side
    )
    view = queries.caucus_of_side(initiative, post.caucus.party)
    found = [p for t in view.threads for p in (t, *t.replies) if p.id == post.pk]
    return Status(201, PostOut.model_validate(found[0], from_attributes=True))


@router.post(
    "/initiatives/{initiative_id}/back-channel/caucus/position",
    auth=API_AUTH,
    response={200: CaucusOut, **ERRORS},
)
def set_position(request: HttpRequest, initiative_id: PathId, body: TextIn) -> CaucusOut:
    who, initiative = caller(request), _initiative(initiative_id)
    member = require_member(who, initiative)
    actions.set_position(initiative, who, body.text)
    return CaucusOut.model_validate(queries.caucus(initiative, member), from_attributes=True)


@router.get(
    "/initiatives/{initiative_id}/back-channel/continuity",
    auth=API_AUTH,
    response={200: ContinuityOut, **ERRORS},
)
def continuity(request: HttpRequest, initiative_id: PathId) -> ContinuityOut:
    """For facilitators: each pair of sides' channel, the check-ins, the handover note."""
    who, initiative = caller(request), _initiative(initiative_id)
    require_carrier(who, initiative)
    found = queries.continuity(initiative)
    return ContinuityOut(
        channels=[
            ChannelOut.model_validate(c, from_attributes=True) for c in queries.channels(initiative)
        ],
        check_ins=list(found.check_ins),
        handover=found.handover,
        handover_day=found.handover_day,
        message_expiry_days=expiry_days_of(initiative),
    )


@router.post(
    "/initiatives/{initiative_id}/back-channel/check-ins",
    auth=API_AUTH,
    response={201: ContinuityOut, **ERRORS},
)
def schedule_check_in(
    request: HttpRequest, initiative_id: PathId, body: CheckInIn
) -> Status[ContinuityOut]:
    who, initiative = caller(request), _initiative(initiative_id)
    actions.schedule_check_in(initiative, who, body.due_on, body.note)
    return Status(201, continuity(request, initiative_id))


@router.post(
    "/initiatives/{initiative_id}/back-channel/handover",
    auth=API_AUTH,
    response={201: ContinuityOut, **ERRORS},
)
def write_handover(
    request: HttpRequest, initiative_id: PathId, body: TextIn
) -> Status[ContinuityOut]:
    who, initiative = caller(request), _initiative(initiative_id)
    actions.write_handover(initiative, who, body.text)
    return Status(201, continuity(request, initiative_id))

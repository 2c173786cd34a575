"""What the back-channel shows, to whom: read models that never write.

A side's members see their side's messages with their state (a draft only to its writer),
and the messages carried to them as "Side A says" with the day they were carried, never a
person or a time of day. The facilitators see every message but drafts and withdrawn ones.
Nobody is told who read what, or when.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.db.models import Max, Q
from django.utils import timezone

from tracktwo.backchannel.exchanges import exchange_names
from tracktwo.backchannel.members import Member
from tracktwo.backchannel.models import (
    Caucus,
    CaucusPost,
    CheckIn,
    ExchangeMessage,
    ExchangeVoice,
    HandoverNote,
)
from tracktwo.initiatives.models import BackChannelMessage, Initiative, MessageState, Party
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

QUIET_AFTER_DAYS = 14
DELIVERED = (MessageState.CARRIED, MessageState.ANSWERED)


@dataclass(frozen=True)
class MessageView:
    """One message as its reader may see it."""

    id: int
    direction: Literal["sent", "received", "to_carry"]
    state: str
    from_side: str
    to_side: str | None  # None: for the facilitators only
    text: str
    proposed: str  # a rewording waiting for the sender ("" otherwise)
    hold_reason: str
    day: date | None  # carried on (received), written on (otherwise)
    reply_to: int | None
    mine: bool  # the reader wrote it: they may accept, edit or withdraw
    exchange: str = ""  # the Track 1.5 exchange it belongs to ("" for none)


@dataclass(frozen=True)
class Channel:
    """A pair of sides: when something was last carried between them."""

    sides: tuple[str, str]
    last_carried: date | None
    quiet: bool


def side_names(initiative: Initiative, box: Box) -> dict[int, str]:
    return {p.pk: p.name.read(box) for p in Party.objects.filter(initiative=initiative)}


def _view(
    message: BackChannelMessage,
    names: dict[int, str],
    box: Box,
    direction: Literal["sent", "received", "to_carry"],
    mine: bool,
    exchange: str = "",
) -> MessageView:
    received = direction == "received"
    written = message.carried_at if received else message.created_at
    return MessageView(
        id=message.pk,
        direction=direction,
        state=message.state,
        from_side=names[message.from_party_id],
        to_side=names[message.to_party_id] if message.to_party_id else None,
        text=message.body.read(box),
        proposed="" if received or not message.proposed.is_set else message.proposed.read(box),
        hold_reason=""
        if received or not message.hold_reason.is_set
        else message.hold_reason.read(box),
        day=timezone.localdate(written) if written else None,
        reply_to=message.reply_to_id,
        mine=mine,
        exchange=exchange,
    )


def for_member(initiative: Initiative, member: Member) -> list[MessageView]:
    """The member's side's messages and those carried to the side, oldest first."""
    box = box_for(initiative.pk)
    names = side_names(initiative, box)
    sent = Q(from_party=member.party) & (
        ~Q(state=MessageState.DRAFTED) | Q(sender=member.participant)
    )
    received = Q(to_party=member.party, state__in=DELIVERED)
    rows = BackChannelMessage.objects.filter(sent | received, initiative=initiative).order_by("id")
    exchanges = exchange_names(initiative)
    return [
        _view(
            m,
            names,
            box,
            "sent" if m.from_party_id == member.party.pk else "received",
            m.sender_id is not None and m.sender_id == member.participant.pk,
            exchanges.get(m.pk, ""),
        )
        for m in rows
    ]


def for_voice(voice: ExchangeVoice) -> list[MessageView]:
    """A liaison's view of their exchange: what their side said in it and what was carried
    to their side in it, oldest first."""
    initiative = voice.exchange.initiative
    box = box_for(initiative.pk)
    names = side_names(initiative, box)
    links = ExchangeMessage.objects.filter(exchange_id=voice.exchange_id)
    writers = dict(links.values_list("message_id", "written_by_id"))
    sent = Q(from_party_id=voice.party_id) & ~Q(state=MessageState.DRAFTED)
    received = Q(to_party_id=voice.party_id, state__in=DELIVERED)
    rows = BackChannelMessage.objects.filter(sent | received, pk__in=list(writers)).order_by("id")
    name = voice.exchange.name.read(box)
    return [
        _view(
            m,
            names,
            box,
            "sent" if m.from_party_id == voice.party_id else "received",
            writers.get(m.pk) == voice.user_id,
            name,
        )
        for m in rows
    ]


def for_facilitators(initiative: Initiative) -> list[MessageView]:
    """Every message but drafts and withdrawn ones, oldest first."""
    box = box_for(initiative.pk)
    names = side_names(initiative, box)
    rows = (
        BackChannelMessage.objects.filter(initiative=initiative)
        .exclude(state__in=(MessageState.DRAFTED, MessageState.WITHDRAWN))
        .order_by("id")
    )
    exchanges = exchange_names(initiative)
    return [_view(m, names, box, "to_carry", False, exchanges.get(m.pk, "")) for m in rows]


def channels(initiative: Initiative) -> list[Channel]:
    """Each pair of sides: open (something carried lately), quiet since a day, or unused."""
    box = box_for(initiative.pk)
    parties = list(Party.objects.filter(initiative=initiative).order_by("position"))
    latest = (
        BackChannelMessage.objects.filter(initiative=initiative, state__in=DELIVERED)
        .exclude(to_party=None)
        .values("from_party_id", "to_party_id")
        .annotate(last=Max("carried_at"))
    )
    last: dict[frozenset[int], date] = {}
    for row in latest:
        if row["last"] is None:
            continue
        key = frozenset((row["from_party_id"], row["to_party_id"]))
        day = timezone.localdate(row["last"])
        last[key] = max(day, last.get(key, day))
    today = timezone.localdate()
    found: list[Channel] = []
    for a, b in itertools.combinations(parties, 2):
        day_ = last.get(frozenset((a.pk, b.pk)))
        quiet = day_ is None or today - day_ > timedelta(days=QUIET_AFTER_DAYS)
        found.append(Channel((a.name.read(box), b.name.read(box)), day_, quiet))
    return found


@dataclass(frozen=True)
class Post:
    id: int
    text: str
    day: date
    replies: tuple[Post, ...] = ()


@dataclass(frozen=True)
class CaucusView:
    side: str
    position: str
    threads: tuple[Post, ...]
    side_id: int = 0
    facilitators_included: bool = False


def caucus(initiative: Initiative, member: Member) -> CaucusView:
    """The member's side's caucus: the pinned position and the threads with their replies."""
    return caucus_of_side(initiative, member.party)


def caucus_of_side(initiative: Initiative, party: Party) -> CaucusView:
    """A side's caucus (for its members, or the facilitators it included)."""
    box = box_for(initiative.pk)
    found = Caucus.objects.filter(initiative=initiative, party=party).first()
    position = found.position.read(box) if found and found.position.is_set else ""
    posts = list(CaucusPost.objects.filter(caucus=found).order_by("id")) if found else []
    replies: dict[int, list[Post]] = {}
    for post in posts:
        if post.reply_to_id is not None:
            replies.setdefault(post.reply_to_id, []).append(
                Post(post.pk, post.text.read(box), timezone.localdate(post.created_at))
            )
    threads = tuple(
        Post(p.pk, p.text.read(box), timezone.localdate(p.created_at), tuple(replies.get(p.pk, ())))
        for p in posts
        if p.reply_to_id is None
    )
    included = bool(found and found.facilitators_included)
    return CaucusView(party.name.read(box), position, threads, party.pk, included)


@dataclass(frozen=True)
class Continuity:
    """What a facilitator taking over needs: check-ins to come and the latest handover note."""

    check_ins: tuple[tuple[date, str], ...]
    handover: str
    handover_day: date | None


def continuity(initiative: Initiative) -> Continuity:
    box = box_for(initiative.pk)
    upcoming = CheckIn.objects.filter(initiative=initiative, due_on__gte=timezone.localdate())
    note = HandoverNote.objects.filter(initiative=initiative).order_by("-id").first()
    return Continuity(
        tuple((c.due_on, c.note.read(box)) for c in upcoming),
        note.text.read(box) if note else "",
        timezone.localdate(note.created_at) if note else None,
    )

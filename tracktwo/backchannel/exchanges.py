"""Track 1.5 exchanges: Track One liaisons given a side's voice for a named exchange.

The convener opens an exchange with a name and gives chosen liaisons (members of the
initiative with the liaison role) the voice of one side in it. A liaison with a voice writes
messages as that side, under the same carrying rules as a member: each waits for a
facilitator, who carries it, proposes a rewording (the liaison accepts, edits or withdraws)
or holds it; the recipients read "Side A says:" and never learn that a liaison wrote it. The
messages are ordinary back-channel messages tied to the exchange (:class:`ExchangeMessage`);
replies to them stay in the exchange. A closed exchange takes no new message. The convener
can take one liaison's voice back without closing the exchange: that liaison no longer reads
or writes in it, and what they wrote that was not yet carried is withdrawn, never carried in
the side's name. Opening, giving and taking back a voice and closing are audited with ids
only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.auth import Caller
from tracktwo.accounts.models import User
from tracktwo.backchannel.models import Exchange, ExchangeMessage, ExchangeVoice
from tracktwo.initiatives.models import (
    BackChannelMessage,
    Initiative,
    Membership,
    MessageState,
    Party,
)
from tracktwo.initiatives.permissions import can_convene
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tracktwo.practice.formats import MemberRole
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing

MAX_NAME_CHARS = 200
MAX_MESSAGE_CHARS = 4_000


def _convener(user: User | None, initiative: Initiative) -> User:
    if not can_convene(user, initiative):
        raise NotAllowed(_("only the convener opens exchanges and gives voices"))
    assert user is not None
    return user


def _audit(action: str, exchange: Exchange, by: User, **details: int) -> None:
    record(
        f"back_channel.exchange_{action}",
        actor=Actor.user(by),
        initiative_id=exchange.initiative_id,
        target_type="exchange",
        target_id=exchange.pk,
        details=details,
    )


@transaction.atomic
def open_exchange(initiative: Initiative, user: User | None, name: object) -> Exchange:
    """The convener opens a named Track 1.5 exchange (audited)."""
    convener = _convener(user, initiative)
    exchange = Exchange(initiative=initiative)
    exchange.name.write(
        box_for_sealing(initiative.pk), clean_text(name, "name", max_chars=MAX_NAME_CHARS)
    )
    exchange.save()
    _audit("opened", exchange, convener)
    return exchange


@transaction.atomic
def give_voice(
    exchange: Exchange, user: User | None, liaison: object, party: object
) -> ExchangeVoice:
    """The convener gives a liaison of the initiative the voice of a side in the exchange
    (giving it again changes the side; audited)."""
    convener = _convener(user, exchange.initiative)
    if isinstance(liaison, bool) or not isinstance(liaison, int):
        raise InvalidInput(_("must be an account's id"), field="user")
    if isinstance(party, bool) or not isinstance(party, int):
        raise InvalidInput(_("must be a party's id"), field="party")
    is_liaison = Membership.objects.filter(
        user_id=liaison, initiative_id=exchange.initiative_id, role=MemberRole.LIAISON
    ).exists()
    if not is_liaison:
        raise InvalidInput(_("no Track One liaison of this initiative with that id"), field="user")
    side = Party.objects.filter(pk=party, initiative_id=exchange.initiative_id).first()
    if side is None:
        raise InvalidInput(_("no such party in this initiative"), field="party")
    voice, _created = ExchangeVoice.objects.update_or_create(
        exchange=exchange,
        user_id=liaison,
        defaults={"party": side, "initiative_id": exchange.initiative_id},
    )
    _audit("voice_given", exchange, convener, user=liaison, party=side.pk)
    return voice


UNCARRIED = (MessageState.DRAFTED, MessageState.AWAITING, MessageState.PROPOSED)


@transaction.atomic
def withdraw_voice(exchange: Exchange, user: User | None, liaison: object) -> int:
    """The convener takes a liaison's voice in the exchange back (audited with the number of
    their uncarried messages, which are withdrawn); returns that number."""
    convener = _convener(user, exchange.initiative)
    if isinstance(liaison, bool) or not isinstance(liaison, int):
        raise InvalidInput(_("must be an account's id"), field="user")
    voice = ExchangeVoice.objects.select_for_update().filter(exchange=exchange, user_id=liaison)
    if not voice.exists():
        raise NotFound(_("this liaison has no voice in this exchange"))
    uncarried = BackChannelMessage.objects.filter(
        exchange_link__exchange=exchange,
        exchange_link__written_by_id=liaison,
        state__in=UNCARRIED,
    )
    withdrawn = uncarried.update(state=MessageState.WITHDRAWN)
    voice.delete()
    _audit("voice_withdrawn", exchange, convener, user=liaison, messages=withdrawn)
    return withdrawn


@transaction.atomic
def close_exchange(exchange: Exchange, user: User | None) -> Exchange:
    """The convener closes an exchange: its messages stay, no new one is written (audited)."""
    convener = _convener(user, exchange.initiative)
    if exchange.closed_at is None:
        exchange.closed_at = timezone.now()
        exchange.save(update_fields=["closed_at"])
        _audit("closed", exchange, convener)
    return exchange


def voice_of(who: Caller, exchange_id: int) -> ExchangeVoice | None:
    """The caller's voice in the exchange, if they are a liaison given one."""
    if not who.is_user or who.user is None or not who.user.is_active:
        return None
    return (
        ExchangeVoice.objects.select_related("exchange", "party")
        .filter(exchange_id=exchange_id, user_id=who.user.pk)
        .first()
    )


def voice_for_message(who: Caller, message: BackChannelMessage) -> ExchangeVoice | None:
    """The caller's voice in the exchange the message belongs to, if any."""
    link = ExchangeMessage.objects.filter(message_id=message.pk).first()
    return None if link is None else voice_of(who, link.exchange_id)


def written_by(message: BackChannelMessage) -> int | None:
    """The liaison who wrote an exchange message (never shown to anyone)."""
    link = ExchangeMessage.objects.filter(message_id=message.pk).first()
    return None if link is None else link.written_by_id


def _recipient(exchange: Exchange, voice: ExchangeVoice, to_party: object) -> Party | None:
    if to_party is None:
        return None
    if isinstance(to_party, bool) or not isinstance(to_party, int):
        raise InvalidInput(
            _("must be a party's id, or null for the facilitators"), field="to_party"
        )
    party = Party.objects.filter(pk=to_party, initiative_id=exchange.initiative_id).first()
    if party is None:
        raise InvalidInput(_("no such party in this initiative"), field="to_party")
    if party.pk == voice.party_id:
        raise InvalidInput(_("a message goes to another side"), field="to_party")
    return party


def _question(exchange: Exchange, voice: ExchangeVoice, reply_to: object) -> BackChannelMessage:
    if isinstance(reply_to, bool) or not isinstance(reply_to, int):
        raise InvalidInput(_("must be a message's id"), field="reply_to")
    question = BackChannelMessage.objects.filter(
        pk=reply_to,
        exchange_link__exchange=exchange,
        to_party_id=voice.party_id,
        state__in=(MessageState.CARRIED, MessageState.ANSWERED),
    ).first()
    if question is None:
        raise InvalidInput(
            _("no message to your side in this exchange with that id"), field="reply_to"
        )
    return question


@transaction.atomic
def draft_in_exchange(
    exchange: Exchange, who: Caller, to_party: object, text: object, *, reply_to: object = None
) -> BackChannelMessage:
    """A liaison with a voice writes as their side; the message waits for a facilitator."""
    voice = voice_of(who, exchange.pk)
    if voice is None:
        raise NotFound(_("no such exchange"))
    if exchange.closed_at is not None:
        raise Conflict(_("the exchange is closed"), field="exchange")
    question = None if reply_to is None else _question(exchange, voice, reply_to)
    message = BackChannelMessage(
        initiative_id=exchange.initiative_id,
        from_party_id=voice.party_id,
        to_party=question.from_party if question else _recipient(exchange, voice, to_party),
        reply_to=question,
        state=MessageState.AWAITING,
    )
    clean = clean_text(text, "text", max_chars=MAX_MESSAGE_CHARS, multiline=True)
    message.body.write(box_for_sealing(exchange.initiative_id), clean)
    message.save()
    ExchangeMessage.objects.create(
        message=message,
        exchange=exchange,
        initiative_id=exchange.initiative_id,
        written_by=who.user,
    )
    return message


def follow_exchange(reply: BackChannelMessage) -> None:
    """A reply to an exchange's message joins the exchange."""
    if reply.reply_to_id is None:
        return
    link = ExchangeMessage.objects.filter(message_id=reply.reply_to_id).first()
    if link is not None:
        ExchangeMessage.objects.create(
            message=reply, exchange_id=link.exchange_id, initiative_id=reply.initiative_id
        )


# -- what each one sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceView:
    user: int
    side: str


@dataclass(frozen=True)
class ExchangeView:
    id: int
    name: str
    closed: bool
    voices: tuple[VoiceView, ...]  # for the convener and facilitators; () for a liaison
    side: str | None  # the liaison's side in it; None for the convener and facilitators


def exchanges(initiative: Initiative, *, user: User | None = None) -> list[ExchangeView]:
    """Every exchange of the initiative with its voices, or (``user``) those the liaison
    has a voice in, without the other voices."""
    box = box_for(initiative.pk)
    names = {p.pk: p.name.read(box) for p in Party.objects.filter(initiative=initiative)}
    rows = Exchange.objects.filter(initiative=initiative).prefetch_related("voices")
    found: list[ExchangeView] = []
    for exchange in rows.order_by("id"):
        voices = list(exchange.voices.all())
        mine = [v for v in voices if user is not None and v.user_id == user.pk]
        if user is not None and not mine:
            continue
        found.append(
            ExchangeView(
                exchange.pk,
                exchange.name.read(box),
                exchange.closed_at is not None,
                () if user else tuple(VoiceView(v.user_id, names[v.party_id]) for v in voices),
                names[mine[0].party_id] if mine else None,
            )
        )
    return found


def exchange_names(initiative: Initiative) -> dict[int, str]:
    """Each exchange message's exchange name, by message id."""
    box = box_for(initiative.pk)
    links = ExchangeMessage.objects.filter(initiative=initiative).select_related("exchange")
    return {link.message_id: link.exchange.name.read(box) for link in links}

"""Every state change of the back-channel: drafting, carrying, rewording, holding, caucuses.

Each function is one transaction and checks the caller itself (:mod:`.members`). A carried
message's flow::

    drafted -> awaiting -> carried (by a facilitator; its question becomes "answered")
                        -> proposed (a rewording) -> carried (the sender accepts it)
                                                  -> awaiting (the sender edits it)
                        -> held (with a reason the sender sees)
    drafted, awaiting, proposed -> withdrawn (by the sender)

Every carry, rewording and hold is audited with ids only; nothing people wrote goes in
the audit log.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.auth import Caller
from tracktwo.backchannel.exchanges import follow_exchange, voice_for_message, written_by
from tracktwo.backchannel.members import Member, require_carrier, require_member
from tracktwo.backchannel.models import Caucus, CaucusPost, CheckIn, HandoverNote
from tracktwo.backchannel.policy import caucus_for
from tracktwo.consent.gates import require_verbatim_allowed
from tracktwo.initiatives.models import BackChannelMessage, Initiative, MessageState, Party
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing
from tracktwo.transfer.actions import narrative_of, update_narrative
from tracktwo.transfer.models import Brief

MAX_MESSAGE_CHARS = 4_000
EDITABLE = (MessageState.DRAFTED, MessageState.PROPOSED)
WITHDRAWABLE = (MessageState.DRAFTED, MessageState.AWAITING, MessageState.PROPOSED)


def _text(value: object, field: str = "text") -> str:
    return clean_text(value, field, max_chars=MAX_MESSAGE_CHARS, multiline=True)


def _recipient(initiative: Initiative, member: Member, to_party: object) -> Party | None:
    if to_party is None:
        return None
    if isinstance(to_party, bool) or not isinstance(to_party, int):
        raise InvalidInput(
            _("must be a party's id, or null for the facilitators"), field="to_party"
        )
    party = Party.objects.filter(pk=to_party, initiative=initiative).first()
    if party is None:
        raise InvalidInput(_("no such party in this initiative"), field="to_party")
    if party.pk == member.party.pk:
        raise InvalidInput(_("a message goes to another side"), field="to_party")
    return party


def _question(initiative: Initiative, member: Member, reply_to: object) -> BackChannelMessage:
    if isinstance(reply_to, bool) or not isinstance(reply_to, int):
        raise InvalidInput(_("must be a message's id"), field="reply_to")
    question = BackChannelMessage.objects.filter(
        pk=reply_to,
        initiative=initiative,
        to_party=member.party,
        state__in=(MessageState.CARRIED, MessageState.ANSWERED),
    ).first()
    if question is None:
        raise InvalidInput(_("no message to your side with that id"), field="reply_to")
    return question


@transaction.atomic
def draft_message(
    initiative: Initiative,
    who: Caller,
    to_party: object,
    text: object,
    *,
    reply_to: object = None,
    draft: bool = False,
) -> BackChannelMessage:
    """A member's message to another side (``to_party`` None: to the facilitators only).

    A reply (``reply_to``: a message carried to the member's side) goes back to the side
    that wrote it. It waits for a facilitator, or stays a draft with ``draft``.
    """
    member = require_member(who, initiative)
    question = None if reply_to is None else _question(initiative, member, reply_to)
    recipient = question.from_party if question else _recipient(initiative, member, to_party)
    message = BackChannelMessage(
        initiative=initiative,
        from_party=member.party,
        to_party=recipient,
        sender=member.participant,
        reply_to=question,
        state=MessageState.DRAFTED if draft else MessageState.AWAITING,
    )
    message.body.write(box_for_sealing(initiative.pk), _text(text))
    message.save()
    follow_exchange(message)
    return message


def _audit(action: str, message: BackChannelMessage, actor: Actor) -> None:
    record(
        f"back_channel.{action}",
        actor=actor,
        initiative_id=message.initiative_id,
        target_type="back_channel_message",
        target_id=message.pk,
        details={"from_party": message.from_party_id, "to_party": message.to_party_id},
    )


def _locked(message: BackChannelMessage) -> BackChannelMessage:
    return (
        BackChannelMessage.objects.select_for_update()
        .select_related("initiative")
        .get(pk=message.pk)
    )


def _require_state(message: BackChannelMessage, *allowed: str) -> None:
    if message.state not in allowed:
        raise Conflict(
            _("the message is %(state)s: it cannot be changed that way")
            % {"state": MessageState(message.state).label},
            field="state",
        )


def _deliver(message: BackChannelMessage, carrier_id: int | None) -> None:
    message.state = MessageState.CARRIED
    message.carried_by_id = carrier_id
    message.carried_at = timezone.now()
    if message.reply_to_id is not None:
        BackChannelMessage.objects.filter(
            pk=message.reply_to_id, state=MessageState.CARRIED
        ).update(state=MessageState.ANSWERED)


@transaction.atomic
def carry(message: BackChannelMessage, who: Caller) -> BackChannelMessage:
    """A facilitator carries a waiting message as written (audited)."""
    message = _locked(message)
    require_carrier(who, message.initiative)
    _require_state(message, MessageState.AWAITING)
    assert who.user is not None
    _deliver(message, who.user.pk)
    message.save(update_fields=["state", "carried_by", "carried_at"])
    _audit("carried", message, Actor.user(who.user))
    return message


@transaction.atomic
def propose(message: BackChannelMessage, who: Caller, text: object) -> BackChannelMessage:
    """A facilitator proposes a rewording of a waiting message to its sender (audited)."""
    message = _locked(message)
    require_carrier(who, message.initiative)
    _require_state(message, MessageState.AWAITING)
    assert who.user is not None
    message.proposed.write(box_for_sealing(message.initiative_id), _text(text))
    message.state = MessageState.PROPOSED
    message.carried_by_id = who.user.pk
    message.save(update_fields=["proposed_sealed", "state", "carried_by"])
    _audit("rewording_proposed", message, Actor.user(who.user))
    return message


@transaction.atomic
def hold(message: BackChannelMessage, who: Caller, reason: object) -> BackChannelMessage:
    """A facilitator holds a message back, with a reason its side sees (audited)."""
    message = _locked(message)
    require_carrier(who, message.initiative)
    _require_state(message, MessageState.AWAITING, MessageState.PROPOSED)
    assert who.user is not None
    message.hold_reason.write(box_for_sealing(message.initiative_id), _text(reason, "reason"))
    message.state = MessageState.HELD
    message.save(update_fields=["hold_reason_sealed", "state"])
    _audit("held", message, Actor.user(who.user))
    return message


def _require_sender(message: BackChannelMessage, who: Caller) -> Actor:
    """The writer of the message, as an audit actor: the member, or the liaison who wrote it
    with a side's voice in a Track 1.5 exchange."""
    voice = voice_for_message(who, message)
    if voice is not None and voice.party_id == message.from_party_id:
        assert who.user is not None
        if written_by(message) != who.user.pk:
            raise NotAllowed(_("only the member who wrote the message may do this"))
        return Actor.user(who.user)
    member = require_member(who, message.initiative)
    if message.sender_id != member.participant.pk:
        if message.from_party_id == member.party.pk:
            raise NotAllowed(_("only the member who wrote the message may do this"))
        raise NotFound(_("no such message"))
    return Actor.participant(member.participant.public_id)


@transaction.atomic
def accept(message: BackChannelMessage, who: Caller) -> BackChannelMessage:
    """The sender accepts the proposed rewording: it is carried in those words (audited)."""
    message = _locked(message)
    actor = _require_sender(message, who)
    _require_state(message, MessageState.PROPOSED)
    box = box_for_sealing(message.initiative_id)
    message.body.write(box, message.proposed.read(box))
    message.proposed_sealed = b""
    _deliver(message, message.carried_by_id)
    message.save(update_fields=["body_sealed", "proposed_sealed", "state", "carried_at"])
    _audit("rewording_accepted", message, actor)
    return message


@transaction.atomic
def edit(message: BackChannelMessage, who: Caller, text: object) -> BackChannelMessage:
    """The sender rewrites a draft or a message with a proposed rewording: it waits again."""
    message = _locked(message)
    _require_sender(message, who)
    _require_state(message, *EDITABLE)
    message.body.write(box_for_sealing(message.initiative_id), _text(text))
    message.proposed_sealed = b""
    message.state = MessageState.AWAITING
    message.save(update_fields=["body_sealed", "proposed_sealed", "state"])
    return message


@transaction.atomic
def withdraw(message: BackChannelMessage, who: Caller) -> BackChannelMessage:
    """The sender takes back a message not yet carried or held."""
    message = _locked(message)
    _require_sender(message, who)
    _require_state(message, *WITHDRAWABLE)
    message.state = MessageState.WITHDRAWN
    message.save(update_fields=["state"])
    return message


# -- caucuses and continuity -----------------------------------------------------------------


def caucus_of(initiative: Initiative, party: Party) -> Caucus:
    caucus, _created = Caucus.objects.get_or_create(initiative=initiative, party=party)
    return caucus


@transaction.atomic
def post_in_caucus(
    initiative: Initiative,
    who: Caller,
    text: object,
    *,
    reply_to: object = None,
    side: object = None,
) -> CaucusPost:
    """A new thread in the member's side's caucus, or a reply to one of its threads; a
    facilitator writes in the caucus of ``side`` if that side included the facilitators."""
    caucus, _member = caucus_for(who, initiative, side)
    thread = None
    if reply_to is not None:
        if isinstance(reply_to, bool) or not isinstance(reply_to, int):
            raise InvalidInput(_("must be a thread's id"), field="reply_to")
        thread = CaucusPost.objects.filter(pk=reply_to, caucus=caucus, reply_to=None).first()
        if thread is None:
            raise InvalidInput(_("no thread of your caucus with that id"), field="reply_to")
    post = CaucusPost(caucus=caucus, initiative=initiative, reply_to=thread)
    post.text.write(box_for_sealing(initiative.pk), _text(text))
    post.save()
    return post


@transaction.atomic
def set_position(initiative: Initiative, who: Caller, text: object) -> Caucus:
    """Replace the side's pinned position note (empty text clears it)."""
    member = require_member(who, initiative)
    caucus = caucus_of(initiative, member.party)
    clean = clean_text(text, "text", max_chars=MAX_MESSAGE_CHARS, required=False, multiline=True)
    caucus.position.write(box_for_sealing(initiative.pk), clean)
    caucus.save(update_fields=["position_sealed"])
    return caucus


@transaction.atomic
def schedule_check_in(initiative: Initiative, who: Caller, due_on: date, note: object) -> CheckIn:
    """A facilitator schedules a check-in on the channel (today or later; audited)."""
    require_carrier(who, initiative)
    if due_on < timezone.localdate():
        raise InvalidInput(_("must be today or later"), field="due_on")
    check_in = CheckIn(initiative=initiative, due_on=due_on)
    clean = clean_text(note, "note", max_chars=MAX_MESSAGE_CHARS, required=False, multiline=True)
    check_in.note.write(box_for_sealing(initiative.pk), clean)
    check_in.save()
    assert who.user is not None
    record(
        "back_channel.check_in_scheduled",
        actor=Actor.user(who.user),
        initiative_id=initiative.pk,
        target_type="check_in",
        target_id=check_in.pk,
    )
    return check_in


@transaction.atomic
def write_handover(initiative: Initiative, who: Caller, text: object) -> HandoverNote:
    """A facilitator's note for whoever carries the channel next (the latest counts)."""
    require_carrier(who, initiative)
    note = HandoverNote(initiative=initiative, written_by=who.user)
    note.text.write(
        box_for_sealing(initiative.pk),
        clean_text(text, "text", max_chars=MAX_LONG_TEXT_CHARS, multiline=True),
    )
    note.save()
    return note


# -- briefs ----------------------------------------------------------------------------------


def exchange_text(message: BackChannelMessage) -> str:
    """A carried exchange as a brief tells it: "Side A conveyed: ... Side B replied: ...",
    never with a person or a day."""
    box = box_for_sealing(message.initiative_id)
    said = _("%(side)s conveyed: %(text)s") % {
        "side": message.from_party.name.read(box),
        "text": message.body.read(box),
    }
    replies = BackChannelMessage.objects.filter(
        reply_to=message, state__in=(MessageState.CARRIED, MessageState.ANSWERED)
    ).select_related("from_party")
    lines = [said] + [
        _("%(side)s replied: %(text)s")
        % {"side": reply.from_party.name.read(box), "text": reply.body.read(box)}
        for reply in replies.order_by("id")
    ]
    return "\n".join(lines)


@transaction.atomic
def include_in_brief(message: BackChannelMessage, who: Caller, brief: Brief) -> Brief:
    """Add a carried exchange to the context of a draft brief of the same initiative
    (the brief's facilitators only; audited). The brief scrubs handles as for any text."""
    require_carrier(who, message.initiative)
    if brief.dialogue.initiative_id != message.initiative_id:
        raise InvalidInput(_("no draft brief of this initiative with that id"), field="brief")
    _require_state(message, MessageState.CARRIED, MessageState.ANSWERED)
    require_verbatim_allowed(brief.dialogue)
    if message.to_party_id is None:
        raise Conflict(_("a message for the facilitators only stays out of briefs"), field="state")
    assert who.user is not None
    context = narrative_of(brief, brief.dialogue).get("context", "")
    joined = "\n\n".join(part for part in (context, exchange_text(message)) if part)
    updated = update_narrative(brief, who.user, context=joined)
    record(
        "back_channel.included_in_brief",
        actor=Actor.user(who.user),
        initiative_id=message.initiative_id,
        target_type="back_channel_message",
        target_id=message.pk,
        details={"brief": brief.pk},
    )
    return updated

"""Who speaks in the back-channel: a side's members, and the facilitators who carry.

A side's members are the active participants of that side (their sealed profile's party)
in any dialogue of the initiative; participants who joined as observers are not. The
facilitators are the initiative's conveners and its facilitators, initiative-wide or of
any of its dialogues, so the channel survives a change of facilitators. Observers and
Track One liaisons have no place here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tracktwo.accounts.auth import Caller
from tracktwo.backchannel.exchanges import voice_for_message
from tracktwo.dialogues.models import Participant
from tracktwo.initiatives.models import (
    BackChannelMessage,
    Initiative,
    Membership,
    MessageState,
    Party,
)
from tracktwo.initiatives.permissions import RUNNING_ROLES
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for


@dataclass(frozen=True)
class Member:
    """A participant speaking for their side."""

    participant: Participant
    party: Party


def may_carry(who: Caller, initiative: Initiative) -> bool:
    """Conveners and facilitators of the initiative (wide or of one of its dialogues)."""
    user = who.user if who.is_user else None
    if user is None or not user.is_active:
        return False
    return Membership.objects.filter(
        user_id=user.pk, initiative=initiative, role__in=RUNNING_ROLES
    ).exists()


def party_of(participant: Participant, initiative: Initiative) -> Party:
    """The side a participant of the initiative belongs to, from their sealed profile."""
    profile = participant.profile.read(box_for(initiative.pk))
    return Party.objects.get(pk=int(profile["party"]), initiative=initiative)


def member_of(who: Caller, initiative: Initiative) -> Member | None:
    """The caller as a member of a side of this initiative, or None."""
    if not who.is_participant:
        return None
    participant: Participant = who.participant
    in_initiative = Participant.objects.filter(
        pk=participant.pk, dialogue__initiative_id=initiative.pk
    ).exists()
    if not in_initiative:
        return None
    return Member(participant, party_of(participant, initiative))


def require_member(who: Caller, initiative: Initiative) -> Member:
    """The caller as an active, speaking member of a side; otherwise refused (404 to
    strangers, 403 to the initiative's people without a voice here)."""
    member = member_of(who, initiative)
    if member is None:
        if may_carry(who, initiative) or _knows_initiative(who, initiative):
            raise NotAllowed(_("only the members of a side may write here"))
        raise NotFound(_("no such initiative"))
    if member.participant.withdrawn_at is not None:
        raise NotAllowed(_("you have withdrawn from the dialogue"), field="participant")
    if member.participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not write in the back-channel"))
    return member


def require_carrier(who: Caller, initiative: Initiative) -> None:
    """Refuse anyone but the initiative's facilitators (404 to strangers)."""
    if may_carry(who, initiative):
        return
    if member_of(who, initiative) is not None or _knows_initiative(who, initiative):
        raise NotAllowed(_("only the facilitators carry messages"))
    raise NotFound(_("no such initiative"))


def _knows_initiative(who: Caller, initiative: Initiative) -> bool:
    user = who.user if who.is_user else None
    if user is None:
        return False
    return Membership.objects.filter(user_id=user.pk, initiative=initiative).exists()


def may_see(who: Caller, message: BackChannelMessage) -> bool:
    """The initiative's facilitators, the sending side, and once it is carried its
    addressees (a side's members, or in a Track 1.5 exchange the liaisons given that side's
    voice in it); to anyone else the message does not exist."""
    if may_carry(who, message.initiative):
        return True
    member = member_of(who, message.initiative)
    side = member.party.pk if member else None
    if side is None:
        voice = voice_for_message(who, message)  # a liaison speaking for a side in an exchange
        side = voice.party_id if voice else None
    delivered = message.state in (MessageState.CARRIED, MessageState.ANSWERED)
    return side == message.from_party_id or (delivered and side == message.to_party_id)

"""Two choices about the channel: a side's, to let the facilitators into its caucus, and the
convener's, how long carried messages live.

**Who includes the facilitators.** A caucus belongs to its side, so the side decides: any
active member of the side (a participant of that side, not an observer, not withdrawn) may
include the facilitators or leave them out again, and each change is audited with ids only
(the side and the member's public id, which the audit log keeps anyway for acts of that
member). While included, the initiative's conveners and facilitators read the caucus and may
write threads and replies in it; the pinned position stays the side's alone. Left out, they
are told it does not exist.

**Message expiry.** A carried message is deleted a set number of days after it was carried
(default :data:`~tracktwo.backchannel.models.DEFAULT_MESSAGE_EXPIRY_DAYS`), by the retention
purge (``tracktwo purge``); the convener sets the number per initiative. Messages never
carried still go with the initiative's retention period, counted from when they were written.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.auth import Caller
from tracktwo.accounts.models import User
from tracktwo.backchannel.members import may_carry, member_of, require_member
from tracktwo.backchannel.models import DEFAULT_MESSAGE_EXPIRY_DAYS, Caucus, ChannelPolicy
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.initiatives.permissions import can_convene
from tracktwo.practice.errors import InvalidInput, NotAllowed, NotFound
from tracktwo.practice.validation import clean_int
from tracktwo.safety.audit import Actor, record

MAX_EXPIRY_DAYS = 3650


def expiry_days_of(initiative: Initiative) -> int:
    """Days a carried message of the initiative lives (the retention purge asks this)."""
    found = ChannelPolicy.objects.filter(initiative_id=initiative.pk).first()
    return found.message_expiry_days if found else DEFAULT_MESSAGE_EXPIRY_DAYS


@transaction.atomic
def set_message_expiry(initiative: Initiative, user: User | None, days: object) -> int:
    """The convener sets how many days carried messages live (1 to 3650; audited)."""
    if not can_convene(user, initiative):
        raise NotAllowed(_("only the convener sets how long messages are kept"))
    assert user is not None
    clean = clean_int(days, "days", minimum=1, maximum=MAX_EXPIRY_DAYS)
    ChannelPolicy.objects.update_or_create(
        initiative=initiative, defaults={"message_expiry_days": clean}
    )
    record(
        "back_channel.expiry_changed",
        actor=Actor.user(user),
        initiative_id=initiative.pk,
        target_type="initiative",
        target_id=initiative.pk,
        details={"days": clean},
    )
    return clean


@transaction.atomic
def include_facilitators(initiative: Initiative, who: Caller, included: object) -> Caucus:
    """A member of a side lets the facilitators into its caucus, or leaves them out (audited)."""
    member = require_member(who, initiative)
    if not isinstance(included, bool):
        raise InvalidInput(_("must be true or false"), field="included")
    caucus, _created = Caucus.objects.select_for_update().get_or_create(
        initiative=initiative, party=member.party
    )
    if caucus.facilitators_included != included:
        caucus.facilitators_included = included
        caucus.save(update_fields=["facilitators_included"])
        record(
            "back_channel.caucus_facilitators_" + ("included" if included else "left_out"),
            actor=Actor.participant(member.participant.public_id),
            initiative_id=initiative.pk,
            target_type="caucus",
            target_id=caucus.pk,
            details={"party": member.party.pk},
        )
    return caucus


def caucus_for(who: Caller, initiative: Initiative, side: object = None) -> tuple[Caucus, bool]:
    """The caucus the caller may use, and whether they are its side's member.

    A member gets their side's (``side`` ignored); a facilitator the caucus of ``side`` if
    that side included the facilitators; anyone else is refused as :func:`require_member`.
    """
    if member_of(who, initiative) is not None or not may_carry(who, initiative):
        member = require_member(who, initiative)
        caucus, _created = Caucus.objects.get_or_create(initiative=initiative, party=member.party)
        return caucus, True
    if isinstance(side, bool) or not isinstance(side, int):
        raise NotFound(_("no caucus open to the facilitators for that side"))
    found = Caucus.objects.filter(
        initiative=initiative, party_id=side, facilitators_included=True
    ).first()
    if found is None:
        raise NotFound(_("no caucus open to the facilitators for that side"))
    return found, False


def included_sides(initiative: Initiative) -> list[Party]:
    """The sides whose caucus the facilitators may read, in the sides' order."""
    ids = Caucus.objects.filter(initiative=initiative, facilitators_included=True).values(
        "party_id"
    )
    return list(Party.objects.filter(pk__in=ids).order_by("position"))

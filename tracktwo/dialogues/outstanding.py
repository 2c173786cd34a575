"""Invitations still outstanding: what the facilitators see of them, and revoking one.

An invitation is *open* until it is used, expires or is revoked. Facilitators see the open
ones by party, track, role and expiry -- never their links: only the digests are stored --
and how many were used, ran out or were revoked. Revoking an invitation nobody has used
is audited; a used one cannot be revoked (the person who joined with it can withdraw).
Import :func:`revoke_invitation` from :mod:`tracktwo.dialogues.actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues import permissions
from tracktwo.dialogues.errors import Conflict, NotFound
from tracktwo.dialogues.formats import ParticipantRole, Track
from tracktwo.dialogues.models import Dialogue, Invitation, Party
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

OPEN, USED, EXPIRED, REVOKED = "open", "used", "expired", "revoked"


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation that still admits someone (no token: it is not stored)."""

    id: int
    party_id: int
    party: str
    track: int | None
    track_label: str
    role: str
    role_label: str
    official: bool
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class InvitationCounts:
    open: int
    used: int
    expired: int
    revoked: int


def state_of(invitation: Invitation, now: datetime | None = None) -> str:
    """``used``, ``revoked``, ``expired`` or ``open`` (in that order of precedence)."""
    if invitation.used_at is not None:
        return USED
    if invitation.revoked_at is not None:
        return REVOKED
    if invitation.expires_at <= (now or timezone.now()):
        return EXPIRED
    return OPEN


def open_invitations(dialogue: Dialogue, box: Box | None = None) -> list[OpenInvitation]:
    """The dialogue's open invitations, the soonest to expire first."""
    box = box or box_for(dialogue.initiative_id)
    parties = {
        p.pk: p.name.read(box) for p in Party.objects.filter(initiative=dialogue.initiative_id)
    }
    rows = Invitation.objects.filter(
        dialogue=dialogue,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("expires_at", "id")
    found = []
    for invitation in rows:
        terms = invitation.terms.read(box)
        party_id = int(terms.get("party") or 0)
        track = int(terms["track"]) if terms.get("track") else None
        role = str(terms.get("role") or ParticipantRole.PARTICIPANT)
        found.append(
            OpenInvitation(
                id=invitation.pk,
                party_id=party_id,
                party=parties.get(party_id, ""),
                track=track,
                track_label=str(Track(track).label) if track else "",
                role=role,
                role_label=str(ParticipantRole(role).label),
                official=bool(terms.get("official")),
                created_at=invitation.created_at,
                expires_at=invitation.expires_at,
            )
        )
    return found


def invitation_counts(dialogue: Dialogue) -> InvitationCounts:
    """How many of the dialogue's invitations are open, used, expired and revoked."""
    now = timezone.now()
    counts = {OPEN: 0, USED: 0, EXPIRED: 0, REVOKED: 0}
    rows = Invitation.objects.filter(dialogue=dialogue).only("used_at", "revoked_at", "expires_at")
    for invitation in rows:
        counts[state_of(invitation, now)] += 1
    return InvitationCounts(**counts)


@transaction.atomic
def revoke_invitation(dialogue: Dialogue, invitation_id: int, by: User) -> Invitation:
    """Withdraw an invitation nobody has used: it admits no one from now on (audited).

    Any real identity a convener recorded with it is dropped, since nobody will join with
    it. Raises NotFound for an invitation of another dialogue, Conflict for one already
    used or revoked.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("revoke invitations"))
    invitation = (
        Invitation.objects.select_for_update().filter(pk=invitation_id, dialogue=dialogue).first()
        if type(invitation_id) is int
        else None
    )
    if invitation is None:
        raise NotFound(_("no such invitation"))
    state = state_of(invitation)
    if state == USED:
        raise Conflict(_("this invitation was already used: it can no longer be revoked"))
    if state == REVOKED:
        raise Conflict(_("this invitation was already revoked"))
    invitation.revoked_at = timezone.now()
    invitation.identity_sealed = b""
    invitation.save(update_fields=["revoked_at", "identity_sealed"])
    record(
        "invitation.revoked",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"invitation": invitation.pk, "had_expired": state == EXPIRED},
    )
    return invitation

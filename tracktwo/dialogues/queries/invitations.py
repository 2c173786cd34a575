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

from django.utils import timezone

from tracktwo.dialogues.models import Dialogue, Invitation
from tracktwo.initiatives.models import Party
from tracktwo.practice.formats import ParticipantRole, Track
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

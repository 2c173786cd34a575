"""Invitations, joining, participants' tokens and recovery, withdrawal, real identities.

Participants need no email or phone: a convener or facilitator creates a single-use,
expiring invitation for one party and track (raw token ``t2i_...``, only its SHA-256 is
stored); the invitee joins with a handle, accepts the ground rules, and receives a
bearer token (``t2p_...``, only its SHA-256 stored) and a recovery code, so a lost phone
does not mean a second identity. A real identity, if recorded at all, is sealed apart
and visible to the initiative's conveners only, each view audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.actions.identities import clean_identity
from tracktwo.dialogues.models import (
    Dialogue,
    Invitation,
    Participant,
    ParticipantIdentity,
    Statement,
    Vote,
)
from tracktwo.dialogues.models.contributions import Profile, handle_digest
from tracktwo.dialogues.queries.invitations import EXPIRED, REVOKED, USED, state_of
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Party
from tracktwo.practice.errors import (
    Conflict,
    GroundRulesNotAccepted,
    HandleTaken,
    InvalidInput,
    InvitationExpired,
    InvitationRevoked,
    InvitationUsed,
    NotAllowed,
    NotAuthenticated,
    NotFound,
)
from tracktwo.practice.formats import ParticipantRole, Track
from tracktwo.practice.validation import (
    clean_choice,
    clean_gender,
    clean_handle,
    clean_languages,
    clean_text,
)
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.crypto import token_digest
from tracktwo.safety.datakeys import box_for_sealing

INVITATION_PREFIX = "t2i_"
PARTICIPANT_PREFIX = "t2p_"
DEFAULT_INVITATION_LIFETIME = timedelta(days=7)
MAX_INVITATION_LIFETIME = timedelta(days=90)
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def _new_token(prefix: str) -> tuple[str, str]:
    raw = prefix + secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(20))
    return "-".join(chars[i : i + 4] for i in range(0, 20, 4))


def _recovery_digest(code: str) -> str:
    normal = code.upper().replace("-", "").replace(" ", "")
    normal = normal.translate(str.maketrans("OIL", "011"))
    return hashlib.sha256(f"tracktwo.recovery:{normal}".encode()).hexdigest()


def _new_public_id() -> str:
    return "p" + secrets.token_hex(10)  # never all digits, so engines keep it a string


class Joined(NamedTuple):
    """What a participant receives on joining or recovering: show the token and code once."""

    participant: Participant
    token: str
    recovery_code: str


@transaction.atomic
def create_invitation(
    dialogue: Dialogue,
    *,
    party: Party | int,
    by: User,
    track: int | None = None,
    role: str = ParticipantRole.PARTICIPANT,
    official: bool = False,
    expires_in: timedelta = DEFAULT_INVITATION_LIFETIME,
    identity: dict[str, str] | None = None,
) -> tuple[Invitation, str]:
    """A single-use invitation to the dialogue for one party (and track); returns the raw token.

    ``identity`` (``{"real_name", "contact", "notes"}``), if given, is the invitee's real
    identity: sealed, and only a convener may record it. Show the raw token once.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("invite participants"))
    party_id = party.pk if isinstance(party, Party) else party
    if not Party.objects.filter(pk=party_id, initiative_id=dialogue.initiative_id).exists():
        raise InvalidInput(_("not a party of this dialogue's initiative"), field="party")
    if track is not None and (isinstance(track, bool) or track not in Track.values):
        raise InvalidInput(_("must be a track from 1 to 9"), field="track")
    role = clean_choice(role, "role", ParticipantRole.values)
    if not isinstance(expires_in, timedelta) or not (
        timedelta(minutes=5) <= expires_in <= MAX_INVITATION_LIFETIME
    ):
        raise InvalidInput(_("must be between 5 minutes and 90 days"), field="expires_in")
    raw, digest = _new_token(INVITATION_PREFIX)
    invitation = Invitation(
        dialogue=dialogue,
        token_digest=digest,
        created_by=by,
        expires_at=timezone.now() + expires_in,
    )
    box = box_for_sealing(dialogue.initiative_id)
    terms = {"party": party_id, "track": track, "official": bool(official), "role": role}
    invitation.terms.write(box, terms)
    if identity is not None:
        permissions.require(
            permissions.can_convene(by, dialogue.initiative), _("record real identities")
        )
        invitation.identity.write(
            box,
            clean_identity(
                identity.get("real_name", ""),
                identity.get("contact", ""),
                identity.get("notes", ""),
            ),
        )
    invitation.save()
    record(
        "invitation.created",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"invitation": invitation.pk, "with_identity": identity is not None},
    )
    return invitation, raw


@transaction.atomic
def join(
    token: str,
    handle: str,
    accept_ground_rules: bool,
    *,
    languages: list[str] | tuple[str, ...] = (),
    gender: str = "",
    region: str = "",
) -> Joined:
    """Join a dialogue with an invitation token, a handle, and acceptance of the ground rules.

    Raises NotFound (unknown token), InvitationUsed / InvitationExpired /
    InvitationRevoked (410),
    GroundRulesNotAccepted (400), InvalidInput (400), HandleTaken (409). On success the
    invitation is used up and the participant gets a token and a recovery code.

    Kept in one piece: one transaction whose checks (token, expiry, revocation, ground
    rules, handle) run in this order on the locked invitation before anything is written.
    """
    if not isinstance(token, str) or not token.startswith(INVITATION_PREFIX):
        raise NotFound(_("no such invitation"))
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("dialogue")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or invitation.dialogue.purged_at is not None:
        raise NotFound(_("no such invitation"))
    if invitation.used_at is not None:
        raise InvitationUsed(_("this invitation was already used: each admits one person"))
    if invitation.revoked_at is not None:
        raise InvitationRevoked(
            _("this invitation was withdrawn: ask the facilitator for a new one")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired(_("this invitation has expired: ask the facilitator for a new one"))
    if accept_ground_rules is not True:
        raise GroundRulesNotAccepted(_("accept the ground rules to take part"))
    display = clean_handle(handle)
    languages_ = tuple(clean_languages(languages))
    gender_ = clean_gender(gender)
    region_ = clean_text(region, "region", max_chars=120, required=False)
    dialogue = invitation.dialogue
    box = box_for_sealing(dialogue.initiative_id)
    terms: dict[str, Any] = invitation.terms.read(box)
    digest = handle_digest(box, dialogue.pk, display)
    if Participant.objects.filter(dialogue=dialogue, handle_digest=digest).exists():
        raise HandleTaken(_("someone in this dialogue already uses that handle: choose another"))
    raw, token_hash = _new_token(PARTICIPANT_PREFIX)
    recovery_code = _new_recovery_code()
    participant = Participant(
        dialogue=dialogue,
        public_id=_new_public_id(),
        handle_digest=digest,
        role=terms["role"],
        token_digest=token_hash,
        recovery_digest=_recovery_digest(recovery_code),
        ground_rules_version_accepted=dialogue.ground_rules_version,
        consent_version_accepted=dialogue.consent_version,
    )
    participant.handle.write(box, display)
    profile = Profile(
        party_id=terms["party"],
        track=terms["track"],
        official=terms["official"],
        languages=languages_,
        gender=gender_,
        region=region_,
        level=str(terms.get("level", "")),
    )
    participant.profile.write(box, profile.to_json())
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise HandleTaken(
            _("someone in this dialogue already uses that handle: choose another")
        ) from None
    if invitation.identity.is_set:
        identity = ParticipantIdentity(participant=participant, recorded_by=invitation.created_by)
        identity.record.write(box, invitation.identity.read(box))
        identity.save()
    invitation.used_at = timezone.now()
    invitation.identity_sealed = b""
    invitation.save(update_fields=["used_at", "identity_sealed"])
    record(
        "participant.joined",
        actor=Actor.participant(participant.public_id),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"invitation": invitation.pk},
    )
    return Joined(participant, raw, recovery_code)


def participant_by_token(token: str) -> Participant:
    """The active participant holding this bearer token, with its dialogue loaded (one query).

    Raises NotAuthenticated (401) for an unknown, revoked or malformed token.
    """
    if not isinstance(token, str) or not token.startswith(PARTICIPANT_PREFIX):
        raise NotAuthenticated(_("not a participant token"))
    participant = (
        Participant.objects.select_related("dialogue")
        .filter(token_digest=token_digest(token), withdrawn_at__isnull=True)
        .first()
    )
    if participant is None:
        raise NotAuthenticated(_("unknown or revoked participant token"))
    return participant


@transaction.atomic
def accept_ground_rules(participant: Participant, version: int) -> None:
    """Record that the participant accepted this version of the ground rules (the current one)."""
    dialogue = participant.dialogue
    if participant.withdrawn_at is not None:
        raise NotAllowed(_("you have withdrawn from this dialogue"))
    if version != dialogue.ground_rules_version:
        raise InvalidInput(
            _("the current ground rules are version %(version)d")
            % {"version": dialogue.ground_rules_version},
            field="version",
        )
    participant.ground_rules_version_accepted = version
    participant.save(update_fields=["ground_rules_version_accepted"])


@transaction.atomic
def recover(dialogue: Dialogue, handle: str, recovery_code: str) -> Joined:
    """A new token (the old one stops working) and a new recovery code, for a participant
    who lost theirs. Raises NotFound for any wrong handle or code (no hint which)."""
    failure = NotFound(_("no participant with that handle and recovery code in this dialogue"))
    if not isinstance(handle, str) or not isinstance(recovery_code, str):
        raise failure
    box = box_for_sealing(dialogue.initiative_id)
    participant = (
        Participant.objects.select_for_update()
        .filter(
            dialogue=dialogue,
            handle_digest=handle_digest(box, dialogue.pk, handle),
            withdrawn_at__isnull=True,
        )
        .first()
    )
    supplied = _recovery_digest(recovery_code)
    stored = participant.recovery_digest if participant else "0" * 64
    if participant is None or not hmac.compare_digest(supplied, stored):
        raise failure
    raw, token_hash = _new_token(PARTICIPANT_PREFIX)
    code = _new_recovery_code()
    participant.token_digest = token_hash
    participant.recovery_digest = _recovery_digest(code)
    participant.save(update_fields=["token_digest", "recovery_digest"])
    participant.dialogue = dialogue
    record(
        "participant.recovered",
        actor=Actor.participant(participant.public_id),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
    )
    return Joined(participant, raw, code)


@transaction.atomic
def withdraw(participant: Participant, *, remove_contributions: bool = False) -> None:
    """Leave the dialogue: the token and recovery code stop working, any recorded identity
    is erased. With ``remove_contributions`` the participant's votes are deleted and their
    statements withdrawn too."""
    if participant.withdrawn_at is not None:
        return
    now = timezone.now()
    participant.withdrawn_at = now
    participant.token_digest = None
    participant.recovery_digest = ""
    participant.save(update_fields=["withdrawn_at", "token_digest", "recovery_digest"])
    ParticipantIdentity.objects.filter(participant=participant).delete()
    if remove_contributions:
        Vote.objects.filter(participant=participant).delete()
        Statement.objects.filter(author_participant=participant, deleted_at__isnull=True).update(
            deleted_at=now
        )
    record(
        "participant.withdrew",
        actor=Actor.participant(participant.public_id),
        initiative_id=participant.dialogue.initiative_id,
        target_type="dialogue",
        target_id=participant.dialogue_id,
        details={"contributions_removed": remove_contributions},
    )


# -- real identities (conveners only) ---------------------------------------------------


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

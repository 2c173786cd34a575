"""Participants and what they contribute: invitations, identities, statements, votes, notices.

A participant is known to the system by opaque ids only: ``pk`` (used by votes and
statements) and ``public_id`` (used in engine input and member lists, random and
unrelated to the handle). The handle and the whole profile (party, track, official
status, languages, gender, region) are sealed; the handle's uniqueness per dialogue is
enforced on a keyed digest of its normalised form. Participants authenticate with a
bearer token of which only the SHA-256 digest is stored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracktwo.practice.formats import Moderation, NoticeKind, ParticipantRole
from tracktwo.safety.sealed import JSON, TEXT, Box, Sealed, register_rekey_hook

MAX_STATEMENT_CHARS = 1000
HANDLE_DIGEST_PURPOSE = "dialogues.Participant.handle"


def normalise_handle(handle: str) -> str:
    """The form handles are compared in: NFKC, case-folded, invisible characters dropped,
    whitespace squeezed (so "Ａｌｉｃｅ", "ALICE" and "alice " are the same handle)."""
    text = unicodedata.normalize("NFKC", handle).casefold()
    text = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf"
    )
    return " ".join(text.split())


def handle_digest(box: Box, dialogue_id: int, handle: str) -> str:
    """The keyed digest that keeps handles unique per dialogue without storing them in clear."""
    return box.digest(HANDLE_DIGEST_PURPOSE, f"{dialogue_id}:{normalise_handle(handle)}")


@dataclass(frozen=True)
class Profile:
    """A participant's sealed profile (everything optional except the party)."""

    party_id: int
    track: int | None = None
    official: bool = False
    languages: tuple[str, ...] = field(default_factory=tuple)
    gender: str = ""
    region: str = ""
    level: str = ""  # Lederach's level, from a drawn delegate's invitation; "" not recorded

    def to_json(self) -> dict[str, Any]:
        return {
            "party": self.party_id,
            "track": self.track,
            "official": self.official,
            "languages": list(self.languages),
            "gender": self.gender,
            "region": self.region,
            "level": self.level,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        return cls(
            party_id=int(data["party"]),
            track=None if data.get("track") is None else int(data["track"]),
            official=bool(data.get("official", False)),
            languages=tuple(data.get("languages", ())),
            gender=str(data.get("gender", "")),
            region=str(data.get("region", "")),
            level=str(data.get("level", "")),
        )


class Participant(models.Model):
    """A person taking part in one dialogue under a pseudonymous handle."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="participants"
    )
    public_id = models.CharField(max_length=24, unique=True)
    handle_sealed = models.BinaryField(default=b"")
    handle = Sealed(TEXT, initiative="dialogue__initiative_id")
    handle_digest = models.CharField(max_length=64)
    profile_sealed = models.BinaryField(default=b"")
    profile = Sealed[dict[str, Any]](JSON, initiative="dialogue__initiative_id")
    role = models.CharField(
        max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    recovery_digest = models.CharField(max_length=64, blank=True, default="")
    ground_rules_version_accepted = models.PositiveIntegerField(default=0)
    consent_version_accepted = models.PositiveIntegerField(default=0)  # 0: withdrawn or not given
    joined_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("dialogue_id", "id")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["dialogue", "handle_digest"], name="participant_handle_unique"
            )
        ]

    def __str__(self) -> str:
        return f"participant {self.public_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class ParticipantIdentity(models.Model):
    """A participant's real identity, if recorded at all: sealed, for conveners only."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="identity"
    )
    record_sealed = models.BinaryField(default=b"")
    record = Sealed[dict[str, str]](JSON, initiative="participant__dialogue__initiative_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"identity {self.pk}"


class Invitation(models.Model):
    """A single-use, expiring invitation to one dialogue for one party and track.

    ``terms`` (sealed) hold the party, track, official status and role the invitee
    joins with; ``identity`` (sealed, optional) is the real identity a convener records
    when inviting, moved to :class:`ParticipantIdentity` at join. A facilitator may revoke
    an invitation nobody has used yet (``revoked_at``): it then admits no one.
    """

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="invitations"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    terms_sealed = models.BinaryField(default=b"")
    terms = Sealed[dict[str, Any]](JSON, initiative="dialogue__initiative_id")
    identity_sealed = models.BinaryField(default=b"")
    identity = Sealed[dict[str, str]](JSON, initiative="dialogue__initiative_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("dialogue_id", "id")

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Statement(models.Model):
    """A statement participants vote on. Its author is kept private: never shown, never exported.

    Facilitators' statements (``author_user``) are seeds, accepted at once; participants'
    follow the dialogue's moderation setting. Redaction replaces the text (the original,
    which may identify its author, is not kept).
    """

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="statements"
    )
    session = models.ForeignKey(
        "dialogues.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase_index = models.PositiveSmallIntegerField(null=True, blank=True)
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="dialogue__initiative_id")
    author_participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_seed = models.BooleanField(default=False)
    is_meta = models.BooleanField(default=False)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("dialogue_id", "id")
        indexes = [  # noqa: RUF012
            models.Index(fields=["dialogue", "moderation", "id"], name="statement_by_state"),
        ]

    def __str__(self) -> str:
        return f"statement {self.pk}"

    @property
    def open_for_voting(self) -> bool:
        return self.moderation == Moderation.ACCEPTED and self.deleted_at is None


class Vote(models.Model):
    """One vote event: agree +1, disagree -1, pass 0 (the Pol.is export sign).

    History is kept: the latest row per (participant, statement) is the vote that counts.
    Rows link opaque ids only.
    """

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    value = models.SmallIntegerField()
    # The phase of the dialogue's current meeting when the vote was cast (None: no meeting).
    phase_index = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["statement", "participant", "id"], name="vote_cell"),
            models.Index(fields=["participant", "id"], name="vote_by_participant"),
            models.Index(fields=["dialogue", "id"], name="vote_by_dialogue"),
        ]
        constraints = [  # noqa: RUF012
            models.CheckConstraint(condition=Q(value__in=(-1, 0, 1)), name="vote_value_sign")
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class Notice(models.Model):
    """A private message to one participant, e.g. that their statement was redacted."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_sealed = models.BinaryField(default=b"")
    body = Sealed(TEXT, initiative="participant__dialogue__initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("participant_id", "id")

    def __str__(self) -> str:
        return f"notice {self.pk}"


@register_rekey_hook
def _rekey_handle_digests(initiative_id: int, old: Box, new: Box) -> None:
    """After a data-key rotation (handles already resealed under ``new``), recompute digests."""
    participants = list(
        Participant.objects.filter(dialogue__initiative_id=initiative_id)
        .exclude(handle_sealed=b"")
        .only("pk", "dialogue_id", "handle_sealed")
    )
    for participant in participants:
        participant.handle_digest = handle_digest(
            new, participant.dialogue_id, participant.handle.read(new)
        )
    Participant.objects.bulk_update(participants, ["handle_digest"], batch_size=500)

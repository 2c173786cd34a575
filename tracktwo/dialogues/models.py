"""Initiatives, their parties and dialogues, sessions and the people who run them.

Everything a seized database could use against a person is sealed under the
initiative's data key (:mod:`tracktwo.safety.sealed`): titles, descriptions, party
names, ground rules, notes, handles, profiles, identities, statements, messages. What
stays in clear is structure: opaque ids, formats, states, counts and timestamps.
Read and write sealed attributes with a box: ``dialogue.title.read(box_for(id))``.

Participants, statements and votes are in :mod:`tracktwo.dialogues.contributions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracktwo.dialogues.formats import (
    Confidentiality,
    DialogueFormat,
    MemberRole,
    TransferModel,
)
from tracktwo.safety.sealed import JSON, TEXT, Sealed

DEFAULT_RETENTION_DAYS = 365
DEFAULT_SMALL_CELL_THRESHOLD = 5


class Initiative(models.Model):
    """A Track Two process on one conflict: its parties, dialogues and data key."""

    title_sealed = models.BinaryField(default=b"")
    title = Sealed(TEXT, initiative="pk")
    description_sealed = models.BinaryField(default=b"")
    description = Sealed(TEXT, initiative="pk")  # the conflict, in the convener's words
    convening_organisation_sealed = models.BinaryField(default=b"")
    convening_organisation = Sealed(TEXT, initiative="pk")
    sponsors_sealed = models.BinaryField(default=b"")
    sponsors = Sealed[list[str]](JSON, initiative="pk")  # sponsors and funders
    retention_days = models.PositiveIntegerField(default=DEFAULT_RETENTION_DAYS)
    transfer_model = models.CharField(
        max_length=20, choices=TransferModel.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"initiative {self.pk}"


class Party(models.Model):
    """One side of the conflict (two or more per initiative)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField()
    name_sealed = models.BinaryField(default=b"")
    name = Sealed(TEXT, initiative="initiative_id")

    class Meta:
        ordering = ("initiative_id", "position")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["initiative", "position"], name="party_position_unique")
        ]

    def __str__(self) -> str:
        return f"party {self.pk}"


class Dialogue(models.Model):
    """A facilitated dialogue of an initiative, in one format under one confidentiality regime.

    ``phases`` is the agenda (phase keys of the format's template). Ground rules are
    sealed; an empty list means the format's defaults (shown in the reader's language).
    ``ground_rules_version`` goes up when they change; participants accept a version.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="dialogues")
    title_sealed = models.BinaryField(default=b"")
    title = Sealed(TEXT, initiative="initiative_id")
    description_sealed = models.BinaryField(default=b"")
    description = Sealed(TEXT, initiative="initiative_id")
    format = models.CharField(max_length=32, choices=DialogueFormat.choices)
    confidentiality = models.CharField(max_length=20, choices=Confidentiality.choices)
    phases = models.JSONField(default=list)
    moderation_required = models.BooleanField(default=True)
    results_shared = models.BooleanField(default=False)
    ground_rules_sealed = models.BinaryField(default=b"")
    ground_rules = Sealed[list[str]](JSON, initiative="initiative_id")
    ground_rules_version = models.PositiveIntegerField(default=1)
    small_cell_threshold = models.PositiveSmallIntegerField(default=DEFAULT_SMALL_CELL_THRESHOLD)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"dialogue {self.pk}"

    @property
    def is_secret(self) -> bool:
        return self.confidentiality == Confidentiality.SECRET


class Session(models.Model):
    """One meeting of a dialogue; the facilitator advances it through the agenda's phases.

    ``saunders_stage`` (1-5) records the stage of a sustained dialogue at this meeting.
    The date is sealed: for a secret meeting even the dates are confidential.
    """

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField()
    starts_at_sealed = models.BinaryField(default=b"")
    starts_at = Sealed[str | None](JSON, initiative="dialogue__initiative_id")  # ISO 8601
    phase_index = models.PositiveSmallIntegerField(default=0)
    saunders_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    notes_sealed = models.BinaryField(default=b"")
    notes = Sealed(TEXT, initiative="dialogue__initiative_id")  # facilitator notes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["dialogue", "number"], name="session_number_unique")
        ]

    def __str__(self) -> str:
        return f"session {self.number} of dialogue {self.dialogue_id}"


class Membership(models.Model):
    """A person with an account and a role in an initiative, or in one of its dialogues.

    Conveners are initiative-wide (``dialogue`` empty). Facilitators and observers are
    either initiative-wide or per dialogue. Liaisons see only briefs sent to them.
    One role per (user, initiative, dialogue-or-none).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="members")
    dialogue = models.ForeignKey(
        Dialogue, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(max_length=12, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["user", "initiative"],
                condition=Q(dialogue__isnull=True),
                name="membership_initiative_wide_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "dialogue"],
                condition=Q(dialogue__isnull=False),
                name="membership_dialogue_unique",
            ),
            models.CheckConstraint(
                condition=~Q(role=MemberRole.CONVENER) | Q(dialogue__isnull=True),
                name="membership_convener_initiative_wide",
            ),
        ]
        indexes = [models.Index(fields=["user", "initiative", "role"], name="membership_lookup")]  # noqa: RUF012

    def __str__(self) -> str:
        where = f"dialogue {self.dialogue_id}" if self.dialogue_id else "initiative-wide"
        return f"{self.role} of initiative {self.initiative_id} ({where})"


class BackChannelMessage(models.Model):
    """A message from one party to another, carried by the facilitators (sealed body)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="back_channel"
    )
    from_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    to_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    body_sealed = models.BinaryField(default=b"")
    body = Sealed(TEXT, initiative="initiative_id")
    carried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"back-channel message {self.pk}"


# Participants, statements and votes live in their own module; importing them here
# registers them with the dialogues app and lets callers import every model from here.
from tracktwo.dialogues.contributions import (  # noqa: E402
    Invitation,
    Notice,
    Participant,
    ParticipantIdentity,
    Statement,
    Vote,
)

__all__ = [
    "BackChannelMessage",
    "Dialogue",
    "Initiative",
    "Invitation",
    "Membership",
    "Notice",
    "Participant",
    "ParticipantIdentity",
    "Party",
    "Session",
    "Statement",
    "Vote",
]

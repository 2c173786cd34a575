"""Initiatives: a Track Two process on one conflict, its sides, who runs it, its back-channel.

Everything a seized database could use against a person is sealed under the
initiative's data key (:mod:`tracktwo.safety.sealed`): titles, descriptions, party
names, messages. What stays in clear is structure: opaque ids, roles and timestamps.
Read and write sealed attributes with a box: ``initiative.title.read(box_for(id))``.

These models were first defined in the ``dialogues`` app: they keep its tables
(``db_table``) and the associated data their sealed values were written with
(``SEALED_AS``), so moving them changed no stored byte.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.formats import MemberRole, TransferModel
from tracktwo.safety.sealed import JSON, TEXT, Sealed

DEFAULT_RETENTION_DAYS = 365


class Initiative(models.Model):
    """A Track Two process on one conflict: its parties, dialogues and data key."""

    SEALED_AS = "dialogues.Initiative"

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

    class Meta:
        db_table = "dialogues_initiative"

    def __str__(self) -> str:
        return f"initiative {self.pk}"


class Party(models.Model):
    """One side of the conflict (two or more per initiative)."""

    SEALED_AS = "dialogues.Party"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField()
    name_sealed = models.BinaryField(default=b"")
    name = Sealed(TEXT, initiative="initiative_id")

    class Meta:
        db_table = "dialogues_party"
        ordering = ("initiative_id", "position")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["initiative", "position"], name="party_position_unique")
        ]

    def __str__(self) -> str:
        return f"party {self.pk}"


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
        "dialogues.Dialogue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )
    role = models.CharField(max_length=12, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dialogues_membership"
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


class MessageState(models.TextChoices):
    """Where a back-channel message is between its side and its recipients."""

    DRAFTED = "drafted", _("drafted")
    AWAITING = "awaiting", _("awaiting the facilitator")
    PROPOSED = "proposed", _("rewording proposed")
    CARRIED = "carried", _("carried")
    HELD = "held", _("held")
    WITHDRAWN = "withdrawn", _("withdrawn")
    ANSWERED = "answered", _("answered")


class BackChannelMessage(models.Model):
    """A message from one party to another (or to the facilitators only), carried by the
    facilitators: sealed text, a sealed proposed rewording and hold reason.

    The ``tracktwo.backchannel`` app drafts, carries, rewords and holds them; ``sender``
    (a participant of the sending side) is never shown to anyone outside the sender's side.
    ``to_party`` empty: for the facilitators only.
    """

    SEALED_AS = "dialogues.BackChannelMessage"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="back_channel"
    )
    from_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    to_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body_sealed = models.BinaryField(default=b"")
    body = Sealed(TEXT, initiative="initiative_id")
    proposed_sealed = models.BinaryField(default=b"")
    proposed = Sealed(TEXT, initiative="initiative_id")  # the facilitator's rewording
    hold_reason_sealed = models.BinaryField(default=b"")
    hold_reason = Sealed(TEXT, initiative="initiative_id")
    state = models.CharField(
        max_length=12, choices=MessageState.choices, default=MessageState.CARRIED
    )
    sender = models.ForeignKey(
        "dialogues.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    carried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dialogues_backchannelmessage"
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"back-channel message {self.pk}"


# The actor map and candidate pools live in their own module set (``initiatives/actors``);
# Django finds an app's models through this module.
from tracktwo.initiatives.actors.models import (  # noqa: E402
    Actor,
    ActorTie,
    Candidate,
    DelegationPlan,
    Draw,
)

__all__ = [
    "Actor",
    "ActorTie",
    "BackChannelMessage",
    "Candidate",
    "DelegationPlan",
    "Draw",
    "Initiative",
    "Membership",
    "MessageState",
    "Party",
]

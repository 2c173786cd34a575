"""Briefs for Track One, their distribution, the transfer log and Track One events.

Everything confidential is sealed under the initiative's data key, as in the
dialogues app: a brief's narrative (title, context, proposals, next steps, method
note), the frozen rendering of an issued brief, a recipient's label, and the text of
transfer-log entries and Track One events. What stays in clear is structure: ids,
states, expiry times, recipient codes (a code names nobody:
only the sealed rows say whose it is) and digests of link tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracktwo.safety.sealed import JSON, TEXT, Sealed


class BriefState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Brief(models.Model):
    """A brief on a dialogue (``session`` empty) or on one of its sessions.

    A draft's findings are computed afresh at every rendering; only its narrative is
    stored. Issuing freezes the rendering (``frozen``: Markdown, HTML and the data the
    per-recipient copies are made from), after which nothing about it changes.
    """

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="briefs"
    )
    session = models.ForeignKey(
        "dialogues.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=8, choices=BriefState.choices, default=BriefState.DRAFT)
    narrative_sealed = models.BinaryField(default=b"")
    narrative = Sealed[dict[str, str]](JSON, initiative="dialogue__initiative_id")
    frozen_sealed = models.BinaryField(default=b"")
    frozen = Sealed[dict[str, str]](JSON, initiative="dialogue__initiative_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("dialogue", "id")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["dialogue"],
                condition=Q(state="draft", session__isnull=True),
                name="brief_one_dialogue_draft",
            ),
            models.UniqueConstraint(
                fields=["dialogue", "session"],
                condition=Q(state="draft", session__isnull=False),
                name="brief_one_session_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"brief {self.pk} ({self.state})"

    @property
    def is_draft(self) -> bool:
        return self.state == BriefState.DRAFT


class BriefRecipient(models.Model):
    """One recipient's copy of an issued brief: a Track One liaison, a code, an expiring link.

    ``code`` is printed on the copy and hidden in it (see :mod:`tracktwo.transfer.marking`);
    ``position`` is the copy's number among the brief's copies (also hidden in the PDF's
    layout). Only the SHA-256 digest of the link token is stored.
    """

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16, unique=True)
    label_sealed = models.BinaryField(default=b"")
    label = Sealed(TEXT, initiative="brief__dialogue__initiative_id")
    link_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("brief", "position")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["brief", "user"], name="brief_recipient_once"),
            models.UniqueConstraint(fields=["brief", "position"], name="brief_recipient_position"),
        ]

    def __str__(self) -> str:
        return f"copy {self.position} of brief {self.brief_id}"


class Channel(models.TextChoices):
    MEETING = "meeting", _("In a meeting")
    MEMO = "memo", _("Written memorandum")
    CALL = "call", _("Telephone or video call")
    MESSAGE = "message", _("Message or email")
    EVENT = "event", _("Conference or side event")
    OTHER = "other", _("Other")


class ConveyorKind(models.TextChoices):
    CONVENER = "convener", _("Convener")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")
    OTHER = "other", _("Other")


class TransferEntry(models.Model):
    """Who conveyed which brief or idea to which Track One body, when, how, and what came of it.

    ``text`` (sealed) holds ``conveyed_on`` and ``follow_up_due`` (ISO dates: even when a
    Track One body was briefed is confidential) and the free texts ``conveyed_by``,
    ``idea``, ``body``, ``reaction`` and ``follow_up``; ``brief`` links the brief conveyed,
    if any. Lists are sorted by date after opening.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="transfer_log"
    )
    brief = models.ForeignKey(
        Brief, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    conveyor_kind = models.CharField(max_length=12, choices=ConveyorKind.choices)
    text_sealed = models.BinaryField(default=b"")
    text = Sealed[dict[str, str]](JSON, initiative="initiative_id")
    follow_up_done = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("initiative", "id")

    def __str__(self) -> str:
        return f"transfer {self.pk}"


class TrackOneEvent(models.Model):
    """Something that happened in the official process (talks, a statement, an agreement)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="track_one_events"
    )
    text_sealed = models.BinaryField(default=b"")
    text = Sealed[dict[str, str]](JSON, initiative="initiative_id")  # date, body, description
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative", "id")

    def __str__(self) -> str:
        return f"track one event {self.pk}"

"""The back-channel's own rows: each side's caucus, the facilitators' check-ins and handover.

The carried messages themselves are :class:`tracktwo.initiatives.models.BackChannelMessage`
(kept in its table; this app runs their flow). Everything people write here is sealed under
the initiative's data key; what stays in clear is structure: ids, the side, dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tracktwo.initiatives.models import Initiative, Party
from tracktwo.safety.sealed import TEXT, Sealed


class Caucus(models.Model):
    """One side's private space in an initiative, with its pinned position note."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    position_sealed = models.BinaryField(default=b"")
    position = Sealed(TEXT, initiative="initiative_id")
    # the side chose to let the facilitators read and write here (any member toggles; audited)
    facilitators_included = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["initiative", "party"], name="caucus_one_per_side")
        ]

    def __str__(self) -> str:
        return f"caucus {self.pk}"


class CaucusPost(models.Model):
    """A thread (``reply_to`` empty) or a reply in a side's caucus; the author is not kept."""

    caucus = models.ForeignKey(Caucus, on_delete=models.CASCADE, related_name="posts")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("caucus_id", "id")

    def __str__(self) -> str:
        return f"caucus post {self.pk}"


class CheckIn(models.Model):
    """A check-in on the channel that a facilitator scheduled (a day and a sealed note)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    note_sealed = models.BinaryField(default=b"")
    note = Sealed(TEXT, initiative="initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative_id", "due_on", "id")

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class HandoverNote(models.Model):
    """What a facilitator leaves for the next one: the latest note of an initiative counts."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="initiative_id")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"handover note {self.pk}"


DEFAULT_MESSAGE_EXPIRY_DAYS = 90


class ChannelPolicy(models.Model):
    """What the convener set for an initiative's channel: how long carried messages live."""

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="+")
    message_expiry_days = models.PositiveIntegerField(default=DEFAULT_MESSAGE_EXPIRY_DAYS)

    def __str__(self) -> str:
        return f"channel policy {self.pk}"


class Exchange(models.Model):
    """A named Track 1.5 exchange: Track One liaisons given a side's voice for it.

    Its messages are ordinary back-channel messages (same carrying rules), tied to it by
    :class:`ExchangeMessage`; ``closed_at`` set: no new message may be written in it.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    name_sealed = models.BinaryField(default=b"")
    name = Sealed(TEXT, initiative="initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"exchange {self.pk}"


class ExchangeVoice(models.Model):
    """A liaison speaking for one side in one exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="voices")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["exchange", "user"], name="exchange_one_voice_each")
        ]

    def __str__(self) -> str:
        return f"exchange voice {self.pk}"


class ExchangeMessage(models.Model):
    """Ties a back-channel message to its exchange, and to the liaison who wrote it (if one did)."""

    message = models.OneToOneField(
        "initiatives.BackChannelMessage", on_delete=models.CASCADE, related_name="exchange_link"
    )
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"exchange message {self.pk}"

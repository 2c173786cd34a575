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

"""Joint texts: Fisher's single negotiating text, drafted together in versions.

One :class:`JointText` per dialogue: a joint memorandum or a non-paper, with its own
distribution list. Its :class:`TextVersion` rows are the history (each version's
paragraphs, some proposed from statements that found support on every side). Participants
propose :class:`Amendment` s to a version; the facilitators draft the next version from
them. The candidate versions are ranked by the participants (:class:`RankedBallot`,
counted by the Schulze method), the group's choice becomes the agreed text, and later a
publishable version may be published once every side approved it (:class:`Approval`).

Amendments, ballots and approvals are linked to their writer only by an opaque key (a keyed
digest of the joint text and the participant's public id under the initiative's data key):
the writer can find their own, the table alone cannot tell whose they are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracktwo.safety.sealed import JSON, TEXT, Sealed

ON = "joint_text__dialogue__initiative_id"


class TextKind(models.TextChoices):
    JOINT_MEMORANDUM = "joint-memorandum", _("joint memorandum")
    NON_PAPER = "non-paper", _("non-paper")


class JointText(models.Model):
    """The dialogue's single text, its kind, distribution list and where it stands."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=TextKind.choices)
    title_sealed = models.BinaryField(default=b"")
    title = Sealed(TEXT, initiative="dialogue__initiative_id")
    distribution_sealed = models.BinaryField(default=b"")
    distribution = Sealed[list[str]](JSON, initiative="dialogue__initiative_id")
    ranking_open = models.BooleanField(default=False)
    agreed_version = models.ForeignKey(
        "TextVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    publishable_version = models.ForeignKey(
        "TextVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"joint text {self.pk}"


class TextVersion(models.Model):
    """Version ``number``: ``paragraphs`` ``[{"text": ..., "statement": id or null}]``."""

    joint_text = models.ForeignKey(JointText, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    paragraphs_sealed = models.BinaryField(default=b"")
    paragraphs = Sealed[list[dict[str, Any]]](JSON, initiative=ON)
    note_sealed = models.BinaryField(default=b"")
    note = Sealed(TEXT, initiative=ON)  # what changed
    candidate = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("joint_text_id", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["joint_text", "number"], name="joint_text_version")
        ]

    def __str__(self) -> str:
        return f"version {self.number} of joint text {self.joint_text_id}"


class AmendmentState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    TAKEN = "taken", _("taken into a version")
    DECLINED = "declined", _("declined")


class Amendment(models.Model):
    """A participant's proposed wording for paragraph ``paragraph`` (null: a new one)."""

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="amendments")
    author = models.CharField(max_length=64)  # keyed digest, see the module docstring
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="version__joint_text__dialogue__initiative_id")
    state = models.CharField(
        max_length=10, choices=AmendmentState.choices, default=AmendmentState.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("version_id", "id")

    def __str__(self) -> str:
        return f"amendment {self.pk}"


class RankedBallot(models.Model):
    """A participant's ranking of the candidate versions (version ids, best first; sealed)."""

    joint_text = models.ForeignKey(JointText, on_delete=models.CASCADE, related_name="ballots")
    voter = models.CharField(max_length=64)  # keyed digest
    ranking_sealed = models.BinaryField(default=b"")
    ranking = Sealed[list[int]](JSON, initiative=ON)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["joint_text", "voter"], name="one_ballot_each")
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class Approval(models.Model):
    """A participant's approval of the publishable version: ``{"side": party id}`` (sealed)."""

    joint_text = models.ForeignKey(JointText, on_delete=models.CASCADE, related_name="approvals")
    voter = models.CharField(max_length=64)  # keyed digest
    record_sealed = models.BinaryField(default=b"")
    record = Sealed[dict[str, int]](JSON, initiative=ON)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["joint_text", "voter"], name="one_approval_each")
        ]

    def __str__(self) -> str:
        return f"approval {self.pk}"

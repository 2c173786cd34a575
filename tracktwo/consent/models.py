"""The rows of risk and consent. Whatever could tell who is at risk is sealed.

- :class:`RiskProfile`: one participant's threat model (adversaries, channels of
  exposure, device, whether their taking part is known at home, level, and which
  conveners they let see it), sealed whole: even the level is not in clear.
- :class:`ConsentRecord`: a participant gave (or withdrew) consent to a version of the
  dialogue's consent terms: ids, a version and dates only.
- :class:`DialogueRisk`: a dialogue's effective level (the maximum, never whose) and the
  convener's stricter floor.
- :class:`ToolAssessment`: a convener's do-no-harm assessment of one tool for one
  dialogue, with the decision, its date and the effective level it was made at.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracktwo.consent.levels import Level
from tracktwo.safety.sealed import JSON, Sealed


class Tool(models.TextChoices):
    """What can take a dialogue's content, or its people, beyond the room."""

    BRIEFS = "briefs", _("briefs to Track One")
    BACKCHANNEL = "backchannel", _("the back-channel in briefs")
    POLIS_EXPORT = "polis_export", _("the Pol.is export")
    EVALUATION = "evaluation", _("evaluation surveys")
    PUBLICATION = "publication", _("publication")


class RiskProfile(models.Model):
    """A participant's risk profile (see the module's docstring)."""

    participant = models.OneToOneField(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="risk_profile"
    )
    record_sealed = models.BinaryField(default=b"")
    record = Sealed[dict[str, Any]](JSON, initiative="participant__dialogue__initiative_id")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"risk profile {self.pk}"


class ConsentRecord(models.Model):
    """Consent given to one version of a dialogue's consent terms (or withdrawn)."""

    participant = models.ForeignKey(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="consent_records"
    )
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=16, blank=True, default="")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("participant_id", "id")

    def __str__(self) -> str:
        return f"consent {self.pk}"


class DialogueRisk(models.Model):
    """A dialogue's effective risk level and the convener's floor (both levels only)."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="risk"
    )
    effective = models.CharField(max_length=10, choices=Level.choices, default=Level.LOW)
    floor = models.CharField(max_length=10, choices=Level.choices, default=Level.LOW)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"risk of dialogue {self.dialogue_id}"


class ToolAssessment(models.Model):
    """A do-no-harm assessment; the latest per dialogue and tool is the one that counts."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="assessments"
    )
    tool = models.CharField(max_length=16, choices=Tool.choices)
    answers_sealed = models.BinaryField(default=b"")
    answers = Sealed[dict[str, str]](JSON, initiative="dialogue__initiative_id")
    enabled = models.BooleanField()
    level = models.CharField(max_length=10, choices=Level.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "tool", "id")

    def __str__(self) -> str:
        return f"assessment {self.pk}"

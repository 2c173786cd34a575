"""Surveys of change and their answers, linked across waves by an opaque key, never by identity.

A dialogue has at most one :class:`Survey`: the items chosen from the instrument library
(:mod:`tracktwo.evaluation.instruments`) and the convener's own items (their texts
sealed), which waves are open, and the follow-up date. A :class:`Response` is one
respondent's answers in one wave. It has no link to the participant: ``respondent`` is a
keyed digest of the survey and the participant's public id under the initiative's data
key, so the same participant's pre and post answers share it, while the table alone
(or a member of the initiative using the site) cannot tell whose they are. The answers
and the respondent's side are sealed together; the row holds no time of answering.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from tracktwo.safety.sealed import JSON, Sealed

WAVE_CHOICES = [("pre", "pre"), ("post", "post"), ("follow-up", "follow-up")]


class Survey(models.Model):
    """The survey of change of one dialogue."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="evaluation_survey"
    )
    items = models.JSONField(default=list)  # library item keys, in order
    custom_sealed = models.BinaryField(default=b"")
    # [{"key": "custom_1", "text": "...", "low": 1, "high": 7}]
    custom = Sealed[list[dict[str, Any]]](JSON, initiative="dialogue__initiative_id")
    open_waves = models.JSONField(default=list)  # wave names participants may answer now
    follow_up_on = models.DateField(null=True, blank=True)  # the follow-up opens on this day
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"survey {self.pk}"


class Response(models.Model):
    """One respondent's answers in one wave (any item may be skipped)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    wave = models.CharField(max_length=12, choices=WAVE_CHOICES)
    respondent = models.CharField(max_length=64)  # keyed digest, see the module docstring
    record_sealed = models.BinaryField(default=b"")
    # {"side": party id, "answers": {item key: whole number}}
    record = Sealed[dict[str, Any]](JSON, initiative="survey__dialogue__initiative_id")

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["survey", "wave", "respondent"], name="evaluation_response_once_per_wave"
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Outcome(models.Model):
    """An entry of the initiative's outcome-harvesting register (Wilson-Grau).

    ``record`` (sealed) holds the social actor, the change, the initiative's contribution,
    its significance, the source and the substantiator (verifier); ``happened_on`` is when
    the change was observed; ``statements`` and ``brief`` are ids it relates to.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="outcomes"
    )
    record_sealed = models.BinaryField(default=b"")
    record = Sealed[dict[str, Any]](JSON, initiative="initiative_id")
    happened_on = models.DateField()
    statements = models.JSONField(default=list)  # statement ids of the initiative's dialogues
    brief = models.ForeignKey(
        "transfer.Brief", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative_id", "happened_on", "id")

    def __str__(self) -> str:
        return f"outcome {self.pk}"


class TrackingStatement(models.Model):
    """A statement of the dialogue marked to be put to the participants again in later rounds."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    statement = models.OneToOneField(
        "dialogues.Statement", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"tracking statement {self.pk}"


class ReVoteRound(models.Model):
    """A later round of votes on the tracking statements (round 1 is the first voting).

    A participant's last vote on a tracking statement between this round's opening and the
    next one's counts for this round.
    """

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()  # 2, 3, ...
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["dialogue", "number"], name="revote_round_unique")
        ]

    def __str__(self) -> str:
        return f"re-vote round {self.pk}"


class TheoryOfChange(models.Model):
    """The initiative's theory of change ("if ... then ... because ..."), sealed, and where
    it aims on the Reflecting on Peace Practice matrix."""

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    statement_sealed = models.BinaryField(default=b"")
    statement = Sealed[dict[str, Any]](
        JSON, initiative="initiative_id"
    )  # {"if", "then", "because"}
    rpp_people = models.CharField(max_length=12, blank=True, default="")  # more | key
    rpp_level = models.CharField(
        max_length=16, blank=True, default=""
    )  # individual | socio-political
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"theory of change {self.pk}"


class Indicator(models.Model):
    """An indicator of the theory of change: its name, baseline and target (sealed), tied to
    a survey measure or to outcomes, with monitoring entries (value, date, source)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    record_sealed = models.BinaryField(default=b"")
    # {"name", "baseline", "target", "measure": library measure key or "", "outcomes": bool,
    #  "entries": [{"value", "on", "source"}]}
    record = Sealed[dict[str, Any]](JSON, initiative="initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"indicator {self.pk}"

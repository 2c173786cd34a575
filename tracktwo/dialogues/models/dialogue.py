"""Dialogues and their meetings (sessions).

A dialogue belongs to an initiative (:mod:`tracktwo.initiatives.models`). Its title,
description, ground rules and a meeting's date and notes are sealed under the
initiative's data key (:mod:`tracktwo.safety.sealed`). Participants, statements and
votes are in :mod:`tracktwo.dialogues.models.contributions`.
"""

from __future__ import annotations

from django.db import models

from tracktwo.practice.agenda import MeetingKind, VoteRule
from tracktwo.practice.formats import Confidentiality, DialogueFormat
from tracktwo.safety.sealed import JSON, TEXT, Sealed

DEFAULT_SMALL_CELL_THRESHOLD = 5


class Dialogue(models.Model):
    """A facilitated dialogue of an initiative, in one format under one confidentiality regime.

    ``phases`` is the agenda (phase keys of the format's template). Ground rules are
    sealed; an empty list means the format's defaults (shown in the reader's language).
    ``ground_rules_version`` goes up when they change; participants accept a version.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="dialogues"
    )
    title_sealed = models.BinaryField(default=b"")
    title = Sealed(TEXT, initiative="initiative_id")
    description_sealed = models.BinaryField(default=b"")
    description = Sealed(TEXT, initiative="initiative_id")
    format = models.CharField(max_length=32, choices=DialogueFormat.choices)
    confidentiality = models.CharField(max_length=20, choices=Confidentiality.choices)
    phases = models.JSONField(default=list)
    # Renamed and added phases' names and purposes (see tracktwo.practice.agenda.agenda).
    phase_labels_sealed = models.BinaryField(default=b"")
    phase_labels = Sealed[dict[str, dict[str, object]]](JSON, initiative="initiative_id")
    moderation_required = models.BooleanField(default=True)
    results_shared = models.BooleanField(default=False)
    ground_rules_sealed = models.BinaryField(default=b"")
    ground_rules = Sealed[list[str]](JSON, initiative="initiative_id")
    ground_rules_version = models.PositiveIntegerField(default=1)
    consent_version = models.PositiveIntegerField(default=1)  # of the consent terms (consent app)
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
    # The kind of meeting (tracktwo.practice.agenda.MeetingKind) and, for a side's own
    # meeting (pre-briefing, re-entry), that side: only it and the facilitators attend.
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.AGENDA)
    side = models.ForeignKey(
        "initiatives.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The meeting's own confidentiality regime; blank: the dialogue's.
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, blank=True, default=""
    )
    officials_private_capacity = models.BooleanField(default=False)  # Track 1.5
    # Which votes the meeting takes now: a cache of phase_rules.allowed_votes for the
    # vote's one-statement fast path, rewritten whenever the phase, kind or agenda changes.
    vote_rule = models.CharField(max_length=8, choices=VoteRule.choices, default=VoteRule.ALL)
    round_started_at = models.DateTimeField(null=True, blank=True)
    round_ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["dialogue", "number"], name="session_number_unique")
        ]

    def __str__(self) -> str:
        return f"session {self.number} of dialogue {self.dialogue_id}"

    @property
    def regime(self) -> str:
        """The confidentiality regime this meeting is held under."""
        return self.confidentiality or self.dialogue.confidentiality

"""Sustained Dialogue (Saunders): stage markers, memoranda, relationship maps, scenarios.

A sustained dialogue is one :class:`~tracktwo.dialogues.models.Dialogue` whose meetings
are its sessions; its agenda's phases are Saunders' five stages, and ``Session.saunders_stage``
holds the stage a meeting is at. This app keeps what the series builds over 20-35+
meetings, everything people wrote sealed under the initiative's data key:

- :class:`StageTransition`: a facilitator's decision to move the group to a stage, with
  the marker the group sees (why, in the group's words), who decided (a member's id) and when;
- :class:`Memorandum`: one per meeting, what was done and what the group agreed to pick up
  next time (shown at the next meeting);
- :class:`RelationshipMap`: the five elements of relationship, saved as versions the group
  revisits; a participant's version records no author;
- :class:`ScenarioWorksheet`: a stage-4 scenario on Saunders' five questions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from tracktwo.safety.sealed import JSON, TEXT, Sealed

ON = "dialogue__initiative_id"


class StageTransition(models.Model):
    """The group moved to ``stage`` (1-5) at a meeting: who decided, when, and why."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    stage = models.PositiveSmallIntegerField()
    previous_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_sealed = models.BinaryField(default=b"")
    reason = Sealed(TEXT, initiative=ON)  # the marker shown to the group
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "id")

    def __str__(self) -> str:
        return f"stage transition {self.pk}"


class Memorandum(models.Model):
    """A meeting's memorandum: ``{"summary": ..., "pick_up": ...}`` (sealed)."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    session = models.OneToOneField("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    record_sealed = models.BinaryField(default=b"")
    record = Sealed[dict[str, str]](JSON, initiative=ON)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dialogue_id", "session_id")

    def __str__(self) -> str:
        return f"memorandum {self.pk}"


class RelationshipMap(models.Model):
    """Version ``version`` of the group's relationship map: ``{element: text}`` (sealed)."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    elements_sealed = models.BinaryField(default=b"")
    elements = Sealed[dict[str, Any]](JSON, initiative=ON)
    saved_by = models.ForeignKey(  # a facilitator; empty when a participant saved it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dialogue_id", "version")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["dialogue", "version"], name="relationship_map_version")
        ]

    def __str__(self) -> str:
        return f"relationship map {self.pk}"


class ScenarioWorksheet(models.Model):
    """A stage-4 scenario: ``{"title": ..., question key: answer}`` (sealed)."""

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    answers_sealed = models.BinaryField(default=b"")
    answers = Sealed[dict[str, str]](JSON, initiative=ON)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dialogue_id", "id")

    def __str__(self) -> str:
        return f"scenario worksheet {self.pk}"

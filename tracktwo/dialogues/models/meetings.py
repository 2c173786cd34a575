"""What participants leave in a meeting besides statements and votes.

- :class:`MeetingNote`: a participant's note in their side's pre-briefing or re-entry
  meeting; seen by that side's participants (without attribution) and the facilitators,
  never by another side.
- :class:`OpeningAcknowledgement`: a participant acknowledged the ground rules at the
  opening meeting.
- :class:`HeldCritique`: a critique a participant could not vote while critique was held
  (the brainstorm), kept for them to raise in the constraints phase; seen by its author
  alone, until they put it in the meeting as a statement.
"""

from __future__ import annotations

from django.db import models

from tracktwo.practice.agenda import NoteKind
from tracktwo.safety.sealed import TEXT, Sealed


class MeetingNote(models.Model):
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="dialogue__initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("session_id", "id")

    def __str__(self) -> str:
        return f"meeting note {self.pk}"


class OpeningAcknowledgement(models.Model):
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="+"
    )
    ground_rules_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["session", "participant"], name="opening_acknowledged_once"
            )
        ]

    def __str__(self) -> str:
        return f"acknowledgement {self.pk}"


class HeldCritique(models.Model):
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey("dialogues.Statement", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="+"
    )
    phase_index = models.PositiveSmallIntegerField(null=True, blank=True)
    note_sealed = models.BinaryField(default=b"")
    note = Sealed(TEXT, initiative="dialogue__initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("participant_id", "id")

    def __str__(self) -> str:
        return f"held critique {self.pk}"

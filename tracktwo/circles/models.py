"""Listening circles (living-room dialogue): rounds of prompts and the reflections they draw.

A circle is a living-room :class:`~tracktwo.dialogues.models.Dialogue`: the same people
meet every month (each gathering a dialogue session) on a standing invitation, so nobody
is invited again. In a gathering the facilitator opens rounds, each with a prompt; every
participant writes one reflection per round. There is no voting. Reflections are read in
the circle only, without names; the row keeps the participant so that the writer can
change theirs and the facilitator can see who has spoken in the round (turn-taking).
"""

from __future__ import annotations

from django.db import models

from tracktwo.safety.sealed import TEXT, Sealed

MAX_REFLECTION_CHARS = 2000
MAX_PROMPT_CHARS = 500


class Circle(models.Model):
    """A listening circle's rhythm: monthly, and the day of its next gathering."""

    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="+"
    )
    next_on = models.DateField(null=True, blank=True)
    gatherings = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"circle {self.pk}"


class Round(models.Model):
    """One round of a gathering: a prompt, open until the facilitator closes it."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="rounds")
    session = models.ForeignKey("dialogues.Session", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    prompt_sealed = models.BinaryField(default=b"")
    prompt = Sealed(TEXT, initiative="circle__dialogue__initiative_id")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("circle_id", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["circle", "number"], name="circle_round_number")
        ]

    def __str__(self) -> str:
        return f"round {self.number} of circle {self.circle_id}"


class Reflection(models.Model):
    """A participant's reflection in a round (one each; writing again replaces it)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reflections")
    participant = models.ForeignKey(
        "dialogues.Participant", on_delete=models.CASCADE, related_name="+"
    )
    text_sealed = models.BinaryField(default=b"")
    text = Sealed(TEXT, initiative="round__circle__dialogue__initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["round", "participant"], name="one_reflection_each")
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk}"

"""The actor map of an initiative and the candidate pools its dialogues draw delegations from.

Everything that names or describes a person is sealed under the initiative's data key
(:mod:`tracktwo.safety.sealed`): actors' names and details, ties' notes, candidates'
names, categories, households and screening notes, a dialogue's quotas and targets, a
draw's result. What stays in clear is structure used to query: the side (a party id), the
track, the level, influence and access scores, flags, ids and dates.

These models belong to the ``initiatives`` app (``app_label``); they refer to other
models by name, so this module imports no other model module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracktwo.safety.sealed import JSON, TEXT, Sealed


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class ActorTrack(models.TextChoices):
    """The nine tracks (Diamond & McDonald), with Track 1.5: officials in a private capacity."""

    T1 = "1", _("Track 1: government")
    T15 = "1.5", _("Track 1.5: officials in a private capacity")
    T2 = "2", _("Track 2: professional conflict resolution")
    T3 = "3", _("Track 3: business")
    T4 = "4", _("Track 4: private citizens")
    T5 = "5", _("Track 5: research, training and education")
    T6 = "6", _("Track 6: activism")
    T7 = "7", _("Track 7: religion")
    T8 = "8", _("Track 8: funding")
    T9 = "9", _("Track 9: communications and media")


class Level(models.TextChoices):
    """Lederach's pyramid of leadership."""

    TOP = "top", _("Top leadership")
    MIDDLE = "middle", _("Middle-range leadership")
    GRASSROOTS = "grassroots", _("Grassroots leadership")


class TieKind(models.TextChoices):
    TIE = "tie", _("Tie")
    TENSION = "tension", _("Tension")
    CHANNEL = "channel", _("Channel to a decision-maker")


class Actor(models.Model):
    """A person or organisation who matters to the conflict, on a side (or none)."""

    SEALED_AS = "initiatives.Actor"

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=ActorKind.choices, default=ActorKind.PERSON)
    party = models.ForeignKey(
        "initiatives.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    track = models.CharField(max_length=3, choices=ActorTrack.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    influence = models.PositiveSmallIntegerField(default=0)  # 0 none .. 3 high
    access = models.PositiveSmallIntegerField(default=0)  # access to Track One, 0 .. 3
    decision_maker = models.BooleanField(default=False)  # a Track One decision-maker
    name_sealed = models.BinaryField(default=b"")
    name = Sealed(TEXT, initiative="initiative_id")
    details_sealed = models.BinaryField(default=b"")
    details = Sealed[dict[str, str]](JSON, initiative="initiative_id")  # gender, region, notes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "initiatives"
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"actor {self.pk}"


class ActorTie(models.Model):
    """A relationship between two actors: a tie, a tension or a channel to a decision-maker."""

    SEALED_AS = "initiatives.ActorTie"

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="ties_out")
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="ties_in")
    kind = models.CharField(max_length=10, choices=TieKind.choices, default=TieKind.TIE)
    note_sealed = models.BinaryField(default=b"")
    note = Sealed(TEXT, initiative="initiative_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "initiatives"
        ordering = ("initiative_id", "id")

    def __str__(self) -> str:
        return f"tie {self.pk}"


class Candidate(models.Model):
    """Someone in a dialogue's pool: consent to be considered, screening, categories.

    ``values`` (sealed) hold the categories quotas use (side, gender, track, region, age
    band, level...); ``household`` (sealed) the household or organisation of which at
    most one person may be drawn. Screening notes are for the conveners' eyes only.
    """

    SEALED_AS = "initiatives.Candidate"

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.ForeignKey(
        "initiatives.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ref_sealed = models.BinaryField(default=b"")
    ref = Sealed(TEXT, initiative="initiative_id")  # the id in the imported file
    name_sealed = models.BinaryField(default=b"")
    name = Sealed(TEXT, initiative="initiative_id")
    values_sealed = models.BinaryField(default=b"")
    values = Sealed[dict[str, str]](JSON, initiative="initiative_id")
    household_sealed = models.BinaryField(default=b"")
    household = Sealed(TEXT, initiative="initiative_id")
    screening_sealed = models.BinaryField(default=b"")
    screening = Sealed(TEXT, initiative="initiative_id")  # willingness, capacity to listen
    consent = models.BooleanField(default=False)  # consents to be considered
    hardliner = models.BooleanField(default=False)
    spoiler = models.BooleanField(default=False)
    credibility = models.PositiveSmallIntegerField(default=0)  # 0 unknown .. 3 high
    selected_in = models.ForeignKey(
        "initiatives.Draw", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        "dialogues.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "initiatives"
        ordering = ("dialogue_id", "id")

    def __str__(self) -> str:
        return f"candidate {self.pk}"


class DelegationPlan(models.Model):
    """A dialogue's quotas and the convener's targets (both sealed)."""

    SEALED_AS = "initiatives.DelegationPlan"

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    dialogue = models.OneToOneField(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="+"
    )
    quotas_sealed = models.BinaryField(default=b"")
    quotas = Sealed[list[dict[str, object]]](JSON, initiative="initiative_id")
    targets_sealed = models.BinaryField(default=b"")
    targets = Sealed[dict[str, dict[str, int]]](JSON, initiative="initiative_id")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "initiatives"

    def __str__(self) -> str:
        return f"delegation plan {self.pk}"


class Draw(models.Model):
    """One draw of a delegation: the seed and algorithm in clear, the result sealed."""

    SEALED_AS = "initiatives.Draw"

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    seed = models.BigIntegerField()
    algorithm = models.CharField(max_length=10)
    panel_size = models.PositiveIntegerField()
    households = models.BooleanField(default=True)
    result_sealed = models.BinaryField(default=b"")
    result = Sealed[dict[str, object]](JSON, initiative="initiative_id")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "initiatives"
        ordering = ("dialogue_id", "id")

    def __str__(self) -> str:
        return f"draw {self.pk}"

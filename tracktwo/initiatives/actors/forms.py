"""Forms of the actor map page: an actor (added or edited) and a relationship."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tracktwo.initiatives.actors.models import ActorKind, ActorTrack, Level, TieKind


class ActorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Person or organisation"), choices=ActorKind.choices
    )
    side = forms.CharField(
        label=gettext_lazy("Side (a party's name; empty: none)"), max_length=200, required=False
    )
    track = forms.ChoiceField(label=gettext_lazy("Track"), choices=ActorTrack.choices)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    influence = forms.IntegerField(
        label=gettext_lazy("Influence (0-3)"), min_value=0, max_value=3, initial=0
    )
    access = forms.IntegerField(
        label=gettext_lazy("Access to Track One (0-3)"), min_value=0, max_value=3, initial=0
    )
    decision_maker = forms.BooleanField(
        label=gettext_lazy("A Track One decision-maker"), required=False
    )
    gender = forms.CharField(label=gettext_lazy("Gender"), max_length=60, required=False)
    region = forms.CharField(label=gettext_lazy("Region"), max_length=120, required=False)


class TieForm(forms.Form):
    source = forms.TypedChoiceField(label=gettext_lazy("From"), coerce=int)
    target = forms.TypedChoiceField(label=gettext_lazy("To"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TieKind.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = actors  # type: ignore[attr-defined]
        self.fields["target"].choices = actors  # type: ignore[attr-defined]

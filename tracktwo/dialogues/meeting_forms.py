"""Forms of the meeting pages (issue 13): a new meeting, a meeting's regime, a timed round,
the agenda, and what participants write in a meeting. The actions check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.agenda import MAX_PHASE_NAME_CHARS, MAX_PHASE_PURPOSE_CHARS, MeetingKind
from tracktwo.practice.formats import Confidentiality

REGIME_CHOICES = [("", _("The dialogue's regime")), *Confidentiality.choices]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    side = forms.TypedChoiceField(
        label=_("Side (pre-briefing and re-entry only)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality of this meeting"), choices=REGIME_CHOICES, required=False
    )
    officials_private_capacity = forms.BooleanField(
        label=_("Track 1.5: officials take part in a private capacity"), required=False
    )

    def __init__(self, *args: Any, sides: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [("", _("All sides")), *sides.items()]  # type: ignore[attr-defined]


class RegimeForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality of this meeting"), choices=REGIME_CHOICES, required=False
    )
    officials_private_capacity = forms.BooleanField(
        label=_("Track 1.5: officials take part in a private capacity"), required=False
    )


class RoundForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes of voting"), min_value=1, max_value=240, initial=20
    )


class AgendaPhaseForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    position = forms.IntegerField(label=_("Order"), min_value=1, max_value=50, required=False)
    name = forms.CharField(label=_("Name"), max_length=MAX_PHASE_NAME_CHARS, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=MAX_PHASE_PURPOSE_CHARS, required=False
    )
    held = forms.BooleanField(label=_("Critique held (brainstorm)"), required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)


AgendaFormSet = forms.formset_factory(AgendaPhaseForm, extra=1, max_num=20)


class MeetingNoteForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=20)
    text = forms.CharField(
        label=_("Your note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CritiqueForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Your critique, kept for the constraints phase (only you see it)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

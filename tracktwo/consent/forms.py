"""Forms of the risk and consent pages (validation proper is in :mod:`consent.profiles`
and the actions; these only shape what the browser sends)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracktwo.consent.levels import Level
from tracktwo.consent.models import Tool
from tracktwo.consent.profiles import ADVERSARIES, CHANNELS, DEVICES, KNOWN_AT_HOME

LEVEL_HELP = {
    Level.LOW: _("Low: little would happen to me if my part became known"),
    Level.ELEVATED: _("Elevated: trouble at work or in my community"),
    Level.HIGH: _("High: I could lose my job, be detained or threatened"),
    Level.SEVERE: _("Severe: my safety or my family's would be in danger"),
}


class RiskProfileForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How serious would it be if your part became known?"),
        choices=list(LEVEL_HELP.items()),
        widget=forms.RadioSelect,
    )
    adversaries = forms.MultipleChoiceField(
        label=_("Who could harm you if they knew?"),
        choices=list(ADVERSARIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    channels = forms.MultipleChoiceField(
        label=_("How could they find out?"),
        choices=list(CHANNELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    device = forms.ChoiceField(
        label=_("The device you use here"),
        choices=list(DEVICES.items()),
        widget=forms.RadioSelect,
        initial="personal",
    )
    known_at_home = forms.ChoiceField(
        label=_("Do people at home know you take part?"),
        choices=list(KNOWN_AT_HOME.items()),
        widget=forms.RadioSelect,
        initial="yes",
    )
    notes = forms.CharField(
        label=_("Anything else the facilitators should know to keep you safe (optional)"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        required=False,
        max_length=500,
    )
    share_with = forms.TypedMultipleChoiceField(
        label=_("Conveners who may see this profile (nobody else ever sees it)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, conveners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["share_with"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = conveners


class ConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    accept = forms.BooleanField(
        label=_("I have read this and I consent to taking part on these terms."), required=True
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete everything held about me. This cannot be undone."), required=True
    )


class AssessmentForm(forms.Form):
    tool = forms.ChoiceField(label=_("Tool"), choices=Tool.choices)
    exposes = forms.CharField(
        label=_("Who could this expose?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    worst_case = forms.CharField(
        label=_("What is the worst case?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    mitigation = forms.CharField(
        label=_("What mitigates it?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    enabled = forms.BooleanField(label=_("Switch the tool on for this dialogue"), required=False)


class FloorForm(forms.Form):
    level = forms.ChoiceField(label=_("Treat this dialogue as at least"), choices=Level.choices)

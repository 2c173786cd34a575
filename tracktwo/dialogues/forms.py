"""Forms of the dialogue pages: every field labelled, every string marked for translation.

Forms only shape what the browser sends; the rules (lengths, choices, permissions) are
checked again by the actions, whose errors the views show next to the field they name.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.formats import (
    Confidentiality,
    DialogueFormat,
    Gender,
    ParticipantRole,
    Track,
    regime_text,
    template,
)
from tracktwo.practice.validation import MAX_HANDLE_CHARS

MAX_STATEMENT_CHARS = 1000
NEW_INITIATIVE = ""


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- participants -------------------------------------------------------------------------


class JoinForm(forms.Form):
    handle = forms.CharField(
        label=_("Your handle (a name others will not be able to link to you)"),
        max_length=MAX_HANDLE_CHARS,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional: only counted in totals for delegation balance)"),
        required=False,
        choices=[("", _("Not given")), *Gender.choices],
    )
    region = forms.CharField(
        label=_("Region (optional: only counted in totals for delegation balance)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can take part in (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accept = forms.BooleanField(
        label=_("I have read the ground rules and the confidentiality rule, and I accept them."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["languages"])
        field.choices = [(code, name) for code, name in settings.LANGUAGES]


class AcceptRulesForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the ground rules and the confidentiality rule, and I accept them."),
        required=False,
    )


VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}


class VoteForm(forms.Form):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    vote = forms.ChoiceField(choices=[(key, key) for key in VOTE_VALUES])

    def value(self) -> int:
        return VOTE_VALUES[self.cleaned_data["vote"]]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_STATEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_STATEMENT_CHARS}),
        help_text=_("One idea, in a sentence or two, that others can agree or disagree with."),
    )


class WithdrawForm(forms.Form):
    remove_contributions = forms.BooleanField(
        label=_("Also delete my votes and withdraw my statements"),
        required=False,
    )


class RecoverForm(forms.Form):
    dialogue = forms.IntegerField(label=_("Dialogue number"), min_value=1)
    handle = forms.CharField(
        label=_("Your handle"),
        max_length=MAX_HANDLE_CHARS,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


# -- facilitators -------------------------------------------------------------------------


def _format_choices() -> list[tuple[str, str]]:
    return [
        (value, f"{label} — {template(value).description}")
        for value, label in DialogueFormat.choices
    ]


def _regime_choices() -> list[tuple[str, str]]:
    return [(value, f"{label} — {regime_text(value)}") for value, label in Confidentiality.choices]


class ChoiceForm(forms.Form):
    """A form whose choice fields get their choices when it is made."""

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices


class DialogueForm(ChoiceForm):
    """A dialogue from a template, in an existing initiative or a new one with its parties."""

    initiative = forms.ChoiceField(label=_("Initiative"), required=False)
    initiative_title = forms.CharField(
        label=_("Title of the new initiative (defaults to the dialogue's title)"),
        max_length=200,
        required=False,
    )
    parties = forms.CharField(
        label=_("Parties of the new initiative, one per line (at least two)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title = forms.CharField(label=_("Title of the dialogue"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        widget=forms.RadioSelect,
        initial=DialogueFormat.PROBLEM_SOLVING_WORKSHOP,
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        widget=forms.RadioSelect,
        initial=Confidentiality.CHATHAM_HOUSE,
    )
    moderation_required = forms.BooleanField(
        label=_("Hold participants' statements for moderation before others vote on them"),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args: Any,
        initiatives: list[tuple[int, str]],
        may_convene: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.may_convene = may_convene
        choices = [(NEW_INITIATIVE, str(_("A new initiative")))] if may_convene else []
        choices += [(str(pk), title) for pk, title in initiatives]
        if not may_convene:
            self.fields["initiative"].required = True
        self._choices("initiative", choices)
        self._choices("format", _format_choices())
        self._choices("confidentiality", _regime_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("initiative") and not self.may_convene:
            self.add_error(
                "initiative",
                _("Only conveners may create an initiative: choose one you facilitate."),
            )
        elif not data.get("initiative") and len(split_lines(data.get("parties", ""))) < 2:
            self.add_error("parties", _("A new initiative needs at least two parties."))
        return data

    def party_names(self) -> list[str]:
        return split_lines(self.cleaned_data.get("parties", ""))


EXPIRY_CHOICES = [
    ("1", _("1 day")),
    ("3", _("3 days")),
    ("7", _("7 days")),
    ("14", _("14 days")),
    ("30", _("30 days")),
]


class InvitationForm(ChoiceForm):
    party = forms.ChoiceField(label=_("Party"))
    track = forms.ChoiceField(label=_("Track"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    official = forms.BooleanField(
        label=_("An official taking part privately (makes the meeting Track 1.5)"),
        required=False,
    )
    expires_in_days = forms.ChoiceField(label=_("Valid for"), choices=EXPIRY_CHOICES, initial="7")
    count = forms.IntegerField(
        label=_("How many invitations (one link per person)"),
        min_value=1,
        max_value=20,
        initial=1,
    )

    def __init__(self, *args: Any, parties: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("party", [(str(pk), name) for pk, name in parties.items()])
        self._choices("track", [("", _("(not recorded)")), *Track.choices])


class ModerationForm(forms.Form):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("rejected", "rejected"), ("pending", "pending")]
    )
    redacted_text = forms.CharField(
        label=_("Edited text (to remove a detail that could identify its author)"),
        required=False,
        max_length=MAX_STATEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_STATEMENT_CHARS}),
    )


class SeedForm(forms.Form):
    text = forms.CharField(
        label=_("Seed statement"),
        max_length=MAX_STATEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT_CHARS}),
        help_text=_("Accepted at once. Participants do not see who wrote any statement."),
    )


class GroundRulesForm(forms.Form):
    rules = forms.CharField(
        label=_("Ground rules, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Leave empty to use the format's default rules."),
    )

    def rule_list(self) -> list[str] | None:
        lines = split_lines(self.cleaned_data.get("rules", ""))
        return lines or None


class PhaseForm(forms.Form):
    phase = forms.IntegerField(label=_("Phase"), min_value=0, max_value=50)


# -- conveners ----------------------------------------------------------------------------

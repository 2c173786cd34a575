"""Forms of the initiatives' pages: details, parties, members and their roles.

Every field labelled, every string marked for translation; they check shape only, the
actions check meaning and rights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracktwo.dialogues.forms import ChoiceForm, split_lines
from tracktwo.practice.formats import (
    MemberRole,
)

WHOLE_INITIATIVE = ""


class MemberForm(ChoiceForm):
    """Give an account a role in the initiative, or in one of its dialogues."""

    name = forms.CharField(
        label=_("Account name"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=_("The name the person signs in with (the operator creates accounts)."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    where = forms.ChoiceField(label=_("Where"), required=False)

    def __init__(self, *args: Any, dialogues: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("where", where_choices(dialogues))


def where_choices(dialogues: list[tuple[int, str]]) -> list[tuple[str, str]]:
    return [
        (WHOLE_INITIATIVE, str(_("The whole initiative"))),
        *((str(k), t) for k, t in dialogues),
    ]


class MemberRoleForm(forms.Form):
    """Change or take away one member's role (``membership`` is the row's id)."""

    membership = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, required=False)


class InitiativeForm(forms.Form):
    """An initiative's details: the conflict in the convener's words, who convenes and funds
    it, and how long its dialogues' content is kept."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("The conflict, in your words (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    convening_organisation = forms.CharField(
        label=_("Convening organisation (optional)"), max_length=200, required=False
    )
    sponsors = forms.CharField(
        label=_("Sponsors and funders, one per line (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    retention_days = forms.IntegerField(
        label=_("Keep dialogue content for (days)"),
        min_value=1,
        max_value=36_500,
        help_text=_("After this, the purge deletes statements, votes and notes."),
    )

    def sponsor_list(self) -> list[str]:
        return split_lines(self.cleaned_data.get("sponsors", ""))


class PartyForm(forms.Form):
    name = forms.CharField(label=_("A new party"), max_length=200)

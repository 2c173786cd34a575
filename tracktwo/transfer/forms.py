"""Forms of the transfer pages. They check shape only; the actions check meaning and rights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.formats import TransferModel
from tracktwo.transfer.actions import DEFAULT_LINK_DAYS, MAX_LABEL_CHARS, MAX_LINK_DAYS
from tracktwo.transfer.models import Channel, ConveyorKind

LONG = 20_000


def _area(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    context = forms.CharField(
        label=_("Context"),
        required=False,
        max_length=LONG,
        widget=_area(6),
        help_text=_("Why this dialogue, and where the official process stands. Name no one."),
    )
    proposals = forms.CharField(
        label=_("Proposals"),
        required=False,
        max_length=LONG,
        widget=_area(6),
        help_text=_("Ideas the dialogue produced for the official process."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, max_length=LONG, widget=_area(4)
    )
    method_note = forms.CharField(
        label=_("Method and its limits"),
        required=False,
        max_length=LONG,
        widget=_area(5),
        help_text=_("Who took part and how representative they are."),
    )


class PreviewForm(forms.Form):
    """The draft preview's language: English or one the statements have (as when issuing)."""

    language = forms.ChoiceField(
        label=_("Language of the brief"), choices=[("en", "English")], required=False
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("en", "English"), *languages]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    """One checkbox (and an optional label) per liaison of the initiative."""

    link_days = forms.IntegerField(
        label=_("Links expire after (days)"),
        min_value=1,
        max_value=MAX_LINK_DAYS,
        initial=DEFAULT_LINK_DAYS,
    )

    language = forms.ChoiceField(
        label=_("Language of the brief"), choices=[("en", "English")], required=False
    )

    def __init__(
        self,
        *args: Any,
        liaisons: list[tuple[int, str]],
        languages: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("en", "English"), *(languages or [])]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]
        self.liaisons = liaisons
        for user_id, name in liaisons:
            self.fields[f"send_{user_id}"] = forms.BooleanField(
                label=_("Send a copy to %(name)s") % {"name": name}, required=False
            )
            self.fields[f"label_{user_id}"] = forms.CharField(
                label=_("Recipient (as listed on the distribution record)"),
                required=False,
                max_length=MAX_LABEL_CHARS,
            )

    def chosen(self) -> list[tuple[int, str]]:
        return [
            (user_id, self.cleaned_data.get(f"label_{user_id}", ""))
            for user_id, _name in self.liaisons
            if self.cleaned_data.get(f"send_{user_id}")
        ]


class TraceForm(forms.Form):
    file = forms.FileField(label=_("Leaked file (PDF, HTML or Markdown)"), required=False)
    text = forms.CharField(
        label=_("Or paste the leaked text"), required=False, max_length=2_000_000, widget=_area(6)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("text"):
            raise forms.ValidationError(_("Give a file or paste the text."))
        return data


class TransferForm(forms.Form):
    conveyed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    conveyor_kind = forms.ChoiceField(label=_("Conveyed by (role)"), choices=ConveyorKind.choices)
    conveyed_by = forms.CharField(
        label=_("Conveyed by"),
        max_length=200,
        help_text=_(
            "A facilitator's or convener's name, or a participant's role and side "
            "(never a participant's name or handle)."
        ),
    )
    idea = forms.CharField(label=_("Which brief or idea"), max_length=LONG, widget=_area(3))
    brief = forms.TypedChoiceField(
        label=_("Brief conveyed"), required=False, coerce=int, empty_value=None
    )
    body = forms.CharField(label=_("To which Track One body"), max_length=200)
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    reaction = forms.CharField(
        label=_("Reaction"), required=False, max_length=LONG, widget=_area(3)
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, max_length=LONG, widget=_area(3)
    )
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_done = forms.BooleanField(label=_("Follow-up done"), required=False)

    def __init__(self, *args: Any, briefs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["brief"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("(none)")), *briefs]


class EventForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Track One body or process"), max_length=200)
    description = forms.CharField(label=_("What happened"), max_length=LONG, widget=_area(3))


class TransferModelForm(forms.Form):
    transfer_model = forms.ChoiceField(
        label=_("Transfer model"),
        choices=[("", _("Not set")), *TransferModel.choices],
        required=False,
    )

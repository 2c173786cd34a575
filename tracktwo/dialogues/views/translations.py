"""The translation queue: facilitators and translators translate statements and review
machine translations. The page shows statements' texts and languages, never authors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.dialogues.actions import translations as actions
from tracktwo.dialogues.forms import split_lines
from tracktwo.dialogues.models import Dialogue, Statement, StatementTranslation
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.queries import translations as queries
from tracktwo.dialogues.views.common import bad_request, forbidden, not_found, user_of
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError
from tracktwo.safety.datakeys import box_for


class TranslateForm(forms.Form):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    language = forms.CharField(max_length=12, widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("Translation"), max_length=2000)


class ReviewForm(forms.Form):
    translation = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    text = forms.CharField(max_length=2000, required=False)


class SettingsForm(forms.Form):
    first_language = forms.ChoiceField(label=gettext_lazy("Language of seed statements"))
    show_machine = forms.BooleanField(
        label=gettext_lazy(
            "Show machine translations to participants before a person reviews them"
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    """The dialogue's custom ground rules in one shipped language (empty: no version)."""

    language = forms.ChoiceField(widget=forms.HiddenInput)
    rules = forms.CharField(max_length=20 * 1000, required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]


def _rules(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """Save one language's version of the custom ground rules (facilitators)."""
    form = RulesForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    language = form.cleaned_data["language"]
    actions.translate_ground_rules(
        dialogue, language, split_lines(form.cleaned_data["rules"]), user_of(request)
    )
    messages.success(
        request,
        _("The ground rules in %(language)s are saved.")
        % {"language": dict(settings.LANGUAGES)[language]},
    )
    return redirect("dialogues:translations", dialogue_id=dialogue.pk)


def _rule_versions(dialogue: Dialogue) -> dict[str, Any] | None:
    """The custom rules and, per shipped language, the version participants reading it see."""
    box = box_for(dialogue.initiative_id)
    custom: list[str] = dialogue.ground_rules.read(box)
    if not custom:
        return None
    versions = [
        (
            code,
            name,
            "rtl" if get_language_info(code)["bidi"] else "ltr",
            "\n".join(queries.ground_rules_in(dialogue, code, box)),
        )
        for code, name in settings.LANGUAGES
    ]
    return {"custom": custom, "versions": versions}


def _post(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    user = user_of(request)
    if request.POST.get("action") == "rules":
        return _rules(request, dialogue)
    if request.POST.get("action") == "settings":
        chosen = SettingsForm(request.POST)
        if not chosen.is_valid():
            return bad_request(request)
        actions.set_languages(
            dialogue,
            user,
            first=chosen.cleaned_data["first_language"],
            show_machine=chosen.cleaned_data["show_machine"],
        )
        messages.success(request, _("The dialogue's languages are saved."))
        return redirect("dialogues:translations", dialogue_id=dialogue.pk)
    if request.POST.get("action") == "review":
        review = ReviewForm(request.POST)
        if not review.is_valid():
            return bad_request(request)
        row = StatementTranslation.objects.filter(
            pk=review.cleaned_data["translation"], dialogue=dialogue
        ).first()
        if row is None:
            return not_found(request)
        text = review.cleaned_data["text"].strip() or None
        accept = review.cleaned_data["decision"] == "accept"
        actions.review_translation(row, user, accept=accept, text=text)
        messages.success(request, _("The review is recorded."))
        return redirect("dialogues:translations", dialogue_id=dialogue.pk)
    form = TranslateForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    statement = Statement.objects.filter(
        pk=form.cleaned_data["statement"], dialogue=dialogue, deleted_at__isnull=True
    ).first()
    if statement is None:
        return not_found(request)
    actions.translate_statement(
        statement, form.cleaned_data["language"], form.cleaned_data["text"], user
    )
    messages.success(request, _("The translation is saved."))
    return redirect("dialogues:translations", dialogue_id=dialogue.pk)


@require_http_methods(["GET", "POST"])
def translations(request: HttpRequest, dialogue_id: int) -> HttpResponse:
    """The queue (GET) and its forms (POST): translate a statement, review a translation,
    the convener's language settings, the ground rules per language (facilitators)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    dialogue = Dialogue.objects.filter(pk=dialogue_id, purged_at__isnull=True).first()
    if dialogue is None:
        return not_found(request)
    if not permissions.can_translate(request.user, dialogue):
        # an observer of the dialogue is told no; anyone else learns nothing of it
        observing = permissions.can_observe(request.user, dialogue)
        return forbidden(request) if observing else not_found(request)
    if request.method == "POST":
        try:
            return _post(request, dialogue)
        except DialogueError as error:
            messages.error(request, error.message)
            return redirect("dialogues:translations", dialogue_id=dialogue.pk)
    names = dict(settings.LANGUAGES)
    current = queries.settings_of(dialogue)
    initial = {"first_language": current[0], "show_machine": current[1]}
    convening = permissions.can_convene(request.user, dialogue.initiative)
    facilitating = permissions.can_facilitate(request.user, dialogue)
    context = {
        "settings_form": SettingsForm(initial=initial) if convening else None,
        "dialogue": reading.dialogue_view(dialogue),
        "items": queries.queue(dialogue),
        "names": names,
        "readers": [(code, names[code]) for code in queries.readers(dialogue)],
        "rules": _rule_versions(dialogue) if facilitating else None,
    }
    return render(request, "dialogues/translations.html", context)

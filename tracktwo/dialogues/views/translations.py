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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tracktwo.dialogues.actions import translations as actions
from tracktwo.dialogues.models import Dialogue, Statement, StatementTranslation
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.queries import translations as queries
from tracktwo.dialogues.views.common import bad_request, forbidden, not_found, user_of
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError


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


def _post(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    user = user_of(request)
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
    """The queue (GET) and its two forms (POST): translate a statement, review a translation."""
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
    context = {
        "settings_form": SettingsForm(initial=initial) if convening else None,
        "dialogue": reading.dialogue_view(dialogue),
        "items": queries.queue(dialogue),
        "names": names,
        "readers": [(code, names[code]) for code in queries.readers(dialogue)],
    }
    return render(request, "dialogues/translations.html", context)

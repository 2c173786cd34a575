"""A dialogue across languages: a statement's original language, its translations and
their review, the convener's machine-translation choice, ground rules per language.

Translations belong to the statement (one id), so votes pool across languages. A
translation records how it was made; a person's translation counts as reviewed by them,
a machine's waits for a person to review it before participants read it, unless the
convener chose otherwise for the dialogue. Audit rows hold ids, languages and methods only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import (
    Dialogue,
    GroundRulesTranslation,
    LanguageSettings,
    Statement,
    StatementLanguage,
    StatementTranslation,
)
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.practice.formats import TranslationMethod, TranslationReview
from tracktwo.practice.validation import clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

MAX_TRANSLATION_CHARS = 2000
MAX_RULES = 20
MAX_RULE_CHARS = 500


def language_codes() -> list[str]:
    """The languages tracktwo speaks (``settings.LANGUAGES``)."""
    return [code for code, _name in settings.LANGUAGES]


def clean_language(value: object, field: str = "language") -> str:
    """A language code of ``settings.LANGUAGES`` (``"ar"``), or InvalidInput naming ``field``."""
    if isinstance(value, str):
        value = value.strip().lower()
    return clean_choice(value, field, language_codes())


def first_language(dialogue: Dialogue) -> str:
    """The language a statement of the dialogue is in unless it says otherwise."""
    row = LanguageSettings.objects.filter(dialogue=dialogue).first()
    return row.first_language if row else settings.LANGUAGE_CODE


@transaction.atomic
def record_original_language(statement: Statement, language: str) -> StatementLanguage:
    """Record the language ``statement`` was written in (its author's action calls this)."""
    code = clean_language(language)
    row, _created = StatementLanguage.objects.update_or_create(
        statement=statement, defaults={"dialogue_id": statement.dialogue_id, "language": code}
    )
    return row


def _method_of(by: User, dialogue: Dialogue) -> str:
    return (
        TranslationMethod.FACILITATOR
        if permissions.can_facilitate(by, dialogue)
        else TranslationMethod.TRANSLATOR
    )


def _original_language(statement: Statement) -> str:
    row = StatementLanguage.objects.filter(statement=statement).first()
    return row.language if row else first_language(statement.dialogue)


@transaction.atomic
def translate_statement(
    statement: Statement, language: str, text: str, by: User, *, machine: bool = False
) -> StatementTranslation:
    """Write (or replace) ``statement``'s text in ``language``.

    ``by`` is the facilitator or translator who wrote it, or who ran the machine
    (``machine=True``): a machine's translation waits for review, a person's is reviewed.
    """
    dialogue = statement.dialogue
    permissions.require(permissions.can_translate(by, dialogue), _("translate statements"))
    code = clean_language(language)
    if code == _original_language(statement):
        raise InvalidInput(_("this is the statement's own language"), field="language")
    if statement.deleted_at is not None:
        raise Conflict(_("this statement cannot be translated now"))
    clean = clean_text(text, "text", max_chars=MAX_TRANSLATION_CHARS, multiline=True)
    row = StatementTranslation.objects.filter(statement=statement, language=code).first()
    row = row or StatementTranslation(statement=statement, dialogue=dialogue, language=code)
    row.method = TranslationMethod.MACHINE if machine else _method_of(by, dialogue)
    row.review = TranslationReview.UNREVIEWED if machine else TranslationReview.REVIEWED
    row.reviewed_at = None if machine else timezone.now()
    row.made_by = by
    row.text.write(box_for_sealing(dialogue.initiative_id), clean)
    row.save()
    record(
        "statement.translated",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="statement",
        target_id=statement.pk,
        details={"language": code, "method": row.method},
    )
    return row


@transaction.atomic
def review_translation(
    translation: StatementTranslation, by: User, *, accept: bool, text: str | None = None
) -> StatementTranslation:
    """A person reviews a translation: accepts it (with ``text``: corrected) or rejects it."""
    dialogue = translation.dialogue
    permissions.require(permissions.can_translate(by, dialogue), _("review translations"))
    if text is not None:
        clean = clean_text(text, "text", max_chars=MAX_TRANSLATION_CHARS, multiline=True)
        translation.text.write(box_for_sealing(dialogue.initiative_id), clean)
    translation.review = TranslationReview.REVIEWED if accept else TranslationReview.REJECTED
    translation.reviewed_at = timezone.now()
    translation.save()
    record(
        "translation.reviewed",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="statement",
        target_id=translation.statement_id,
        details={"language": translation.language, "review": translation.review},
    )
    return translation


@transaction.atomic
def set_languages(
    dialogue: Dialogue, by: User, *, first: str | None = None, show_machine: bool | None = None
) -> LanguageSettings:
    """The convener sets the dialogue's first language and whether participants read
    machine translations before a person reviewed them."""
    permissions.require(
        permissions.can_convene(by, dialogue.initiative), _("change the dialogue's languages")
    )
    row, _created = LanguageSettings.objects.get_or_create(
        dialogue=dialogue, defaults={"first_language": settings.LANGUAGE_CODE}
    )
    if first is not None:
        row.first_language = clean_language(first, "first_language")
    if show_machine is not None:
        row.show_unreviewed_machine = bool(show_machine)
    row.save()
    record(
        "dialogue.languages_set",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"first": row.first_language, "show_machine": row.show_unreviewed_machine},
    )
    return row


@transaction.atomic
def translate_ground_rules(
    dialogue: Dialogue, language: str, rules: list[str], by: User
) -> GroundRulesTranslation | None:
    """The dialogue's custom ground rules in ``language`` (an empty list removes them).

    The version participants accept does not change: the rules are the same rules.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("translate ground rules"))
    code = clean_language(language)
    clean = [
        clean_text(rule, f"rules[{i}]", max_chars=MAX_RULE_CHARS)
        for i, rule in enumerate(rules)
        if str(rule).strip()
    ]
    if len(clean) > MAX_RULES:
        raise InvalidInput(_("at most 20 ground rules"), field="rules")
    GroundRulesTranslation.objects.filter(dialogue=dialogue, language=code).delete()
    row = None
    if clean:
        row = GroundRulesTranslation(dialogue=dialogue, language=code)
        row.rules.write(box_for_sealing(dialogue.initiative_id), clean)
        row.save()
    record(
        "ground_rules.translated",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"language": code, "rules": len(clean)},
    )
    return row

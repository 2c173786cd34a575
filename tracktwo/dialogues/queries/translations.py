"""What each reader sees of a dialogue across languages (decrypted, permission-free).

:func:`reading` gives a participant a statement in their language when a usable
translation exists (a person's, or a reviewed machine one, or any machine one the
convener chose to show), else the original. :func:`queue` is the translators' work list:
statements' texts and languages only, never who wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tracktwo.dialogues.models import (
    Dialogue,
    GroundRulesTranslation,
    LanguageSettings,
    Participant,
    Statement,
    StatementLanguage,
    StatementTranslation,
)
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.practice.formats import Moderation, TranslationMethod, TranslationReview
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


@dataclass(frozen=True)
class Reading:
    """A statement as one reader gets it: ``language`` is the text's, ``original`` its own."""

    text: str
    language: str
    original: str
    translated: bool
    method: str | None = None
    original_text: str = ""


@dataclass(frozen=True)
class QueueItem:
    """One statement on the translators' list (texts and languages, no author)."""

    statement_id: int
    language: str
    text: str
    missing: tuple[str, ...]
    to_review: tuple[tuple[int, str, str, str], ...]  # (translation id, language, method, text)


def _settings(dialogue: Dialogue) -> LanguageSettings:
    row = LanguageSettings.objects.filter(dialogue=dialogue).first()
    return row or LanguageSettings(dialogue=dialogue, first_language=settings.LANGUAGE_CODE)


def settings_of(dialogue: Dialogue) -> tuple[str, bool]:
    """The dialogue's first language and whether unreviewed machine translations show."""
    row = _settings(dialogue)
    return row.first_language, row.show_unreviewed_machine


def first_language_of(dialogue: Dialogue) -> str:
    """The language a statement of the dialogue is in unless it says otherwise."""
    return _settings(dialogue).first_language


def base_language(code: str | None) -> str:
    """``"ar-eg"`` -> ``"ar"``; None -> the site's language."""
    return (code or settings.LANGUAGE_CODE).split("-")[0].lower()


def originals(dialogue: Dialogue, ids: list[int] | None = None) -> dict[int, str]:
    """Each statement's original language, by id (every statement of the dialogue)."""
    first = _settings(dialogue).first_language
    rows = Statement.objects.filter(dialogue=dialogue)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    known = dict(
        StatementLanguage.objects.filter(dialogue=dialogue).values_list("statement_id", "language")
    )
    return {pk: known.get(pk, first) for pk in rows.values_list("pk", flat=True)}


def usable(row: StatementTranslation, show_machine: bool) -> bool:
    """Whether participants may read a translation: reviewed, or an unreviewed machine
    one the convener chose to show; never a rejected one."""
    if row.review == TranslationReview.REVIEWED:
        return True
    return (
        show_machine
        and row.method == TranslationMethod.MACHINE
        and row.review == TranslationReview.UNREVIEWED
    )


def reading(
    statement: Statement, language: str | None, box: Box | None = None, *, original: bool = False
) -> Reading:
    """``statement`` for a reader of ``language`` (``original``: its own words on request).

    A translation carries the original's words too (``original_text``), so a page can
    show them on request without another round trip."""
    dialogue = statement.dialogue
    box = box or box_for(dialogue.initiative_id)
    own = originals(dialogue, [statement.pk]).get(statement.pk, _settings(dialogue).first_language)
    wanted = base_language(language)
    own_text = Reading(statement.text.read(box), own, own, False, original_text="")
    if original or wanted == own:
        return own_text
    row = StatementTranslation.objects.filter(statement=statement, language=wanted).first()
    if row is None or not usable(row, _settings(dialogue).show_unreviewed_machine):
        return own_text
    return Reading(row.text.read(box), wanted, own, True, row.method, own_text.text)


def texts_in(dialogue: Dialogue, language: str, box: Box | None = None) -> dict[int, str]:
    """Every usable translation of the dialogue's statements into ``language``, by statement."""
    box = box or box_for(dialogue.initiative_id)
    show = _settings(dialogue).show_unreviewed_machine
    rows = StatementTranslation.objects.filter(dialogue=dialogue, language=base_language(language))
    return {row.statement_id: row.text.read(box) for row in rows if usable(row, show)}


def translated_texts(dialogue: Dialogue, language: str, box: Box | None = None) -> dict[str, str]:
    """Each statement's current words -> its usable translation into ``language`` (for a
    brief built from texts, never from ids)."""
    box = box or box_for(dialogue.initiative_id)
    wanted = texts_in(dialogue, language, box)
    rows = Statement.objects.filter(dialogue=dialogue, pk__in=list(wanted))
    return {row.text.read(box): wanted[row.pk] for row in rows}


def languages_of(dialogue: Dialogue) -> list[str]:
    """The languages the dialogue's statements have: originals and usable translations."""
    show = _settings(dialogue).show_unreviewed_machine
    found = set(originals(dialogue).values())
    for row in StatementTranslation.objects.filter(dialogue=dialogue):
        if usable(row, show):
            found.add(row.language)
    return [code for code, _name in settings.LANGUAGES if code in found]


def reader_language(participant: Participant, box: Box) -> str | None:
    """The first language a participant said they take part in (their sealed profile)."""
    profile = Profile.from_json(participant.profile.read(box) or {})
    return base_language(profile.languages[0]) if profile.languages else None


def readers(dialogue: Dialogue, box: Box | None = None) -> list[str]:
    """The languages the dialogue's active participants read, and its first language."""
    box = box or box_for(dialogue.initiative_id)
    found = {_settings(dialogue).first_language}
    for participant in Participant.objects.filter(dialogue=dialogue, withdrawn_at__isnull=True):
        code = reader_language(participant, box)
        if code:
            found.add(code)
    return [code for code, _name in settings.LANGUAGES if code in found]


def queue(dialogue: Dialogue, box: Box | None = None) -> list[QueueItem]:
    """Accepted statements that others read in a language they are not yet usable in,
    or that have a machine translation waiting for review (oldest first)."""
    box = box or box_for(dialogue.initiative_id)
    wanted = readers(dialogue, box)
    langs = originals(dialogue)
    rows: dict[int, list[StatementTranslation]] = {}
    for row in StatementTranslation.objects.filter(dialogue=dialogue).order_by("pk"):
        rows.setdefault(row.statement_id, []).append(row)
    items = []
    statements = Statement.objects.filter(
        dialogue=dialogue, moderation=Moderation.ACCEPTED, deleted_at__isnull=True
    ).order_by("pk")
    for statement in statements:
        own = langs[statement.pk]
        done = {r.language for r in rows.get(statement.pk, []) if usable(r, False)}
        missing = tuple(code for code in wanted if code != own and code not in done)
        review = tuple(
            (r.pk, r.language, r.method, r.text.read(box))
            for r in rows.get(statement.pk, [])
            if r.review == TranslationReview.UNREVIEWED
        )
        if missing or review:
            items.append(QueueItem(statement.pk, own, statement.text.read(box), missing, review))
    return items


def ground_rules_in(dialogue: Dialogue, language: str | None, box: Box | None = None) -> list[str]:
    """The dialogue's custom ground rules in ``language``, if a version in it exists."""
    box = box or box_for(dialogue.initiative_id)
    row = GroundRulesTranslation.objects.filter(
        dialogue=dialogue, language=base_language(language)
    ).first()
    return list(row.rules.read(box)) if row else []

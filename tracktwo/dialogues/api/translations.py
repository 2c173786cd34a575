"""The dialogue across languages, under /api/v1 (see ``docs/api.md``).

=============================================  ======================================
route                                          who (anyone else: 401, 403 or 404)
=============================================  ======================================
GET    /dialogues/{id}/translations/queue      facilitators, translators
POST   .../statements/{sid}/translations       facilitators, translators
POST   .../translations/{tid}/review           facilitators, translators
POST   /dialogues/{id}/translations/machine    facilitators, translators (409 when no
                                               local backend is configured)
POST   /dialogues/{id}/languages               conveners
POST   /dialogues/{id}/languages/ground-rules  facilitators (custom rules in one language)
GET    /dialogues/{id}/analysis/languages      facilitators (full), observers (small
                                               cells withheld)
=============================================  ======================================

Translators see statements' texts and languages, never who wrote or voted what.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.accounts.models import User
from tracktwo.dialogues import machine_translation
from tracktwo.dialogues.actions import translations as actions
from tracktwo.dialogues.api.common import ERRORS, _dialogue, _member, _statement
from tracktwo.dialogues.models import Dialogue, StatementTranslation
from tracktwo.dialogues.queries import translations as queries
from tracktwo.initiatives import permissions
from tracktwo.insight import languages as by_language
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.safety.datakeys import box_for

router = Router(tags=["languages"])


class TranslationIn(Schema):
    language: str
    text: str


class ReviewIn(Schema):
    accept: bool
    text: str | None = None


class MachineIn(Schema):
    statement: int
    language: str


class RulesIn(Schema):
    language: str
    rules: list[str]


class LanguagesIn(Schema):
    first_language: str | None = None
    show_unreviewed_machine: bool | None = None


def _translator(request: HttpRequest, dialogue_id: int) -> tuple[Dialogue, User]:
    """The dialogue, for a facilitator or translator of it (participants: 403, others 404)."""
    who = caller(request)
    if who.kind == "participant":
        if who.participant.dialogue_id != dialogue_id:
            raise NotFound(_("no such dialogue"))
        raise NotAllowed(_("participants may not do this"))
    assert who.user is not None
    dialogue = _dialogue(dialogue_id)
    if not permissions.can_translate(who.user, dialogue):
        raise NotFound(_("no such dialogue"))
    return dialogue, who.user


def _translation_out(row: StatementTranslation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "statement": row.statement_id,
        "language": row.language,
        "method": row.method,
        "review": row.review,
    }


@router.get("/dialogues/{id}/translations/queue", auth=API_AUTH, response={200: dict, **ERRORS})
def queue(request: HttpRequest, id: int) -> dict[str, Any]:
    """Statements waiting for a translation or for a machine translation's review."""
    dialogue, _user = _translator(request, id)
    items = queries.queue(dialogue)
    return {
        "languages": queries.readers(dialogue),
        "items": [
            {
                "statement": item.statement_id,
                "language": item.language,
                "text": item.text,
                "missing": list(item.missing),
                "to_review": [
                    {"id": tid, "language": lang, "method": method, "text": text}
                    for tid, lang, method, text in item.to_review
                ],
            }
            for item in items
        ],
    }


@router.post(
    "/dialogues/{id}/statements/{sid}/translations",
    auth=API_AUTH,
    response={201: dict, **ERRORS},
)
def translate(
    request: HttpRequest, id: int, sid: int, body: TranslationIn
) -> Status[dict[str, Any]]:
    """Write a statement's text in one more language (a person's: reviewed at once)."""
    dialogue, user = _translator(request, id)
    row = actions.translate_statement(_statement(dialogue, sid), body.language, body.text, user)
    return Status(201, _translation_out(row))


@router.post(
    "/dialogues/{id}/translations/{tid}/review",
    auth=API_AUTH,
    response={200: dict, **ERRORS},
)
def review(request: HttpRequest, id: int, tid: int, body: ReviewIn) -> dict[str, Any]:
    """Accept (optionally corrected) or reject a translation."""
    dialogue, user = _translator(request, id)
    row = StatementTranslation.objects.filter(pk=tid, dialogue=dialogue).first()
    if row is None:
        raise NotFound(_("no such translation"))
    row = actions.review_translation(row, user, accept=body.accept, text=body.text)
    return _translation_out(row)


@router.post("/dialogues/{id}/translations/machine", auth=API_AUTH, response={201: dict, **ERRORS})
def machine(request: HttpRequest, id: int, body: MachineIn) -> Status[dict[str, Any]]:
    """Ask the operator's local backend for a translation (it waits for review)."""
    dialogue, user = _translator(request, id)
    statement = _statement(dialogue, body.statement)
    row = machine_translation.machine_translate(statement, body.language, user)
    return Status(201, _translation_out(row))


@router.post("/dialogues/{id}/languages", auth=API_AUTH, response={200: dict, **ERRORS})
def languages(request: HttpRequest, id: int, body: LanguagesIn) -> dict[str, Any]:
    """The convener sets the first language and whether unreviewed machine text shows."""
    dialogue, user = _member(request, id, "convene")
    row = actions.set_languages(
        dialogue, user, first=body.first_language, show_machine=body.show_unreviewed_machine
    )
    return {
        "first_language": row.first_language,
        "show_unreviewed_machine": row.show_unreviewed_machine,
        "languages": queries.languages_of(dialogue),
    }


@router.post(
    "/dialogues/{id}/languages/ground-rules", auth=API_AUTH, response={200: dict, **ERRORS}
)
def ground_rules(request: HttpRequest, id: int, body: RulesIn) -> dict[str, Any]:
    """The dialogue's custom ground rules in one more language (empty: remove that version)."""
    dialogue, user = _member(request, id, "facilitate")
    row = actions.translate_ground_rules(dialogue, body.language, body.rules, user)
    return {
        "language": body.language,
        "rules": len(row.rules.read(box_for(dialogue.initiative_id))) if row else 0,
    }


@router.get(
    "/dialogues/{id}/analysis/languages",
    auth=API_AUTH,
    response={200: dict, **ERRORS},
    operation_id="dialogues_analysis_by_language",
)
def analysis(request: HttpRequest, id: int, origin: bool = False) -> dict[str, Any]:
    """Participation and agreement by reading language; diverging statements flagged.

    ``origin=true`` names each statement's original language (not named otherwise).
    """
    dialogue, user = _member(request, id, "observe")
    result = by_language.dialogue_by_language(dialogue)
    return by_language.as_json(
        dialogue,
        result,
        facilitator=permissions.can_facilitate(user, dialogue),
        with_origin=origin,
    )

"""What the dialogues API routes share: who is asking, which dialogue, and answers' shapes.

A member without a role in the dialogue, and a participant of another dialogue, get 404:
whether a (secret) dialogue exists is itself confidential.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracktwo.accounts.auth import Caller, caller
from tracktwo.accounts.models import User
from tracktwo.consent.gates import effective_level
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.models import Dialogue, Participant, Statement
from tracktwo.dialogues.queries import meetings, reading
from tracktwo.dialogues.queries import translations as translated
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Membership
from tracktwo.practice.errors import InvalidInput, NotAllowed, NotFound
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for

ERRORS: dict[int, type[s.Detail]] = {c: s.Detail for c in (400, 401, 403, 404, 409, 410, 429)}
ROLE_ORDER = (MemberRole.CONVENER, MemberRole.FACILITATOR, MemberRole.OBSERVER)
Need = Literal["observe", "facilitate", "convene"]


# -- who is asking ------------------------------------------------------------------------


def _dialogue(dialogue_id: int) -> Dialogue:
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if dialogue is None or dialogue.purged_at is not None:
        raise NotFound(_("no such dialogue"))
    return dialogue


def _member(request: HttpRequest, dialogue_id: int, need: Need) -> tuple[Dialogue, User]:
    """The dialogue, for an account holder with at least the ``need``ed role in it."""
    who = caller(request)
    if who.kind == "participant":
        if who.participant.dialogue_id != dialogue_id:
            raise NotFound(_("no such dialogue"))
        raise NotAllowed(_("participants may not do this"))
    user = who.user
    assert user is not None
    dialogue = _dialogue(dialogue_id)
    if not permissions.can_observe(user, dialogue):
        raise NotFound(_("no such dialogue"))
    if need == "facilitate":
        permissions.require(permissions.can_facilitate(user, dialogue), "run this dialogue")
    elif need == "convene":
        permissions.require(permissions.can_convene(user, dialogue.initiative), "convene")
    return dialogue, user


def _participant(request: HttpRequest, dialogue_id: int) -> tuple[Dialogue, Participant]:
    """The dialogue, for one of its (active) participants."""
    who = caller(request)
    if who.kind == "user":
        dialogue = _dialogue(dialogue_id)
        if not permissions.can_observe(who.user, dialogue):
            raise NotFound(_("no such dialogue"))
        raise NotAllowed(_("only the dialogue's participants may do this"))
    participant = who.participant
    if participant.dialogue_id != dialogue_id:
        raise NotFound(_("no such dialogue"))
    dialogue = _dialogue(dialogue_id)
    participant.dialogue = dialogue
    return dialogue, participant


def _any(request: HttpRequest, dialogue_id: int) -> tuple[Dialogue, Caller]:
    """The dialogue, for a member who may observe it or one of its participants."""
    who = caller(request)
    if who.kind == "participant":
        return _participant(request, dialogue_id)[0], who
    return _member(request, dialogue_id, "observe")[0], who


def _statement(dialogue: Dialogue, statement_id: int) -> Statement:
    statement = (
        Statement.objects.select_related("dialogue")
        .filter(pk=statement_id, dialogue=dialogue, deleted_at__isnull=True)
        .first()
    )
    if statement is None:
        raise NotFound(_("no such statement in this dialogue"))
    return statement


# -- shaping answers ----------------------------------------------------------------------


def _role(who: Caller, dialogue: Dialogue) -> str:
    if who.kind == "participant":
        return str(who.participant.role)
    roles = set(
        Membership.objects.filter(
            Q(dialogue__isnull=True) | Q(dialogue=dialogue),
            user_id=who.user.pk if who.user else 0,
            initiative_id=dialogue.initiative_id,
        ).values_list("role", flat=True)
    )
    return next((str(role) for role in ROLE_ORDER if role in roles), "")


def _dialogue_out(dialogue: Dialogue, who: Caller) -> dict[str, Any]:
    box = box_for(dialogue.initiative_id)
    view = reading.dialogue_view(dialogue, box)
    phases = meetings.dialogue_agenda(dialogue, box)
    session = reading.current_session(dialogue)
    return {
        "id": dialogue.pk,
        "initiative": dialogue.initiative_id,
        "title": view.title,
        "description": view.description,
        "format": view.format,
        "format_name": str(view.format_name),
        "confidentiality": view.confidentiality,
        "regime_text": str(view.regime_text),
        "parties": [
            {"id": pk, "name": name}
            for pk, name in reading.party_names(dialogue.initiative_id, box).items()
        ],
        "phases": [
            {
                "index": i,
                "key": phase.key,
                "name": str(phase.name),
                "purpose": str(phase.purpose),
                "held": phase.criticism_held_back,
            }
            for i, phase in enumerate(phases)
        ],
        "current_phase": session.phase_index if session else None,
        "session": session.number if session else None,
        "moderation_required": view.moderation_required,
        "results_shared": view.results_shared,
        "ground_rules": list(view.ground_rules),
        "ground_rules_version": view.ground_rules_version,
        "small_cell_threshold": view.small_cell_threshold,
        "role": _role(who, dialogue),
        "effective_risk": (
            effective_level(dialogue)
            if who.kind == "user" and permissions.can_facilitate(who.user, dialogue)
            else None
        ),
    }


def _statement_out(
    view: reading.StatementView, mine: bool = False, shown: translated.Reading | None = None
) -> dict[str, Any]:
    """A statement's answer shape; ``shown``: the words in the reader's language."""
    language = shown.language if shown else None
    return {
        "id": view.id,
        "text": shown.text if shown else view.text,
        "moderation": view.moderation,
        "is_seed": view.is_seed,
        "is_meta": view.is_meta,
        "redacted": view.redacted,
        "phase_index": view.phase_index,
        "created_at": view.created_at,
        "mine": mine,
        "language": language,
        "translated": bool(shown and shown.translated),
        "original_language": shown.original if shown else None,
    }


def _one_statement(
    statement: Statement, mine: bool = False, shown: translated.Reading | None = None
) -> dict[str, Any]:
    text = shown.text if shown else statement.text.read(box_for(statement.dialogue.initiative_id))
    view = reading.StatementView(
        statement.pk,
        text,
        statement.moderation,
        statement.is_seed,
        statement.is_meta,
        statement.redacted,
        statement.phase_index,
        statement.created_at,
    )
    return _statement_out(view, mine, shown)


# -- the reader's language ----------------------------------------------------------------


def reader_language(lang: str | None) -> str:
    """The caller's reading language: ``?lang=`` (one of settings.LANGUAGES), else the
    request's (``Accept-Language``, as the pages take it)."""
    if lang is None or not lang.strip():
        return translated.base_language(get_language())
    code = lang.strip().lower()
    if code not in dict(settings.LANGUAGES):
        raise InvalidInput(
            _("lang: %(code)s is not one of this site's languages (%(known)s)")
            % {"code": code, "known": ", ".join(dict(settings.LANGUAGES))},
            field="lang",
        )
    return code


def readings(
    dialogue: Dialogue, views: list[reading.StatementView], language: str, original: bool
) -> dict[int, translated.Reading]:
    """Each statement as a reader of ``language`` gets it, by id, the way the pages show it
    (a usable translation, else the original; ``original``: always the original)."""
    box = box_for(dialogue.initiative_id)
    own = translated.originals(dialogue, [v.id for v in views])
    first = translated.first_language_of(dialogue)
    texts = {} if original else translated.texts_in(dialogue, language, box)
    out = {}
    for view in views:
        lang = own.get(view.id, first)
        if view.id in texts and lang != language:
            out[view.id] = translated.Reading(texts[view.id], language, lang, True, None, view.text)
        else:
            out[view.id] = translated.Reading(view.text, lang, lang, False)
    return out

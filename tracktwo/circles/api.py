"""JSON API of a listening circle, mounted under /api/v1.

=================================================  ========================================
route                                              who (anyone else: 401, 403 or 404)
=================================================  ========================================
GET  /dialogues/{id}/circle                        its participants; conveners, facilitators
                                                   (with ``turns``: who has spoken)
POST /dialogues/{id}/circle/reflections            its participants (not observers)
POST /dialogues/{id}/circle/rounds                 conveners, facilitators
POST /dialogues/{id}/circle/gatherings             conveners, facilitators (audited)
PUT  /dialogues/{id}/circle/rhythm                 conveners, facilitators
=================================================  ========================================

Observers with an account are outside the circle: 403. In a dialogue of another format the
routes that write answer 409 with a reason naming the format; a vote in a circle is refused
the same way by ``POST /dialogues/{id}/votes``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.circles import actions, queries, rules
from tracktwo.circles.models import MAX_PROMPT_CHARS, MAX_REFLECTION_CHARS
from tracktwo.dialogues.api.common import ERRORS, _member, _participant
from tracktwo.dialogues.api.schemas import PathId
from tracktwo.dialogues.models import Dialogue, Participant

router = Router(tags=["listening circles"])


class ReflectionIn(Schema):
    text: Annotated[str, Field(max_length=MAX_REFLECTION_CHARS)]


class RoundIn(Schema):
    prompt: Annotated[str, Field(max_length=MAX_PROMPT_CHARS)]


class RhythmIn(Schema):
    next_on: date


def _state(dialogue: Dialogue, reader: Participant | None, facilitator: bool) -> dict[str, Any]:
    if not rules.is_circle(dialogue):
        return {"dialogue": dialogue.pk, "circle": False, "format": dialogue.format}
    rounds = queries.rounds(dialogue)
    current = rounds[0] if rounds else None
    rhythm = queries.rhythm(dialogue)
    out: dict[str, Any] = {
        "dialogue": dialogue.pk,
        "circle": True,
        "next_on": rhythm.next_on.isoformat() if rhythm.next_on else None,
        "gatherings": rhythm.gatherings,
        "gathering": rhythm.gathering,
        "round": dataclasses.asdict(current) if current else None,
        "reflections": [
            dataclasses.asdict(r)
            for r in (queries.reflections(current.id, dialogue, reader) if current else [])
        ],
    }
    if facilitator:
        turns = queries.turns(current.id, dialogue) if current else []
        out["turns"] = [dataclasses.asdict(t) for t in turns]
    return out


@router.get("/dialogues/{id}/circle", auth=API_AUTH, response={200: Any, **ERRORS})
def circle(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The open round, the circle's reflections (unnamed); for facilitators, who has spoken."""
    if caller(request).kind == "participant":
        dialogue, participant = _participant(request, id)
        return _state(dialogue, participant, facilitator=False)
    dialogue, _user = _member(request, id, "facilitate")
    return _state(dialogue, None, facilitator=True)


@router.post("/dialogues/{id}/circle/reflections", auth=API_AUTH, response={201: Any, **ERRORS})
def reflect(request: HttpRequest, id: PathId, body: ReflectionIn) -> Status[dict[str, Any]]:
    """Write (or rewrite) one's reflection in the open round."""
    _dialogue, participant = _participant(request, id)
    reflection = actions.reflect(participant, body.text)
    return Status(201, {"round": reflection.round.number, "saved": True})


@router.post("/dialogues/{id}/circle/rounds", auth=API_AUTH, response={201: Any, **ERRORS})
def open_round(request: HttpRequest, id: PathId, body: RoundIn) -> Status[dict[str, Any]]:
    """Open the next round with a prompt (the open one closes)."""
    dialogue, user = _member(request, id, "facilitate")
    round_ = actions.open_round(dialogue, body.prompt, user)
    return Status(201, {"round": round_.number, "gathering": round_.session.number})


@router.post("/dialogues/{id}/circle/gatherings", auth=API_AUTH, response={201: Any, **ERRORS})
def gathering(request: HttpRequest, id: PathId) -> Status[dict[str, Any]]:
    """Begin this month's gathering of the same circle (the next one is a month on)."""
    dialogue, user = _member(request, id, "facilitate")
    session = actions.hold_gathering(dialogue, user)
    return Status(201, _state(dialogue, None, facilitator=True) | {"gathering": session.number})


@router.put("/dialogues/{id}/circle/rhythm", auth=API_AUTH, response={200: Any, **ERRORS})
def rhythm(request: HttpRequest, id: PathId, body: RhythmIn) -> dict[str, Any]:
    """Set the day of the next monthly gathering."""
    dialogue, user = _member(request, id, "facilitate")
    actions.set_rhythm(dialogue, body.next_on, user)
    return {"next_on": body.next_on.isoformat(), "message": _("saved")}

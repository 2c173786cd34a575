"""JSON API of a Sustained Dialogue, mounted under /api/v1.

=================================================  ========================================
route                                              who (anyone else: 401, 403 or 404)
=================================================  ========================================
GET  /dialogues/{id}/sustained                     its participants; conveners, facilitators,
                                                   observers
POST /dialogues/{id}/sustained/stage               conveners, facilitators (audited)
PUT  /dialogues/{id}/sustained/memorandum          conveners, facilitators (audited)
POST /dialogues/{id}/sustained/map                 its participants (not observers);
                                                   conveners, facilitators
POST /dialogues/{id}/sustained/scenarios           the same, from stage 4
=================================================  ========================================

In a dialogue of another format every route but the GET answers 409 with a reason naming
the format (the GET says ``"sustained": false``).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.dialogues.api.common import ERRORS, _any, _member, _participant
from tracktwo.dialogues.api.schemas import PathId
from tracktwo.dialogues.models import Dialogue
from tracktwo.practice.formats import DialogueFormat
from tracktwo.sustained import actions, queries, rules
from tracktwo.sustained.actions import MAX_ELEMENT_CHARS, MAX_MARKER_CHARS

router = Router(tags=["sustained dialogue"])
Long = Annotated[str, Field(max_length=20_000)]
Element = Annotated[str, Field(max_length=MAX_ELEMENT_CHARS)]


class StageIn(Schema):
    stage: Annotated[int, Field(ge=1, le=5)]
    marker: Annotated[str, Field(max_length=MAX_MARKER_CHARS)]


class MemorandumIn(Schema):
    summary: Long
    pick_up: Long = ""


class MapIn(Schema):
    identity: Element = ""
    interests: Element = ""
    power: Element = ""
    perceptions: Element = ""
    patterns: Element = ""


class ScenarioIn(Schema):
    title: Annotated[str, Field(max_length=200)]
    resources: Element = ""
    obstacles: Element = ""
    steps: Element = ""
    actors: Element = ""
    sequence: Element = ""
    worksheet: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None


def _state(dialogue: Dialogue) -> dict[str, Any]:
    if dialogue.format != DialogueFormat.SUSTAINED_DIALOGUE:
        return {"dialogue": dialogue.pk, "sustained": False, "format": dialogue.format}
    state = queries.overview(dialogue)
    out: dict[str, Any] = {"dialogue": dialogue.pk, "sustained": True}
    for key, value in state.items():
        if isinstance(value, list):
            out[key] = [dataclasses.asdict(v) for v in value]
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out[key] = dataclasses.asdict(value)
        else:
            out[key] = value
    return out


def _writer(request: HttpRequest, id: int) -> tuple[Dialogue, Any]:
    """The dialogue and who writes for the group: a participant, or a facilitator."""
    if caller(request).kind == "participant":
        dialogue, participant = _participant(request, id)
        return dialogue, participant
    return _member(request, id, "facilitate")


@router.get("/dialogues/{id}/sustained", auth=API_AUTH, response={200: Any, **ERRORS})
def overview(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The stage, the transition markers, the memorandum carried forward, maps, scenarios."""
    dialogue, _who = _any(request, id)
    return _state(dialogue)


@router.post("/dialogues/{id}/sustained/stage", auth=API_AUTH, response={201: Any, **ERRORS})
def stage(request: HttpRequest, id: PathId, body: StageIn) -> Status[dict[str, Any]]:
    """Move the group to a stage at the current meeting, with the marker the group sees."""
    dialogue, user = _member(request, id, "facilitate")
    actions.move_to_stage(dialogue, body.stage, body.marker, user)
    return Status(201, _state(dialogue))


@router.put("/dialogues/{id}/sustained/memorandum", auth=API_AUTH, response={200: Any, **ERRORS})
def memorandum(request: HttpRequest, id: PathId, body: MemorandumIn) -> dict[str, Any]:
    """Write (or rewrite) the current meeting's memorandum."""
    dialogue, user = _member(request, id, "facilitate")
    rules.require_sustained(dialogue, _("a memorandum"))
    actions.write_memorandum(rules.current_meeting(dialogue), body.summary, body.pick_up, user)
    return _state(dialogue)


@router.post("/dialogues/{id}/sustained/map", auth=API_AUTH, response={201: Any, **ERRORS})
def relationship_map(request: HttpRequest, id: PathId, body: MapIn) -> Status[dict[str, Any]]:
    """Save a new version of the relationship map (a participant's records no author)."""
    dialogue, by = _writer(request, id)
    version = actions.save_relationship_map(dialogue, body.dict(), by)
    return Status(201, {"version": version.version, "meeting": version.session.number})


@router.post("/dialogues/{id}/sustained/scenarios", auth=API_AUTH, response={201: Any, **ERRORS})
def scenario(request: HttpRequest, id: PathId, body: ScenarioIn) -> Status[dict[str, Any]]:
    """Write a stage-4 scenario on the five questions (409 before stage 4)."""
    dialogue, by = _writer(request, id)
    data = body.dict()
    worksheet = data.pop("worksheet")
    sheet = actions.save_scenario(dialogue, data, by, worksheet_id=worksheet)
    return Status(201, {"id": sheet.pk, "meeting": sheet.session.number})

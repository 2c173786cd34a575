"""JSON API routes of the transfer app, mounted under /api/v1.

=========================================  ==========================================
route                                      who (anyone else: 401, 403 or 404)
=========================================  ==========================================
GET  /dialogues/{id}/brief?format=&session=&language=
                                           conveners, facilitators (the current draft,
                                           rendered; audited as an export; a PDF with
                                           workers: 202, prepared on a worker)
GET  /initiatives/{id}/transfer-log        conveners, facilitators of the initiative
POST /initiatives/{id}/transfer-log        conveners, facilitators (audited)
PATCH /transfer-log/{id}                   conveners, facilitators (audited)
GET  /initiatives/{id}/track-one-events    conveners, facilitators
POST /initiatives/{id}/track-one-events    conveners, facilitators (audited)
=========================================  ==========================================

As in the dialogues API, someone who may not know a dialogue exists (not a member who
may observe it, or a participant of another dialogue) gets 404; a member who may observe
it, or one of its participants, gets 403. For initiatives: members without the role get
403, strangers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.transfer import actions, log
from tracktwo.transfer.models import Channel, ConveyorKind
from tracktwo.workers import enabled as on_workers
from tracktwo.workers.actions import request_file
from tracktwo.workers.answers import JobOut, accepted
from tracktwo.workers.models import JobKind

router = Router(tags=["transfer"])
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Detail(Schema):
    detail: Any


ERRORS: dict[int, type[Detail]] = {c: Detail for c in (400, 401, 403, 404, 409)}


class BriefQuery(Schema):
    format: Literal["md", "html", "pdf"] = "md"
    session: Annotated[int, Field(ge=1, le=100_000)] | None = None
    language: Annotated[str, Field(min_length=2, max_length=16)] | None = None


class TransferIn(Schema):
    conveyed_on: date
    channel: Literal[tuple(Channel.values)]  # type: ignore[valid-type]
    conveyor_kind: Literal[tuple(ConveyorKind.values)]  # type: ignore[valid-type]
    conveyed_by: Annotated[str, Field(max_length=200)]
    idea: Annotated[str, Field(max_length=20_000)]
    body: Annotated[str, Field(max_length=200)]
    reaction: Annotated[str, Field(max_length=20_000)] = ""
    follow_up: Annotated[str, Field(max_length=20_000)] = ""
    follow_up_due: date | None = None
    follow_up_done: bool = False
    brief: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class TransferPatch(Schema):
    conveyed_on: date | None = None
    channel: Literal[tuple(Channel.values)] | None = None  # type: ignore[valid-type]
    conveyor_kind: Literal[tuple(ConveyorKind.values)] | None = None  # type: ignore[valid-type]
    conveyed_by: Annotated[str, Field(max_length=200)] | None = None
    idea: Annotated[str, Field(max_length=20_000)] | None = None
    body: Annotated[str, Field(max_length=200)] | None = None
    reaction: Annotated[str, Field(max_length=20_000)] | None = None
    follow_up: Annotated[str, Field(max_length=20_000)] | None = None
    follow_up_due: date | None = None
    follow_up_done: bool | None = None
    brief: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class TransferOut(Schema):
    id: int
    conveyed_on: date
    channel: str
    conveyor_kind: str
    conveyed_by: str
    idea: str
    body: str
    reaction: str
    follow_up: str
    follow_up_due: date | None
    follow_up_done: bool
    brief: int | None


class EventIn(Schema):
    happened_on: date
    body: Annotated[str, Field(max_length=200)]
    description: Annotated[str, Field(max_length=20_000)]


class EventOut(Schema):
    id: int
    happened_on: date
    body: str
    description: str


def _user(request: HttpRequest, dialogue_id: int | None = None) -> User:
    who = caller(request)
    if who.kind == "participant":
        if dialogue_id is not None and who.participant.dialogue_id == dialogue_id:
            raise NotAllowed("participants may not read briefs")
        raise NotFound("not found")
    assert who.user is not None
    return who.user


def _dialogue_for_brief(request: HttpRequest, dialogue_id: int) -> tuple[Dialogue, User]:
    user = _user(request, dialogue_id)
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if dialogue is None or dialogue.purged_at is not None:
        raise NotFound("no such dialogue")
    if not permissions.can_observe(user, dialogue) and (
        dialogue.is_secret
        or not Membership.objects.filter(
            user_id=user.pk, initiative_id=dialogue.initiative_id
        ).exists()
    ):
        raise NotFound("no such dialogue")
    permissions.require(permissions.can_facilitate(user, dialogue), "read this dialogue's brief")
    return dialogue, user


def _initiative_for_log(request: HttpRequest, initiative_id: int) -> tuple[Initiative, User]:
    user = _user(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if (
        initiative is None
        or not Membership.objects.filter(user_id=user.pk, initiative=initiative).exists()
    ):
        raise NotFound("no such initiative")
    permissions.require(log.can_keep_log(user, initiative), "keep the transfer log")
    return initiative, user


def _entry_out(view: log.EntryView) -> dict[str, Any]:
    return {
        "id": view.id,
        "conveyed_on": view.conveyed_on,
        "channel": view.channel,
        "conveyor_kind": view.conveyor_kind,
        "conveyed_by": view.conveyed_by,
        "idea": view.idea,
        "body": view.body,
        "reaction": view.reaction,
        "follow_up": view.follow_up,
        "follow_up_due": view.follow_up_due,
        "follow_up_done": view.follow_up_done,
        "brief": view.brief_id,
    }


@router.get("/dialogues/{id}/brief", auth=API_AUTH, response={200: None, 202: JobOut, **ERRORS})
def brief(request: HttpRequest, id: PathId, query: Query[BriefQuery]) -> HttpResponse:
    """The dialogue's (or one session's) draft brief in Markdown, HTML or PDF (audited), in
    English or any language its statements have (``language``; 400 naming it otherwise).
    With workers, a PDF is prepared on one: 202 and the job (``GET /jobs/{key}``)."""
    dialogue, user = _dialogue_for_brief(request, id)
    if query.format == "pdf" and on_workers():
        job = request_file(
            JobKind.BRIEF, dialogue, user, fmt="pdf", session=query.session, language=query.language
        )
        return accepted(job)
    session = actions.session_of(dialogue, query.session)
    rendered = actions.render_draft(dialogue, session, query.format, user, language=query.language)
    response = HttpResponse(rendered.body, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@router.get(
    "/initiatives/{id}/transfer-log", auth=API_AUTH, response={200: list[TransferOut], **ERRORS}
)
def transfer_log(request: HttpRequest, id: PathId) -> list[dict[str, Any]]:
    """The initiative's transfer log, oldest first."""
    initiative, user = _initiative_for_log(request, id)
    return [_entry_out(view) for view in log.transfer_log(initiative, user)]


@router.post("/initiatives/{id}/transfer-log", auth=API_AUTH, response={201: TransferOut, **ERRORS})
def add_transfer(request: HttpRequest, id: PathId, body: TransferIn) -> Status[dict[str, Any]]:
    """Record who conveyed what to which Track One body (audited)."""
    initiative, user = _initiative_for_log(request, id)
    entry = log.log_transfer(initiative, user, **body.dict())
    return Status(201, _entry_out(log.entry_view(entry)))


@router.patch("/transfer-log/{id}", auth=API_AUTH, response={200: TransferOut, **ERRORS})
def change_transfer(request: HttpRequest, id: PathId, body: TransferPatch) -> dict[str, Any]:
    """Change an entry, e.g. to add the reaction or mark the follow-up done (audited)."""
    user = _user(request)
    entry = log.get_entry(id)
    _initiative_for_log(request, entry.initiative_id)
    changes = {k: v for k, v in body.dict(exclude_unset=True).items()}
    entry = log.update_transfer(entry, user, **changes)
    return _entry_out(log.entry_view(entry))


@router.get(
    "/initiatives/{id}/track-one-events", auth=API_AUTH, response={200: list[EventOut], **ERRORS}
)
def events(request: HttpRequest, id: PathId) -> list[dict[str, Any]]:
    """Track One events recorded for the initiative, by date."""
    initiative, user = _initiative_for_log(request, id)
    return [event.__dict__ for event in log.track_one_events(initiative, user)]


@router.post(
    "/initiatives/{id}/track-one-events", auth=API_AUTH, response={201: EventOut, **ERRORS}
)
def add_event(request: HttpRequest, id: PathId, body: EventIn) -> Status[dict[str, Any]]:
    """Record an event of the official process (audited)."""
    initiative, user = _initiative_for_log(request, id)
    event = log.add_track_one_event(initiative, user, **body.dict())
    return Status(201, log.event_view(event).__dict__)

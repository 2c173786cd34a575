"""JSON API of the evaluation of change, mounted under /api/v1.

=================================================  ========================================
route                                              who (anyone else: 401, 403 or 404)
=================================================  ========================================
GET  /evaluation/instruments                       anyone with a live token or session
GET  /dialogues/{id}/evaluation/survey             conveners, facilitators, observers;
                                                   its participants
PUT  /dialogues/{id}/evaluation/survey             conveners, facilitators (audited)
POST /dialogues/{id}/evaluation/waves              conveners, facilitators (audited)
POST /dialogues/{id}/evaluation/responses          its participants (not observers)
GET  /dialogues/{id}/evaluation/results            conveners, facilitators, observers
GET  /initiatives/{id}/outcomes                    conveners, initiative-wide facilitators
POST /initiatives/{id}/outcomes                    conveners, initiative-wide facilitators
                                                   (audited)
=================================================  ========================================

As in the dialogues API, someone who may not know a dialogue exists gets 404; a member
who may observe it, or one of its participants, gets 403 where they lack the role.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.evaluation import actions, outcomes, queries
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import NotAllowed, NotFound

router = Router(tags=["evaluation"])
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Wave = Literal["pre", "post", "follow-up"]


class Detail(Schema):
    detail: Any


ERRORS: dict[int, type[Detail]] = {c: Detail for c in (400, 401, 403, 404, 409)}


class CustomItemIn(Schema):
    text: Annotated[str, Field(max_length=actions.MAX_ITEM_CHARS)]
    low: Annotated[int, Field(ge=0, le=99)] = 1
    high: Annotated[int, Field(ge=1, le=100)] = 7


class SurveyIn(Schema):
    items: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=60)]
    custom: Annotated[
        list[CustomItemIn], Field(default_factory=list, max_length=actions.MAX_CUSTOM_ITEMS)
    ]


class WavesIn(Schema):
    open: Annotated[list[Wave], Field(max_length=3)]
    follow_up_on: date | None = None


class ResponseIn(Schema):
    wave: Wave
    answers: dict[Annotated[str, Field(max_length=60)], Annotated[int, Field(ge=0, le=100)] | None]


class OutcomeIn(Schema):
    happened_on: date
    social_actor: Annotated[str, Field(max_length=outcomes.MAX_CHARS)]
    change: Annotated[str, Field(max_length=outcomes.MAX_CHARS)]
    contribution: Annotated[str, Field(max_length=outcomes.MAX_CHARS)]
    significance: Annotated[str, Field(max_length=outcomes.MAX_CHARS)] = ""
    source: Annotated[str, Field(max_length=outcomes.MAX_CHARS)] = ""
    substantiator: Annotated[str, Field(max_length=outcomes.MAX_CHARS)] = ""
    statements: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(default_factory=list, max_length=100)
    ]
    brief: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


def _initiative(request: HttpRequest, initiative_id: int) -> tuple[Initiative, User]:
    who = caller(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if (
        who.user is None
        or initiative is None
        or not Membership.objects.filter(user_id=who.user.pk, initiative=initiative).exists()
    ):
        raise NotFound(_("no such initiative"))
    return initiative, who.user


def _dialogue(dialogue_id: int) -> Dialogue:
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if dialogue is None or dialogue.purged_at is not None:
        raise NotFound(_("no such dialogue"))
    return dialogue


def _member(request: HttpRequest, dialogue_id: int, *, facilitate: bool) -> tuple[Dialogue, User]:
    who = caller(request)
    if who.kind == "participant":
        if who.participant.dialogue_id != dialogue_id:
            raise NotFound(_("no such dialogue"))
        raise NotAllowed(_("participants may not do this"))
    assert who.user is not None
    dialogue = _dialogue(dialogue_id)
    if not permissions.can_observe(who.user, dialogue):
        raise NotFound(_("no such dialogue"))
    if facilitate:
        permissions.require(permissions.can_facilitate(who.user, dialogue), _("run this survey"))
    return dialogue, who.user


def _participant(request: HttpRequest, dialogue_id: int) -> Participant:
    who = caller(request)
    if who.kind == "user":
        if not permissions.can_observe(who.user, _dialogue(dialogue_id)):
            raise NotFound(_("no such dialogue"))
        raise NotAllowed(_("only the dialogue's participants answer its survey"))
    participant: Participant = who.participant
    if participant.dialogue_id != dialogue_id:
        raise NotFound(_("no such dialogue"))
    participant.dialogue = _dialogue(dialogue_id)
    return participant


def _survey(dialogue: Dialogue) -> dict[str, Any]:
    survey = queries.survey_of(dialogue)
    if survey is None:
        return {"dialogue": dialogue.pk, "items": [], "open_waves": [], "follow_up_on": None}
    return queries.survey_out(survey)


@router.get("/evaluation/instruments", auth=API_AUTH, response={200: Any, **ERRORS})
def instruments(request: HttpRequest) -> list[dict[str, Any]]:
    """The instrument library: measures, their sources, scales and items."""
    caller(request)
    return queries.library()


@router.get("/dialogues/{id}/evaluation/survey", auth=API_AUTH, response={200: Any, **ERRORS})
def survey(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The dialogue's survey: its items, the waves open now, the follow-up date."""
    if caller(request).kind == "participant":
        dialogue = _participant(request, id).dialogue
    else:
        dialogue = _member(request, id, facilitate=False)[0]
    return _survey(dialogue)


@router.put("/dialogues/{id}/evaluation/survey", auth=API_AUTH, response={200: Any, **ERRORS})
def compose(request: HttpRequest, id: PathId, body: SurveyIn) -> dict[str, Any]:
    """Compose the survey from library items (by key) and the convener's own items."""
    dialogue, user = _member(request, id, facilitate=True)
    actions.compose_survey(user, dialogue, items=body.items, custom=[c.dict() for c in body.custom])
    return _survey(dialogue)


@router.post("/dialogues/{id}/evaluation/waves", auth=API_AUTH, response={200: Any, **ERRORS})
def waves(request: HttpRequest, id: PathId, body: WavesIn) -> dict[str, Any]:
    """Open and close waves; opening the post wave sets the follow-up 30 days on by default."""
    dialogue, user = _member(request, id, facilitate=True)
    actions.set_waves(user, dialogue, open_waves=body.open, follow_up_on=body.follow_up_on)
    return _survey(dialogue)


@router.post("/dialogues/{id}/evaluation/responses", auth=API_AUTH, response={200: Any, **ERRORS})
def respond(request: HttpRequest, id: PathId, body: ResponseIn) -> dict[str, Any]:
    """The caller's own answers in an open wave (null or absent: skipped); again replaces."""
    participant = _participant(request, id)
    actions.answer(participant, body.wave, body.answers)
    return {"wave": body.wave, "answered": sum(v is not None for v in body.answers.values())}


@router.get("/dialogues/{id}/evaluation/results", auth=API_AUTH, response={200: Any, **ERRORS})
def results(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """Paired change per measure and side, by prior stance, attrition: small cells withheld."""
    dialogue, _user = _member(request, id, facilitate=False)
    return queries.results(dialogue)


@router.get("/initiatives/{id}/outcomes", auth=API_AUTH, response={200: Any, **ERRORS})
def outcome_register(request: HttpRequest, id: PathId) -> list[dict[str, Any]]:
    """The initiative's outcome-harvesting register, oldest change first."""
    initiative, user = _initiative(request, id)
    return outcomes.register(user, initiative)


@router.post("/initiatives/{id}/outcomes", auth=API_AUTH, response={201: Any, **ERRORS})
def add_outcome(request: HttpRequest, id: PathId, body: OutcomeIn) -> Status[dict[str, Any]]:
    """Record an outcome: the social actor, the change, the contribution, who verifies it."""
    initiative, user = _initiative(request, id)
    data = body.dict()
    outcome = outcomes.record_outcome(
        user,
        initiative,
        happened_on=data.pop("happened_on"),
        statements=data.pop("statements"),
        brief=data.pop("brief"),
        **data,
    )
    texts = {name: data.get(name, "") for name in outcomes.FIELDS}
    return Status(201, outcomes.outcome_out(outcome, texts))

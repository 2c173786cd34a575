"""More of the evaluation's JSON API under /api/v1 (see docs/api.md, "Evaluation of change"):
re-votes across rounds, the theory of change and its indicators, and the evaluation summary
in a brief. Who may call follows :mod:`tracktwo.evaluation.api`: 404 to those who may not
know the dialogue or initiative exists, 403 to its people without the role.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH
from tracktwo.accounts.models import User
from tracktwo.evaluation import report, theory, tracking
from tracktwo.evaluation.api import ERRORS, MAX_ID, PathId, _initiative, _member
from tracktwo.evaluation.models import Indicator
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import InvalidInput, NotFound
from tracktwo.transfer.actions import narrative_of
from tracktwo.transfer.models import Brief

router = Router(tags=["evaluation"])
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Short = Annotated[str, Field(max_length=theory.MAX_CHARS)]


class TrackingIn(Schema):
    statements: Annotated[list[Id], Field(max_length=tracking.MAX_TRACKING)]


class TheoryIn(Schema):
    if_: Short = Field(alias="if")
    then: Short
    because: Short
    rpp_people: Short = ""
    rpp_level: Short = ""


class IndicatorIn(Schema):
    name: Short
    baseline: Short = ""
    target: Short = ""
    measure: Short = ""
    outcomes: bool = False


class IndicatorEdit(Schema):
    name: Short | None = None
    baseline: Short | None = None
    target: Short | None = None
    measure: Short | None = None
    outcomes: bool | None = None


class EntryIn(Schema):
    value: Short
    on: date
    source: Short = ""


class BriefIn(Schema):
    brief: Id


@router.get("/dialogues/{id}/evaluation/tracking", auth=API_AUTH, response={200: Any, **ERRORS})
def get_tracking(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The tracking statements, the rounds, and the shifts per side and between the sides."""
    dialogue, _user = _member(request, id, facilitate=False)
    return tracking.results(dialogue)


@router.put("/dialogues/{id}/evaluation/tracking", auth=API_AUTH, response={200: Any, **ERRORS})
def set_tracking(request: HttpRequest, id: PathId, body: TrackingIn) -> dict[str, Any]:
    """Mark exactly these statements as tracking (audited)."""
    dialogue, user = _member(request, id, facilitate=True)
    tracking.set_tracking(dialogue, user, body.statements)
    return tracking.results(dialogue)


@router.post(
    "/dialogues/{id}/evaluation/tracking/rounds", auth=API_AUTH, response={201: Any, **ERRORS}
)
def open_round(request: HttpRequest, id: PathId) -> Status[dict[str, Any]]:
    """Open the next round of re-votes (audited); 409 without tracking statements."""
    dialogue, user = _member(request, id, facilitate=True)
    tracking.open_round(dialogue, user)
    return Status(201, tracking.results(dialogue))


@router.post("/dialogues/{id}/evaluation/brief", auth=API_AUTH, response={200: Any, **ERRORS})
def include_in_brief(request: HttpRequest, id: PathId, body: BriefIn) -> dict[str, Any]:
    """Add the evaluation summary to a draft brief's context (audited)."""
    dialogue, user = _member(request, id, facilitate=True)
    brief = Brief.objects.filter(pk=body.brief).first()
    if brief is None:
        raise InvalidInput(_("no draft brief of this dialogue with that id"), field="brief")
    updated = report.include_in_brief(dialogue, user, brief)
    return {"brief": updated.pk, "context": narrative_of(updated, dialogue)["context"]}


@router.get("/initiatives/{id}/evaluation/theory", auth=API_AUTH, response={200: Any, **ERRORS})
def get_theory(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The theory of change, its RPP placement and its indicators (register keepers)."""
    initiative, user = _initiative(request, id)
    theory.require_keeper(user, initiative)
    return theory.theory_view(initiative)


@router.put("/initiatives/{id}/evaluation/theory", auth=API_AUTH, response={200: Any, **ERRORS})
def set_theory(request: HttpRequest, id: PathId, body: TheoryIn) -> dict[str, Any]:
    """Write the theory of change: "if ... then ... because ..." and its RPP placement."""
    initiative, user = _initiative(request, id)
    theory.set_theory(initiative, user, body.dict(by_alias=True))
    return theory.theory_view(initiative)


@router.post(
    "/initiatives/{id}/evaluation/indicators", auth=API_AUTH, response={201: Any, **ERRORS}
)
def add_indicator(request: HttpRequest, id: PathId, body: IndicatorIn) -> Status[dict[str, Any]]:
    """An indicator with its baseline and target, tied to a measure or to the outcomes."""
    initiative, user = _initiative(request, id)
    theory.add_indicator(initiative, user, body.dict())
    return Status(201, theory.theory_view(initiative))


@router.post(
    "/evaluation/indicators/{indicator_id}/entries",
    auth=API_AUTH,
    response={200: Any, **ERRORS},
)
def add_entry(request: HttpRequest, indicator_id: PathId, body: EntryIn) -> dict[str, Any]:
    """A monitoring entry of an indicator: value, date, source."""
    indicator = theory.indicator_of(None, indicator_id)
    initiative, user = _initiative(request, indicator.initiative_id)
    theory.add_entry(indicator, user, body.dict())
    return theory.theory_view(initiative)


def _indicator(request: HttpRequest, indicator_id: int) -> tuple[Indicator, Initiative, User]:
    """The indicator and its initiative; one and the same 404 to whoever is not a member, so
    an indicator's number tells a stranger nothing."""
    indicator = theory.indicator_of(None, indicator_id)
    try:
        initiative, user = _initiative(request, indicator.initiative_id)
    except NotFound:
        raise NotFound(_("no such indicator")) from None
    return indicator, initiative, user


@router.patch("/evaluation/indicators/{indicator_id}", auth=API_AUTH, response={200: Any, **ERRORS})
def edit_indicator(
    request: HttpRequest, indicator_id: PathId, body: IndicatorEdit
) -> dict[str, Any]:
    """Correct an indicator (only the fields sent); a changed baseline or target is kept in
    its ``revisions`` with the day it changed."""
    indicator, initiative, user = _indicator(request, indicator_id)
    given = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    theory.edit_indicator(indicator, user, given)
    return theory.theory_view(initiative)


@router.delete(
    "/evaluation/indicators/{indicator_id}", auth=API_AUTH, response={200: Any, **ERRORS}
)
def remove_indicator(request: HttpRequest, indicator_id: PathId) -> dict[str, Any]:
    """Remove an indicator added by mistake, with its monitoring entries."""
    indicator, initiative, user = _indicator(request, indicator_id)
    theory.remove_indicator(indicator, user)
    return theory.theory_view(initiative)


@router.delete(
    "/evaluation/indicators/{indicator_id}/entries/{position}",
    auth=API_AUTH,
    response={200: Any, **ERRORS},
)
def remove_entry(request: HttpRequest, indicator_id: PathId, position: PathId) -> dict[str, Any]:
    """Take back a monitoring entry: ``position`` 1 is the earliest, as listed."""
    indicator, initiative, user = _indicator(request, indicator_id)
    theory.remove_entry(indicator, user, position)
    return theory.theory_view(initiative)

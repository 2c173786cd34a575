"""JSON API of risk and consent, under /api/v1 (see ``docs/api.md``).

=========================================  ==========================================
route                                      who (anyone else: 401, 403 or 404)
=========================================  ==========================================
GET, PUT /dialogues/{id}/me/risk           the participant (their own profile only)
GET, POST, DELETE /dialogues/{id}/me/consent  the participant (terms; give; withdraw)
GET    /dialogues/{id}/me/data             the participant (everything held about them)
GET, POST /dialogues/{id}/assessments      conveners (do-no-harm assessments)
PUT    /dialogues/{id}/risk-floor          conveners (stricter, never looser)
GET    /dialogues/{id}/risk-profiles       conveners a participant chose (those only)
=========================================  ==========================================

``DELETE /dialogues/{id}/me`` (erase everything) is in :mod:`tracktwo.dialogues.api.voting`
beside ``GET /dialogues/{id}/me``.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH
from tracktwo.consent import actions, gates, queries
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.api.common import ERRORS, _member, _participant

router = Router(tags=["consent"])

LevelName = Literal["low", "elevated", "high", "severe"]


class RiskIn(Schema):
    level: LevelName
    adversaries: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    device: str = "personal"
    known_at_home: str = "yes"
    notes: str = ""
    share_with: list[int] = Field(default_factory=list)


class ConsentIn(Schema):
    version: int


class AssessmentIn(Schema):
    tool: str
    exposes: str
    worst_case: str
    mitigation: str
    enabled: bool


class FloorIn(Schema):
    level: LevelName


@router.get("/dialogues/{id}/me/risk", auth=API_AUTH, response={200: dict, **ERRORS})
def my_risk(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """The caller's own risk profile (``{"level": null}`` before they filled it)."""
    _dialogue, participant = _participant(request, id)
    return queries.own_risk_profile(participant) or {"level": None}


@router.put("/dialogues/{id}/me/risk", auth=API_AUTH, response={200: dict, **ERRORS})
def set_my_risk(request: HttpRequest, id: s.PathId, body: RiskIn) -> dict[str, Any]:
    """Record the caller's risk profile (sealed; the dialogue's level follows)."""
    _dialogue, participant = _participant(request, id)
    actions.set_risk_profile(participant, body.dict())
    return queries.own_risk_profile(participant) or {}


@router.get("/dialogues/{id}/me/consent", auth=API_AUTH, response={200: dict, **ERRORS})
def my_consent(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """The consent terms in the caller's language, their version, and the caller's records."""
    _dialogue, participant = _participant(request, id)
    return queries.consent_state(participant)


@router.post("/dialogues/{id}/me/consent", auth=API_AUTH, response={200: dict, **ERRORS})
def give_consent(request: HttpRequest, id: s.PathId, body: ConsentIn) -> dict[str, Any]:
    """Consent to the current version of the terms (400 naming ``version`` otherwise)."""
    _dialogue, participant = _participant(request, id)
    actions.give_consent(participant, body.version, get_language() or "")
    return queries.consent_state(participant)


@router.delete("/dialogues/{id}/me/consent", auth=API_AUTH, response={200: dict, **ERRORS})
def withdraw_consent(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """Withdraw consent: statements and votes leave every output; delete with DELETE /me."""
    _dialogue, participant = _participant(request, id)
    actions.withdraw_consent(participant)
    return queries.consent_state(participant)


@router.get("/dialogues/{id}/me/data", auth=API_AUTH, response={200: dict, **ERRORS})
def my_data(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """Everything held about the caller: statements, votes, profile, consent, risk profile."""
    _dialogue, participant = _participant(request, id)
    return queries.my_data(participant)


@router.get("/dialogues/{id}/assessments", auth=API_AUTH, response={200: dict, **ERRORS})
def list_assessments(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """The do-no-harm assessments, which tools are on, and the dialogue's level."""
    dialogue, _user = _member(request, id, "convene")
    return {
        "effective_risk": gates.effective_level(dialogue),
        "protections_level": gates.effective_protections(dialogue).level,
        "tools_on": queries.tools_on(dialogue),
        "assessments": queries.assessments(dialogue),
    }


@router.post("/dialogues/{id}/assessments", auth=API_AUTH, response={201: dict, **ERRORS})
def assess(request: HttpRequest, id: s.PathId, body: AssessmentIn) -> Status[dict[str, Any]]:
    """Record a do-no-harm assessment of one tool, with the decision (conveners; audited)."""
    dialogue, user = _member(request, id, "convene")
    actions.assess_tool(
        user,
        dialogue,
        body.tool,
        exposes=body.exposes,
        worst_case=body.worst_case,
        mitigation=body.mitigation,
        enabled=body.enabled,
    )
    return Status(201, list_assessments(request, id))


@router.put("/dialogues/{id}/risk-floor", auth=API_AUTH, response={200: dict, **ERRORS})
def set_floor(request: HttpRequest, id: s.PathId, body: FloorIn) -> dict[str, Any]:
    """Treat the dialogue as at least ``level`` (conveners; audited)."""
    dialogue, user = _member(request, id, "convene")
    actions.set_floor(user, dialogue, body.level)
    return {"floor": body.level, "protections_level": gates.effective_protections(id).level}


@router.get("/dialogues/{id}/risk-profiles", auth=API_AUTH, response={200: list, **ERRORS})
def shared_profiles(request: HttpRequest, id: s.PathId) -> list[dict[str, Any]]:
    """The risk profiles whose participants chose to show them to the calling convener."""
    dialogue, user = _member(request, id, "convene")
    return queries.profiles_shared_with(user.pk, dialogue)

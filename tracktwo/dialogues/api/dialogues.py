"""JSON API routes of the dialogues app, mounted under /api/v1 (see ``docs/api.md``).

Every route states who may call it, and checks it on the object before anything else:

=========================================  ==========================================
route                                      who (anyone else: 401, 403 or 404)
=========================================  ==========================================
POST   /dialogues                          account holders (conveners of ``initiative``)
GET    /dialogues, /dialogues/{id}         members who may observe; the participant
POST   /dialogues/{id}/invitations         facilitators
GET    /dialogues/{id}/invitations         facilitators (open ones; no tokens)
DELETE .../invitations/{iid}               facilitators (an unused invitation)
POST   /join                               anyone with an invitation (rate limited/IP)
POST   /dialogues/{id}/recover             anyone with handle + code (rate limited/IP)
POST   /dialogues/{id}/ground-rules        participants
POST   /dialogues/{id}/statements          participants, facilitators
GET    /dialogues/{id}/statements          facilitators (all), observers and
                                           participants (accepted, and their own)
POST   .../statements/{sid}/moderation     facilitators
DELETE .../statements/{sid}                the participant who wrote it
GET    /dialogues/{id}/next-statement      participants
POST   /dialogues/{id}/votes               participants (rate limited per participant)
GET    /dialogues/{id}/analysis            facilitators, observers; participants once shared
GET    /dialogues/{id}/me                  participants
POST   /dialogues/{id}/withdraw            participants
POST   /dialogues/{id}/phase               facilitators
POST   /dialogues/{id}/share               facilitators
GET    /dialogues/{id}/balance             facilitators
GET    /dialogues/{id}/export/polis        conveners (audited)
=========================================  ==========================================

A member without a role in the dialogue, and a participant of another dialogue, get 404:
whether a (secret) dialogue exists is itself confidential.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.responses import NinjaJSONEncoder

from tracktwo.accounts.auth import API_AUTH, Caller, caller
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions.polis_exchange import export_zip
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.api.common import (
    ERRORS,
    _any,
    _dialogue,
    _dialogue_out,
    _member,
    _one_statement,
    _participant,
    _statement,
    _statement_out,
    reader_language,
    readings,
)
from tracktwo.dialogues.models import Session, Statement
from tracktwo.dialogues.queries import reading
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative
from tracktwo.insight import service as live
from tracktwo.insight.phases import dialogue_phases, phases_json
from tracktwo.insight.results import Audience
from tracktwo.practice.errors import InvalidInput, NotAllowed, NotFound
from tracktwo.practice.formats import Moderation
from tracktwo.safety import ratelimit
from tracktwo.safety.datakeys import box_for
from tracktwo.workers import enabled as on_workers
from tracktwo.workers.actions import request_file
from tracktwo.workers.answers import JobOut, accepted
from tracktwo.workers.models import JobKind

router = Router(tags=["dialogues"])


# -- dialogues ----------------------------------------------------------------------------


@router.post("/dialogues", auth=API_AUTH, response={201: s.DialogueOut, **ERRORS})
def create_dialogue(request: HttpRequest, body: s.DialogueIn) -> Status[dict[str, Any]]:
    """Create a dialogue, in a new initiative with ``parties`` unless ``initiative`` is given."""
    who = caller(request)
    if who.kind != "user" or who.user is None:
        raise NotAllowed(_("participants may not create dialogues"))
    user = who.user
    if body.initiative is None:
        initiative = initiative_actions.create_initiative(user, body.title, body.parties)
    else:
        initiative_or_none = Initiative.objects.filter(pk=body.initiative).first()
        if initiative_or_none is None or not permissions.can_see_initiative(
            user, initiative_or_none
        ):
            raise NotFound(_("no such initiative"))
        initiative = initiative_or_none
        known = {n.casefold() for n in reading.party_names(initiative.pk).values()}
        unknown = [name for name in body.parties if name.strip().casefold() not in known]
        if unknown:
            raise InvalidInput(
                "with an initiative, give no parties or only the initiative's own",
                field="parties",
            )
    dialogue = actions.create_dialogue(
        initiative,
        body.title,
        body.format,
        body.confidentiality,
        user,
        description=body.description,
        moderation_required=body.moderation_required,
        small_cell_threshold=body.small_cell_threshold,
    )
    return Status(201, _dialogue_out(_dialogue(dialogue.pk), who))


@router.get("/dialogues", auth=API_AUTH, response={200: list[s.DialogueOut], **ERRORS})
def list_dialogues(request: HttpRequest) -> list[dict[str, Any]]:
    """The dialogues the caller may see (a participant: their own)."""
    who = caller(request)
    if who.kind == "participant":
        return [_dialogue_out(_dialogue(who.participant.dialogue_id), who)]
    initiatives = Initiative.objects.filter(members__user=who.user).distinct().order_by("id")
    out = []
    for initiative in initiatives:
        for dialogue in permissions.visible_dialogues(who.user, initiative):
            if dialogue.purged_at is None:
                out.append(_dialogue_out(dialogue, who))
    return out


@router.get("/dialogues/{id}", auth=API_AUTH, response={200: s.DialogueOut, **ERRORS})
def get_dialogue(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    dialogue, who = _any(request, id)
    return _dialogue_out(dialogue, who)


# -- joining, recovery (invitations: api_invitations) -------------------------------------


@router.post("/join", auth=None, response={201: s.JoinOut, **ERRORS})
def join(request: HttpRequest, body: s.JoinIn) -> Status[dict[str, Any]]:
    """Exchange an invitation for a participant token (400 without accepting the ground
    rules, 409 handle taken, 410 invitation used, expired or revoked)."""
    ratelimit.check(request, "join", "ip")
    joined = actions.join(
        body.token,
        body.handle,
        body.accept_ground_rules,
        languages=body.languages,
        gender=body.gender,
        region=body.region,
    )
    participant = joined.participant
    who = Caller(kind="participant", participant=participant)
    dialogue = _dialogue(participant.dialogue_id)
    return Status(
        201,
        {
            "participant_token": joined.token,
            "recovery_code": joined.recovery_code,
            "handle": reading.own_handle(participant),
            "role": participant.role,
            "dialogue": _dialogue_out(dialogue, who),
        },
    )


@router.post("/dialogues/{id}/recover", auth=None, response={201: s.JoinOut, **ERRORS})
def recover(request: HttpRequest, id: s.PathId, body: s.RecoverIn) -> Status[dict[str, Any]]:
    """A new token and recovery code for a participant who lost theirs (the old ones stop)."""
    ratelimit.check(request, "join", "ip")
    dialogue = _dialogue(id)
    joined = actions.recover(dialogue, body.handle, body.recovery_code)
    who = Caller(kind="participant", participant=joined.participant)
    return Status(
        201,
        {
            "participant_token": joined.token,
            "recovery_code": joined.recovery_code,
            "handle": reading.own_handle(joined.participant),
            "role": joined.participant.role,
            "dialogue": _dialogue_out(dialogue, who),
        },
    )


# -- statements -------------------------------------------------------------------------


@router.post("/dialogues/{id}/statements", auth=API_AUTH, response={201: s.StatementOut, **ERRORS})
def write(request: HttpRequest, id: s.PathId, body: s.StatementIn) -> Status[dict[str, Any]]:
    """A facilitator's statement is accepted at once; a participant's follows the dialogue's
    moderation setting."""
    dialogue, who = _any(request, id)
    if who.kind == "participant":
        if body.is_meta:
            raise InvalidInput(_("only facilitators write meta statements"), field="is_meta")
        statement = actions.write_statement(dialogue, body.text, participant=who.participant)
        return Status(201, _one_statement(statement, mine=True))
    assert who.user is not None
    permissions.require(permissions.can_facilitate(who.user, dialogue), "write statements")
    statement = actions.write_statement(dialogue, body.text, user=who.user, is_meta=body.is_meta)
    return Status(201, _one_statement(statement))


@router.get(
    "/dialogues/{id}/statements", auth=API_AUTH, response={200: list[s.StatementOut], **ERRORS}
)
def list_statements(
    request: HttpRequest, id: s.PathId, lang: str | None = None, original: bool = False
) -> list[dict[str, Any]]:
    """Facilitators: every statement, pending ones included (never with authors). Observers:
    accepted ones. Participants: accepted ones and their own awaiting moderation. Each in
    the reader's language (``lang``, else ``Accept-Language``) where a usable translation
    exists; ``original=true``: the originals' words."""
    dialogue, who = _any(request, id)
    language = reader_language(lang)
    box = box_for(dialogue.initiative_id)
    if who.kind == "user":
        everything = permissions.can_facilitate(who.user, dialogue)
        states = None if everything else (Moderation.ACCEPTED,)
        seen = reading.statements(dialogue, states=states, box=box)
        shown = readings(dialogue, seen, language, original)
        return [_statement_out(v, shown=shown[v.id]) for v in seen]
    own = set(
        Statement.objects.filter(
            author_participant=who.participant, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    views = reading.statements(dialogue, states=(Moderation.ACCEPTED, Moderation.PENDING), box=box)
    views = [v for v in views if v.moderation == Moderation.ACCEPTED or v.id in own]
    shown = readings(dialogue, views, language, original)
    return [_statement_out(v, v.id in own, shown[v.id]) for v in views]


@router.post(
    "/dialogues/{id}/statements/{sid}/moderation",
    auth=API_AUTH,
    response={200: s.StatementOut, **ERRORS},
)
def moderate(request: HttpRequest, id: s.PathId, sid: s.PathId, body: s.ModerationIn) -> Any:
    """Accept or reject a statement, optionally redacting a detail that could identify its
    author (who is told, privately)."""
    dialogue, user = _member(request, id, "facilitate")
    statement = _statement(dialogue, sid)
    statement = actions.moderate_statement(
        statement, body.state, user, redacted_text=body.redacted_text
    )
    return _one_statement(statement)


@router.delete("/dialogues/{id}/statements/{sid}", auth=API_AUTH, response={204: None, **ERRORS})
def delete_statement(request: HttpRequest, id: s.PathId, sid: s.PathId) -> Status[None]:
    """A participant withdraws one of their own statements."""
    _dialogue_obj, participant = _participant(request, id)
    actions.delete_own_statement(participant, sid)
    return Status(204, None)


# -- results ----------------------------------------------------------------------------


@router.get("/dialogues/{id}/analysis", auth=API_AUTH, response={200: dict, **ERRORS})
def analysis(request: HttpRequest, id: s.PathId) -> HttpResponse:
    """Groups (ids and sizes), common ground, consensus, representative, divisive and
    uncertain statements, per-side support. Facilitators: everything. Observers, and
    participants once the results are shared: small cells suppressed, results batched."""
    dialogue, who = _any(request, id)
    if who.kind == "participant":
        if not permissions.participant_may_see_results(who.participant, dialogue):
            raise NotAllowed(_("the facilitators have not shared the results yet"))
        audience: Audience = "participant"
    else:
        audience = permissions.analysis_audience(who.user, dialogue)
    # Rendered once per analysis in this process (live.analysis_body), as ninja would.
    body = live.analysis_body(dialogue, audience, _rendered)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _rendered(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@router.get("/dialogues/{id}/analysis/phases", auth=API_AUTH, response={200: list, **ERRORS})
def analysis_by_phase(request: HttpRequest, id: s.PathId) -> list[dict[str, object]]:
    """What emerged in each phase of the agenda (same readers and cuts as the analysis)."""
    dialogue, who = _any(request, id)
    if who.kind == "participant":
        if not permissions.participant_may_see_results(who.participant, dialogue):
            raise NotAllowed(_("the facilitators have not shared the results yet"))
        found = live.dialogue_insight(dialogue, "participant")
    else:
        found = live.dialogue_insight(dialogue, permissions.analysis_audience(who.user, dialogue))
    return phases_json(found, dialogue_phases(dialogue, found))


# -- facilitation -----------------------------------------------------------------------


@router.post("/dialogues/{id}/phase", auth=API_AUTH, response={200: s.PhaseStateOut, **ERRORS})
def phase(request: HttpRequest, id: s.PathId, body: s.PhaseIn) -> dict[str, Any]:
    """Advance the current session to its next phase (or to ``phase``); starts the first
    session, or a new one with ``new_session``."""
    dialogue, user = _member(request, id, "facilitate")
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    if session is None or body.new_session:
        session = actions.start_session(dialogue, user)
        if body.phase is not None:
            session = actions.set_phase(session, body.phase, user)
    elif body.phase is None:
        session = actions.advance_phase(session, user)
    else:
        session = actions.set_phase(session, body.phase, user)
    return {
        "session": session.number,
        "phase_index": session.phase_index,
        "phase": dialogue.phases[session.phase_index],  # the phase's key
        "saunders_stage": session.saunders_stage,
    }


@router.post("/dialogues/{id}/share", auth=API_AUTH, response={200: s.ShareOut, **ERRORS})
def share(request: HttpRequest, id: s.PathId, body: s.ShareIn) -> dict[str, Any]:
    """Show the results to the participants (or hide them again); audited."""
    dialogue, user = _member(request, id, "facilitate")
    actions.share_results(dialogue, body.shared, user)
    return {"results_shared": body.shared}


@router.get("/dialogues/{id}/balance", auth=API_AUTH, response={200: s.BalanceOut, **ERRORS})
def balance(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """Delegation balance: active participants per party, track, gender and region
    (facilitators)."""
    dialogue, _user = _member(request, id, "facilitate")
    found = reading.delegation_balance(dialogue)
    return {
        "total": found.total,
        "by_party": found.by_party,
        "by_track": {str(track): count for track, count in found.by_track.items()},
        "by_gender": found.by_gender,
        "by_region": found.by_region,
        "officials": found.officials,
    }


@router.get(
    "/dialogues/{id}/export/polis", auth=API_AUTH, response={200: None, 202: JobOut, **ERRORS}
)
def export_polis(request: HttpRequest, id: s.PathId) -> HttpResponse:
    """The dialogue in the Pol.is CSV format (a zip), participant ids freshly randomised
    (conveners only; audited). With workers: 202 and the job (``GET /jobs/{key}``)."""
    dialogue, user = _member(request, id, "convene")
    if on_workers():
        return accepted(request_file(JobKind.POLIS_EXPORT, dialogue, user))
    data = export_zip(dialogue, by=user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dialogue-{dialogue.pk}-polis.zip"'
    return response

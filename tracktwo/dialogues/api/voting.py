"""The participants' API routes: voting (the hot path), the next statement, their own page.

Added to the dialogues API by :mod:`tracktwo.dialogues.api`.

The vote hot path. A live session sends a vote per participant every few seconds, so
``POST /dialogues/{id}/votes`` with a participant's bearer token takes one database round
trip: a single ``INSERT ... SELECT`` that inserts the vote only if, in the same statement,

- a participant holds that token (its SHA-256 digest, unique index), has not withdrawn,
  belongs to the dialogue in the path, takes part as a participant (not an observer) and
  has accepted the dialogue's current ground rules and consented to its current consent
  terms;
- the dialogue is not purged;
- the statement belongs to the same dialogue, is accepted and not deleted;
- the dialogue's current meeting takes this vote now: its cached ``vote_rule``
  (:mod:`tracktwo.dialogues.actions.phase_rules`) allows the value and its timed round,
  if any, has not ended. The vote records the meeting's phase.

Every check :func:`tracktwo.dialogues.actions.cast_vote` and the route make is in that
``WHERE`` clause, evaluated atomically with the insert (no window between the check and the
write), and the insert commits before 201 is sent (autocommit). When it inserts nothing,
the request goes through the ordinary path (token look-up, object permission, then
``cast_vote``), which answers the precise 401/403/404/400/409 -- or records the vote, if it
became valid in between. The per-participant rate limit is counted before either, keyed by
the token's digest (a participant holds one token at a time).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tracktwo.accounts import auth as accounts_auth
from tracktwo.accounts.auth import API_AUTH, caller, caller_for_token
from tracktwo.circles.rules import CIRCLE_FORMAT
from tracktwo.consent.actions import erase_participant
from tracktwo.dialogues import actions
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.api.common import (
    ERRORS,
    _member,
    _one_statement,
    _participant,
    reader_language,
)
from tracktwo.dialogues.models import Dialogue, Participant, Session, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.queries import translations as translated
from tracktwo.dialogues.views.participant import next_for
from tracktwo.initiatives.models import Party
from tracktwo.insight import service as live
from tracktwo.insight.json_form import position_json
from tracktwo.practice.agenda import VoteRule
from tracktwo.practice.errors import (
    ConsentNotGiven,
    GroundRulesNotAccepted,
    NotAllowed,
    NotAuthenticated,
)
from tracktwo.practice.formats import Moderation, ParticipantRole
from tracktwo.safety import ratelimit
from tracktwo.safety.crypto import token_digest
from tracktwo.safety.datakeys import box_for

router = Router(tags=["dialogues"])


@dataclass(frozen=True)
class ParticipantToken:
    """A participant bearer token not yet looked up (the vote's INSERT checks it)."""

    raw: str
    digest: str


class BearerAuth(accounts_auth.BearerAuth):
    """``Authorization: Bearer``, as everywhere; a participant token is resolved later, inside
    the vote's own INSERT (one round trip), and an account token at once."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return participant_token(token) or caller_for_token(token.strip())


def participant_token(token: str) -> ParticipantToken | None:
    """``token`` (a bearer token's text) as a participant token not yet looked up, or None
    when it is no participant token (an account token, or too long to be one)."""
    token = token.strip()
    if (
        token.startswith(accounts_auth.PARTICIPANT_TOKEN_PREFIX)
        and len(token) <= accounts_auth.MAX_TOKEN_LENGTH
    ):
        return ParticipantToken(token, token_digest(token))
    return None


VOTE_AUTH = [BearerAuth(), API_AUTH[1]]


def _literal(value: str) -> str:
    """A constant of the code (a role, a state, a format) as an SQL string literal."""
    if not re.fullmatch(r"[a-z][a-z-]*", value):
        raise ValueError(f"{value!r} is not a plain constant")
    return f"'{value}'"


def _vote_sql() -> str:
    q = connection.ops.quote_name
    vote, participant = q(Vote._meta.db_table), q(Participant._meta.db_table)
    dialogue, statement = q(Dialogue._meta.db_table), q(Statement._meta.db_table)
    session = q(Session._meta.db_table)
    # The code's constants are written into the statement (five parameters fewer to bind on
    # every vote); the request's values are named parameters, the time given once.
    role, accepted = _literal(ParticipantRole.PARTICIPANT), _literal(Moderation.ACCEPTED)
    circle, every, held = _literal(CIRCLE_FORMAT), _literal(VoteRule.ALL), _literal(VoteRule.HELD)
    return (
        f"INSERT INTO {vote} (dialogue_id, statement_id, participant_id, value, phase_index, "  # noqa: S608 - table names and constants from the code
        "created_at) SELECT p.dialogue_id, st.id, p.id, %(value)s, ms.phase_index, %(now)s "
        f"FROM {participant} p JOIN {dialogue} d ON d.id = p.dialogue_id "
        f"JOIN {statement} st ON st.dialogue_id = p.dialogue_id "
        f"LEFT JOIN {session} ms ON ms.id = (SELECT s2.id FROM {session} s2 "
        "WHERE s2.dialogue_id = p.dialogue_id ORDER BY s2.number DESC LIMIT 1) "
        "WHERE p.token_digest = %(digest)s AND p.dialogue_id = %(dialogue)s "
        f"AND st.id = %(statement)s AND p.withdrawn_at IS NULL AND p.role = {role} "
        "AND p.ground_rules_version_accepted >= d.ground_rules_version "
        "AND p.consent_version_accepted >= d.consent_version "
        f"AND d.purged_at IS NULL AND st.moderation = {accepted} AND st.deleted_at IS NULL "
        f"AND d.format <> {circle} "  # a listening circle: refused by the ordinary path
        "AND (ms.id IS NULL OR ((ms.round_ends_at IS NULL OR ms.round_ends_at > %(now)s) "
        f"AND (ms.vote_rule = {every} OR (ms.vote_rule = {held} AND %(value)s <> -1))))"
    )


_SQL: dict[str, str] = {}


def fast_vote(digest: str, dialogue_id: int, statement_id: int, value: int) -> bool:
    """Insert the vote if every check holds (see the module's docstring); True if inserted."""
    sql = _SQL.get(connection.vendor)
    if sql is None:
        sql = _SQL[connection.vendor] = _vote_sql()
    params = {
        "value": value,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "digest": digest,
        "dialogue": dialogue_id,
        "statement": statement_id,
    }
    # On PostgreSQL prepared once per connection: parsed and planned once, not per vote.
    prepared = getattr(connection, "prepared_cursor", None)
    with prepared() if prepared is not None else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)


# Set on a request whose vote was counted and tried by the fast route (vote_route).
TRIED = "_tracktwo_fast_vote_tried"


def count_vote(found: ParticipantToken) -> None:
    """Count a vote against the participant's rate limit (keyed by the token's digest)."""
    ratelimit.hit("vote", f"participant-token:{found.digest[:32]}")


def voted(statement: int, choice: str) -> HttpResponse:
    """The 201 answer of a recorded vote."""
    answer = json.dumps({"statement": statement, "vote": choice})
    return HttpResponse(answer, status=201, content_type="application/json")


def _may_vote(participant: Participant, dialogue: Dialogue) -> None:
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not vote or write statements"))
    if participant.ground_rules_version_accepted < dialogue.ground_rules_version:
        raise GroundRulesNotAccepted(_("accept the dialogue's current ground rules first"))
    if participant.consent_version_accepted < dialogue.consent_version:
        raise ConsentNotGiven(_("give your consent to the dialogue's current terms first"))


@router.post("/dialogues/{id}/votes", auth=VOTE_AUTH, response={201: s.VoteOut, **ERRORS})
def vote(request: HttpRequest, id: s.PathId, body: s.VoteIn) -> Any:
    """Agree, disagree or pass (a re-vote appends; the last counts). 409 on a statement not
    open for voting. Rate limited per participant."""
    value = s.VOTE_VALUES[body.vote]
    found = request.auth  # type: ignore[attr-defined]
    if isinstance(found, ParticipantToken):
        # Counted and tried already when the vote came through vote_route (which sets this).
        if not getattr(request, TRIED, False):
            count_vote(found)
            if fast_vote(found.digest, id, body.statement, value):
                return voted(body.statement, body.vote)
        who = caller_for_token(found.raw)
        if who is None:
            raise NotAuthenticated(_("unknown or revoked participant token"))
        request.auth = who  # type: ignore[attr-defined]
    else:
        who = caller(request)
        if who.kind == "participant":
            ratelimit.check(request, "vote", "caller")
    if who.kind != "participant":
        _member(request, id, "observe")  # 404 for strangers, then:
        raise NotAllowed(_("only the dialogue's participants vote"))
    _dialogue, participant = _participant(request, id)
    actions.cast_vote(participant, body.statement, value)
    return Status(201, {"statement": body.statement, "vote": body.vote})


@router.get(
    "/dialogues/{id}/next-statement",
    auth=API_AUTH,
    response={200: s.NextStatementOut, 204: None, **ERRORS},
)
def next_statement(
    request: HttpRequest, id: s.PathId, lang: str | None = None, original: bool = False
) -> Any:
    """The statement to vote on next, drawn by routing priority; 204 when none is left.

    In the reader's language (``lang``, else ``Accept-Language``) when a usable translation
    exists, else the original; ``original=true``: the original's words. The id stays the
    statement's, so votes pool across languages."""
    dialogue, participant = _participant(request, id)
    language = reader_language(lang)
    _may_vote(participant, dialogue)
    statement = next_for(participant)  # the held ideas first, once critique opens
    if statement is None:
        return Status(204, None)
    statement.dialogue = dialogue
    out = _one_statement(
        statement, shown=translated.reading(statement, language, original=original)
    )
    return {**out, "remaining": statement.remaining}


@router.get("/dialogues/{id}/me", auth=API_AUTH, response={200: s.MeOut, **ERRORS})
def me(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """The participant's own handle, standing and place among the groups (theirs alone)."""
    dialogue, participant = _participant(request, id)
    box = box_for(dialogue.initiative_id)
    profile = Profile.from_json(participant.profile.read(box))
    party = Party.objects.filter(pk=profile.party_id).first()
    voted = Vote.objects.filter(participant=participant).values("statement_id").distinct().count()
    return {
        "handle": reading.own_handle(participant, box),
        "role": participant.role,
        "party": party.name.read(box) if party else "",
        "track": profile.track,
        "ground_rules_version_accepted": participant.ground_rules_version_accepted,
        "ground_rules_version": dialogue.ground_rules_version,
        "votes": voted,
        "remaining": len(reading.unvoted_statement_ids(participant)),
        "position": position_json(live.own_position(participant)),
        "notices": [dataclasses.asdict(n) for n in reading.notices_for(participant)],
    }


@router.delete("/dialogues/{id}/me", auth=API_AUTH, response={204: None, **ERRORS})
def erase_me(request: HttpRequest, id: s.PathId) -> Status[None]:
    """Delete everything held about the caller (statements, votes, profile, consent, risk
    profile); the token stops working. Audited by the participant's opaque id."""
    _dialogue_obj, participant = _participant(request, id)
    erase_participant(participant)
    return Status(204, None)


@router.post("/dialogues/{id}/ground-rules", auth=API_AUTH, response={200: s.MeOut, **ERRORS})
def accept_ground_rules(request: HttpRequest, id: s.PathId, body: s.GroundRulesIn) -> Any:
    """Accept the current version of the ground rules (after the facilitator changed them)."""
    _dialogue_obj, participant = _participant(request, id)
    actions.accept_ground_rules(participant, body.version)
    return me(request, id)


@router.post("/dialogues/{id}/withdraw", auth=API_AUTH, response={200: s.WithdrawOut, **ERRORS})
def withdraw(request: HttpRequest, id: s.PathId, body: s.WithdrawIn) -> dict[str, Any]:
    """Leave the dialogue: the token stops working at once."""
    _dialogue_obj, participant = _participant(request, id)
    actions.withdraw(participant, remove_contributions=body.remove_contributions)
    return {"withdrawn": True, "contributions_removed": body.remove_contributions}

"""JSON API of a joint text, mounted under /api/v1.

=================================================  ========================================
route                                              who (anyone else: 401, 403 or 404)
=================================================  ========================================
GET  /dialogues/{id}/joint-text                    its participants; conveners, facilitators,
                                                   observers
POST /dialogues/{id}/joint-text                    conveners, facilitators (audited)
POST /dialogues/{id}/joint-text/versions           conveners, facilitators
POST /dialogues/{id}/joint-text/common-ground      conveners, facilitators
POST /dialogues/{id}/joint-text/amendments         its participants (not observers)
GET  /dialogues/{id}/joint-text/ranking            its participants; conveners, facilitators,
                                                   observers
POST /dialogues/{id}/joint-text/ranking            conveners, facilitators (audited): open it
POST /dialogues/{id}/joint-text/ballots            its participants (not observers)
POST /dialogues/{id}/joint-text/agreement          conveners, facilitators (audited)
PUT  /dialogues/{id}/joint-text/distribution       conveners, facilitators (audited)
POST /dialogues/{id}/joint-text/publication        conveners, facilitators: the publishable
                                                   version
POST /dialogues/{id}/joint-text/approvals          its participants (not observers)
POST /dialogues/{id}/joint-text/publish            conveners, facilitators (audited)
=================================================  ========================================

A listening circle drafts no joint text: 409 naming the format. Amendments, ballots and
approvals never carry their writer; ``mine`` marks the caller's own.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tracktwo.accounts.auth import API_AUTH
from tracktwo.dialogues.api.common import ERRORS, _any, _member, _participant
from tracktwo.dialogues.api.schemas import PathId
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.jointtext import agreement, drafting, queries, rules
from tracktwo.jointtext.drafting import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS

router = Router(tags=["joint texts"])
Paragraph = Annotated[str, Field(max_length=MAX_PARAGRAPH_CHARS)]
Number = Annotated[int, Field(ge=1, le=10_000)]


class StartIn(Schema):
    kind: Literal["joint-memorandum", "non-paper"]
    title: Annotated[str, Field(max_length=200)]


class VersionIn(Schema):
    paragraphs: Annotated[list[Paragraph], Field(max_length=MAX_PARAGRAPHS)]
    note: Annotated[str, Field(max_length=1000)] = ""
    candidate: bool = False
    take: Annotated[list[Annotated[int, Field(ge=1, le=2**63 - 1)]], Field(max_length=500)] = []  # noqa: RUF012


class AmendmentIn(Schema):
    paragraph: Number | None = None
    text: Paragraph


class RankingOpenIn(Schema):
    versions: Annotated[list[Number], Field(min_length=2, max_length=20)]


class BallotIn(Schema):
    ranking: Annotated[list[Number], Field(max_length=20)]


class DistributionIn(Schema):
    recipients: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)]


class PublicationIn(Schema):
    version: Number


def _out(dialogue: Dialogue, reader: Participant | None) -> dict[str, Any]:
    data = queries.state(dialogue, reader)
    for key in ("versions", "amendments"):
        if key in data:
            data[key] = [dataclasses.asdict(v) for v in data[key]]
    if data.get("latest") is not None:
        data["latest"] = dataclasses.asdict(data["latest"])
    return data


def _reader(request: HttpRequest, id: int) -> tuple[Dialogue, Participant | None]:
    dialogue, who = _any(request, id)
    return dialogue, who.participant if who.kind == "participant" else None


@router.get("/dialogues/{id}/joint-text", auth=API_AUTH, response={200: Any, **ERRORS})
def joint_text(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The joint text: versions (history), amendments (unattributed), ranking, agreement."""
    dialogue, reader = _reader(request, id)
    return _out(dialogue, reader)


@router.post("/dialogues/{id}/joint-text", auth=API_AUTH, response={201: Any, **ERRORS})
def start(request: HttpRequest, id: PathId, body: StartIn) -> Status[dict[str, Any]]:
    """Start the dialogue's joint text: a joint memorandum or a non-paper."""
    dialogue, user = _member(request, id, "facilitate")
    drafting.start(dialogue, body.kind, body.title, user)
    return Status(201, _out(dialogue, None))


@router.post("/dialogues/{id}/joint-text/versions", auth=API_AUTH, response={201: Any, **ERRORS})
def version(request: HttpRequest, id: PathId, body: VersionIn) -> Status[dict[str, Any]]:
    """Write the next version; ``take``: amendment ids it takes in (the rest are declined)."""
    dialogue, user = _member(request, id, "facilitate")
    text = rules.joint_text_of(dialogue)
    made = drafting.add_version(
        text, body.paragraphs, body.note, user, candidate=body.candidate, taken=body.take
    )
    return Status(201, {"version": made.number})


@router.post(
    "/dialogues/{id}/joint-text/common-ground", auth=API_AUTH, response={201: Any, **ERRORS}
)
def common_ground(request: HttpRequest, id: PathId) -> Status[dict[str, Any]]:
    """A new version adding the statements that found support on every side."""
    dialogue, user = _member(request, id, "facilitate")
    made = drafting.propose_from_common_ground(rules.joint_text_of(dialogue), user)
    return Status(201, {"version": made.number})


@router.post("/dialogues/{id}/joint-text/amendments", auth=API_AUTH, response={201: Any, **ERRORS})
def amend(request: HttpRequest, id: PathId, body: AmendmentIn) -> Status[dict[str, Any]]:
    """Propose a wording for a paragraph of the latest version (none: a new paragraph)."""
    _dialogue, participant = _participant(request, id)
    made = drafting.amend(participant, body.paragraph, body.text)
    return Status(201, {"id": made.pk, "version": made.version.number, "mine": True})


@router.get("/dialogues/{id}/joint-text/ranking", auth=API_AUTH, response={200: Any, **ERRORS})
def ranking(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The Schulze order of the candidate versions, ties, pairwise counts, path strengths."""
    dialogue = _reader(request, id)[0]
    return {"dialogue": dialogue.pk, "ranking": queries.ranking(dialogue)}


@router.post("/dialogues/{id}/joint-text/ranking", auth=API_AUTH, response={200: Any, **ERRORS})
def open_ranking(request: HttpRequest, id: PathId, body: RankingOpenIn) -> dict[str, Any]:
    """Make these version numbers the candidates and open the ranking (ballots restart)."""
    dialogue, user = _member(request, id, "facilitate")
    agreement.open_ranking(rules.joint_text_of(dialogue), body.versions, user)
    return {"dialogue": dialogue.pk, "ranking": queries.ranking(dialogue)}


@router.post("/dialogues/{id}/joint-text/ballots", auth=API_AUTH, response={201: Any, **ERRORS})
def ballot(request: HttpRequest, id: PathId, body: BallotIn) -> Status[dict[str, Any]]:
    """The caller's ranking of the candidates, best first (again: replaces it)."""
    _dialogue, participant = _participant(request, id)
    agreement.rank(participant, body.ranking)
    return Status(201, {"ranking": body.ranking})


@router.post("/dialogues/{id}/joint-text/agreement", auth=API_AUTH, response={200: Any, **ERRORS})
def agree(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """Close the ranking; its Schulze winner becomes the agreed text."""
    dialogue, user = _member(request, id, "facilitate")
    agreed = agreement.agree(rules.joint_text_of(dialogue), user)
    return {"agreed": agreed.number, "ranking": queries.ranking(dialogue)}


@router.put("/dialogues/{id}/joint-text/distribution", auth=API_AUTH, response={200: Any, **ERRORS})
def distribution(request: HttpRequest, id: PathId, body: DistributionIn) -> dict[str, Any]:
    """The agreed text's own distribution list (replaces it)."""
    dialogue, user = _member(request, id, "facilitate")
    saved = agreement.set_distribution(rules.joint_text_of(dialogue), body.recipients, user)
    return {"distribution": saved}


@router.post("/dialogues/{id}/joint-text/publication", auth=API_AUTH, response={200: Any, **ERRORS})
def publication(request: HttpRequest, id: PathId, body: PublicationIn) -> dict[str, Any]:
    """Put a publishable version (the agreed one or later) to the group for approval."""
    dialogue, user = _member(request, id, "facilitate")
    chosen = agreement.propose_publication(rules.joint_text_of(dialogue), body.version, user)
    return {"publishable": chosen.number}


@router.post("/dialogues/{id}/joint-text/approvals", auth=API_AUTH, response={201: Any, **ERRORS})
def approve(request: HttpRequest, id: PathId) -> Status[dict[str, Any]]:
    """The caller approves publishing the publishable version."""
    _dialogue, participant = _participant(request, id)
    agreement.approve(participant)
    return Status(201, {"approved": True})


@router.post("/dialogues/{id}/joint-text/publish", auth=API_AUTH, response={200: Any, **ERRORS})
def publish(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """Publish, once a majority of every side approved (409 before)."""
    dialogue, user = _member(request, id, "facilitate")
    done = agreement.publish(rules.joint_text_of(dialogue), user)
    assert done.published_at is not None
    return {"published_at": done.published_at.isoformat()}

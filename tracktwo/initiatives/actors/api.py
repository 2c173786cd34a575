"""JSON API of the actor map and delegations, mounted under /api/v1.

=================================================  ========================================
route                                              who (anyone else: 401, 403 or 404)
=================================================  ========================================
GET  /initiatives/{id}/actors                      conveners
GET  /dialogues/{id}/delegation/balance            conveners, facilitators (in full);
                                                   observers (small counts withheld)
GET  /dialogues/{id}/delegation/gaps               conveners
POST /dialogues/{id}/delegation/draw               conveners (audited)
POST /dialogues/{id}/delegation/invitations        conveners (audited)
=================================================  ========================================

Someone who may not know the initiative or dialogue exists gets 404; a member without the
role, 403. A draw the quotas make impossible answers 400 naming the quota.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.initiatives.actors import drawing, queries
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.insight.delegation import balance as delegation_balance
from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.safety.datakeys import box_for

router = Router(tags=["actors"])
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Detail(Schema):
    detail: Any


ERRORS: dict[int, type[Detail]] = {c: Detail for c in (400, 401, 403, 404, 409)}


class DrawIn(Schema):
    panel_size: Annotated[int, Field(ge=1, le=1000)]
    seed: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    algorithm: Literal["maximin", "nash", "leximin"] = "maximin"
    households: bool = True


class InviteIn(Schema):
    draw: Annotated[int, Field(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> User:
    who = caller(request)
    if who.user is None:
        raise NotFound(_("not found"))
    return who.user


def _convened_initiative(request: HttpRequest, initiative_id: int) -> tuple[Initiative, User]:
    user = _user(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if (
        initiative is None
        or not Membership.objects.filter(user_id=user.pk, initiative=initiative).exists()
    ):
        raise NotFound(_("no such initiative"))
    permissions.require(permissions.can_convene(user, initiative), _("keep the actor map"))
    return initiative, user


def _dialogue(request: HttpRequest, dialogue_id: int, *, convene: bool) -> tuple[Dialogue, User]:
    user = _user(request)
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if (
        dialogue is None
        or dialogue.purged_at is not None
        or not permissions.can_observe(user, dialogue)
    ):
        raise NotFound(_("no such dialogue"))
    if convene and not permissions.can_convene(user, dialogue.initiative):
        raise NotAllowed(_("only the initiative's conveners choose delegations"))
    return dialogue, user


@router.get("/initiatives/{id}/actors", auth=API_AUTH, response={200: Any, **ERRORS})
def actor_map(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """The actor map: actors (with names and details) and their relationships."""
    initiative = _convened_initiative(request, id)[0]
    actors = [a.__dict__ for a in queries.actors(initiative)]
    ties = [{"from": t.source, "to": t.target, "kind": t.kind} for t in queries.ties(initiative)]
    return {"actors": actors, "ties": ties}


@router.get("/dialogues/{id}/delegation/balance", auth=API_AUTH, response={200: Any, **ERRORS})
def balance(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """Who is in the room (present participants) per side, track, gender, region and
    level, and the drawn delegates not yet joined (``pending``)."""
    dialogue, user = _dialogue(request, id, convene=False)
    threshold = (
        None if permissions.can_facilitate(user, dialogue) else dialogue.small_cell_threshold
    )
    found = delegation_balance(dialogue, threshold)
    return {
        "drawn": found["drawn"],
        "total": found["total"],
        "categories": {c["key"]: dict(c["rows"]) for c in found["categories"]},
        "pending": {
            "total": found["pending"]["total"],
            "categories": {c["key"]: dict(c["rows"]) for c in found["pending"]["categories"]},
        },
    }


@router.get("/dialogues/{id}/delegation/gaps", auth=API_AUTH, response={200: Any, **ERRORS})
def gaps(request: HttpRequest, id: PathId) -> dict[str, Any]:
    """Who is not in the room, and paths from the delegation to Track One decision-makers."""
    dialogue = _dialogue(request, id, convene=True)[0]
    return {"gaps": queries.gaps(dialogue), "paths": queries.track_one_paths(dialogue)}


@router.post("/dialogues/{id}/delegation/draw", auth=API_AUTH, response={200: Any, **ERRORS})
def draw(request: HttpRequest, id: PathId, body: DrawIn) -> dict[str, Any]:
    """Draw the delegation under the dialogue's quotas; the seed is recorded and returned."""
    dialogue, user = _dialogue(request, id, convene=True)
    made = drawing.draw(
        dialogue,
        user,
        body.panel_size,
        seed=body.seed,
        algorithm=body.algorithm,
        households=body.households,
    )
    result = made.result.read(box_for(dialogue.initiative_id))
    return {
        "draw": made.pk,
        "selected": result["selected"],
        "probabilities": result["probabilities"],
        "seed": made.seed,
        "algorithm": made.algorithm,
    }


@router.post("/dialogues/{id}/delegation/invitations", auth=API_AUTH, response={200: Any, **ERRORS})
def invite(request: HttpRequest, id: PathId, body: InviteIn) -> dict[str, Any]:
    """One invitation per drawn candidate not yet invited; each raw token is shown once."""
    dialogue, user = _dialogue(request, id, convene=True)
    made = drawing.invite_drawn(dialogue, user, body.draw)
    return {"invitations": [{"candidate": c.pk, "token": token} for c, token in made]}

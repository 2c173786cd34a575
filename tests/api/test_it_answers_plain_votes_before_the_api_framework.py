"""A plain participant's vote is answered ahead of django-ninja; every other call, as before.

``tracktwo.dialogues.api.vote_route`` sits in the URLconf before ``/api/v1/`` at the vote's
path, and ``tracktwo.site.vote_entry`` answers the same plain votes before Django's handler.
These tests send the same calls through the site, through the WSGI application with that
entry (as ``tracktwo serve`` runs it), and straight to the API route's own view
(django-ninja's), and compare the answers, and check that the rate limit counts a vote once
whichever of them answers it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import Scene
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wsgi_support import Answer, Served

from tracktwo.dialogues.api import vote_route
from tracktwo.dialogues.models import Statement, Vote
from tracktwo.practice.formats import Moderation
from tracktwo.site.api_lane import ApiLaneHandler, Lanes
from tracktwo.site.vote_entry import VoteEntry

pytestmark = pytest.mark.django_db


def _answer(response: HttpResponseBase) -> tuple[int, Any]:
    raw = response.content  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, json.loads(raw)
    return response.status_code, raw


def _served(answer: Answer) -> tuple[int, Any]:
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        return answer.status, json.loads(answer.content)
    return answer.status, answer.content


def served_with_entry() -> Served:
    """The WSGI application as tracktwo.site.wsgi builds it (the vote entry in front)."""
    lane = ApiLaneHandler()
    return Served(Lanes(WSGIHandler(), lane, VoteEntry(lane)), [])


def both(
    scene: Scene, body: bytes, token: str | None, path_id: str = "", method: str = "post"
) -> tuple[tuple[int, Any], tuple[int, Any]]:
    """The answer through the site, then the API route's own answer to the same call; and
    the answer through the WSGI entry, which must be the site's."""
    path_id = path_id or str(scene.id)
    path = f"/api/v1/dialogues/{path_id}/votes"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    kwargs: dict[str, Any] = {"content_type": "application/json", **headers}
    if method == "post":
        kwargs["data"] = body
    site = getattr(Client(), method)(path, **kwargs)
    request = getattr(RequestFactory(), method)(path, **kwargs)
    direct = vote_route.api_route()(request, id=path_id)
    entry = served_with_entry().call(
        method.upper(), path, token=token, data=body if method == "post" else b""
    )
    assert _served(entry) == _answer(site), (body, token, path_id, method)
    return _answer(site), _answer(direct)


def test_it_answers_a_plain_vote_in_the_vote_route(scene: Scene) -> None:
    sid = scene.seed("Plain and simple.")
    token = scene.join("Alice")["participant_token"]
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(
            f"/api/v1/dialogues/{scene.id}/votes",
            data={"statement": sid, "vote": "disagree"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 201
    assert response.resolver_match is not None
    assert response.resolver_match.func is vote_route.vote
    assert json.loads(response.content) == {"statement": sid, "vote": "disagree"}
    assert len(queries.captured_queries) == 1
    assert Vote.objects.get().value == -1


def test_it_answers_every_other_call_as_the_api_route_does(scene: Scene) -> None:
    sid = scene.seed("Check every case.")
    hidden = scene.seed("Not open for voting.")
    Statement.objects.filter(pk=hidden).update(moderation=Moderation.PENDING)
    alice = scene.join("Alice")["participant_token"]
    withdrawn = scene.join("Bob")["participant_token"]
    assert scene.api.post(f"/dialogues/{scene.id}/withdraw", withdrawn, {}).status == 200

    def body(**fields: Any) -> bytes:
        return json.dumps(fields).encode()

    plain = body(statement=sid, vote="agree")
    cases = [
        (plain, alice, "", "post"),  # the plain vote itself: 201 both ways
        (body(statement=str(sid), vote="pass"), alice, "", "post"),  # coerced by the API
        (body(statement=True, vote="agree"), alice, "", "post"),
        (body(statement=sid, vote="agree", extra=1), alice, "", "post"),
        (body(statement=sid, vote="maybe"), alice, "", "post"),
        (body(statement=0, vote="agree"), alice, "", "post"),
        (body(statement=2**63, vote="agree"), alice, "", "post"),
        (b"[1, 2]", alice, "", "post"),
        (b"not json", alice, "", "post"),
        (b"", alice, "", "post"),
        (plain, alice, f"0{scene.id}", "post"),
        (plain, alice, "abc", "post"),
        (plain, alice, str(scene.id + 1000), "post"),
        (plain, alice, "", "get"),
        (plain, None, "", "post"),
        (plain, "t2p_" + "x" * 43, "", "post"),
        (plain, withdrawn, "", "post"),
        (plain, scene.convener_token, "", "post"),
        (body(statement=hidden, vote="agree"), alice, "", "post"),
    ]
    for raw, token, path_id, method in cases:
        through_site, direct = both(scene, raw, token, path_id, method)
        assert through_site == direct, (raw, token, path_id, method)
    statuses = [both(scene, raw, tok, pid, m)[0][0] for raw, tok, pid, m in cases]
    # (A true "statement" is coerced to id 1 by the API: whatever that is, both answer it alike.)
    assert [statuses[0], statuses[1], statuses[3]] == [201, 201, 201]
    assert set(statuses[4:]) >= {400, 401, 403, 404, 405, 409, 422}


def test_it_counts_each_vote_once_against_the_rate_limit(scene: Scene, settings: Any) -> None:
    settings.TRACKTWO_RATELIMITS = {**settings.TRACKTWO_RATELIMITS, "vote": "4/m"}
    sid = scene.seed("Open.")
    hidden = scene.seed("Closed.")
    Statement.objects.filter(pk=hidden).update(moderation=Moderation.PENDING)
    alice = scene.join("Alice")["participant_token"]
    path = f"/dialogues/{scene.id}/votes"
    refused = [scene.api.post(path, alice, {"statement": hidden, "vote": "agree"}).status]
    refused.append(scene.api.post(path, alice, {"statement": str(hidden), "vote": "agree"}).status)
    assert refused == [409, 409]  # the first tried by the vote route, the second by the API's
    invalid = [scene.api.post(path, alice, {"statement": sid, "vote": "x"}).status for _ in "ab"]
    assert invalid == [422, 422]  # refused by validation, before any count (as ever)
    votes = [scene.api.post(path, alice, {"statement": sid, "vote": "agree"}).status]
    votes.append(scene.api.post(path, alice, {"statement": str(sid), "vote": "agree"}).status)
    votes.append(scene.api.post(path, alice, {"statement": sid, "vote": "pass"}).status)
    assert votes == [201, 201, 429]
    assert Vote.objects.count() == 2


def test_it_counts_each_vote_once_through_the_wsgi_entry(scene: Scene, settings: Any) -> None:
    settings.TRACKTWO_RATELIMITS = {**settings.TRACKTWO_RATELIMITS, "vote": "3/m"}
    sid = scene.seed("Open.")
    hidden = scene.seed("Closed.")
    Statement.objects.filter(pk=hidden).update(moderation=Moderation.PENDING)
    alice = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    served = served_with_entry()
    refused = served.call("POST", path, token=alice, body={"statement": hidden, "vote": "agree"})
    assert refused.status == 409  # counted and tried by the entry, answered by the API route
    votes = [
        served.call("POST", path, token=alice, body={"statement": sid, "vote": v}).status
        for v in ("agree", "pass", "disagree")
    ]
    assert votes == [201, 201, 429]
    assert Vote.objects.count() == 2

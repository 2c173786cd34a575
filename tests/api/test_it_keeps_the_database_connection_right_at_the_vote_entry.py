"""The WSGI vote entry (``tracktwo.site.vote_entry``) manages the database connection as a
Django request does: the health check runs again before each vote's query, a connection
that failed is closed after the vote, and a database error is the API's 503, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Scene
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from postgres_support import terminate_backend
from wsgi_support import Served

from tracktwo.dialogues.models import Vote
from tracktwo.site.api_lane import ApiLaneHandler, Lanes
from tracktwo.site.vote_entry import VoteEntry

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _served() -> Served:
    seen: list[str] = []
    lane = ApiLaneHandler()

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append("lane")
        return lane(environ, start_response)

    return Served(Lanes(WSGIHandler(), lane, VoteEntry(recording)), seen, hold_clean_up=False)


def _backend() -> int:
    assert connection.connection is not None
    return int(connection.connection.info.backend_pid)


def test_it_checks_the_connection_again_before_each_vote(scene: Scene) -> None:
    sid = scene.seed("Still there?")
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    served = _served()
    vote = {"statement": sid, "vote": "agree"}
    assert served.call("POST", path, token=token, body=vote).status == 201
    first = _backend()
    terminate_backend(first)  # a restarted database, as far as this connection knows
    assert served.call("POST", path, token=token, body=vote).status == 201
    assert _backend() != first  # the health check found it gone and Django reconnected
    assert served.lanes == []
    assert Vote.objects.count() == 2


def test_it_answers_503_for_a_lost_connection_and_reconnects_after(scene: Scene) -> None:
    sid = scene.seed("Lost and found.")
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    served = _served()
    vote = {"statement": sid, "vote": "pass"}
    assert served.call("POST", path, token=token, body=vote).status == 201
    connection.health_check_enabled = False  # this connection's: the vote's query finds it lost
    terminate_backend(_backend())
    lost = served.call("POST", path, token=token, body=vote)
    assert (lost.status, lost.headers["Retry-After"]) == (503, "5")
    assert lost.headers["Content-Type"] == "application/json; charset=utf-8"
    assert lost.body["detail"]
    assert served.lanes == ["lane"]  # the entry's error, answered by the vote route
    assert connection.connection is None  # closed at the end of the request, as Django does
    assert served.call("POST", path, token=token, body=vote).status == 201
    assert Vote.objects.count() == 2

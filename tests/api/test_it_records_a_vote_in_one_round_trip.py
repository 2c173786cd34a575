"""The vote hot path: one database statement for a valid vote, every check still made."""

from __future__ import annotations

import pytest
from api_support import Scene
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracktwo.dialogues.models import Dialogue, Participant, Vote

pytestmark = pytest.mark.django_db


def vote(scene: Scene, token: str, sid: int, choice: str = "agree") -> int:
    return scene.api.post(
        f"/dialogues/{scene.id}/votes", token, {"statement": sid, "vote": choice}
    ).status


def test_it_takes_one_statement_for_a_valid_vote(scene: Scene) -> None:
    sid = scene.seed("One query, please.")
    token = scene.join("Alice")["participant_token"]
    with CaptureQueriesContext(connection) as queries:
        assert vote(scene, token, sid) == 201
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].lstrip().upper().startswith("INSERT")
    stored = Vote.objects.get()
    assert (stored.statement_id, stored.value) == (sid, 1)
    assert stored.participant_id == Participant.objects.get(dialogue_id=scene.id).pk


def test_it_still_refuses_what_the_full_path_refuses(scene: Scene) -> None:
    sid = scene.seed("Check me.")
    alice = scene.join("Alice")["participant_token"]
    bob = scene.join("Bob")["participant_token"]
    assert scene.api.post(f"/dialogues/{scene.id}/withdraw", bob, {}).status == 200
    assert vote(scene, bob, sid) == 401
    assert vote(scene, "t2p_" + "x" * 43, sid) == 401
    wrong_dialogue = scene.api.post(
        f"/dialogues/{scene.id + 1000}/votes", alice, {"statement": sid, "vote": "agree"}
    )
    assert wrong_dialogue.status == 404
    Dialogue.objects.filter(pk=scene.id).update(purged_at=timezone.now())
    assert vote(scene, alice, sid) == 404
    assert Vote.objects.count() == 0


def test_it_takes_votes_from_an_account_token_nowhere(scene: Scene) -> None:
    sid = scene.seed("Facilitators do not vote.")
    assert vote(scene, scene.convener_token, sid) == 403
    assert Vote.objects.count() == 0

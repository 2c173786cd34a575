"""Freshness: a result that does not cover every vote says so (``stale: true``), whatever
its refresh timer says; a fresh one covers every vote and says ``stale: false``."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from insight_support import Room, cast, planted_votes

from tracktwo.dialogues.models import Vote
from tracktwo.insight import service

pytestmark = pytest.mark.django_db


def analysis(room: Room) -> dict[str, object]:
    response = Client().get(
        f"/api/v1/dialogues/{room.dialogue.pk}/analysis",
        HTTP_AUTHORIZATION=f"Bearer {room.token}",
    )
    assert response.status_code == 200, response.content
    body: dict[str, object] = json.loads(response.content)
    return body


def test_it_says_stale_when_votes_arrived_after_the_cached_result(room: Room, served: None) -> None:
    votes = planted_votes(room)
    cast(votes[:91])
    first = analysis(room)  # a cold dialogue is computed in the request
    assert first["votes_counted"] == 91 and first["stale"] is False
    cast(votes[91:])
    behind = analysis(room)  # served from the cache: the background has not come round
    assert behind["votes_counted"] == 91
    assert Vote.objects.filter(dialogue=room.dialogue).count() == len(votes) > 91
    assert behind["stale"] is True


def test_it_says_fresh_once_every_vote_is_counted(room: Room) -> None:
    votes = planted_votes(room)
    cast(votes[:91])
    analysis(room)
    cast(votes[91:])
    fresh = analysis(room)  # no background thread: refreshed in the request
    assert fresh["votes_counted"] == len(votes)
    assert fresh["stale"] is False


def test_it_holds_the_shared_cut_stale_only_beyond_its_last_whole_batch(
    room: Room, served: None
) -> None:
    votes = planted_votes(room)
    threshold = room.dialogue.small_cell_threshold
    cast(votes[: 10 * threshold + 2])
    shared = service.dialogue_insight(room.dialogue, "participant")
    assert shared.votes_counted == 10 * threshold and not shared.stale  # batched on purpose
    cast(votes[10 * threshold + 2 : 11 * threshold])
    behind = service.dialogue_insight(room.dialogue, "participant")
    assert behind.votes_counted == 10 * threshold and behind.stale  # a whole batch waits

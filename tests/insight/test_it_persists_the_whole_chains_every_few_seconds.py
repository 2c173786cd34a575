"""A worker keeps the chains it published in memory and continues them there; it persists
the whole chains (the blob other workers continue) only when none are persisted yet, every
``PERSIST_SECONDS`` while the dialogue changes, when a refresh finds nothing new after
that long, or when another worker asks for them. A worker that starts from a stale
persisted copy (the head killed) counts every vote after it and comes to the same analysis
as the worker that never stopped (real Redis and the test database)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
import redis
from insight_support import Room, cast, make_room, planted_votes

from tracktwo.dialogues.actions import withdraw
from tracktwo.dialogues.models import Vote
from tracktwo.insight import chains, head, refresh, shared
from tracktwo.insight.json_form import as_json
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def persisted_events(raw: redis.Redis, room: Room) -> int:
    sealed = raw.get(shared.key(room.dialogue.pk, "blob"))
    state: dict[str, Any] = pickle.loads(  # noqa: S301 - opened with the data key
        box_for(room.dialogue.initiative_id).open_bytes(sealed, shared._where(room.dialogue.pk))
    )
    return int(state["chains"]["facilitator"].n_events)


def test_it_continues_in_memory_and_persists_every_few_seconds(
    room: Room, workers: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue = room.dialogue
    votes = planted_votes(room)
    third = len(votes) // 3
    cast(votes[:third])
    assert shared.refresh_once(dialogue.pk) == "computed"
    version = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert head.persisted(dialogue.pk)[0] == version  # the first: persisted at once
    assert persisted_events(workers, room) == third

    cast(votes[third:])
    assert shared.refresh_once(dialogue.pk) == "computed"
    latest = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    cached = chains.entry(dialogue.pk)
    assert latest > version and head.is_head(dialogue.pk, cached)
    assert cached.chains["facilitator"].n_events == len(votes)  # continued in memory
    assert head.persisted(dialogue.pk)[0] == version  # not persisted: too soon
    assert persisted_events(workers, room) == third
    assert shared.refresh_once(dialogue.pk) == "unchanged"
    assert head.persisted(dialogue.pk)[0] == version

    # An export in another process continues the persisted chains through the head's steps:
    # the same chains as the head's, not the stale copy plus every vote since at once.
    chains.forget(dialogue.pk)
    exporter = shared.load(dialogue, full=True)
    assert exporter.chains["facilitator"].n_events == len(votes)
    assert analysis(exporter, room) == analysis(cached, room)
    chains._entries[dialogue.pk] = cached

    monkeypatch.setattr(head, "PERSIST_SECONDS", 0.0)  # as if 30 seconds had passed
    assert shared.refresh_once(dialogue.pk) == "unchanged"  # idle: persisted now
    assert head.persisted(dialogue.pk)[0] == latest
    assert persisted_events(workers, room) == len(votes)
    assert int(workers.get(shared.key(dialogue.pk, "version")) or 0) == latest


def test_it_gives_way_to_a_live_head_and_continues_what_it_persists(
    room: Room, workers: redis.Redis
) -> None:
    dialogue = room.dialogue
    votes = planted_votes(room)
    cast(votes[: len(votes) // 2])
    assert shared.refresh_once(dialogue.pk) == "computed"
    cast(votes[len(votes) // 2 :])
    assert shared.refresh_once(dialogue.pk) == "computed"
    first_worker = chains.entry(dialogue.pk)
    chains.forget(dialogue.pk)  # another worker process: it holds nothing

    cast(votes[:2])
    assert shared.refresh_once(dialogue.pk) == "busy"  # the head is alive: no second history
    assert workers.exists(shared.key(dialogue.pk, "wanted"))
    chains.forget(dialogue.pk)
    chains._entries[dialogue.pk] = first_worker  # the head's next task: it continues, then persists
    assert shared.refresh_once(dialogue.pk) == "computed"
    latest = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert head.persisted(dialogue.pk)[0] == latest
    chains.forget(dialogue.pk)  # the other worker now continues the head's chains
    cast(votes[2:4])
    assert shared.refresh_once(dialogue.pk) == "computed"
    assert chains.entry(dialogue.pk).chains["facilitator"].n_events == len(votes) + 4


def analysis(cached: chains.Entry, room: Room) -> dict[str, Any]:
    """Both cuts' JSON, without the moment they were computed."""
    threshold = room.dialogue.small_cell_threshold
    out = {}
    for audience in ("facilitator", "participant"):
        made = as_json(chains.built(cached.chains[audience], audience, threshold))  # type: ignore[arg-type]
        made.pop("as_of")
        out[audience] = made
    return out


def test_it_converges_from_a_stale_persisted_copy_to_the_same_analysis(
    workers: redis.Redis,
) -> None:
    room = make_room(per_side=20, n_statements=8)
    dialogue = room.dialogue
    votes = planted_votes(room)
    third = len(votes) // 3
    cast(votes[:third])
    assert shared.refresh_once(dialogue.pk) == "computed"  # persisted here
    cast(votes[third : 2 * third])
    assert shared.refresh_once(dialogue.pk) == "computed"  # in memory only
    survivor = chains.entry(dialogue.pk)

    # The head is killed: its memory is gone and its liveness lapses.
    chains.forget(dialogue.pk)
    workers.delete(shared.key(dialogue.pk, "alive"))
    cast(votes[2 * third :])
    assert shared.refresh_once(dialogue.pk) == "computed"
    restarted = chains.entry(dialogue.pk)
    total = Vote.objects.filter(dialogue=dialogue).count()
    assert restarted.chains["facilitator"].n_events == total

    # The worker that was never killed, continuing its own chains with the same votes.
    chains._entries[dialogue.pk] = survivor
    refresh.refresh_dialogue(dialogue.pk)
    assert survivor.chains["facilitator"].n_events == total
    assert analysis(restarted, room) == analysis(survivor, room)
    assert analysis(restarted, room)["facilitator"]["status"] == "ready"


def test_it_starts_over_when_votes_were_deleted_behind_the_head(
    room: Room, workers: redis.Redis
) -> None:
    """The worker counts the vote rows once per refresh (the marker and both chains'
    deleted-votes checks): a withdrawal that removes someone's votes, even with as many
    new votes cast since, is seen, and the head's chains in memory start over."""
    dialogue = room.dialogue
    votes = planted_votes(room)
    cast(votes)
    assert shared.refresh_once(dialogue.pk) == "computed"
    leaver = room.participants[0]
    theirs = [vote for vote in votes if vote[0] == leaver]
    withdraw(leaver, remove_contributions=True)
    others = [vote for vote in votes if vote[0] != leaver]
    cast(others[: len(theirs)])  # re-votes: as many rows as were deleted, higher ids
    total = Vote.objects.filter(dialogue=dialogue).count()
    assert total == len(votes)  # the same count: only the rows up to the last id read differ
    assert shared.refresh_once(dialogue.pk) == "computed"
    cached = chains.entry(dialogue.pk)
    assert head.is_head(dialogue.pk, cached)
    facilitators = cached.chains["facilitator"]
    assert facilitators.n_events == total
    assert facilitators.result is not None
    assert leaver.public_id not in facilitators.result.participant_ids

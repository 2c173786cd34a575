"""A worker publishes the readers' view (with the new version and the marker) before it
persists the whole chains, so readers do not wait for the far larger blob -- and the
facilitators' new analysis before it advances the participants' chain; a worker killed
while persisting leaves the new view, the marker and the previous blob, and the next
refresh -- on a worker that holds nothing, once the dead head's lapse -- continues that
blob rather than starting over, and persists it again (real Redis)."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from insight_support import Room, cast, planted_votes

from tracktwo.dialogues.models import Vote
from tracktwo.insight import chains, head, service, shared

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """The worker process dying (not an error a task would catch)."""


def test_it_publishes_the_view_first_and_continues_a_lagging_blob(
    room: Room, workers: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue = room.dialogue
    votes = planted_votes(room)
    cast(votes[: len(votes) // 2])
    assert shared.refresh_once(dialogue.pk) == "computed"
    first = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert head.persisted(dialogue.pk)[0] == first  # nothing persisted yet: at once

    cast(votes[len(votes) // 2 :])
    monkeypatch.setattr(head, "PERSIST_SECONDS", 0.0)  # due on this refresh
    real_seal = shared._seal

    def killed_at_the_blob(dialogue_: Any, state: dict[str, Any]) -> bytes:
        if not all(chain.view for chain in state["chains"].values()):
            raise Killed  # the whole chains: the worker dies before writing them
        return real_seal(dialogue_, state)

    monkeypatch.setattr(shared, "_seal", killed_at_the_blob)
    with pytest.raises(Killed):
        shared.refresh_once(dialogue.pk)
    monkeypatch.setattr(shared, "_seal", real_seal)
    workers.delete(shared.key(dialogue.pk, "lock"))  # the dead worker's lock lapses

    # Readers already see every vote, marked as such; the blob is the previous one.
    shown = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert shown > first
    assert workers.get(shared.key(dialogue.pk, "marker")) == shared.change_marker(dialogue).encode()
    assert head.persisted(dialogue.pk)[0] == first
    chains.forget(dialogue.pk)
    shared.client().set(shared.key(dialogue.pk, "asked"), b"1", px=60_000)
    seen = service.dialogue_insight(dialogue, "facilitator")
    assert seen.votes_counted == Vote.objects.filter(dialogue=dialogue).count()

    # Another worker, holding nothing: while the head counts as alive it asks it to persist
    # and gives way; once the head lapses, it continues the lagging blob.
    chains.forget(dialogue.pk)
    cast(votes[:3])  # re-votes: something new to count
    assert shared.refresh_once(dialogue.pk) == "busy"
    assert workers.exists(shared.key(dialogue.pk, "wanted"))
    workers.delete(shared.key(dialogue.pk, "alive"))
    continued = head._continued(dialogue)
    assert continued is not None and continued.shared_version == first
    # ... and replays the dead head's steps after it: its chains, not the re-votes since.
    assert continued.chains["facilitator"].n_events == len(votes)
    chains.forget(dialogue.pk)
    assert shared.refresh_once(dialogue.pk) == "computed"
    latest = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert latest > shown
    assert head.persisted(dialogue.pk)[0] == latest  # asked for: persisted at once
    assert not workers.exists(shared.key(dialogue.pk, "wanted"))
    chains.forget(dialogue.pk)
    whole = shared.load(dialogue, full=True)
    assert whole.shared_version == latest
    assert whole.chains["facilitator"].n_events == len(votes) + 3
    assert shared.refresh_once(dialogue.pk) == "unchanged"


def test_it_shows_the_facilitators_analysis_before_advancing_the_participants(
    room: Room, workers: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue = room.dialogue
    cast(planted_votes(room))
    total = Vote.objects.filter(dialogue=dialogue).count()
    seen: list[int] = []
    real_advance = chains.advance

    def advance(cached: chains.Entry, dialogue_: Any, audience: str) -> None:
        if audience == "participant":  # what a reader gets while this chain is advanced
            worker = chains.entry(dialogue.pk)
            chains.forget(dialogue.pk)
            seen.append(service.dialogue_insight(dialogue, "facilitator").votes_counted)
            chains._entries[dialogue.pk] = worker
        real_advance(cached, dialogue_, audience)

    monkeypatch.setattr(chains, "advance", advance)
    shared.client().set(shared.key(dialogue.pk, "asked"), b"1", px=60_000)
    assert shared.refresh_once(dialogue.pk) == "computed"
    assert seen == [total]

"""A worker publishes the readers' view (with the new version) before the whole chains
(with the marker), so readers do not wait for the far larger blob -- and the facilitators'
new analysis before it advances the participants' chain; a worker killed before the blob
leaves the new view, the previous blob and the previous marker, and the next refresh -- on
a worker that holds nothing -- continues that blob rather than starting over, and
publishes both again (real Redis)."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from insight_support import Room, cast, planted_votes

from tracktwo.dialogues.models import Vote
from tracktwo.insight import chains, service, shared

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
    first_marker = workers.get(shared.key(dialogue.pk, "marker"))
    first = int(workers.get(shared.key(dialogue.pk, "version")) or 0)

    cast(votes[len(votes) // 2 :])
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

    # Readers already see every vote; the marker and the blob are the previous ones.
    shown = int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert shown > first
    assert workers.get(shared.key(dialogue.pk, "marker")) == first_marker
    chains.forget(dialogue.pk)
    shared.client().set(shared.key(dialogue.pk, "asked"), b"1", px=60_000)
    seen = service.dialogue_insight(dialogue, "facilitator")
    assert seen.votes_counted == Vote.objects.filter(dialogue=dialogue).count()

    # Another worker, holding nothing, continues the lagging blob.
    chains.forget(dialogue.pk)
    continued = shared.load(dialogue, full=True)
    assert continued.shared_version == first and not continued.views
    assert continued.chains["facilitator"].n_events == len(votes) // 2
    chains.forget(dialogue.pk)
    assert shared.refresh_once(dialogue.pk) == "computed"
    assert workers.get(shared.key(dialogue.pk, "marker")) != first_marker
    chains.forget(dialogue.pk)
    whole = shared.load(dialogue, full=True)
    assert whole.shared_version == int(workers.get(shared.key(dialogue.pk, "version")) or 0)
    assert whole.shared_version > shown
    assert whole.chains["facilitator"].n_events == len(votes)
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

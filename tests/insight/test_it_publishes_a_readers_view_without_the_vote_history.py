"""With workers, app processes read a readers' view of the published chains: no vote event
and no engine state, so its size follows participants and statements, not the vote
history; the same dashboard as the whole chains give; sealed like them (real Redis)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
import redis
from django.test import Client
from insight_support import Room, cast, make_room, planted_votes

from tracktwo.dialogues.models import Dialogue
from tracktwo.insight import chains, head, service, shared
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def publish(room: Room) -> None:
    """A worker's refresh, then this process as a fresh app process (nothing cached). The
    request flag is set for a minute: the test's requests enqueue no task."""
    assert shared.refresh_once(room.dialogue.pk) == "computed"
    shared.client().set(shared.key(room.dialogue.pk, "asked"), b"1", px=60_000)
    chains.forget(room.dialogue.pk)


def sizes(raw: redis.Redis, dialogue: Dialogue) -> tuple[int, int]:
    blob = raw.strlen(shared.key(dialogue.pk, "blob"))
    view = raw.strlen(shared.key(dialogue.pk, "view"))
    return int(blob), int(view)


def opened_view(dialogue: Dialogue, raw: redis.Redis) -> dict[str, Any]:
    sealed = raw.get(shared.key(dialogue.pk, "view"))
    opened = box_for(dialogue.initiative_id).open_bytes(sealed, shared._where(dialogue.pk))
    state: dict[str, Any] = pickle.loads(opened)  # noqa: S301 - opened with the data key
    return state


def test_it_keeps_the_view_the_same_size_with_ten_times_the_votes(workers: redis.Redis) -> None:
    once, tenfold = make_room(), make_room()
    votes = planted_votes(once)
    cast(votes)
    for _ in range(10):  # the same people on the same statements, re-voting: 10x the history
        cast(planted_votes(tenfold))
    publish(once)
    publish(tenfold)
    blob_once, view_once = sizes(workers, once.dialogue)
    blob_tenfold, view_tenfold = sizes(workers, tenfold.dialogue)
    # the whole chains keep the votes their cells count, not the re-votes superseded since
    # (chains.KEEP_SUPERSEDED): they no longer grow with the vote history either
    assert abs(blob_tenfold - blob_once) < 0.02 * blob_once
    assert abs(view_tenfold - view_once) < 0.02 * view_once
    assert view_once < blob_once
    for room, n_votes in ((once, len(votes)), (tenfold, 10 * len(votes))):
        state = opened_view(room.dialogue, workers)
        assert state["parties"] == {}  # nobody's side, per participant
        for chain in state["chains"].values():
            result = chain.result
            cut = chains.batch_cut(n_votes, room.dialogue.small_cell_threshold)
            assert chain.view and chain.n_events in (n_votes, cut)
            assert len(result.events) == 0 and result.events.n_participants == 30
            assert all(len(cells) == 0 for cells in result.state.cells)
            assert result.state.smoother is None and result.state.group_clusterings == {}
            assert chain.snapshot.result is result
            assert "summaries" in vars(result)  # computed by the worker, not by each reader


def settled(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without ``stale``: a matter of when the request came, not of what was loaded."""
    return {name: value for name, value in body.items() if name != "stale"}


def analysis(room: Room) -> dict[str, Any]:
    response = Client().get(
        f"/api/v1/dialogues/{room.dialogue.pk}/analysis",
        HTTP_AUTHORIZATION=f"Bearer {room.token}",
    )
    assert response.status_code == 200
    return settled(response.json())


def test_it_shows_the_same_dashboard_from_the_view_as_from_the_whole_chains(
    room: Room, workers: redis.Redis
) -> None:
    cast(planted_votes(room)[:-7])  # the facilitators' cut ahead of the last whole batch
    publish(room)
    shared.load(room.dialogue, full=True)  # as before: the whole chains in this process
    assert not chains.entry(room.dialogue.pk).views
    whole = analysis(room)
    whole_participants = settled(service.dialogue_analysis(room.dialogue, "participant"))
    whole_positions = [settled(service.participant_position(p)) for p in room.participants]
    chains.forget(room.dialogue.pk)
    view = analysis(room)  # a fresh app process: the readers' view only
    assert chains.entry(room.dialogue.pk).views
    assert view["status"] == "ready" and view["votes_counted"] == len(planted_votes(room)) - 7
    assert view == whole
    assert settled(service.dialogue_analysis(room.dialogue, "participant")) == whole_participants
    assert [settled(service.participant_position(p)) for p in room.participants] == whole_positions
    assert any(position["group"] is not None for position in whole_positions)
    # An export in an app process continues the whole chains, never the view.
    exported = service.export_insight(room.dialogue)
    assert exported.exact.votes_counted == view["votes_counted"]
    assert not chains.entry(room.dialogue.pk).views


def test_it_seals_the_view_like_the_whole_chains(room: Room, workers: redis.Redis) -> None:
    cast(planted_votes(room))
    publish(room)
    other = make_room()
    cast(planted_votes(other)[:40])
    publish(other)
    sealed = workers.get(shared.key(room.dialogue.pk, "view"))
    assert isinstance(sealed, bytes)
    for text in [s.text for s in room.statements] + [p.public_id for p in room.participants]:
        assert str(text).encode() not in sealed
    # One byte changed: it does not open, so it is never unpickled; nothing is shown.
    tampered = bytearray(sealed)
    tampered[len(tampered) // 2] ^= 1
    workers.set(shared.key(room.dialogue.pk, "view"), bytes(tampered))
    assert analysis(room)["status"] == "computing"
    # Another dialogue's view under this dialogue's key does not open either.
    chains.forget(room.dialogue.pk)
    workers.set(
        shared.key(room.dialogue.pk, "view"), workers.get(shared.key(other.dialogue.pk, "view"))
    )
    assert analysis(room)["status"] == "computing"
    # The workers' whole chains are unaffected: the next worker continues them.
    assert shared.load(room.dialogue, full=True).chains["facilitator"].n_events == len(
        planted_votes(room)
    )


def test_it_leaves_the_engines_live_state_out_of_the_view(
    workers: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After updates (not only a first analysis) the whole chains carry the engine's live
    state -- event buffers, tallies, Gram sums --; the view carries none of it."""
    monkeypatch.setattr(head, "PERSIST_SECONDS", 0.0)  # the whole chains after every update
    room = make_room()
    for _ in range(3):  # an analysis, then two updates continuing the published chains
        cast(planted_votes(room))
        publish(room)
    sealed = workers.get(shared.key(room.dialogue.pk, "blob"))
    whole = pickle.loads(  # noqa: S301 - opened with the data key
        box_for(room.dialogue.initiative_id).open_bytes(sealed, shared._where(room.dialogue.pk))
    )
    assert any(c.result.state.live is not None for c in whole["chains"].values())
    view = opened_view(room.dialogue, workers)
    assert all(c.result.state.live is None for c in view["chains"].values())
    blob_size, view_size = sizes(workers, room.dialogue)
    assert view_size < blob_size / 2

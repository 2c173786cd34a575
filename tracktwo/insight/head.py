"""The workers' side of the shared analysis (:mod:`tracktwo.insight.shared`): which worker
continues a dialogue's chains, and when the whole chains are persisted.

- **The head.** The worker process that published the latest version (``head``: its
  token and that version) continues its chains in memory on its next refresh: nothing is
  loaded, unpickled or written for it. Any other worker continues the persisted chains
  (``blob``), and only when they are the published version's or the head is gone (no task
  of its for ``LOCK_SECONDS``, ``alive``); while the head is alive and its chains are not
  persisted, it asks the head to persist them (``wanted``) and gives way (``"busy"``), so
  two workers never continue two histories of one dialogue.
- **Persisting.** The head persists the whole chains (hundreds of MB at 100,000
  participants: pickling, sealing and writing them took about as long as the rest of a
  refresh) when none are, every :data:`PERSIST_SECONDS` while the dialogue changes, on a
  refresh that finds nothing new once that long has passed, and when another worker asks.
  Readers never wait for it: they read the readers' view published before.
- **Replaying.** Every published step of a chain (the version, the chain, the last vote id
  it read) is logged (``steps``) until the next persist; a worker that continues the
  persisted chains advances them through those steps first (:func:`replay`), so that it
  holds exactly the head's chains -- the engine's k smoother and warm starts follow the
  steps, not only the votes -- and a worker killed with ``kill -9`` costs a replay, never
  a different analysis.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import redis
from django.db.models import Count, Max, Q
from redis.lock import Lock

from tracktwo.dialogues.models import Dialogue, Vote
from tracktwo.insight import chains, refresh, shared
from tracktwo.insight.build import Audience

PERSIST_SECONDS = 30.0  # the head persists its whole chains at most this often (and when idle)


def is_head(dialogue_id: int, cached: chains.Entry) -> bool:
    """Whether this process's chains are those of the published version, continued by no
    one since (then it continues them in memory)."""
    head = shared.client().get(shared.key(dialogue_id, "head"))
    mine = f"{shared.token()}:{cached.shared_version}".encode()
    return head == mine and not cached.views and cached.shared_version > 0


def persisted(dialogue_id: int) -> tuple[int, float]:
    """The version of the persisted whole chains and when they were written ((0, 0) if none)."""
    found = shared.client().get(shared.key(dialogue_id, "persisted"))
    if not isinstance(found, bytes):
        return 0, 0.0
    version, at = found.split()
    return int(version), float(at)


def persist_due(dialogue_id: int, version: int) -> bool:
    """Whether the head persists its chains (of ``version``) now: none persisted yet,
    another worker asked for them (``wanted``: :func:`_continued`), or the persisted copy
    lags and is older than :data:`PERSIST_SECONDS`."""
    done, at = persisted(dialogue_id)
    if done >= version:
        return False
    if done == 0 or shared.client().exists(shared.key(dialogue_id, "wanted")):
        return True
    return time.time() - at >= PERSIST_SECONDS


def _continued(dialogue: Dialogue) -> chains.Entry | None:
    """The chains a worker continues: its own in memory when it is the head; else the
    persisted copy, when it is the published version's or the head is gone (no task of
    its for :data:`~tracktwo.insight.shared.LOCK_SECONDS`: killed, or idle) -- then the votes after it are
    counted anew. None while the head is alive and its chains are not persisted yet:
    it is asked to (``wanted``) and this task gives way, so that workers never continue
    two histories of one dialogue."""
    cached = chains.entry(dialogue.pk)
    if is_head(dialogue.pk, cached):
        return cached
    published = shared.client().get(shared.key(dialogue.pk, "version"))
    version = int(published) if isinstance(published, bytes) else 0
    if persisted(dialogue.pk)[0] < version and shared.client().exists(
        shared.key(dialogue.pk, "alive")
    ):
        shared.client().set(shared.key(dialogue.pk, "wanted"), b"1", ex=shared.LOCK_SECONDS)
        return None
    sealed = shared.client().get(shared.key(dialogue.pk, "blob"))
    state = shared._open(dialogue, sealed) if isinstance(sealed, bytes) else None
    if state is not None:
        with cached.lock:
            shared.adopt(cached, state, views=False)
            replay(dialogue, cached)
    elif cached.views:  # nothing to continue: start over rather than from readers' views
        chains.forget(dialogue.pk)
        cached = chains.entry(dialogue.pk)
    return cached


def _renewed(lock: Lock) -> threading.Event:
    """Renew ``lock`` every third of :data:`~tracktwo.insight.shared.LOCK_SECONDS` until the event is set: a long
    computation keeps it, a worker killed mid-way loses it within :data:`~tracktwo.insight.shared.LOCK_SECONDS`."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(shared.LOCK_SECONDS / 3):
            with contextlib.suppress(redis.exceptions.RedisError):
                lock.reacquire()

    threading.Thread(target=renew, name="tracktwo-refresh-lock", daemon=True).start()
    return done


def refresh_once(dialogue_id: int) -> str:
    """The refresh task: ``"busy"``, ``"gone"``, ``"unchanged"`` or ``"computed"``."""
    lock = shared.client().lock(
        shared.key(dialogue_id, "lock"), timeout=shared.LOCK_SECONDS, thread_local=False
    )
    if not lock.acquire(blocking=False):
        return "busy"  # another worker computes it now; readers ask again if it is behind
    done = _renewed(lock)
    try:
        return _refresh_locked(dialogue_id)
    finally:
        done.set()
        with contextlib.suppress(redis.exceptions.LockError):  # expired meanwhile
            lock.release()


def replay(dialogue: Dialogue, cached: chains.Entry) -> None:
    """Advance the persisted chains in ``cached`` (the caller holds its lock) through the
    head's steps since, chain by chain and vote id by vote id as the head did, so that
    they become the head's chains: the same results as if it had never stopped (the
    engine's k smoother and warm starts follow the steps, not only the votes)."""
    for raw in shared.client().lrange(shared.key(dialogue.pk, "steps"), 0, -1):
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        version, audience, last_id = text.split()
        if int(version) > cached.shared_version and audience in cached.chains:
            chains.advance(cached, dialogue, audience, upto=int(last_id))  # type: ignore[arg-type]


def counted(dialogue_id: int, lasts: list[int]) -> dict[str, Any]:
    """The dialogue's vote rows (``n``), the last id (``last``) and, for each chain's last
    vote id, the rows up to it (``upto0``...): one scan of the dialogue's votes for the
    change marker and both chains' deleted-votes checks, from one snapshot of the table."""
    uptos = {f"upto{i}": Count("id", filter=Q(id__lte=last)) for i, last in enumerate(lasts)}
    row: dict[str, Any] = Vote.objects.filter(dialogue_id=dialogue_id).aggregate(
        n=Count("id"), last=Max("id"), **uptos
    )
    row["n"] = int(row["n"] or 0)
    return row


def _refresh_locked(dialogue_id: int) -> str:
    dialogue = Dialogue.objects.filter(pk=dialogue_id, purged_at__isnull=True).first()
    if dialogue is None:
        shared.forget_published(dialogue_id)
        return "gone"
    held = chains.entry(dialogue_id)
    lasts = sorted({chain.last_vote_id for chain in held.chains.values()})
    votes = counted(dialogue_id, lasts)
    marker = shared.change_marker(dialogue, votes)
    if shared.client().get(shared.key(dialogue_id, "marker")) == marker.encode():
        shared.client().set(shared.key(dialogue_id, "checked"), repr(time.time()))
        cached = chains.entry(dialogue_id)
        if is_head(dialogue_id, cached):  # nothing new: a moment to persist, if due
            shared.client().set(shared.key(dialogue_id, "alive"), b"1", ex=shared.LOCK_SECONDS)
            if persist_due(dialogue_id, cached.shared_version):
                shared.publish_whole(dialogue, cached, cached.shared_version)
        return "unchanged"
    continued = _continued(dialogue)
    if continued is None:
        return "busy"  # the head persists its chains at its next task, then anyone continues
    cached = continued
    cached.counted = {last: (votes["n"], votes[f"upto{i}"]) for i, last in enumerate(lasts)}
    shown: list[int] = []

    def show(audience: Audience, changed: bool) -> None:
        if changed:  # readers see each chain's new analysis as soon as it is there
            step = f"{audience} {cached.chains[audience].last_vote_id}"
            shown.append(shared.publish_view(dialogue, cached, step=step))

    try:
        refresh.refresh_dialogue(dialogue_id, after=show)
    finally:
        cached.counted = {}
    version = shared.publish_view(dialogue, cached, marker) if not shown else shown[-1]
    if shown:
        shared.client().set(shared.key(dialogue_id, "marker"), marker)
    if persist_due(dialogue_id, version):
        shared.publish_whole(dialogue, cached, version)
    return "computed"

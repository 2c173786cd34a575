"""The latest analysis of each dialogue, shared by every process through Redis.

With ``REDIS_URL`` set (:func:`tracktwo.workers.enabled`) no app process computes a
live analysis: a worker does (:func:`refresh_once`, the ``tracktwo.refresh`` task) and
publishes both chains of the dialogue (:mod:`tracktwo.insight.chains`) to Redis, where
every app process reads them (:func:`chain_for`). So N ``tracktwo serve`` processes show
the same analysis, computed once per dialogue per change.

- **Once per change.** A reader asks for a refresh at most once a second per dialogue,
  across processes (a ``SET NX`` flag, :data:`ASK_EVERY_MS`). The task takes the
  dialogue's Redis lock (a second worker given the same dialogue returns at once; a killed
  worker's lock lapses within :data:`LOCK_SECONDS`), reads the
  dialogue's *change marker* (vote count and last vote id, statements, participants, the
  data key's version), and computes only when it differs from the published one. The
  worker that published last continues its chains in memory; another continues the
  persisted ones through the steps logged since (:mod:`tracktwo.insight.head`), so the
  engine's incremental updates carry on whichever worker runs next.
- **Never half-applied.** The readers' view, its version and (once both chains are
  advanced) the marker are written in Redis transactions after the computation
  (:func:`publish_view`); a task killed before leaves the previous analysis in place and
  the previous marker, so the next refresh computes again. The whole chains are persisted
  apart, in one transaction (:func:`publish_whole`), every few seconds.
- **Two views.** The workers publish the readers' view of the chains (``view``,
  :mod:`tracktwo.insight.reader_view`: no vote event, no engine state, no one's side),
  which is all an app process loads: its size follows participants and statements, not
  the vote history; and, less often, the whole chains (``blob``: what another worker
  continues).
- **Sealed.** Both (pickles of the chains: participants' public ids, votes, statement
  texts) are sealed with the initiative's data key, like the database's confidential
  columns: Redis holds nothing readable, a value that was tampered with does not open (so
  it is never unpickled), and after a wipe or key rotation old values are ignored.
"""

from __future__ import annotations

import json
import os
import pickle
import secrets
import socket
import time
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from tracktwo.dialogues.models import Dialogue, Participant, Vote
from tracktwo.insight import chains, reader_view
from tracktwo.insight.build import Audience
from tracktwo.safety.crypto import DecryptionError
from tracktwo.safety.datakeys import DataKeyUnavailable, box_for, box_for_sealing
from tracktwo.safety.models import InitiativeKey

PREFIX = "tracktwo:insight:"
# A dialogue's refresh is asked for at most this often, across processes: a little under the
# dashboards' one-second poll, so that a dashboard polling every second asks every time
# (with exactly 1000, its next poll often found the flag still set, by a few ms, and the
# ask came two seconds apart).
ASK_EVERY_MS = 900
LOCK_SECONDS = 15  # a lock not renewed this long is a dead worker's: it lapses
REFRESH_TASK = "tracktwo.refresh"

_client: tuple[int, redis.Redis] | None = None
_token: tuple[int, str] | None = None


def client() -> redis.Redis:
    """This process's Redis connection pool (a new one after a fork)."""
    global _client
    if _client is None or _client[0] != os.getpid():
        made = redis.Redis.from_url(
            settings.TRACKTWO_REDIS_URL, socket_connect_timeout=2, socket_timeout=10
        )
        _client = (os.getpid(), made)
    return _client[1]


def key(dialogue_id: int, part: str) -> str:
    return f"{PREFIX}{dialogue_id}:{part}"


def change_marker(dialogue: Dialogue, votes: dict[str, Any] | None = None) -> str:
    """What the dialogue's analysis depends on, as one string (five small queries; four
    when ``votes``, the vote rows' ``n`` and ``last`` id, are given)."""
    if votes is None:
        votes = Vote.objects.filter(dialogue_id=dialogue.pk).aggregate(
            n=Count("id"), last=Max("id")
        )
    people = Participant.objects.filter(dialogue=dialogue).aggregate(
        n=Count("id"), last=Max("id"), withdrawn=Count("withdrawn_at")
    )
    statements = chains._statements_key(dialogue.pk)
    # A new data key (rotation) must republish: the old blob no longer opens.
    data_key = InitiativeKey.objects.filter(initiative_id=dialogue.initiative_id).values_list(
        "version", flat=True
    )
    parts = [votes["n"], votes["last"], people["n"], people["last"], people["withdrawn"]]
    parts.append(data_key.first())
    parts += [str(part) for part in statements]
    parts.append(dialogue.small_cell_threshold)
    return json.dumps(parts, default=str)


def _where(dialogue_id: int) -> str:
    return f"insight.shared:dialogue={dialogue_id}"


def _seal(dialogue: Dialogue, state: dict[str, Any]) -> bytes:
    with transaction.atomic():
        box = box_for_sealing(dialogue.initiative_id)
        return box.seal_bytes(pickle.dumps(state, protocol=5), _where(dialogue.pk))


def _open(dialogue: Dialogue, sealed: bytes) -> dict[str, Any] | None:
    """The published state, or None when it does not open (wiped, rotated, tampered)."""
    try:
        raw = box_for(dialogue.initiative_id).open_bytes(sealed, _where(dialogue.pk))
    except (DecryptionError, DataKeyUnavailable):
        return None
    state: dict[str, Any] = pickle.loads(raw)  # noqa: S301 - authenticated by the data key
    return state


def load(dialogue: Dialogue, published: bytes | None = None, full: bool = False) -> chains.Entry:
    """The dialogue's cache entry, replaced by the published chains when those are newer
    (``published``: the version already read from Redis, if the caller has it).

    App processes read the readers' views (:mod:`tracktwo.insight.reader_view`: no vote
    history, no engine state); ``full`` (workers, and exports that continue a chain) reads
    the whole chains, also when the entry holds only the views of the newest version."""
    cached = chains.entry(dialogue.pk)
    if published is None:
        found = client().get(key(dialogue.pk, "version"))
        published = found if isinstance(found, bytes) else None
    version = int(published) if published is not None else 0
    if version <= cached.shared_version and not (full and cached.views):
        return cached
    sealed = client().get(key(dialogue.pk, "blob" if full else "view"))
    state = _open(dialogue, sealed) if isinstance(sealed, bytes) else None
    # A blob may lag its view (a worker killed between the two writes, see publish):
    # it is still continued when it is newer than the chains this process holds.
    oldest = version if not full else 1 if cached.views else cached.shared_version + 1
    if state is None or state["version"] < oldest:
        return cached
    with cached.lock:
        adopt(cached, state, views=not full)
        if full:  # persisted every few seconds: through the head's steps since, as it holds them
            from tracktwo.insight import head

            head.replay(dialogue, cached)
    return cached


def _mark_checked(cached: chains.Entry, checked_wall: float) -> None:
    """Express the worker's wall-clock check time on this process's monotonic clock."""
    now_mono, now_wall = time.monotonic(), time.time()
    for chain in cached.chains.values():
        chain.checked_at = now_mono - max(0.0, now_wall - checked_wall)


def ask_refresh(dialogue_id: int) -> bool:
    """Enqueue a refresh unless one was asked for within :data:`ASK_EVERY_MS`."""
    if not client().set(key(dialogue_id, "asked"), b"1", nx=True, px=ASK_EVERY_MS):
        return False
    from tracktwo.workers import queue  # Celery is loaded only where REDIS_URL is set

    queue.send(REFRESH_TASK, dialogue_id)
    return True


def chain_for(dialogue: Dialogue, audience: Audience) -> chains.Chain:
    """The published chain of ``audience`` (asking for a refresh; never computing here)."""
    version, checked = client().mget(key(dialogue.pk, "version"), key(dialogue.pk, "checked"))
    cached = load(dialogue, version if isinstance(version, bytes) else None)
    if isinstance(checked, bytes):
        _mark_checked(cached, float(checked))
    ask_refresh(dialogue.pk)
    return cached.chains[audience]


def publish(dialogue: Dialogue, cached: chains.Entry, marker: str) -> int:
    """Publish the entry's chains with ``marker``: the readers' views and the marker, then
    the whole chains (:func:`publish_view`, :func:`publish_whole`); returns the new version."""
    version = publish_view(dialogue, cached, marker)
    publish_whole(dialogue, cached, version)
    return version


def token() -> str:
    """This process's name as a head (:func:`is_head`): unique per process and fork."""
    global _token
    if _token is None or _token[0] != os.getpid():
        _token = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}")
    return _token[1]


def publish_view(
    dialogue: Dialogue, cached: chains.Entry, marker: str | None = None, step: str | None = None
) -> int:
    """Publish the readers' views of the entry's chains (``view``) with a new version, in
    one Redis transaction, sealed; returns the version. This process becomes the
    dialogue's head (``head``: its chains in memory are those of that version); with
    ``marker``, the analysis is marked as covering it; ``step`` (the chain advanced and
    the last vote id it read) is appended to the steps since the persisted chains, which a
    worker that continues those replays (:func:`replay`).

    Readers see the new analysis from here: the whole chains (:func:`publish_whole`) are
    hundreds of MB where the view is a few at 100,000 participants (every vote event and
    the engine's state: pickling, sealing and writing them took about as long as the rest
    of the refresh), and readers need not wait for them."""
    version = int(client().incr(key(dialogue.pk, "counter")))
    views = {audience: reader_view.view_of(chain) for audience, chain in cached.chains.items()}
    # The views need no party of any participant: the snapshots carry the counts per side.
    readers = {
        "version": version,
        "chains": views,
        "parties": {},
        "joined": cached.joined,
        "participants_key": (),
    }
    sealed_view = _seal(dialogue, readers)
    with client().pipeline(transaction=True) as pipe:
        pipe.set(key(dialogue.pk, "view"), sealed_view)
        pipe.set(key(dialogue.pk, "version"), version)
        pipe.set(key(dialogue.pk, "checked"), repr(time.time()))
        pipe.set(key(dialogue.pk, "head"), f"{token()}:{version}")
        pipe.set(key(dialogue.pk, "alive"), b"1", ex=LOCK_SECONDS)
        if marker is not None:
            pipe.set(key(dialogue.pk, "marker"), marker)
        if step is not None:
            pipe.rpush(key(dialogue.pk, "steps"), f"{version} {step}")
        pipe.incr(key(dialogue.pk, "computed"))
        pipe.execute()
    cached.shared_version = version
    cached.views = False
    return version


def publish_whole(dialogue: Dialogue, cached: chains.Entry, version: int) -> None:
    """Persist the whole chains (``blob``: what a worker that is not the head continues)
    as ``version``, in one Redis transaction, sealed, with ``persisted`` (its version and
    when). See :func:`persist_due` for when a worker does."""
    state = {
        "version": version,
        "chains": cached.chains,
        "parties": cached.parties,
        "joined": cached.joined,
        "participants_key": cached.participants_key,
    }
    sealed = _seal(dialogue, state)
    with client().pipeline(transaction=True) as pipe:
        pipe.set(key(dialogue.pk, "blob"), sealed)
        pipe.set(key(dialogue.pk, "persisted"), f"{version} {time.time()!r}")
        pipe.delete(key(dialogue.pk, "wanted"), key(dialogue.pk, "steps"))
        pipe.execute()


def refresh_once(dialogue_id: int) -> str:
    """The refresh task (:func:`tracktwo.insight.head.refresh_once`): ``"busy"``,
    ``"gone"``, ``"unchanged"`` or ``"computed"``."""
    from tracktwo.insight import head

    return head.refresh_once(dialogue_id)


def forget_published(dialogue_id: int) -> None:
    """Drop what Redis holds of a dialogue (after a purge)."""
    parts = ["blob", "view", "marker", "version", "checked", "head", "alive", "persisted"]
    parts += ["steps", "wanted"]
    client().delete(*(key(dialogue_id, p) for p in parts))
    chains.forget(dialogue_id)


def adopt(cached: chains.Entry, state: dict[str, Any], *, views: bool) -> None:
    """Put a published state (chains, or the readers' views when ``views``) into this
    process's entry; the caller holds ``cached.lock``."""
    cached.chains = state["chains"]
    cached.parties = state["parties"]
    cached.joined = state["joined"]
    cached.participants_key = state["participants_key"]
    cached.shared_version = state["version"]
    cached.views = views

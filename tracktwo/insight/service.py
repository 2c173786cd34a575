"""Live analysis of a running dialogue: the engine kept up to date as votes arrive.

Functions for views and the API (they do not check permissions; callers do):

- :func:`dialogue_analysis` ``(dialogue, audience)`` -> the analysis JSON for
  facilitators (everything, unsuppressed) or participants (suppressed, batched);
- :func:`participant_position` ``(participant)`` -> that participant's own group and
  place on the map, for them alone;
- :func:`next_statement_for` ``(participant)`` -> the statement to vote on next.

Design. Each process keeps, per dialogue (LRU of :data:`MAX_DIALOGUES`), two *chains* of
engine results, each continued with :func:`tracktwo.analysis.engine.update` from the
previous result as new vote rows appear (by id), exactly as Pol.is's math worker does:

- the **facilitator chain** takes every vote;
- the **participant chain** takes votes only up to the last multiple of the dialogue's
  small-cell threshold (a *batch cut*): what participants see changes only when at least
  ``threshold`` new votes have arrived, so no single vote can be read off a change, and
  every process publishes the same cuts.

A refresh costs two aggregate queries when nothing changed. A chain starts over with
``analyze`` when votes were deleted (a withdrawal that removes contributions). Statement
moderation, redaction and deletion reach the chains through ``update(statements=...)``.

Where the work runs. Without a background thread (tests, ``manage.py shell``, the
development server) every call refreshes inline. With ``settings.TRACKTWO_LIVE_BACKGROUND``
(which ``tracktwo.site.wsgi``, hence ``tracktwo serve``, sets)
each worker process starts one daemon thread that
refreshes every dialogue asked about in the last :data:`WATCH_SECONDS` once a second;
requests then refresh inline only when the last update of that chain took under
:data:`INLINE_BUDGET` seconds and is older than :data:`MIN_INTERVAL`, and otherwise serve
the cached result marked ``"stale": true``. So the dashboard is at most about two seconds
behind, and a long recomputation never holds a request. The thread's first refresh of a
dialogue is a full ``analyze``; a request for a dialogue no process has seen yet computes
it inline once.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from tracktwo.analysis.bridging import bridging_scores
from tracktwo.analysis.cross_party import cross_party
from tracktwo.analysis.engine import AnalysisResult, analyze, update
from tracktwo.analysis.parties import PartyInputError, parties_from_mapping
from tracktwo.analysis.votes import Statements, VoteEvents, from_arrays
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.dialogues.queries.reading import unvoted_statement_ids
from tracktwo.initiatives.models import Party
from tracktwo.insight.engine_input import dialogue_statements
from tracktwo.insight.payload import AUDIENCES, Audience, Snapshot, aligned_group_ids, build
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for

logger = logging.getLogger("tracktwo.live")

MAX_DIALOGUES = 64
MIN_INTERVAL = 1.0  # seconds between request-driven refreshes of a chain (background mode)
INLINE_BUDGET = 0.3  # a chain whose last update took longer is refreshed in the background
WATCH_SECONDS = 120.0  # the background thread keeps refreshing a dialogue this long


@dataclass
class _Chain:
    """One sequence of engine results over a growing prefix of the dialogue's votes."""

    result: AnalysisResult | None = None
    statements: Statements | None = None
    statements_key: tuple[Any, ...] = ()
    n_events: int = 0  # vote rows consumed
    last_vote_id: int = 0
    version: int = 0
    seconds: float = 0.0  # duration of the last update
    checked_at: float = -1e9  # monotonic time of the last refresh
    snapshot: Snapshot | None = None
    payload: tuple[int, int, dict[str, Any]] | None = None  # (version, threshold, payload)
    priorities: dict[int, float] | None = None


@dataclass
class _Entry:
    dialogue_id: int
    chains: dict[str, _Chain] = field(default_factory=lambda: {a: _Chain() for a in AUDIENCES})
    lock: threading.Lock = field(default_factory=threading.Lock)
    parties: dict[str, str | None] = field(default_factory=dict)  # public id -> party name
    joined: dict[str, int] = field(default_factory=dict)
    participants_key: tuple[Any, ...] = ()


_entries: OrderedDict[int, _Entry] = OrderedDict()
_entries_lock = threading.Lock()


def _entry(dialogue_id: int) -> _Entry:
    with _entries_lock:
        entry = _entries.get(dialogue_id)
        if entry is None:
            entry = _entries[dialogue_id] = _Entry(dialogue_id)
        _entries.move_to_end(dialogue_id)
        while len(_entries) > MAX_DIALOGUES:
            _entries.popitem(last=False)
        return entry


def forget(dialogue_id: int | None = None) -> None:
    """Drop cached results (of one dialogue, or all): the next call recomputes from scratch."""
    with _entries_lock:
        if dialogue_id is None:
            _entries.clear()
        else:
            _entries.pop(dialogue_id, None)


# -- loading ------------------------------------------------------------------------------


def _statements_key(dialogue_id: int) -> tuple[Any, ...]:
    row = Statement.objects.filter(dialogue_id=dialogue_id).aggregate(
        n=Count("id"), last=Max("id"), moderated=Max("moderated_at"), deleted=Max("deleted_at")
    )
    return (row["n"], row["last"], row["moderated"], row["deleted"])


def _vote_totals(dialogue_id: int) -> tuple[int, int]:
    row = Vote.objects.filter(dialogue_id=dialogue_id).aggregate(n=Count("id"), last=Max("id"))
    return int(row["n"] or 0), int(row["last"] or 0)


def _events_after(
    dialogue_id: int, after_id: int, limit: int | None, statements: Statements
) -> tuple[VoteEvents, int]:
    """Vote rows with id > ``after_id`` (at most ``limit``), and the last id read."""
    rows_qs = (
        Vote.objects.filter(dialogue_id=dialogue_id, id__gt=after_id)
        .order_by("id")
        .values_list("id", "participant__public_id", "statement_id", "value", "created_at")
    )
    rows = list(rows_qs[:limit] if limit is not None else rows_qs)
    events = from_arrays(
        np.array([r[1] for r in rows], dtype=object),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.int8),
        np.array([r[4].timestamp() for r in rows], dtype=np.float64),
        statements,
    )
    return events, (rows[-1][0] if rows else after_id)


def _load_parties(entry: _Entry, dialogue: Dialogue, wanted: tuple[Any, ...]) -> None:
    """Party names by public id and joined counts, decrypted again only when people joined,
    withdrew, or a voter is not known yet."""
    key = Participant.objects.filter(dialogue=dialogue).aggregate(
        n=Count("id"), last=Max("id"), withdrawn=Count("withdrawn_at")
    )
    marker = (key["n"], key["last"], key["withdrawn"])
    if marker == entry.participants_key and all(pid in entry.parties for pid in wanted):
        return
    box = box_for(dialogue.initiative_id)
    names = {
        p.pk: p.name.read(box) for p in Party.objects.filter(initiative=dialogue.initiative_id)
    }
    joined = dict.fromkeys(names.values(), 0)
    parties: dict[str, str | None] = {}
    rows = Participant.objects.filter(dialogue=dialogue).values_list(
        "public_id", "profile_sealed", "role", "withdrawn_at"
    )
    for public_id, sealed, role, withdrawn_at in rows:
        profile = Profile.from_json(Participant.profile.open(box, sealed)) if sealed else None
        name = names.get(profile.party_id) if profile else None
        parties[public_id] = name
        if name is not None and role == ParticipantRole.PARTICIPANT and withdrawn_at is None:
            joined[name] += 1
    entry.parties, entry.joined, entry.participants_key = parties, joined, marker


# -- refreshing ---------------------------------------------------------------------------


def _cut(total: int, threshold: int) -> int:
    return total - total % max(1, threshold)


def _advance(entry: _Entry, dialogue: Dialogue, audience: Audience) -> None:
    """Bring one chain up to date with the database (the caller holds ``entry.lock``)."""
    chain = entry.chains[audience]
    started = time.monotonic()
    chain.checked_at = started
    total, _last = _vote_totals(dialogue.pk)
    key = _statements_key(dialogue.pk)
    target = total if audience == "facilitator" else _cut(total, dialogue.small_cell_threshold)
    if chain.result is not None:
        consumed = Vote.objects.filter(dialogue_id=dialogue.pk, id__lte=chain.last_vote_id).count()
        if consumed != chain.n_events:  # votes were deleted: start over
            entry.chains[audience] = chain = _Chain(checked_at=started)
    if chain.result is not None and target <= chain.n_events and key == chain.statements_key:
        return
    statements = dialogue_statements(dialogue)
    limit = max(0, target - chain.n_events)
    events, last_id = _events_after(dialogue.pk, chain.last_vote_id, limit, statements)
    if chain.result is None:
        result = analyze(events) if len(events) else None
    else:
        result = update(chain.result, events, statements=statements)
    chain.result = result
    chain.statements = statements
    chain.statements_key = key
    chain.n_events += len(events)
    chain.last_vote_id = last_id
    chain.snapshot = _snapshot(entry, dialogue, chain, audience)
    chain.priorities = None
    chain.version += 1  # after the snapshot: readers take the version first (see _payload)
    chain.seconds = time.monotonic() - started


def _snapshot(entry: _Entry, dialogue: Dialogue, chain: _Chain, audience: Audience) -> Snapshot:
    result = chain.result
    assert chain.statements is not None
    snapshot = Snapshot(
        dialogue.pk,
        result,
        chain.statements,
        votes_counted=chain.n_events,
        as_of=timezone.now(),
    )
    if result is None:
        return snapshot
    pids = result.participant_ids
    _load_parties(entry, dialogue, pids)
    snapshot.joined_by_party = dict(entry.joined)
    labels = result.group_labels
    groups: dict[object, object] = {
        pid: int(g) for pid, g in zip(pids, labels, strict=True) if g >= 0
    }
    try:
        parties = parties_from_mapping(
            {pid: entry.parties.get(str(pid)) for pid in pids}, pids, min_party_size=1
        )
        snapshot.cross = cross_party(result.events, parties, groups=groups)
    except PartyInputError:
        snapshot.cross_note = "per-side results need voters from at least two sides"
    if audience == "facilitator":
        snapshot.bridging = bridging_scores(result.events)
    else:
        snapshot.group_ids = aligned_group_ids(result, entry.chains["facilitator"].result)
    return snapshot


def _refresh(dialogue: Dialogue, audience: Audience) -> _Chain:
    """Refresh inline, or leave it to the background thread (see the module's docstring)."""
    entry = _entry(dialogue.pk)
    chain = entry.chains[audience]
    if _background_enabled():
        _worker().watch(dialogue.pk)
        if chain.result is not None or chain.n_events:
            recent = time.monotonic() - chain.checked_at < MIN_INTERVAL
            if recent or chain.seconds > INLINE_BUDGET:
                return chain
            if not entry.lock.acquire(blocking=False):
                return chain  # someone is updating it right now: serve what we have
            try:
                _advance(entry, dialogue, audience)
            finally:
                entry.lock.release()
            return entry.chains[audience]
    with entry.lock:
        _advance(entry, dialogue, audience)
    return entry.chains[audience]


def _payload(chain: _Chain, audience: Audience, threshold: int) -> dict[str, Any]:
    version = chain.version  # first: a snapshot read after it is at least this new
    cached = chain.payload
    if cached is not None and cached[:2] == (version, threshold):
        return cached[2]
    snapshot = chain.snapshot
    if snapshot is None:
        return {"audience": audience, "status": "computing", "stale": True}
    payload = build(snapshot, audience, threshold)
    chain.payload = (version, threshold, payload)
    return payload


# -- the service ------------------------------------------------------------------------


def dialogue_analysis(dialogue: Dialogue, audience: Audience = "facilitator") -> dict[str, Any]:
    """The dialogue's live analysis as JSON-ready data, for ``audience``.

    ``"facilitator"``: everything, including the anonymous opinion map, bridging scores
    and per-side participation, unsuppressed. ``"participant"``: small cells suppressed,
    results batched by the small-cell threshold, accepted statements only. The caller
    checks that the requester may see it. ``"stale": true`` marks a result the
    background thread is still bringing up to date.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    chain = _refresh(dialogue, audience)
    payload = dict(_payload(chain, audience, dialogue.small_cell_threshold))
    payload["stale"] = time.monotonic() - chain.checked_at > 2 * MIN_INTERVAL + chain.seconds
    return payload


def participant_position(participant: Participant) -> dict[str, Any]:
    """Where this participant stands among the groups, for their eyes only.

    From the participants' (batched) results, so it matches the groups they are shown:
    ``{"status", "group", "in_conv", "projection", "groups": [{id, size, center}]}``.
    """
    dialogue = participant.dialogue
    chain = _refresh(dialogue, "participant")
    payload = _payload(chain, "participant", dialogue.small_cell_threshold)
    position: dict[str, Any] = {
        "status": payload.get("status", "computing"),
        "group": None,
        "in_conv": False,
        "projection": None,
        "groups": payload.get("groups", []),
        "votes_counted": payload.get("votes_counted", 0),
    }
    result = chain.result
    if result is None:
        return position
    known = result.state.participant_index  # None until the chain's first update
    if known is None:
        known = {pid: i for i, pid in enumerate(result.participant_ids)}
    index = known.get(participant.public_id)
    if index is None:
        position["status"] = "not-yet-counted"
        return position
    group = int(result.group_labels[index])
    if group >= 0 and chain.snapshot is not None:
        group = chain.snapshot.group_id(group)
    x, y = (float(v) for v in result.projection[index])
    position.update(
        group=group if group >= 0 else None,
        in_conv=bool(result.in_conv[index]),
        projection=[round(x, 4), round(y, 4)] if np.isfinite(x) and np.isfinite(y) else None,
    )
    return position


def opinion_groups(dialogue: Dialogue) -> dict[str, int]:
    """Public id -> opinion group of every grouped voter (facilitators' latest result).

    For exports with freshly randomised ids only: never show it next to a handle.
    """
    result = _refresh(dialogue, "facilitator").result
    if result is None:
        return {}
    labels = result.group_labels
    return {
        str(pid): int(g) for pid, g in zip(result.participant_ids, labels, strict=True) if g >= 0
    }


def routing_priorities(dialogue: Dialogue) -> dict[int, float]:
    """Statement id -> the engine's routing priority, from the latest cached result.

    Never computes in the request when a background thread keeps results fresh.
    """
    entry = _entry(dialogue.pk)
    chain = entry.chains["facilitator"]
    if _background_enabled():
        _worker().watch(dialogue.pk)
    else:
        chain = _refresh(dialogue, "facilitator")
    if chain.priorities is None:
        result = chain.result
        chain.priorities = (
            {}
            if result is None
            else {
                int(sid): float(p)
                for sid, p in zip(result.statement_ids, result.priority, strict=True)
            }
        )
    return chain.priorities


def next_statement_for(participant: Participant, rng: random.Random | None = None) -> Any:
    """The accepted statement this participant should vote on next, or None when none is left.

    Drawn at random among the statements they have not voted on, weighted by the engine's
    routing priority (as Pol.is does); a statement the engine has not seen yet gets the
    highest priority of any, so new statements are shown soon. Returns a
    :class:`~tracktwo.dialogues.models.Statement` with ``remaining`` set.
    """
    candidates = unvoted_statement_ids(participant)
    if not candidates:
        return None
    priorities = routing_priorities(participant.dialogue)
    fresh = max(priorities.values(), default=1.0)
    weights = [max(priorities.get(sid, fresh), 1e-9) for sid in candidates]
    chosen = (rng or random).choices(candidates, weights=weights, k=1)[0]
    statement = Statement.objects.get(pk=chosen)
    statement.remaining = len(candidates)  # type: ignore[attr-defined]
    return statement


# -- the background thread ----------------------------------------------------------------


def _background_enabled() -> bool:
    configured = getattr(settings, "TRACKTWO_LIVE_BACKGROUND", None)
    return bool(configured)


class _Refresher(threading.Thread):
    """Refreshes watched dialogues once a second. It closes its database connection after
    each round, so it holds none while idle."""

    def __init__(self) -> None:
        super().__init__(name="tracktwo-live-analysis", daemon=True)
        self.watched: dict[int, float] = {}
        self.guard = threading.Lock()
        self.pid = os.getpid()
        self.stopping = threading.Event()
        self.rounds = 0

    def watch(self, dialogue_id: int) -> None:
        with self.guard:
            self.watched[dialogue_id] = time.monotonic()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            now = time.monotonic()
            with self.guard:
                for dialogue_id, seen in list(self.watched.items()):
                    if now - seen > WATCH_SECONDS:
                        del self.watched[dialogue_id]
                ids = list(self.watched)
            try:
                for dialogue_id in ids:
                    self._refresh_one(dialogue_id)
            finally:
                connection.close()
            self.rounds += 1

    def _refresh_one(self, dialogue_id: int) -> None:
        try:
            dialogue = Dialogue.objects.filter(pk=dialogue_id, purged_at__isnull=True).first()
            if dialogue is None:
                forget(dialogue_id)
                return
            entry = _entry(dialogue_id)
            with entry.lock:
                for audience in AUDIENCES:
                    _advance(entry, dialogue, audience)
        except Exception:
            logger.exception("live analysis of dialogue %s failed", dialogue_id)


_thread: _Refresher | None = None
_thread_lock = threading.Lock()


def stop_background() -> None:
    """Stop this process's background thread (tests; a new one starts when needed)."""
    global _thread
    with _thread_lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.stopping.set()
        thread.join(timeout=30)


def _worker() -> _Refresher:
    global _thread
    with _thread_lock:
        if _thread is None or _thread.pid != os.getpid() or not _thread.is_alive():
            _thread = _Refresher()
            _thread.start()
        return _thread

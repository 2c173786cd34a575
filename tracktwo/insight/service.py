"""The insight service: a running dialogue's analysis, kept up to date as votes arrive.

Functions for views, the API and briefs (they do not check permissions; callers do):

- :func:`dialogue_insight` ``(dialogue, audience)`` -> a
  :class:`~tracktwo.insight.results.DialogueInsight`: the facilitators' cut (everything,
  exact) or the shared cut for participants and observers (small cells withheld,
  batched); :func:`dialogue_analysis` is its JSON form (``docs/api.md``);
- :func:`own_position` ``(participant)`` -> that participant's own group and place on the
  map, for them alone (:func:`participant_position`: its JSON form);
- :func:`export_insight` ``(dialogue, session=None)`` -> both cuts of an analysis that
  covers every vote at this moment, for briefs, exports and reports;
- :func:`next_statement_for` ``(participant)`` -> the statement to vote on next.

Design. The engine results live in the per-process cache of :mod:`tracktwo.insight.chains`
(two chains per dialogue: every vote, and whole batches of the small-cell threshold).
Without a background thread (tests, ``manage.py shell``, the development server) every
call refreshes inline. With ``settings.TRACKTWO_LIVE_BACKGROUND`` (which
``tracktwo.site.wsgi``, hence ``tracktwo serve``, sets) the refresher of
:mod:`tracktwo.insight.refresh` keeps every dialogue asked about fresh once a second;
requests then refresh inline only when the last update of that chain took under
:data:`INLINE_BUDGET` seconds and is older than :data:`MIN_INTERVAL`, and otherwise serve
the cached result. A result is marked ``stale`` when votes exist beyond those it counted
(for the shared cut: beyond its last whole batch; one aggregate query) or when its last
refresh lags. A request for a dialogue no process has seen yet computes it inline once.
With ``REDIS_URL`` (:func:`tracktwo.workers.enabled`) requests never compute: they
read the analysis the workers published in Redis (:mod:`tracktwo.insight.shared`) and
ask for a refresh; briefs and exports (:func:`export_insight`) still count every vote here.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from tracktwo import workers
from tracktwo.analysis.engine import analyze
from tracktwo.dialogues.models import Dialogue, Participant, Session, Statement
from tracktwo.dialogues.queries.reading import unvoted_statement_ids
from tracktwo.insight import chains, refresh, shared, turnout
from tracktwo.insight.build import build
from tracktwo.insight.engine_input import (
    dialogue_statements,
    dialogue_vote_events,
    session_statements,
)
from tracktwo.insight.json_form import as_json, position_json
from tracktwo.insight.results import (
    AUDIENCES,
    Audience,
    DialogueInsight,
    ExportInsight,
    OwnPosition,
)

MIN_INTERVAL = 1.0  # seconds between request-driven refreshes of a chain (background mode)
INLINE_BUDGET = 0.3  # a chain whose last update took longer is refreshed in the background


def forget(dialogue_id: int | None = None) -> None:
    """Drop this process's cached analyses, their JSON and participation counts (of one
    dialogue, or all): the next call computes them from scratch."""
    chains.forget(dialogue_id)
    turnout.forget(dialogue_id)
    with _bodies_lock:
        for slot in [slot for slot in _bodies if dialogue_id in (None, slot[0])]:
            del _bodies[slot]


# The cache and the thread, under the names callers (and tests) have always used.
stop_background = refresh.stop_background
_entry = chains.entry
_background_enabled = refresh.background_enabled


def _refresh(dialogue: Dialogue, audience: Audience) -> chains.Chain:
    """Refresh inline, or leave it to the background thread or the workers (see the
    module's docstring)."""
    if workers.enabled():
        return shared.chain_for(dialogue, audience)
    cached = chains.entry(dialogue.pk)
    chain = cached.chains[audience]
    if refresh.background_enabled():
        refresh.watch(dialogue.pk)
        if chain.result is not None or chain.n_events:
            recent = time.monotonic() - chain.checked_at < MIN_INTERVAL
            if recent or chain.seconds > INLINE_BUDGET:
                return chain
            if not cached.lock.acquire(blocking=False):
                return chain  # someone is updating it right now: serve what we have
            try:
                chains.advance(cached, dialogue, audience)
            finally:
                cached.lock.release()
            return cached.chains[audience]
    with cached.lock:
        chains.advance(cached, dialogue, audience)
    return cached.chains[audience]


def _stale(dialogue: Dialogue, chain: chains.Chain, audience: Audience) -> bool:
    """Whether votes exist beyond those the chain counted, or its refresh lags."""
    if time.monotonic() - chain.checked_at > 2 * MIN_INTERVAL + chain.seconds:
        return True
    total = chains.vote_total(dialogue.pk)
    return (
        chains.target(audience, total, dialogue.small_cell_threshold, dialogue.pk) != chain.n_events
    )


def dialogue_insight(dialogue: Dialogue, audience: Audience = "facilitator") -> DialogueInsight:
    """The dialogue's live analysis for ``audience``.

    ``"facilitator"``: everything, including the anonymous opinion map, bridging scores
    and per-side participation, unsuppressed. ``"participant"``: small cells suppressed,
    results batched by the small-cell threshold, accepted statements only. The caller
    checks that the requester may see it. ``stale`` marks a result that does not cover
    every vote it should (see the module docstring).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    chain = _refresh(dialogue, audience)
    insight = chains.built(chain, audience, dialogue.small_cell_threshold)
    return replace(insight, stale=insight.stale or _stale(dialogue, chain, audience))


def dialogue_analysis(dialogue: Dialogue, audience: Audience = "facilitator") -> dict[str, Any]:
    """:func:`dialogue_insight` as the JSON of ``docs/api.md``."""
    return as_json(dialogue_insight(dialogue, audience))


_bodies: OrderedDict[tuple[int, str], tuple[DialogueInsight, bool, bytes]] = OrderedDict()
_bodies_lock = threading.Lock()


def analysis_body(
    dialogue: Dialogue, audience: Audience, render: Callable[[dict[str, Any]], bytes]
) -> bytes:
    """:func:`dialogue_analysis` rendered by ``render``, once per analysis in this process:
    requests for the same analysis (the same built result of the same chain version, and
    the same staleness) get the same bytes. At 100,000 participants the JSON of the
    facilitators' map is ~170 ms to build and render, and every dashboard polls it every
    second. The caller checks who may see ``audience``, as for :func:`dialogue_insight`."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    chain = _refresh(dialogue, audience)
    insight = chains.built(chain, audience, dialogue.small_cell_threshold)
    stale = insight.stale or _stale(dialogue, chain, audience)
    slot = (dialogue.pk, audience)
    with _bodies_lock:
        found = _bodies.get(slot)
    if found is not None and found[0] is insight and found[1] == stale:
        return found[2]  # kept with the insight it was made from, so "is" cannot be reused
    body = render(as_json(replace(insight, stale=stale)))
    with _bodies_lock:
        _bodies[slot] = (insight, stale, body)
        _bodies.move_to_end(slot)
        while len(_bodies) > 2 * chains.MAX_DIALOGUES:
            _bodies.popitem(last=False)
    return body


def own_position(participant: Participant) -> OwnPosition:
    """Where this participant stands among the groups, for their eyes only.

    From the shared (batched) cut, so it matches the groups they are shown.
    """
    dialogue = participant.dialogue
    chain = _refresh(dialogue, "participant")
    shared = chains.built(chain, "participant", dialogue.small_cell_threshold)
    position = OwnPosition(
        status=shared.status, groups=shared.groups, votes_counted=shared.votes_counted
    )
    result = chain.result
    if result is None:
        return position
    known = result.state.participant_index  # None until the chain's first update
    if known is None:
        known = {pid: i for i, pid in enumerate(result.participant_ids)}
    index = known.get(participant.public_id)
    if index is None:
        return replace(position, status="not-yet-counted")
    group = int(result.group_labels[index])
    if group >= 0 and chain.snapshot is not None:
        group = chain.snapshot.group_id(group)
    x, y = (float(v) for v in result.projection[index])
    return replace(
        position,
        group=group if group >= 0 else None,
        in_conv=bool(result.in_conv[index]),
        projection=(round(x, 4), round(y, 4)) if np.isfinite(x) and np.isfinite(y) else None,
    )


def participant_position(participant: Participant) -> dict[str, Any]:
    """:func:`own_position` as JSON: ``{"status", "group", "in_conv", "projection",
    "groups": [{id, size, center}], "votes_counted"}``."""
    return position_json(own_position(participant))


def _every_vote(dialogue: Dialogue) -> chains.Chain:
    """The facilitators' chain brought up to every vote now, waiting for a refresh under way
    (with workers: continuing the whole chains they published, not the readers' view)."""
    cached = shared.load(dialogue, full=True) if workers.enabled() else chains.entry(dialogue.pk)
    with cached.lock:
        chains.advance(cached, dialogue, "facilitator")
        return cached.chains["facilitator"]


def export_insight(dialogue: Dialogue, session: Session | None = None) -> ExportInsight:
    """Both cuts of an analysis covering every vote cast by now (computed here if need be).

    For briefs, exports and reports: ``exact`` is the facilitators' cut, ``shared`` the
    same analysis with small cells withheld and accepted statements only (not batched).
    With ``session``, the analysis of that session's statements and their votes alone.
    """
    threshold = dialogue.small_cell_threshold
    if session is None:
        chain = _every_vote(dialogue)
        made = chain.snapshot
        assert made is not None  # advance always leaves one
        exact = chains.built(chain, "facilitator", threshold)
    else:
        statements = session_statements(dialogue_statements(dialogue), session)
        events = dialogue_vote_events(dialogue, statements, only_these=True)
        result = analyze(events) if len(events) else None
        made = chains.snapshot(
            chains.Entry(dialogue.pk), dialogue, result, statements, "facilitator"
        )
        made.votes_counted = len(events)
        exact = build(made, "facilitator", threshold)
    return ExportInsight(exact=exact, shared=build(made, "participant", threshold))


def opinion_groups(dialogue: Dialogue) -> dict[str, int]:
    """Public id -> opinion group of every grouped voter, over every vote cast by now.

    For exports with freshly randomised ids only: never show it next to a handle.
    """
    result = _every_vote(dialogue).result
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
    chain = chains.entry(dialogue.pk).chains["facilitator"]
    if refresh.background_enabled():
        refresh.watch(dialogue.pk)
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

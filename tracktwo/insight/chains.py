"""The per-process cache of the live analysis: chains of engine results per dialogue.

Each process keeps, per dialogue (LRU of :data:`MAX_DIALOGUES`), two *chains* of engine
results, each continued with :func:`tracktwo.analysis.engine.update` from the previous
result as new vote rows appear (by id), exactly as Pol.is's math worker does:

- the **facilitator chain** takes every vote;
- the **participant chain** takes votes only up to the last multiple of the dialogue's
  small-cell threshold (a *batch cut*): what participants see changes only when at least
  ``threshold`` new votes have arrived, so no single vote can be read off a change, and
  every process publishes the same cuts.

:func:`advance` brings one chain up to date; it costs two aggregate queries when nothing
changed. A chain starts over with ``analyze`` when votes were deleted (a withdrawal that
removes contributions). A chain keeps of the vote events only those its cells count and at
most :data:`KEEP_SUPERSEDED` superseded ones per cell (:mod:`tracktwo.analysis.superseded`):
its memory follows the cells, not the re-votes, and its results are those of every event.
Both cuts take their votes from the database by id (``n_events`` and ``last_vote_id`` count
the rows consumed), never from another chain's or an earlier result's events. Statement moderation, redaction and deletion reach the chains
through ``update(statements=...)``. Who calls :func:`advance` when (a request, or the
background refresher of :mod:`tracktwo.insight.refresh`) is :mod:`tracktwo.insight.service`'s
business.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from tracktwo.analysis.bridging import BridgingModel, BridgingResult
from tracktwo.analysis.cross_party import cross_party
from tracktwo.analysis.engine import AnalysisResult, analyze, update
from tracktwo.analysis.parties import PartyInputError, parties_from_labels
from tracktwo.analysis.superseded import compact
from tracktwo.analysis.votes import LatestVotes, Statements, VoteEvents, from_arrays
from tracktwo.consent.gates import effective_protections
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.initiatives.models import Party
from tracktwo.insight.build import AUDIENCES, Audience, Snapshot, build
from tracktwo.insight.engine_input import dialogue_statements
from tracktwo.insight.results import DialogueInsight
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for

MAX_DIALOGUES = 64
WARM_BRIDGING_VOTES = 100_000  # agree/disagree votes from which a refresh warm-starts bridging
REANCHOR_GROWTH = 1.25  # ... unless they grew by this factor since its last cold fit
KEEP_SUPERSEDED = 1.0  # superseded vote events a chain keeps per cell before dropping them


@dataclass
class Chain:
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
    built: tuple[int, int, DialogueInsight] | None = None  # (version, threshold, result)
    priorities: dict[int, float] | None = None
    view: bool = False  # a readers' view (tracktwo.insight.reader_view): never continued
    bridging: BridgingModel | None = None  # the last bridging fit, to warm-start the next
    bridging_anchor: int = 0  # agree/disagree votes of its last cold fit


@dataclass
class Entry:
    """A dialogue's chains, the lock that serialises their updates, and its sides."""

    dialogue_id: int
    chains: dict[str, Chain] = field(default_factory=lambda: {a: Chain() for a in AUDIENCES})
    lock: threading.Lock = field(default_factory=threading.Lock)
    parties: dict[str, str | None] = field(default_factory=dict)  # public id -> party name
    joined: dict[str, int] = field(default_factory=dict)
    participants_key: tuple[Any, ...] = ()
    shared_version: int = 0  # the published version loaded (tracktwo.insight.shared)
    views: bool = False  # the chains are the readers' views of that version
    # (vote rows now, rows up to id) by last vote id, counted by the caller for this refresh
    counted: dict[int, tuple[int, int]] = field(default_factory=dict)


_entries: OrderedDict[int, Entry] = OrderedDict()
_entries_lock = threading.Lock()


def entry(dialogue_id: int) -> Entry:
    """The dialogue's cache entry (created empty), most recently used last."""
    with _entries_lock:
        found = _entries.get(dialogue_id)
        if found is None:
            found = _entries[dialogue_id] = Entry(dialogue_id)
        _entries.move_to_end(dialogue_id)
        while len(_entries) > MAX_DIALOGUES:
            _entries.popitem(last=False)
        return found


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


def vote_total(dialogue_id: int) -> int:
    """How many vote rows the dialogue has now (one aggregate query)."""
    return int(Vote.objects.filter(dialogue_id=dialogue_id).aggregate(n=Count("id"))["n"] or 0)


def batch_cut(total: int, threshold: int) -> int:
    """The votes the participant chain covers when ``total`` exist: whole batches only."""
    return total - total % max(1, threshold)


def target(audience: Audience, total: int, threshold: int, dialogue_id: int = 0) -> int:
    """The votes a chain of ``audience`` should cover when ``total`` exist: the
    facilitators' takes every vote, except where the dialogue's risk is high or above
    (then it is batched like the participants')."""
    if audience == "facilitator" and not (
        dialogue_id and effective_protections(dialogue_id).live_votes_batched
    ):
        return total
    return batch_cut(total, threshold)


def _events_after(
    dialogue_id: int,
    after_id: int,
    limit: int | None,
    statements: Statements,
    upto: int | None = None,
) -> tuple[VoteEvents, int]:
    """Vote rows with id > ``after_id`` (at most ``limit``; with ``upto``, none above that
    id), and the last id read."""
    wanted = Vote.objects.filter(dialogue_id=dialogue_id, id__gt=after_id)
    if upto is not None:
        wanted = wanted.filter(id__lte=upto)
    rows_qs = wanted.order_by("id").values_list(
        "id", "participant__public_id", "statement_id", "value", "created_at"
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


def _counts(dialogue_id: int, last_vote_id: int) -> tuple[int, int]:
    """How many vote rows the dialogue has now, and how many of them have an id up to
    ``last_vote_id`` (one aggregate query: both from the same snapshot of the table)."""
    row = Vote.objects.filter(dialogue_id=dialogue_id).aggregate(
        n=Count("id"), upto=Count("id", filter=Q(id__lte=last_vote_id))
    )
    return int(row["n"] or 0), int(row["upto"] or 0)


def load_parties(cached: Entry, dialogue: Dialogue, wanted: tuple[Any, ...]) -> None:
    """Party names by public id and joined counts, decrypted again only when people joined,
    withdrew, or a voter is not known yet."""
    key = Participant.objects.filter(dialogue=dialogue).aggregate(
        n=Count("id"), last=Max("id"), withdrawn=Count("withdrawn_at")
    )
    marker = (key["n"], key["last"], key["withdrawn"])
    if marker == cached.participants_key and all(pid in cached.parties for pid in wanted):
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
    cached.parties, cached.joined, cached.participants_key = parties, joined, marker


# -- advancing ----------------------------------------------------------------------------


def advance(cached: Entry, dialogue: Dialogue, audience: Audience, upto: int | None = None) -> None:
    """Bring one chain up to date with the database (the caller holds ``cached.lock``).

    ``upto``: take the votes up to that id and no further (a worker replaying the head's
    steps after a persisted copy, :func:`tracktwo.insight.shared.replay`)."""
    chain = cached.chains[audience]
    started = time.monotonic()
    chain.checked_at = started
    hint = cached.counted.get(chain.last_vote_id)  # the worker counted them just now
    total, consumed = hint if hint is not None else _counts(dialogue.pk, chain.last_vote_id)
    key = _statements_key(dialogue.pk)
    wanted = target(audience, total, dialogue.small_cell_threshold, dialogue.pk)
    if chain.view:  # a readers' view holds no votes to continue from: start over
        cached.chains[audience] = chain = Chain(checked_at=started)
    # Votes were deleted (or one below the last read committed late): start over.
    if chain.result is not None and consumed != chain.n_events:
        cached.chains[audience] = chain = Chain(checked_at=started)
    if upto is not None:
        wanted = chain.n_events if chain.last_vote_id >= upto else total
    if chain.result is not None and wanted <= chain.n_events and key == chain.statements_key:
        return
    statements = dialogue_statements(dialogue)
    limit = max(0, wanted - chain.n_events) if upto is None else None
    events, last_id = _events_after(dialogue.pk, chain.last_vote_id, limit, statements, upto)
    if chain.result is None:
        result = analyze(events) if len(events) else None
    else:
        result = update(chain.result, events, statements=statements)
    if result is not None:  # re-votes superseded since: the chain no longer needs them
        result = compact(result, KEEP_SUPERSEDED)
    made = snapshot(cached, dialogue, result, statements, audience, chain)
    made.votes_counted = chain.n_events + len(events)
    chain.result = result
    chain.statements = statements
    chain.statements_key = key
    chain.last_vote_id = last_id
    chain.snapshot = made
    chain.priorities = None
    # Published last, after the snapshot: a reader (or a test) that sees the new count
    # finds the result built from it; readers take the version first (see built).
    chain.n_events = made.votes_counted
    chain.version += 1
    chain.seconds = time.monotonic() - started


def snapshot(
    cached: Entry,
    dialogue: Dialogue,
    result: AnalysisResult | None,
    statements: Statements,
    audience: Audience,
    chain: Chain | None = None,
) -> Snapshot:
    """What the results of ``result`` are built from: cross-side report, bridging scores
    (facilitators), participation per side, and the participants' group ids aligned
    with the facilitators' (``cached`` supplies the sides and the facilitator chain).
    ``chain``: the chain being advanced, whose bridging fit this one may warm-start
    (:func:`bridging_of`); without, the fit is cold."""
    made = Snapshot(dialogue.pk, result, statements, as_of=timezone.now())
    if result is None:
        return made
    pids = result.participant_ids
    load_parties(cached, dialogue, pids)
    made.joined_by_party = dict(cached.joined)
    latest = result.events.latest()  # sorted once for both reports (a sort of every vote)
    try:  # arrays in the participants' order: no lookup per participant
        parties = parties_from_labels(
            [cached.parties.get(str(pid)) for pid in pids], min_party_size=1
        )
        made.cross = cross_party(latest, parties, groups=result.group_labels)
    except PartyInputError:
        made.cross_note = gettext_noop("per-side results need voters from at least two sides")
    if audience == "facilitator" and bool(np.any(latest.vote != 0)):
        made.bridging = bridging_scores(latest, chain)  # it needs an agree or a disagree
    else:
        made.group_ids = aligned_group_ids(result, cached.chains["facilitator"].result)
    return made


def bridging_scores(latest: LatestVotes, chain: Chain | None = None) -> BridgingResult:
    """The bridging scores of ``latest``, warm-started from the chain's previous fit where
    :func:`bridging_of` says so (cold without a chain)."""
    return bridging_of(chain or Chain(), int(np.count_nonzero(latest.vote))).fit(latest)


def bridging_of(chain: Chain, cast: int) -> BridgingModel:
    """The model that fits the chain's bridging scores on ``cast`` agree/disagree votes,
    kept on the chain (so with the chain's published state: the workers' blob, never the
    readers' view).

    Cold -- the seeded, deterministic start of ``tracktwo analyze`` -- for a chain's first
    fit, below :data:`WARM_BRIDGING_VOTES` (where a cold fit is cheap) and once the votes
    grew by :data:`REANCHOR_GROWTH` since the last cold fit; otherwise warm-started from
    the chain's previous fit (the same model and stopping rule, in a few iterations
    instead of up to ``max_iter``). The model is not convex: from another start the fit
    can settle in another local optimum (measured on Pol.is conversations, mostly small
    ones: docs/cross-party.md), which the threshold and the periodic cold fit bound."""
    model = chain.bridging
    if (
        model is None
        or cast < WARM_BRIDGING_VOTES
        or cast > chain.bridging_anchor * REANCHOR_GROWTH
    ):
        model = chain.bridging = BridgingModel(warm_start=True)  # no fit yet: cold
        chain.bridging_anchor = cast
    return model


def built(chain: Chain, audience: Audience, threshold: int) -> DialogueInsight:
    """The chain's result for ``audience`` (built once per version and threshold)."""
    version = chain.version  # first: a snapshot read after it is at least this new
    cached = chain.built
    if cached is not None and cached[:2] == (version, threshold):
        return cached[2]
    made = chain.snapshot
    if made is None:
        return DialogueInsight(dialogue=None, audience=audience, status="computing", stale=True)
    insight = build(made, audience, threshold)
    chain.built = (version, threshold, insight)
    return insight


def aligned_group_ids(result: AnalysisResult, reference: AnalysisResult | None) -> list[int] | None:
    """Show the participants' groups under the ids the facilitators' dashboard uses for the
    groups with the same members (most shared members first), so that "group 1" in the
    room and on the phones is the same group. Unmatched groups take the free ids."""
    if reference is None or result.n_groups == 0:
        return None
    mine = dict(zip(result.participant_ids, result.group_labels.tolist(), strict=True))
    theirs = dict(zip(reference.participant_ids, reference.group_labels.tolist(), strict=True))
    overlap: dict[tuple[int, int], int] = {}
    for pid, g in mine.items():
        h = theirs.get(pid, -1)
        if g >= 0 and h >= 0:
            overlap[(g, h)] = overlap.get((g, h), 0) + 1
    ids: dict[int, int] = {}
    taken: set[int] = set()
    for (g, h), _count in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if g not in ids and h not in taken:
            ids[g] = h
            taken.add(h)
    free = (i for i in range(result.n_groups + reference.n_groups) if i not in taken)
    return [ids[g] if g in ids else next(free) for g in range(result.n_groups)]

"""The one place the insight service's results are built: engine output in, frozen
:class:`~tracktwo.insight.results.DialogueInsight` out, for one audience.

Built from a :class:`Snapshot`: an engine result
(:class:`tracktwo.analysis.engine.AnalysisResult`), the cross-side report and, for
facilitators, bridging scores. Neither audience gets a member list, a participant id or
a handle: groups are ids and sizes, the opinion map's points carry no id and are sorted by
position. For the shared cut (``audience="participant"``) every count by group or side
goes through :mod:`tracktwo.insight.suppression` (here and nowhere else), the texts are
those of accepted statements only, and what only facilitators need (map points, sides
against groups, bridging, participation per side, repness figures) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from django.utils.translation import gettext_noop
from numpy.typing import NDArray

from tracktwo.analysis.bridging import BridgingResult
from tracktwo.analysis.cross_party import CrossPartyReport
from tracktwo.analysis.engine import AnalysisResult
from tracktwo.analysis.result import RepnessEntry
from tracktwo.analysis.votes import Statements
from tracktwo.insight.facilitators_cut import bridging, opinion_map, participation, rounded
from tracktwo.insight.results import (
    AUDIENCES,
    Audience,
    CommonGround,
    Consensus,
    Counts,
    CrossSide,
    CrossSideSettings,
    DialogueInsight,
    Divisive,
    GroupRepresentatives,
    GroupSummary,
    GroupTally,
    RepnessDetail,
    Representative,
    SideGroups,
    SideSize,
    SideTally,
    StatementSupport,
    Tally,
)
from tracktwo.insight.suppression import crosstab, protect_sizes, protect_tallies

__all__ = ["AUDIENCES", "Audience", "Snapshot", "build"]

COMMON_GROUND_LOW = 0.5  # every group's agree-share interval starts above a majority
MAX_LISTED = 10


@dataclass
class Snapshot:
    """Everything one result is made from (one chain of the live service, at one moment)."""

    dialogue_id: int
    result: AnalysisResult | None
    statements: Statements  # current texts (None once deleted) and moderation
    cross: CrossPartyReport | None = None
    cross_note: str = ""
    bridging: BridgingResult | None = None
    joined_by_party: dict[str, int] = field(default_factory=dict)
    votes_counted: int = 0
    as_of: datetime | None = None
    group_ids: list[int] | None = None  # shown id of each engine group (see chains.py)

    def group_id(self, g: int) -> int:
        return self.group_ids[g] if self.group_ids is not None else g


def _tally(values: Mapping[str, Any]) -> Tally:
    return Tally(
        agree=values["agree"],
        disagree=values["disagree"],
        passes=values["pass"],
        n=values["n"],
        share=values["share"],
        low=values["low"],
        high=values["high"],
        band=values.get("band"),
    )


@dataclass
class _Listing:
    """Which statements the audience may see, their texts, and those the result refers to."""

    sids: Sequence[Any]
    listable: NDArray[np.bool_]
    texts: dict[int, str]
    referenced: set[int] = field(default_factory=set)

    @property
    def listed(self) -> list[int]:
        return [int(s) for s in np.flatnonzero(self.listable)]

    def sid(self, s: int) -> int:
        self.referenced.add(s)
        return int(self.sids[s])


def _listing(result: AnalysisResult, statements: Statements, facilitator: bool) -> _Listing:
    current = {sid: i for i, sid in enumerate(statements.ids)}
    sids = result.statement_ids
    texts: dict[int, str] = {}
    listable = np.zeros(len(sids), np.bool_)
    for s, sid in enumerate(sids):
        i = current.get(sid)
        moderated = int(statements.moderated[i]) if i is not None else -1
        meta = bool(statements.is_meta[i]) if i is not None else False
        text = statements.texts[i] if i is not None else None
        ok = moderated == 1 if not facilitator else moderated != -1
        listable[s] = ok and not meta and text is not None
        if ok and text is not None:
            texts[s] = text
    return _Listing(sids, listable, texts)


def build(snapshot: Snapshot, audience: Audience, threshold: int) -> DialogueInsight:
    """The result for ``audience``; ``threshold`` is the dialogue's small-cell threshold.

    Kept in one piece: the payload's keys in the order of the documented JSON, one audience's
    cut decided in one place.
    """
    result = snapshot.result
    if result is None:
        return DialogueInsight(
            dialogue=snapshot.dialogue_id,
            audience=audience,
            status="no-votes",
            as_of=snapshot.as_of,
            votes_counted=snapshot.votes_counted,
            counts=Counts(participants=0, votes=0),
        )
    facilitator = audience == "facilitator"
    cut = None if facilitator else threshold
    listing = _listing(result, snapshot.statements, facilitator)
    labels = result.group_labels
    sizes = {g: int(np.sum(labels == g)) for g in range(result.n_groups)}
    shown_sizes, total = protect_sizes(sizes, result.events.n_participants, cut)
    lists = _statement_lists(snapshot, result, listing, facilitator)
    cross_side = _cross_side(snapshot, listing.listable, listing.sid, cut, facilitator)
    support = _support(snapshot, result, listing.listed, cut)
    referenced = listing.referenced | set(listing.listed)
    return DialogueInsight(
        dialogue=snapshot.dialogue_id,
        audience=audience,
        status="ready",
        as_of=snapshot.as_of,
        votes_counted=snapshot.votes_counted,
        counts=Counts(
            participants=total,
            votes=result.n_votes,
            statements=len(listing.listed),
            in_conv=int(result.in_conv.sum()),
            groups=result.n_groups,
        ),
        groups=tuple(
            GroupSummary(
                snapshot.group_id(g),
                shown_sizes[g],
                (rounded(result.group_centers[g, 0]), rounded(result.group_centers[g, 1])),
            )
            for g in sorted(range(result.n_groups), key=snapshot.group_id)
        ),
        common_ground=lists.common_ground,
        consensus_agree=lists.consensus_agree,
        consensus_disagree=lists.consensus_disagree,
        representative=lists.representative,
        divisive=lists.divisive,
        uncertain=lists.uncertain,
        cross_side=cross_side,
        support=support,
        texts=tuple(
            (int(listing.sids[s]), listing.texts[s])
            for s in sorted(referenced)
            if s in listing.texts
        ),
        opinion_map=opinion_map(result, listing.listable) if facilitator else None,
        bridging=bridging(snapshot.bridging, listing.listable) if facilitator else None,
        participation=participation(snapshot.cross, snapshot.joined_by_party)
        if facilitator
        else None,
    )


class _Lists(NamedTuple):
    common_ground: tuple[CommonGround, ...]
    consensus_agree: tuple[Consensus, ...]
    consensus_disagree: tuple[Consensus, ...]
    representative: tuple[GroupRepresentatives, ...]
    divisive: tuple[Divisive, ...]
    uncertain: tuple[int, ...]


def _statement_lists(
    snapshot: Snapshot, result: AnalysisResult, listing: _Listing, facilitator: bool
) -> _Lists:
    """Common ground, consensus, representative, divisive and uncertain statements (the
    audience's statements only), as :class:`DialogueInsight` fields."""
    listable, sid_of = listing.listable, listing.sid
    consensus = {
        direction: tuple(
            Consensus(sid_of(e.statement), int(e.n_success), int(e.n), rounded(e.p))
            for e in entries
            if listable[e.statement]
        )
        for direction, entries in (
            ("agree", result.consensus.agree),
            ("disagree", result.consensus.disagree),
        )
    }
    divisive = [
        Divisive(sid_of(s), rounded(result.divisiveness[s])) for s in result.divisive if listable[s]
    ]
    uncertain = [sid_of(s) for s in result.uncertainty if listable[s]]
    return _Lists(
        common_ground=tuple(
            CommonGround(sid_of(s), rounded(result.gac_agree[s]))
            for s in _common_ground(result, listable)
        ),
        consensus_agree=consensus["agree"],
        consensus_disagree=consensus["disagree"],
        representative=tuple(
            GroupRepresentatives(
                snapshot.group_id(g),
                tuple(
                    _representative(e, sid_of(e.statement), facilitator)
                    for e in result.repness[g]
                    if listable[e.statement]
                ),
            )
            for g in sorted(range(len(result.repness)), key=snapshot.group_id)
        ),
        divisive=tuple(divisive[:MAX_LISTED]),
        uncertain=tuple(uncertain[:MAX_LISTED]),
    )


def _common_ground(result: AnalysisResult, listable: NDArray[np.bool_]) -> list[int]:
    """Statements a majority of every opinion group agrees with (interval's lower end above
    one half in each group), ranked by group-aware consensus."""
    if result.n_groups == 0:
        return []
    low = result.support.group_low
    voted = result.support.group_counts.sum(axis=2) > 0
    ok = listable & np.all(voted & (low >= COMMON_GROUND_LOW), axis=0)
    chosen = np.flatnonzero(ok)
    order = np.argsort(-result.gac_agree[chosen], kind="stable")
    return [int(s) for s in chosen[order][:MAX_LISTED]]


def _representative(entry: RepnessEntry, sid: int, facilitator: bool) -> Representative:
    detail = (
        RepnessDetail(
            p=rounded(entry.p),
            r=rounded(entry.r),
            n_agree=int(entry.n_agree),
            n_disagree=int(entry.n_disagree),
            n_pass=int(entry.n_pass),
            n=int(entry.n),
        )
        if facilitator
        else None
    )
    return Representative(sid, entry.direction, rounded(entry.score), detail)


def _support(
    snapshot: Snapshot, result: AnalysisResult, listed: list[int], cut: int | None
) -> tuple[StatementSupport, ...]:
    """Per statement: the overall tally, and tallies per group and per side (support bars)."""
    cross = snapshot.cross
    order = sorted(range(result.n_groups), key=snapshot.group_id)
    sup = result.support
    out: list[StatementSupport] = []
    cross_index = {sid: i for i, sid in enumerate(cross.statement_ids)} if cross else {}
    for s in listed:
        sid = result.statement_ids[s]
        overall = [int(v) for v in sup.counts[s]]
        by_group = {
            str(snapshot.group_id(g)): [int(v) for v in sup.group_counts[g, s]] for g in order
        }
        groups = protect_tallies(by_group, overall, cut, level=sup.level)
        whole = _tally(groups.pop("overall"))
        sides: tuple[SideTally, ...] | None = None
        j = cross_index.get(sid)
        if cross is not None and j is not None:
            by_side = {
                party: [int(cross.agree[k, j]), int(cross.disagree[k, j]), int(cross.passes[k, j])]
                for k, party in enumerate(cross.parties)
            }
            tallies = protect_tallies(by_side, overall, cut, level=cross.level)
            tallies.pop("overall")
            sides = tuple(SideTally(party, _tally(t)) for party, t in tallies.items())
        out.append(
            StatementSupport(
                int(sid),
                whole,
                tuple(GroupTally(int(g), _tally(t)) for g, t in groups.items()),
                sides,
            )
        )
    return tuple(out)


def _cross_side(
    snapshot: Snapshot,
    listable: NDArray[np.bool_],
    sid_of: Callable[[int], int],
    cut: int | None,
    facilitator: bool,
) -> CrossSide:
    cross = snapshot.cross
    result = snapshot.result
    if cross is None or result is None:
        return CrossSide(
            available=False, note=snapshot.cross_note or gettext_noop("no declared sides")
        )
    index = {sid: s for s, sid in enumerate(result.statement_ids)}

    def keep(indices: NDArray[np.int64]) -> tuple[int, ...]:
        out = []
        for i in indices:
            s = index.get(cross.statement_ids[int(i)])
            if s is not None and listable[s]:
                out.append(s)
        return tuple(sid_of(s) for s in out[:MAX_LISTED])

    voters = {
        party: int(size) for party, size in zip(cross.parties, cross.party_sizes, strict=True)
    }
    shown, _total = protect_sizes(voters, result.events.n_participants, cut)
    sides_and_groups = None
    if facilitator and cross.sides_and_groups is not None:
        table = cross.sides_and_groups
        counts: Mapping[str, Mapping[str, int]] = {
            party: {str(g): int(c) for g, c in zip(table.groups, row, strict=True)}
            | {"none": int(none)}
            for party, row, none in zip(table.parties, table.counts, table.ungrouped, strict=True)
        }
        sides_and_groups = tuple(
            SideGroups(side, tuple(cells.items())) for side, cells in crosstab(counts, None).items()
        )
    return CrossSide(
        available=True,
        parties=tuple(SideSize(side, size) for side, size in shown.items()),
        common_ground=keep(cross.common_ground),
        shared_rejection=keep(cross.shared_rejection),
        divides=keep(cross.divides),
        settings=CrossSideSettings(cross.threshold, cross.min_votes, cross.level),
        sides_and_groups=sides_and_groups,
    )

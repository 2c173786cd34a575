"""The JSON the live analysis service hands out: one shape, two audiences.

Built from an engine result (:class:`tracktwo.analysis.engine.AnalysisResult`), the
cross-side report and, for facilitators, bridging scores. Neither audience gets a member
list, a participant id or a handle: groups are ids and sizes, the opinion map's points
carry no id and are sorted by position. For ``audience="participant"`` every count by
group or side goes through :mod:`tracktwo.insight.suppression`, the texts are those of
accepted statements only, and what only facilitators need (map points, sides against
groups, bridging, participation per side) is left out. The shape is documented in
``docs/api.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np

from tracktwo.analysis.bridging import BridgingResult
from tracktwo.analysis.cross_party import CrossPartyReport
from tracktwo.analysis.engine import AnalysisResult
from tracktwo.analysis.votes import Statements
from tracktwo.insight.suppression import crosstab, protect_sizes, protect_tallies

Audience = Literal["facilitator", "participant"]
AUDIENCES: tuple[Audience, ...] = ("facilitator", "participant")
COMMON_GROUND_LOW = 0.5  # every group's agree-share interval starts above a majority
MAX_LISTED = 10


@dataclass
class Snapshot:
    """Everything one payload is made from (one chain of the live service, at one moment)."""

    dialogue_id: int
    result: AnalysisResult | None
    statements: Statements  # current texts (None once deleted) and moderation
    cross: CrossPartyReport | None = None
    cross_note: str = ""
    bridging: BridgingResult | None = None
    joined_by_party: dict[str, int] = field(default_factory=dict)
    votes_counted: int = 0
    as_of: datetime | None = None
    group_ids: list[int] | None = None  # shown id of each engine group (see live.py)

    def group_id(self, g: int) -> int:
        return self.group_ids[g] if self.group_ids is not None else g


def _r(value: float) -> float:
    number = float(value)
    return round(number, 4) if np.isfinite(number) else 0.0


def build(snapshot: Snapshot, audience: Audience, threshold: int) -> dict[str, Any]:
    """The analysis JSON for ``audience``; ``threshold`` is the dialogue's small-cell threshold."""
    base: dict[str, Any] = {
        "dialogue": snapshot.dialogue_id,
        "audience": audience,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "votes_counted": snapshot.votes_counted,
        "stale": False,
    }
    result = snapshot.result
    if result is None:
        return base | {"status": "no-votes", "counts": {"participants": 0, "votes": 0}}
    facilitator = audience == "facilitator"
    cut = None if facilitator else threshold
    statements = snapshot.statements
    current = {sid: i for i, sid in enumerate(statements.ids)}
    sids = result.statement_ids
    texts: dict[int, str | None] = {}
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
    n_groups = result.n_groups
    labels = result.group_labels
    sizes = {g: int(np.sum(labels == g)) for g in range(n_groups)}
    shown_sizes, total = protect_sizes(sizes, result.events.n_participants, cut)
    groups = [
        {
            "id": snapshot.group_id(g),
            "size": shown_sizes[g],
            "center": [_r(result.group_centers[g, 0]), _r(result.group_centers[g, 1])],
        }
        for g in sorted(range(n_groups), key=snapshot.group_id)
    ]
    referenced: set[int] = set()

    def sid_of(s: int) -> int | str:
        referenced.add(s)
        return sids[s]

    listed = [int(s) for s in np.flatnonzero(listable)]
    payload = base | {
        "status": "ready",
        "counts": {
            "participants": total,
            "statements": len(listed),
            "votes": result.n_votes,
            "in_conv": int(result.in_conv.sum()),
            "groups": n_groups,
        },
        "groups": groups,
        "common_ground": [
            {"statement": sid_of(s), "consensus": _r(result.gac_agree[s])}
            for s in _common_ground(result, listable)
        ],
        "consensus": {
            direction: [
                {"statement": sid_of(e.statement), "n_success": e.n_success, "n": e.n, "p": _r(e.p)}
                for e in entries
                if listable[e.statement]
            ]
            for direction, entries in (
                ("agree", result.consensus.agree),
                ("disagree", result.consensus.disagree),
            )
        },
        "representative": {
            str(snapshot.group_id(g)): [
                _repness(e, sid_of(e.statement), facilitator)
                for e in entries
                if listable[e.statement]
            ]
            for g, entries in sorted(
                enumerate(result.repness), key=lambda item: snapshot.group_id(item[0])
            )
        },
        "divisive": [
            {"statement": sid_of(s), "divisiveness": _r(result.divisiveness[s])}
            for s in result.divisive
            if listable[s]
        ][:MAX_LISTED],
        "uncertain": [sid_of(s) for s in result.uncertainty if listable[s]][:MAX_LISTED],
    }
    payload["cross_side"] = _cross_side(snapshot, listable, sid_of, cut, facilitator)
    payload["support"] = _support(snapshot, result, listed, cut)
    payload["statements"] = {
        str(sids[s]): {"text": texts[s]} for s in sorted(referenced | set(listed)) if s in texts
    }
    if facilitator:
        payload["map"] = _map(result, listable)
        payload["bridging"] = _bridging(snapshot.bridging, listable)
        payload["participation"] = _participation(snapshot)
    return payload


def _common_ground(result: AnalysisResult, listable: np.ndarray) -> list[int]:
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


def _repness(entry: Any, sid: int | str, facilitator: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "statement": sid,
        "direction": entry.direction,
        "score": _r(entry.score),
    }
    if facilitator:
        out |= {
            "p": _r(entry.p),
            "r": _r(entry.r),
            "n_agree": entry.n_agree,
            "n_disagree": entry.n_disagree,
            "n_pass": entry.n_pass,
            "n": entry.n,
        }
    return out


def _support(
    snapshot: Snapshot, result: AnalysisResult, listed: list[int], cut: int | None
) -> dict[str, Any]:
    """Per statement: the overall tally, and tallies per group and per side (support bars)."""
    cross = snapshot.cross
    order = sorted(range(result.n_groups), key=snapshot.group_id)
    sup = result.support
    level = sup.level
    out: dict[str, Any] = {}
    cross_index = {sid: i for i, sid in enumerate(cross.statement_ids)} if cross else {}
    for s in listed:
        sid = result.statement_ids[s]
        overall = [int(v) for v in sup.counts[s]]
        by_group = {
            str(snapshot.group_id(g)): [int(v) for v in sup.group_counts[g, s]] for g in order
        }
        groups = protect_tallies(by_group, overall, cut, level=level)
        entry: dict[str, Any] = {"overall": groups.pop("overall"), "groups": groups}
        j = cross_index.get(sid)
        if cross is not None and j is not None:
            by_side = {
                party: [int(cross.agree[k, j]), int(cross.disagree[k, j]), int(cross.passes[k, j])]
                for k, party in enumerate(cross.parties)
            }
            sides = protect_tallies(by_side, overall, cut, level=cross.level)
            sides.pop("overall")
            entry["sides"] = sides
        out[str(sid)] = entry
    return out


def _cross_side(
    snapshot: Snapshot, listable: np.ndarray, sid_of: Any, cut: int | None, facilitator: bool
) -> dict[str, Any] | None:
    cross = snapshot.cross
    result = snapshot.result
    if cross is None or result is None:
        return {"available": False, "note": snapshot.cross_note or "no declared sides"}
    index = {sid: s for s, sid in enumerate(result.statement_ids)}

    def keep(indices: np.ndarray) -> list[int]:
        out = []
        for i in indices:
            s = index.get(cross.statement_ids[int(i)])
            if s is not None and listable[s]:
                out.append(s)
        return out[:MAX_LISTED]

    voters = {
        party: int(size) for party, size in zip(cross.parties, cross.party_sizes, strict=True)
    }
    shown, _total = protect_sizes(voters, result.events.n_participants, cut)
    out: dict[str, Any] = {
        "available": True,
        "parties": shown,
        "common_ground": [sid_of(s) for s in keep(cross.common_ground)],
        "shared_rejection": [sid_of(s) for s in keep(cross.shared_rejection)],
        "divides": [sid_of(s) for s in keep(cross.divides)],
        "settings": {
            "threshold": cross.threshold,
            "min_votes": cross.min_votes,
            "level": cross.level,
        },
    }
    if facilitator and cross.sides_and_groups is not None:
        table = cross.sides_and_groups
        counts: Mapping[str, Mapping[str, int]] = {
            party: {str(g): int(c) for g, c in zip(table.groups, row, strict=True)}
            | {"none": int(none)}
            for party, row, none in zip(table.parties, table.counts, table.ungrouped, strict=True)
        }
        out["sides_and_groups"] = crosstab(counts, None)
    return out


def _map(result: AnalysisResult, listable: np.ndarray) -> dict[str, Any]:
    """Anonymous points of the opinion map (sorted by position, no ids) and statements."""
    labels = result.group_labels
    points = [
        (round(float(x), 3), round(float(y), 3), int(g))
        for (x, y), g in zip(result.projection, labels, strict=True)
        if np.isfinite(x) and np.isfinite(y)
    ]
    points.sort()
    geometry = result.pca.geometry
    return {
        "participants": [list(point) for point in points],
        "statements": {
            str(result.statement_ids[s]): [
                _r(result.statement_projection[s, 0]),
                _r(result.statement_projection[s, 1]),
            ]
            for s in np.flatnonzero(geometry & listable)
        },
        "explained": [_r(v) for v in result.pca.explained],
    }


def _bridging(bridging: BridgingResult | None, listable: np.ndarray) -> dict[str, Any]:
    if bridging is None:
        return {}
    return {
        str(sid): {
            "intercept": _r(bridging.intercept[i]),
            "factor": _r(bridging.factor[i]),
            "bridges": bool(bridging.bridges[i]),
        }
        for i, sid in enumerate(bridging.statement_ids)
        if i < listable.shape[0] and listable[i]
    }


def _participation(snapshot: Snapshot) -> dict[str, Any]:
    cross = snapshot.cross
    voters = (
        {p: int(n) for p, n in zip(cross.parties, cross.party_sizes, strict=True)}
        if cross is not None
        else {}
    )
    return {
        party: {"joined": joined, "voted": voters.get(party, 0)}
        for party, joined in snapshot.joined_by_party.items()
    }


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

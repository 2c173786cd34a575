"""The JSON form of the insight service's results (``GET /dialogues/{id}/analysis``).

:func:`as_json` is the one serialisation of a :class:`~tracktwo.insight.results.DialogueInsight`;
its shape is documented in ``docs/api.md`` (keys in that order). :func:`position_json` is
the same for a participant's own position (``GET /dialogues/{id}/me``).
:func:`from_json` and :func:`position_from_json` read that JSON back (leniently: a
missing key takes its empty value), for callers that hold the JSON form, such as
scripts reading the API, rather than the service's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracktwo.insight.results import (
    BridgingScore,
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
    MapPoint,
    OpinionMap,
    OwnPosition,
    RepnessDetail,
    Representative,
    SideGroups,
    SideParticipation,
    SideSize,
    SideTally,
    StatementPoint,
    StatementSupport,
    Tally,
)


def tally_json(tally: Tally) -> dict[str, Any]:
    """``{"agree", "disagree", "pass", "n", "share", "low", "high"}`` (None where withheld)."""
    return {
        "agree": tally.agree,
        "disagree": tally.disagree,
        "pass": tally.passes,
        "n": tally.n,
        "share": tally.share,
        "low": tally.low,
        "high": tally.high,
        "band": list(tally.band) if tally.band is not None else None,
    }


def _counts(counts: Counts | None) -> dict[str, Any]:
    if counts is None:
        return {"participants": 0, "votes": 0}
    if counts.statements is None:
        return {"participants": counts.participants, "votes": counts.votes}
    return {
        "participants": counts.participants,
        "statements": counts.statements,
        "votes": counts.votes,
        "in_conv": counts.in_conv,
        "groups": counts.groups,
    }


def _representative(entry: Representative) -> dict[str, Any]:
    out: dict[str, Any] = {
        "statement": entry.statement,
        "direction": entry.direction,
        "score": entry.score,
    }
    detail = entry.detail
    if detail is not None:
        out |= {
            "p": detail.p,
            "r": detail.r,
            "n_agree": detail.n_agree,
            "n_disagree": detail.n_disagree,
            "n_pass": detail.n_pass,
            "n": detail.n,
        }
    return out


def _cross_side(cross: CrossSide | None) -> dict[str, Any]:
    if cross is None or not cross.available:
        return {"available": False, "note": cross.note if cross else "no declared sides"}
    out: dict[str, Any] = {
        "available": True,
        "parties": {size.side: size.voters for size in cross.parties},
        "common_ground": list(cross.common_ground),
        "shared_rejection": list(cross.shared_rejection),
        "divides": list(cross.divides),
    }
    if cross.settings is not None:
        out["settings"] = {
            "threshold": cross.settings.threshold,
            "min_votes": cross.settings.min_votes,
            "level": cross.settings.level,
        }
    if cross.sides_and_groups is not None:
        out["sides_and_groups"] = {row.side: dict(row.counts) for row in cross.sides_and_groups}
    return out


def _support(entry: StatementSupport) -> dict[str, Any]:
    out: dict[str, Any] = {
        "overall": tally_json(entry.overall),
        "groups": {str(g.group): tally_json(g.tally) for g in entry.groups},
    }
    if entry.sides is not None:
        out["sides"] = {s.side: tally_json(s.tally) for s in entry.sides}
    return out


def _map(opinion_map: OpinionMap) -> dict[str, Any]:
    return {
        "participants": [[p.x, p.y, p.group] for p in opinion_map.points],
        "statements": {str(s.statement): [s.x, s.y] for s in opinion_map.statements},
        "explained": list(opinion_map.explained),
    }


def as_json(insight: DialogueInsight) -> dict[str, Any]:
    """The analysis JSON of ``docs/api.md`` (a fresh dict: the caller may change it)."""
    if insight.status == "computing":
        return {"audience": insight.audience, "status": "computing", "stale": insight.stale}
    out: dict[str, Any] = {
        "dialogue": insight.dialogue,
        "audience": insight.audience,
        "as_of": insight.as_of.isoformat() if insight.as_of else None,
        "votes_counted": insight.votes_counted,
        "stale": insight.stale,
        "status": insight.status,
        "counts": _counts(insight.counts),
    }
    if insight.status != "ready":
        return out
    out |= {
        "groups": [{"id": g.id, "size": g.size, "center": list(g.center)} for g in insight.groups],
        "common_ground": [
            {"statement": e.statement, "consensus": e.consensus} for e in insight.common_ground
        ],
        "consensus": {
            direction: [
                {"statement": e.statement, "n_success": e.n_success, "n": e.n, "p": e.p}
                for e in entries
            ]
            for direction, entries in (
                ("agree", insight.consensus_agree),
                ("disagree", insight.consensus_disagree),
            )
        },
        "representative": {
            str(r.group): [_representative(e) for e in r.statements] for r in insight.representative
        },
        "divisive": [
            {"statement": e.statement, "divisiveness": e.divisiveness} for e in insight.divisive
        ],
        "uncertain": list(insight.uncertain),
        "cross_side": _cross_side(insight.cross_side),
        "support": {str(e.statement): _support(e) for e in insight.support},
        "statements": {str(sid): {"text": text} for sid, text in insight.texts},
    }
    if insight.opinion_map is not None:
        out["map"] = _map(insight.opinion_map)
    if insight.bridging is not None:
        out["bridging"] = {
            str(b.statement): {"intercept": b.intercept, "factor": b.factor, "bridges": b.bridges}
            for b in insight.bridging
        }
    if insight.participation is not None:
        out["participation"] = {
            p.side: {"joined": p.joined, "voted": p.voted} for p in insight.participation
        }
    return out


def position_json(position: OwnPosition) -> dict[str, Any]:
    """A participant's own position as ``GET /dialogues/{id}/me`` answers it."""
    return {
        "status": position.status,
        "group": position.group,
        "in_conv": position.in_conv,
        "projection": list(position.projection) if position.projection is not None else None,
        "groups": [{"id": g.id, "size": g.size, "center": list(g.center)} for g in position.groups],
        "votes_counted": position.votes_counted,
    }


# -- reading the JSON form back ------------------------------------------------------------


def tally_from_json(values: Mapping[str, Any] | None) -> Tally:
    """A :class:`Tally` from its JSON (missing entries are None)."""
    values = values or {}
    return Tally(
        agree=values.get("agree"),
        disagree=values.get("disagree"),
        passes=values.get("pass"),
        n=values.get("n"),
        share=values.get("share"),
        low=values.get("low"),
        high=values.get("high"),
        band=_band(values.get("band")),
    )


def _band(value: Any) -> tuple[float, float] | None:
    return None if not value else (float(value[0]), float(value[1]))


def _groups_from_json(groups: Any) -> tuple[GroupSummary, ...]:
    return tuple(
        GroupSummary(int(g["id"]), g.get("size"), (float(g["center"][0]), float(g["center"][1])))
        for g in groups or ()
    )


def _representative_from_json(entry: Mapping[str, Any]) -> Representative:
    detail = (
        RepnessDetail(
            entry["p"],
            entry["r"],
            entry["n_agree"],
            entry["n_disagree"],
            entry["n_pass"],
            entry["n"],
        )
        if "p" in entry
        else None
    )
    return Representative(int(entry["statement"]), entry["direction"], entry["score"], detail)


def _cross_side_from_json(cross: Mapping[str, Any] | None) -> CrossSide | None:
    if cross is None:
        return None
    if not cross.get("available"):
        return CrossSide(available=False, note=cross.get("note", ""))
    settings = cross.get("settings")
    table = cross.get("sides_and_groups")
    return CrossSide(
        available=True,
        parties=tuple(SideSize(side, n) for side, n in (cross.get("parties") or {}).items()),
        common_ground=tuple(int(s) for s in cross.get("common_ground", ())),
        shared_rejection=tuple(int(s) for s in cross.get("shared_rejection", ())),
        divides=tuple(int(s) for s in cross.get("divides", ())),
        settings=CrossSideSettings(
            settings.get("threshold", 0.0), settings.get("min_votes", 0), settings.get("level", 0.0)
        )
        if settings is not None
        else None,
        sides_and_groups=tuple(SideGroups(side, tuple(row.items())) for side, row in table.items())
        if table is not None
        else None,
    )


def _support_from_json(sid: str, entry: Mapping[str, Any]) -> StatementSupport:
    sides = entry.get("sides")
    return StatementSupport(
        int(sid),
        tally_from_json(entry.get("overall")),
        tuple(
            GroupTally(int(g), tally_from_json(t)) for g, t in (entry.get("groups") or {}).items()
        ),
        tuple(SideTally(side, tally_from_json(t)) for side, t in sides.items())
        if sides is not None
        else None,
    )


def _map_from_json(found: Mapping[str, Any] | None) -> OpinionMap | None:
    if found is None:
        return None
    return OpinionMap(
        points=tuple(MapPoint(x, y, int(g)) for x, y, g in found.get("participants") or ()),
        statements=tuple(
            StatementPoint(int(sid), xy[0], xy[1])
            for sid, xy in (found.get("statements") or {}).items()
        ),
        explained=tuple(found.get("explained") or ()),
    )


def from_json(payload: Mapping[str, Any]) -> DialogueInsight:
    """The :class:`DialogueInsight` of an analysis JSON (the inverse of :func:`as_json`).

    Long because it reads every key of the shape; each is one expression.

    Kept in one piece: the inverse of :func:`as_json`, key by key in the same order, so the two
    read side by side.
    """
    counts = payload.get("counts")
    as_of = payload.get("as_of")
    consensus = payload.get("consensus") or {}
    bridging = payload.get("bridging")
    participation = payload.get("participation")
    return DialogueInsight(
        dialogue=payload.get("dialogue"),
        audience=payload.get("audience", "facilitator"),
        status=payload.get("status", "ready"),
        as_of=datetime.fromisoformat(as_of) if as_of else None,
        votes_counted=int(payload.get("votes_counted", 0)),
        stale=bool(payload.get("stale", False)),
        counts=Counts(
            counts.get("participants"),
            counts.get("votes", 0),
            counts.get("statements"),
            counts.get("in_conv"),
            counts.get("groups"),
        )
        if counts is not None
        else None,
        groups=_groups_from_json(payload.get("groups")),
        common_ground=tuple(
            CommonGround(int(e["statement"]), e["consensus"])
            for e in payload.get("common_ground", ())
        ),
        consensus_agree=tuple(
            Consensus(int(e["statement"]), e["n_success"], e["n"], e["p"])
            for e in consensus.get("agree", ())
        ),
        consensus_disagree=tuple(
            Consensus(int(e["statement"]), e["n_success"], e["n"], e["p"])
            for e in consensus.get("disagree", ())
        ),
        representative=tuple(
            GroupRepresentatives(int(g), tuple(_representative_from_json(e) for e in entries))
            for g, entries in (payload.get("representative") or {}).items()
        ),
        divisive=tuple(
            Divisive(int(e["statement"]), e["divisiveness"]) for e in payload.get("divisive", ())
        ),
        uncertain=tuple(int(s) for s in payload.get("uncertain", ())),
        cross_side=_cross_side_from_json(payload.get("cross_side")),
        support=tuple(
            _support_from_json(sid, e) for sid, e in (payload.get("support") or {}).items()
        ),
        texts=tuple(
            (int(sid), e["text"])
            for sid, e in (payload.get("statements") or {}).items()
            if e.get("text") is not None
        ),
        opinion_map=_map_from_json(payload.get("map")),
        bridging=tuple(
            BridgingScore(int(sid), e["intercept"], e["factor"], bool(e["bridges"]))
            for sid, e in bridging.items()
        )
        if bridging is not None
        else None,
        participation=tuple(
            SideParticipation(side, e["joined"], e["voted"]) for side, e in participation.items()
        )
        if participation is not None
        else None,
    )


def position_from_json(position: Mapping[str, Any]) -> OwnPosition:
    """The :class:`OwnPosition` of a position JSON (the inverse of :func:`position_json`)."""
    projection = position.get("projection")
    return OwnPosition(
        status=position.get("status", "computing"),
        group=position.get("group"),
        in_conv=bool(position.get("in_conv", False)),
        projection=(float(projection[0]), float(projection[1])) if projection else None,
        groups=_groups_from_json(position.get("groups")),
        votes_counted=int(position.get("votes_counted", 0)),
    )

"""The JSON form of the insight service's results (``GET /dialogues/{id}/analysis``).

:func:`as_json` is the one serialisation of a :class:`~tracktwo.insight.results.DialogueInsight`;
its shape is documented in ``docs/api.md`` (keys in that order). :func:`position_json` is
the same for a participant's own position (``GET /dialogues/{id}/me``).
"""

from __future__ import annotations

from typing import Any

from tracktwo.insight.results import (
    Counts,
    CrossSide,
    DialogueInsight,
    OpinionMap,
    OwnPosition,
    Representative,
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
        out["sides_and_groups"] = {
            row.side: dict(row.counts) for row in cross.sides_and_groups
        }
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
        "groups": [
            {"id": g.id, "size": g.size, "center": list(g.center)} for g in insight.groups
        ],
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
            str(r.group): [_representative(e) for e in r.statements]
            for r in insight.representative
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
        "groups": [
            {"id": g.id, "size": g.size, "center": list(g.center)} for g in position.groups
        ],
        "votes_counted": position.votes_counted,
    }

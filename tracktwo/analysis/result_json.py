"""``AnalysisResult.to_json()``: indices back to the ids as given, per ``docs/analysis.schema.json``.

Participant and statement ids are kept as given (ints when numeric); JSON object keys are their
string form; group ids are 0-based ints. Non-finite numbers never reach the JSON (they would
not be JSON): they are written as 0, which only degenerate inputs can produce.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.votes import Id

if TYPE_CHECKING:
    from tracktwo.analysis.result import AnalysisResult, ConsensusEntry

FORMAT = "tracktwo-analysis"
VERSION = 1


def _key(value: Id) -> str:
    return str(value)


def _num(value: float) -> float:
    number = float(value)
    return number if np.isfinite(number) else 0.0


def _point(row: NDArray[np.float64]) -> list[float]:
    return [_num(row[0]), _num(row[1])]


def _support_counts(counts: NDArray[np.int64], low: float, high: float) -> dict[str, Any]:
    agree, disagree, passes = (int(c) for c in counts)
    n = agree + disagree + passes
    return {
        "agree": agree,
        "disagree": disagree,
        "pass": passes,
        "n": n,
        "share": agree / n if n else None,
        "low": _num(low),
        "high": _num(high),
    }


def result_to_json(result: AnalysisResult) -> dict[str, Any]:
    """The JSON form of ``result``."""
    pids = result.participant_ids

    def ids_of(indices: NDArray[np.intp]) -> list[Id]:
        return [pids[p] for p in indices]

    projection = {_key(pid): _point(result.projection[p]) for p, pid in enumerate(pids)}
    return _document(result, ids_of, projection)


def _document(
    result: AnalysisResult, ids_of: Callable[[NDArray[np.intp]], Any], projection: Any
) -> dict[str, Any]:
    """The JSON form, with the participant lists from ``ids_of(indices)`` (indices ascending)
    and ``projection`` as the projection (Python objects, or placeholders to stream)."""
    pids = result.participant_ids
    statements = result.events.statements
    sids = statements.ids
    geometry = result.pca.geometry
    geo = np.flatnonzero(geometry)
    labels = result.group_labels
    n_groups = result.n_groups
    base = result.base
    base_sizes = base.sizes()
    inside = np.flatnonzero(base.labels >= 0)
    by_base = inside[np.argsort(base.labels[inside], kind="stable")]
    cuts = np.cumsum(np.bincount(base.labels[inside], minlength=base.k))[:-1]
    members_of_base = [ids_of(part) for part in np.split(by_base, cuts)] if base.k else []
    groups = []
    for g in range(n_groups):
        members = np.flatnonzero(labels == g)
        groups.append(
            {
                "id": g,
                "members": ids_of(members),
                "size": int(members.shape[0]),
                "center": _point(result.group_centers[g]),
                "base_clusters": [int(b) for b in base.ids[result.group_of_base == g]],
            }
        )
    support: dict[str, Any] = {}
    sup = result.support
    for s, sid in enumerate(sids):
        support[_key(sid)] = {
            "overall": _support_counts(sup.counts[s], sup.low[s], sup.high[s]),
            "groups": {
                str(g): _support_counts(
                    sup.group_counts[g, s], sup.group_low[g, s], sup.group_high[g, s]
                )
                for g in range(n_groups)
            },
        }

    def consensus_entries(entries: tuple[ConsensusEntry, ...]) -> list[dict[str, Any]]:
        return [
            {
                "statement": sids[e.statement],
                "n_success": e.n_success,
                "n": e.n,
                "p": _num(e.p),
                "p_test": _num(e.p_test),
            }
            for e in entries
        ]

    return {
        "format": FORMAT,
        "version": VERSION,
        "solver": result.solver,
        "params": result.params.to_json(),
        "counts": {
            "n_participants": len(pids),
            "n_statements": len(sids),
            "n_votes": result.n_votes,
            "n_vote_events": len(result.events),
            "n_in_conv": int(result.in_conv.sum()),
            "n_groups": n_groups,
            "n_geometry_statements": int(geometry.sum()),
        },
        "statements": {
            _key(sid): {
                "text": statements.texts[s],
                "moderated": int(statements.moderated[s]),
                "is_meta": bool(statements.is_meta[s]),
                "in_geometry": bool(geometry[s]),
            }
            for s, sid in enumerate(sids)
        },
        "in_conv": ids_of(np.flatnonzero(result.in_conv)),
        "pca": {
            "center": {_key(sids[s]): _num(result.pca.center[s]) for s in geo},
            "components": [
                {_key(sids[s]): _num(result.pca.components[c, s]) for s in geo} for c in range(2)
            ],
            "explained": [_num(v) for v in result.pca.explained],
        },
        "projection": projection,
        "statement_projection": {
            _key(sids[s]): _point(result.statement_projection[s]) for s in geo
        },
        "extremity": {_key(sids[s]): _num(result.extremity[s]) for s in geo},
        "base_clusters": [
            {
                "id": int(base.ids[b]),
                "members": members_of_base[b],
                "size": int(base_sizes[b]),
                "center": _point(base.centers[b]),
            }
            for b in range(base.k)
        ],
        "groups": groups,
        "k": {
            "silhouettes": {str(k): _num(v) for k, v in sorted(result.k.silhouettes.items())},
            "best": result.k.best,
            "shown": result.k.shown,
            "streak": result.k.streak,
            "buffer": result.k.buffer,
        },
        "k_history": list(result.k.history),
        "repness": {
            str(g): [
                {
                    "statement": sids[e.statement],
                    "direction": e.direction,
                    "p": _num(e.p),
                    "p_test": _num(e.p_test),
                    "r": _num(e.r),
                    "r_test": _num(e.r_test),
                    "score": _num(e.score),
                    "n_agree": e.n_agree,
                    "n_disagree": e.n_disagree,
                    "n_pass": e.n_pass,
                    "n": e.n,
                    "n_success": e.n_success,
                    "best_agree": e.best_agree,
                }
                for e in entries
            ]
            for g, entries in enumerate(result.repness)
        },
        "consensus": {
            "agree": [sids[e.statement] for e in result.consensus.agree],
            "disagree": [sids[e.statement] for e in result.consensus.disagree],
            "stats": {
                "agree": consensus_entries(result.consensus.agree),
                "disagree": consensus_entries(result.consensus.disagree),
            },
        },
        "group_aware_consensus": {
            _key(sid): {
                "agree": _num(result.gac_agree[s]),
                "disagree": _num(result.gac_disagree[s]),
            }
            for s, sid in enumerate(sids)
        },
        "uncertainty": [sids[s] for s in result.uncertainty],
        "priority": {_key(sid): _num(result.priority[s]) for s, sid in enumerate(sids)},
        "support": support,
        "divisive": [sids[s] for s in result.divisive],
        "divisiveness": {_key(sid): _num(result.divisiveness[s]) for s, sid in enumerate(sids)},
    }

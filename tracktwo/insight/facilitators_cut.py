"""The parts of the facilitators' cut the shared cut never has: the opinion map's
anonymous points, bridging scores and participation per side (see
:mod:`tracktwo.insight.build`). Map points carry no id and are sorted by position, so no
order links a point to anyone.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.bridging import BridgingResult
from tracktwo.analysis.cross_party import CrossPartyReport
from tracktwo.analysis.engine import AnalysisResult
from tracktwo.insight.results import (
    BridgingScore,
    MapPoint,
    OpinionMap,
    SideParticipation,
    StatementPoint,
)


def rounded(value: float) -> float:
    """A figure as the results show it: 4 decimals, 0.0 for NaN or infinity."""
    number = float(value)
    return round(number, 4) if np.isfinite(number) else 0.0


def opinion_map(result: AnalysisResult, listable: NDArray[np.bool_]) -> OpinionMap:
    """Anonymous points of the opinion map (sorted by position, no ids) and statements.

    The points in whole arrays (rounded, then sorted by x, y and group, stably): one
    point per participant, so no Python work per point but making it."""
    projection = np.asarray(result.projection, dtype=np.float64).reshape(-1, 2)
    shown = np.isfinite(projection).all(axis=1)
    x = np.round(projection[shown, 0], 3)
    y = np.round(projection[shown, 1], 3)
    groups = np.asarray(result.group_labels)[shown].astype(np.int64)
    order = np.lexsort((groups, y, x))
    points = map(MapPoint, x[order].tolist(), y[order].tolist(), groups[order].tolist())
    geometry = result.pca.geometry
    return OpinionMap(
        points=tuple(points),
        statements=tuple(
            StatementPoint(
                int(result.statement_ids[s]),
                rounded(result.statement_projection[s, 0]),
                rounded(result.statement_projection[s, 1]),
            )
            for s in np.flatnonzero(geometry & listable)
        ),
        explained=tuple(rounded(v) for v in result.pca.explained),
    )


def bridging(
    scores: BridgingResult | None, listable: NDArray[np.bool_]
) -> tuple[BridgingScore, ...]:
    """Each listed statement's bridging-model scores (none without a model)."""
    if scores is None:
        return ()
    return tuple(
        BridgingScore(
            int(sid),
            rounded(scores.intercept[i]),
            rounded(scores.factor[i]),
            bool(scores.bridges[i]),
        )
        for i, sid in enumerate(scores.statement_ids)
        if i < listable.shape[0] and listable[i]
    )


def participation(
    cross: CrossPartyReport | None, joined_by_party: Mapping[str, int]
) -> tuple[SideParticipation, ...]:
    """Per side: participants who joined, and how many of them voted."""
    voters = (
        {p: int(n) for p, n in zip(cross.parties, cross.party_sizes, strict=True)}
        if cross is not None
        else {}
    )
    return tuple(
        SideParticipation(party, joined, voters.get(party, 0))
        for party, joined in joined_by_party.items()
    )

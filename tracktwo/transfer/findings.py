"""What a brief reports of the votes: common ground across sides, rejections, divides, groups.

:func:`findings` is the only place the brief asks the opinion engine for results. It
returns aggregates only: statement texts, per-side shares with their intervals, group
sizes and the opinion map's points (no ids). Every count it passes on is at least the
dialogue's small-cell threshold, or ``None``:

- a side's tally on a statement is reported only for sides that cast at least
  ``max(threshold, 5)`` votes on it (``min_votes`` of the cross-side analysis), and
  sides smaller than the threshold take no part in it at all;
- an opinion group smaller than the threshold is left out (only their number is said).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cross_party import (
    DEFAULT_MIN_VOTES,
    DEFAULT_THRESHOLD,
    CrossPartyReport,
    cross_party,
)
from tracktwo.analysis.engine import analyze
from tracktwo.analysis.intervals import DEFAULT_LEVEL
from tracktwo.analysis.parties import PartyInputError, parties_from_mapping
from tracktwo.analysis.result import AnalysisResult
from tracktwo.analysis.votes import Statements, VoteEvents, VoteInputError, from_arrays
from tracktwo.dialogues.engine_input import dialogue_statements, participant_parties
from tracktwo.dialogues.models import Dialogue, Session, Statement, Vote
from tracktwo.safety.sealed import Box

MAX_LISTED = 8
MAX_GROUP_STATEMENTS = 4


@dataclass(frozen=True)
class SideSupport:
    """One side's votes on a statement: agree share and its interval; ``n`` if reportable."""

    side: str
    share: float | None
    low: float
    high: float
    n: int | None
    disagree_share: float | None = None


@dataclass(frozen=True)
class Finding:
    """A statement in one of the cross-side lists, with every side's support."""

    text: str
    sides: tuple[SideSupport, ...]


@dataclass(frozen=True)
class GroupStatement:
    text: str
    direction: str  # "agree" | "disagree"
    share: float  # share of the group voting that way


@dataclass(frozen=True)
class GroupView:
    label: str
    size: int
    statements: tuple[GroupStatement, ...]


@dataclass(frozen=True)
class Findings:
    """The aggregates a brief reports; see the module docstring for what is left out."""

    n_statements: int
    n_votes: int
    n_voters: int
    level: float
    threshold: float
    min_votes: int
    sides: tuple[str, ...]
    common_ground: tuple[Finding, ...] = ()
    shared_rejection: tuple[Finding, ...] = ()
    divides: tuple[Finding, ...] = ()
    groups: tuple[GroupView, ...] = ()
    small_groups: int = 0
    map_points: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 2)))
    map_groups: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    notes: tuple[str, ...] = ()


def _scope_events(dialogue: Dialogue, session: Session | None, box: Box) -> VoteEvents:
    statements = dialogue_statements(dialogue, box)
    if session is not None:
        in_session = set(
            Statement.objects.filter(dialogue=dialogue, session=session).values_list(
                "pk", flat=True
            )
        )
        keep = np.array([sid in in_session for sid in statements.ids], dtype=np.bool_)
        statements = Statements(
            tuple(sid for sid, k in zip(statements.ids, keep, strict=True) if k),
            tuple(text for text, k in zip(statements.texts, keep, strict=True) if k),
            statements.moderated[keep],
            statements.is_meta[keep],
        )
    rows = Vote.objects.filter(dialogue=dialogue)
    if session is not None:
        rows = rows.filter(statement_id__in=list(statements.ids))
    data = list(
        rows.order_by("id").values_list(
            "participant__public_id", "statement_id", "value", "created_at"
        )
    )
    return from_arrays(
        np.array([row[0] for row in data], dtype=object),
        np.array([row[1] for row in data], dtype=np.int64),
        np.array([row[2] for row in data], dtype=np.int8),
        np.array([row[3].timestamp() for row in data], dtype=np.float64),
        statements,
    )


def _text(statements: Statements, index: int) -> str:
    return statements.texts[index] or ""


def _finding(
    report: CrossPartyReport, statements: Statements, index: int, reportable: int
) -> Finding:
    sides = []
    for k, side in enumerate(report.parties):
        n = int(report.n[k, index])
        share = float(report.share[k, index])
        heard = n >= reportable
        sides.append(
            SideSupport(
                side=side,
                share=None if (math.isnan(share) or not heard) else share,
                low=float(report.low[k, index]) if heard else 0.0,
                high=float(report.high[k, index]) if heard else 1.0,
                n=n if heard else None,
                disagree_share=(int(report.disagree[k, index]) / n) if heard else None,
            )
        )
    return Finding(_text(statements, index), tuple(sides))


def _group_views(
    result: AnalysisResult, threshold: int
) -> tuple[tuple[GroupView, ...], int, NDArray[np.int64]]:
    labels = result.group_labels
    statements = result.events.statements
    views: list[GroupView] = []
    small = 0
    shown = np.full(labels.shape, -1, np.int64)
    for g in range(result.n_groups):
        size = int((labels == g).sum())
        if size < threshold:
            small += 1
            continue
        position = len(views)
        shown[labels == g] = position
        picked = []
        for entry in result.repness[g]:
            share = entry.n_success / entry.n if entry.n else 0.0
            if entry.n < threshold or share <= 0.5:
                continue  # a small tally, or not what most of the group thinks
            picked.append(
                GroupStatement(_text(statements, entry.statement), entry.direction, share)
            )
        picked = picked[:MAX_GROUP_STATEMENTS]
        views.append(GroupView(chr(ord("A") + position), size, tuple(picked)))
    return tuple(views), small, shown


def findings(dialogue: Dialogue, session: Session | None, box: Box) -> Findings:
    """Run the engine and the cross-side analysis on the dialogue's (or session's) votes."""
    threshold = max(1, int(dialogue.small_cell_threshold))
    min_votes = max(DEFAULT_MIN_VOTES, threshold)
    events = _scope_events(dialogue, session, box)
    latest = events.latest()
    base = Findings(
        n_statements=int(((events.statements.moderated == 1) & ~events.statements.is_meta).sum()),
        n_votes=len(latest.vote),
        n_voters=events.n_participants,
        level=DEFAULT_LEVEL,
        threshold=DEFAULT_THRESHOLD,
        min_votes=min_votes,
        sides=(),
    )
    if len(events) == 0:
        return replace(base, notes=("No votes have been cast yet.",))
    notes: list[str] = []
    sides: tuple[str, ...] = ()
    cg: tuple[Finding, ...] = ()
    rej: tuple[Finding, ...] = ()
    div: tuple[Finding, ...] = ()
    statements = events.statements
    try:
        mapping: dict[object, object] = {
            pid: side for pid, side in participant_parties(dialogue, box).items()
        }
        parties = parties_from_mapping(
            mapping,
            events.participant_ids,
            min_party_size=threshold,
        )
    except PartyInputError:
        notes.append(
            "Too few participants voted on each side to compare the sides without "
            "revealing individual votes; no cross-side findings are reported."
        )
    else:
        report = cross_party(latest, parties, min_votes=min_votes)
        sides = report.parties

        def listing(indices: NDArray[np.int64]) -> tuple[Finding, ...]:
            return tuple(
                _finding(report, statements, int(i), min_votes) for i in indices[:MAX_LISTED]
            )

        cg, rej, div = (
            listing(report.common_ground),
            listing(report.shared_rejection),
            listing(report.divides),
        )
    try:
        result = analyze(events)
    except VoteInputError:
        return replace(base, sides=sides, common_ground=cg, shared_rejection=rej, divides=div)
    groups, small, shown = _group_views(result, threshold)
    if result.n_groups == 0:
        notes.append("Too few participants voted for opinion groups to form.")
    inside = shown >= 0
    return Findings(
        n_statements=base.n_statements,
        n_votes=base.n_votes,
        n_voters=base.n_voters,
        level=DEFAULT_LEVEL,
        threshold=DEFAULT_THRESHOLD,
        min_votes=min_votes,
        sides=sides,
        common_ground=cg,
        shared_rejection=rej,
        divides=div,
        groups=groups,
        small_groups=small,
        map_points=np.asarray(result.projection[inside], dtype=np.float64),
        map_groups=shown[inside],
        notes=tuple(notes),
    )

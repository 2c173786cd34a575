"""What a brief reports of the votes: common ground across sides, rejections, divides, groups.

:func:`findings` runs the opinion engine and the cross-side analysis itself (for a single
session, or while the live service has no result; see
:func:`tracktwo.transfer.content.findings_for`). It returns aggregates only: statement
texts, tallies, group sizes and the opinion map's anonymous points. Tallies by side and
by group go through :func:`tracktwo.insight.suppression.protect_tallies` exactly as in
the participants' result views: a count from 1 to ``threshold - 1`` is withheld, with
complements, so the share or interval built on it is withheld too (``None``). Everyone's
overall tally on a statement is not a small cell and is shown. Sides smaller than the
threshold make the cross-side lists unavailable; groups smaller than it are left out
(only their number is said).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

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
from tracktwo.analysis.votes import (
    LatestVotes,
    Statements,
    VoteEvents,
    VoteInputError,
    from_arrays,
)
from tracktwo.dialogues.models import Dialogue, Session, Statement, Vote
from tracktwo.insight.engine_input import dialogue_statements, participant_parties
from tracktwo.insight.suppression import protect_tallies
from tracktwo.safety.sealed import Box

MAX_LISTED = 8
MAX_GROUP_STATEMENTS = 4


@dataclass(frozen=True)
class SideSupport:
    """One side's (or everyone's) votes on a statement, as far as they may be shown.

    ``share``/``low``/``high`` are the agree share and its interval, ``n`` the votes cast,
    ``disagree_share`` the share disagreeing; each is None where small-cell suppression
    withholds it (``withheld`` then says so).
    """

    side: str
    share: float | None
    low: float | None
    high: float | None
    n: int | None
    disagree_share: float | None = None

    @property
    def withheld(self) -> bool:
        return self.share is None


@dataclass(frozen=True)
class Finding:
    """A statement in one of the cross-side lists, with every side's support and everyone's."""

    text: str
    sides: tuple[SideSupport, ...]
    overall: SideSupport | None = None


@dataclass(frozen=True)
class GroupStatement:
    """A statement that sets a group apart: it agrees (or disagrees) more than the others.

    ``share`` is the share of the group voting that way, None where withheld.
    """

    text: str
    direction: str  # "agree" | "disagree"
    share: float | None


def support_from_tally(label: str, tally: dict[str, Any] | None) -> SideSupport:
    """A :class:`SideSupport` from a tally of :mod:`tracktwo.insight.suppression`."""
    tally = tally or {}
    n, share, disagree = tally.get("n"), tally.get("share"), tally.get("disagree")
    if not n or share is None:
        return SideSupport(label, None, None, None, None)
    return SideSupport(
        label,
        float(share),
        float(tally["low"]),
        float(tally["high"]),
        int(n),
        disagree_share=None if disagree is None else disagree / n,
    )


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


def _overall_counts(latest: LatestVotes, n_statements: int) -> NDArray[np.int64]:
    """Agree, disagree, pass per statement over every voter; shape (n_statements, 3)."""
    counts = np.zeros((n_statements, 3), np.int64)
    column = np.where(latest.vote > 0, 0, np.where(latest.vote < 0, 1, 2))
    np.add.at(counts, (latest.statement, column), 1)
    return counts


def _text(statements: Statements, index: int) -> str:
    return statements.texts[index] or ""


def _finding(
    report: CrossPartyReport,
    statements: Statements,
    overall: NDArray[np.int64],
    index: int,
    threshold: int,
) -> Finding:
    """One listed statement, its per-side tallies suppressed as participants' views are."""
    rows = {
        side: [
            int(report.agree[k, index]),
            int(report.disagree[k, index]),
            int(report.passes[k, index]),
        ]
        for k, side in enumerate(report.parties)
    }
    tallies = protect_tallies(rows, [int(v) for v in overall[index]], threshold, level=report.level)
    return Finding(
        _text(statements, index),
        tuple(support_from_tally(side, tallies.get(side)) for side in report.parties),
        support_from_tally("All participants", tallies.get("overall")),
    )


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
        for entry in result.repness[g][:MAX_GROUP_STATEMENTS]:
            s = entry.statement
            by_group = {
                str(h): [int(v) for v in result.support.group_counts[h, s]]
                for h in range(result.n_groups)
            }
            overall = [int(v) for v in result.support.counts[s]]
            tally = protect_tallies(by_group, overall, threshold)[str(g)]
            count, n = tally.get(entry.direction), tally.get("n")
            share = count / n if count is not None and n else None
            picked.append(GroupStatement(_text(statements, s), entry.direction, share))
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

        overall = _overall_counts(latest, len(statements))

        def listing(indices: NDArray[np.int64]) -> tuple[Finding, ...]:
            return tuple(
                _finding(report, statements, overall, int(i), threshold)
                for i in indices[:MAX_LISTED]
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

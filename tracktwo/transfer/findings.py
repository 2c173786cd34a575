"""What a brief reports of the votes: common ground across sides, rejections, divides, groups.

:func:`findings` takes them from the insight service
(:func:`tracktwo.insight.service.export_insight`): one analysis covering every vote cast
at the moment the brief is made (computed then if need be), of the whole dialogue or of
one session. The engine runs nowhere else, and small-cell suppression happens there
(:mod:`tracktwo.insight.suppression`, in :mod:`tracktwo.insight.build`): the lists,
per-side tallies, group sizes and representative statements come from the *shared* cut,
where a count from 1 to ``threshold - 1`` is withheld, with complements, so the share or
interval built on it is withheld too (``None``); everyone's overall tally on a statement
is not a small cell and is shown. Only the opinion map's anonymous points come from the
facilitators' cut, and only those of groups the brief reports.

On top of that, the brief's own non-attribution rules: sides with fewer than
``threshold`` voters make the cross-side lists unavailable; opinion groups smaller than
it are left out (only their number is said). The result holds aggregates only: statement
texts, tallies, group sizes, anonymous points, and "as of" (votes counted, time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cross_party import DEFAULT_MIN_VOTES, DEFAULT_THRESHOLD
from tracktwo.analysis.intervals import DEFAULT_LEVEL
from tracktwo.dialogues.models import Dialogue, Session, Statement
from tracktwo.insight import service
from tracktwo.insight.results import DialogueInsight, ExportInsight, Tally
from tracktwo.practice.formats import Moderation

MAX_LISTED = 8
MAX_GROUP_STATEMENTS = 4
NO_SIDES = (
    "Too few participants voted on each side to compare the sides; no cross-side "
    "findings are reported."
)
SMALL_SIDES = (
    "Too few participants voted on each side to compare the sides without revealing "
    "individual votes; no cross-side findings are reported."
)


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
    band: tuple[float, float] | None = None  # where the share is withheld, if told

    @property
    def withheld(self) -> bool:
        return self.share is None

    @property
    def backed(self) -> bool:
        """Whether the brief can show something for this side: its share, or a band."""
        return self.share is not None or self.band is not None


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


def support_from_tally(label: str, tally: Tally | None) -> SideSupport:
    """A :class:`SideSupport` from a (suppressed) tally of the insight service."""
    if tally is None or not tally.n or tally.share is None or tally.low is None:
        band = tally.band if tally is not None else None
        return SideSupport(label, None, None, None, None, band=band)
    return SideSupport(
        label,
        float(tally.share),
        float(tally.low),
        float(tally.high) if tally.high is not None else float(tally.share),
        int(tally.n),
        disagree_share=None if tally.disagree is None else tally.disagree / tally.n,
    )


@dataclass(frozen=True)
class GroupView:
    """An opinion group the brief reports: its letter, size and distinctive statements."""

    label: str
    size: int
    statements: tuple[GroupStatement, ...]


@dataclass(frozen=True)
class Findings:
    """The aggregates a brief reports; see the module docstring for what is left out.

    ``votes_counted`` is the number of votes the analysis covers (every vote cast, in
    scope, when it was made) and ``as_of`` when it was made.
    """

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
    votes_counted: int = 0
    as_of: datetime | None = None


def coverage_note(found: Findings) -> str:
    """The brief's sentence saying as of how many votes its findings are."""
    return (
        f"The findings are as of {found.votes_counted} votes cast: the analysis was brought "
        "up to every vote cast when this paper was made (where someone changed a vote, the "
        "last one counts)."
    )


def _listing(
    shared: DialogueInsight, ids: tuple[int, ...], sides: list[str]
) -> tuple[Finding, ...]:
    out: list[Finding] = []
    for sid in ids[:MAX_LISTED]:
        text = shared.text_of(sid)
        if text is None:
            continue
        support = shared.support_for(sid)
        tallies = {s.side: s.tally for s in (support.sides or ())} if support else {}
        out.append(
            Finding(
                text,
                tuple(support_from_tally(side, tallies.get(side)) for side in sides),
                support_from_tally("All participants", support.overall if support else None),
            )
        )
    return tuple(out)


def _groups(
    shared: DialogueInsight, threshold: int
) -> tuple[tuple[GroupView, ...], int, dict[int, int]]:
    """The groups the brief reports (by letter), how many are too small, and the letter's
    position of each reported group id."""
    views: list[GroupView] = []
    small = 0
    letters: dict[int, int] = {}
    representative = {r.group: r.statements for r in shared.representative}
    for group in shared.groups:
        if group.size is None or group.size < threshold:
            small += 1
            continue
        letters[group.id] = len(views)
        picked: list[GroupStatement] = []
        for entry in representative.get(group.id, ())[:MAX_GROUP_STATEMENTS]:
            text = shared.text_of(entry.statement)
            if text is None:
                continue
            support = shared.support_for(entry.statement)
            tallies = support.groups if support else ()
            tally = next((g.tally for g in tallies if g.group == group.id), None)
            if tally is None:
                count, n = None, None
            else:
                count = tally.agree if entry.direction == "agree" else tally.disagree
                n = tally.n
            share = count / n if count is not None and n else None
            picked.append(GroupStatement(text, entry.direction, share))
        views.append(GroupView(chr(ord("A") + len(views)), group.size, tuple(picked)))
    return tuple(views), small, letters


def _map_points(
    exact: DialogueInsight, letters: dict[int, int]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The map's anonymous points of the reported groups, coloured by report position.

    Both cuts come from one analysis, so a group has the same id in both.
    """
    points = exact.opinion_map.points if exact.opinion_map else ()
    kept = [(p.x, p.y, letters[p.group]) for p in points if p.group in letters]
    return (
        np.array([[x, y] for x, y, _ in kept], dtype=np.float64).reshape(-1, 2),
        np.array([g for _, _, g in kept], dtype=np.int64),
    )


def _accepted_statements(dialogue: Dialogue, session: Session | None) -> int:
    rows = Statement.objects.filter(
        dialogue=dialogue, moderation=Moderation.ACCEPTED, is_meta=False, deleted_at__isnull=True
    )
    return (rows.filter(session=session) if session is not None else rows).count()


def from_insight(both: ExportInsight, threshold: int) -> Findings:
    """A brief's findings from the insight service's two cuts of one analysis."""
    shared = both.shared
    cross = shared.cross_side
    counts = shared.counts
    settings = cross.settings if cross else None
    notes: list[str] = []
    sides: list[str] = []
    lists: tuple[tuple[Finding, ...], ...] = ((), (), ())
    exact_cross = both.exact.cross_side
    if cross is None or not cross.available:
        notes.append(NO_SIDES)
    elif exact_cross and any((s.voters or 0) < threshold for s in exact_cross.parties):
        notes.append(SMALL_SIDES)
    else:
        sides = [s.side for s in cross.parties]
        ids = (cross.common_ground, cross.shared_rejection, cross.divides)
        lists = tuple(_listing(shared, found, sides) for found in ids)
    groups, small, letters = _groups(shared, threshold)
    if not shared.groups:
        notes.append("Too few participants voted for opinion groups to form.")
    points, colours = _map_points(both.exact, letters)
    return Findings(
        n_statements=int(counts.statements or 0) if counts else 0,
        n_votes=int(counts.votes) if counts else 0,
        n_voters=int(counts.participants or 0) if counts else 0,
        level=float(settings.level) if settings else DEFAULT_LEVEL,
        threshold=float(settings.threshold) if settings else DEFAULT_THRESHOLD,
        min_votes=int(settings.min_votes) if settings else DEFAULT_MIN_VOTES,
        sides=tuple(sides),
        common_ground=lists[0],
        shared_rejection=lists[1],
        divides=lists[2],
        groups=groups,
        small_groups=small,
        map_points=points,
        map_groups=colours,
        notes=tuple(notes),
        votes_counted=shared.votes_counted,
        as_of=shared.as_of,
    )


def findings(dialogue: Dialogue, session: Session | None = None) -> Findings:
    """The findings of the dialogue (or one session) over every vote cast by now."""
    threshold = max(1, int(dialogue.small_cell_threshold))
    both = service.export_insight(dialogue, session)
    if both.shared.status != "ready":
        return Findings(
            n_statements=_accepted_statements(dialogue, session),
            n_votes=0,
            n_voters=0,
            level=DEFAULT_LEVEL,
            threshold=DEFAULT_THRESHOLD,
            min_votes=max(DEFAULT_MIN_VOTES, threshold),
            sides=(),
            notes=("No votes have been cast yet.",),
            votes_counted=both.shared.votes_counted,
            as_of=both.shared.as_of,
        )
    return from_insight(both, threshold)

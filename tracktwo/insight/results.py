"""What the insight service hands out: a dialogue's analysis as frozen dataclasses.

One :class:`DialogueInsight` is either *the facilitators' cut* (every vote, exact counts,
the anonymous opinion map, bridging scores, participation per side) or *the shared cut*
for participants and observers (small cells withheld by :mod:`tracktwo.insight.suppression`,
accepted statements only, no map, no per-participant anything). Both are built in one
place, :func:`tracktwo.insight.build.build`; the dashboard, the participants' pages, the
JSON API (through :func:`tracktwo.insight.json_form.as_json`) and the briefs read them.

Nothing here holds a participant id or a handle: groups are ids and sizes, map points
carry no id and are sorted by position. Statement ids are database ids. A count that
suppression withholds is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Literal

Audience = Literal["facilitator", "participant"]
AUDIENCES: tuple[Audience, ...] = ("facilitator", "participant")
Status = Literal["ready", "no-votes", "computing"]
Direction = Literal["agree", "disagree"]


@dataclass(frozen=True)
class Tally:
    """Votes on one statement by one group, side or everyone (a support bar).

    Attributes
    ----------
    agree, disagree, passes, n : int or None
        The counts and their total; None where small-cell suppression withholds them.
    share, low, high : float or None
        The agree share and its Wilson interval, None wherever their counts are.
    band : (float, float) or None
        Where the share is withheld, the coarse band it lies in (fifths, see
        ``insight.suppression.coarse_band``), if one may be told.
    """

    agree: int | None
    disagree: int | None
    passes: int | None
    n: int | None
    share: float | None
    low: float | None
    high: float | None
    band: tuple[float, float] | None = None

    @property
    def withheld(self) -> bool:
        """Whether suppression left no agree share to show."""
        return self.share is None


@dataclass(frozen=True)
class GroupTally:
    """One opinion group's votes on a statement (``group`` is its shown id)."""

    group: int
    tally: Tally


@dataclass(frozen=True)
class SideTally:
    """One declared side's votes on a statement (``side`` is the party's name)."""

    side: str
    tally: Tally


@dataclass(frozen=True)
class StatementSupport:
    """Support for one statement: everyone's tally, and tallies per group and per side.

    ``sides`` is None when the statement has no cross-side tallies (no declared sides).
    """

    statement: int
    overall: Tally
    groups: tuple[GroupTally, ...]
    sides: tuple[SideTally, ...] | None = None


@dataclass(frozen=True)
class GroupSummary:
    """An opinion group: its shown id, its size (None where withheld) and its centre."""

    id: int
    size: int | None
    center: tuple[float, float]


@dataclass(frozen=True)
class Counts:
    """Headline counts. ``statements``, ``in_conv`` and ``groups`` are None before the
    first vote; ``participants`` is None when suppression withholds it."""

    participants: int | None
    votes: int
    statements: int | None = None
    in_conv: int | None = None
    groups: int | None = None


@dataclass(frozen=True)
class CommonGround:
    """A statement a majority of every opinion group agrees with, and its group-aware
    consensus (Pol.is's ``gac``)."""

    statement: int
    consensus: float


@dataclass(frozen=True)
class Consensus:
    """A statement of the engine's consensus list: ``n_success`` of ``n`` voted that way."""

    statement: int
    n_success: int
    n: int
    p: float


@dataclass(frozen=True)
class RepnessDetail:
    """The figures behind a representativeness score (facilitators' cut only)."""

    p: float
    r: float
    n_agree: int
    n_disagree: int
    n_pass: int
    n: int


@dataclass(frozen=True)
class Representative:
    """A statement that sets an opinion group apart, in ``direction``."""

    statement: int
    direction: Direction
    score: float
    detail: RepnessDetail | None = None


@dataclass(frozen=True)
class GroupRepresentatives:
    """An opinion group (shown id) and its representative statements, best first."""

    group: int
    statements: tuple[Representative, ...]


@dataclass(frozen=True)
class Divisive:
    """A statement the opinion groups disagree on, with its divisiveness."""

    statement: int
    divisiveness: float


@dataclass(frozen=True)
class SideSize:
    """A declared side and how many of its members voted (None where withheld)."""

    side: str
    voters: int | None


@dataclass(frozen=True)
class CrossSideSettings:
    """The cross-side analysis's settings (``docs/cross-party.md``)."""

    threshold: float
    min_votes: int
    level: float


@dataclass(frozen=True)
class SideGroups:
    """One side spread over the opinion groups: ``(group id or "none", participants)``."""

    side: str
    counts: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class CrossSide:
    """What the declared sides share and what divides them.

    When ``available`` is False only ``note`` says why; ``sides_and_groups`` is for the
    facilitators' cut only.
    """

    available: bool
    note: str = ""
    parties: tuple[SideSize, ...] = ()
    common_ground: tuple[int, ...] = ()
    shared_rejection: tuple[int, ...] = ()
    divides: tuple[int, ...] = ()
    settings: CrossSideSettings | None = None
    sides_and_groups: tuple[SideGroups, ...] | None = None


@dataclass(frozen=True)
class MapPoint:
    """An anonymous point of the opinion map: position and opinion group (-1: none)."""

    x: float
    y: float
    group: int


@dataclass(frozen=True)
class StatementPoint:
    """Where a statement sits on the opinion map."""

    statement: int
    x: float
    y: float


@dataclass(frozen=True)
class OpinionMap:
    """The facilitators' opinion map: points sorted by position (no order links a point
    to anyone), statements, and the share of variance each axis explains."""

    points: tuple[MapPoint, ...]
    statements: tuple[StatementPoint, ...]
    explained: tuple[float, ...]


@dataclass(frozen=True)
class BridgingScore:
    """A statement's bridging-model scores (``tracktwo.analysis.bridging``)."""

    statement: int
    intercept: float
    factor: float
    bridges: bool


@dataclass(frozen=True)
class SideParticipation:
    """Per declared side: participants who joined and how many of them voted."""

    side: str
    joined: int
    voted: int


@dataclass(frozen=True)
class DialogueInsight:
    """A dialogue's live analysis for one audience (see the module docstring).

    Attributes
    ----------
    dialogue : int or None
        The dialogue's id (None only while ``status`` is ``"computing"``).
    audience : {"facilitator", "participant"}
        The facilitators' cut, or the shared (suppressed) cut.
    status : {"ready", "no-votes", "computing"}
    as_of : datetime or None
        When the engine last brought this result up to date.
    votes_counted : int
        Vote rows this result covers.
    stale : bool
        Votes exist beyond those counted (or, for the shared cut, beyond the last full
        batch), or a background refresh is catching up.
    opinion_map, bridging, participation : None in the shared cut.
    """

    dialogue: int | None
    audience: Audience
    status: Status
    as_of: datetime | None = None
    votes_counted: int = 0
    stale: bool = False
    counts: Counts | None = None
    groups: tuple[GroupSummary, ...] = ()
    common_ground: tuple[CommonGround, ...] = ()
    consensus_agree: tuple[Consensus, ...] = ()
    consensus_disagree: tuple[Consensus, ...] = ()
    representative: tuple[GroupRepresentatives, ...] = ()
    divisive: tuple[Divisive, ...] = ()
    uncertain: tuple[int, ...] = ()
    cross_side: CrossSide | None = None
    support: tuple[StatementSupport, ...] = ()
    texts: tuple[tuple[int, str], ...] = ()
    opinion_map: OpinionMap | None = None
    bridging: tuple[BridgingScore, ...] | None = None
    participation: tuple[SideParticipation, ...] | None = None

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @cached_property
    def _support_index(self) -> dict[int, StatementSupport]:
        return {entry.statement: entry for entry in self.support}

    @cached_property
    def _text_index(self) -> dict[int, str]:
        return dict(self.texts)

    def support_for(self, statement: int) -> StatementSupport | None:
        """The support tallies of a listed statement, or None."""
        return self._support_index.get(int(statement))

    def text_of(self, statement: int) -> str | None:
        """The text of a statement this result refers to (None if it may not be shown)."""
        return self._text_index.get(int(statement))


@dataclass(frozen=True)
class OwnPosition:
    """Where one participant stands, for their eyes only (from the shared cut).

    ``status`` is the shared cut's, or ``"not-yet-counted"`` when their votes are not in
    it yet; ``group`` is a shown group id or None; ``projection`` their ``(x, y)`` on the
    map or None; ``groups`` the shared cut's groups (sizes suppressed).
    """

    status: str
    group: int | None = None
    in_conv: bool = False
    projection: tuple[float, float] | None = None
    groups: tuple[GroupSummary, ...] = ()
    votes_counted: int = 0


@dataclass(frozen=True)
class ExportInsight:
    """Both cuts of one analysis covering every vote at the moment it was made, for a
    brief, an export or a report: ``shared`` is ``exact`` with small cells withheld
    (accepted statements only, no map), not batched."""

    exact: DialogueInsight
    shared: DialogueInsight

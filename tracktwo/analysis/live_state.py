"""What a chain of updates keeps between them, so that an update costs what its votes cost.

``engine.update`` used to rebuild everything from every vote so far: the vote events were
concatenated anew, and every tally and every product of the power iteration ran over every
cell. A :class:`LiveState` travels along a chain of updates instead and holds

- the vote events in growable buffers (amortised doubling): a result's ``events`` are views of
  their first ``n`` entries, and appending writes only beyond them;
- the agree/disagree/pass tallies per statement, the votes per participant and the votes on
  zeroed statements per participant, patched with the rows of the participants who voted;
- the sums behind the Gram matrix ``X^T X`` of the centred matrix (:class:`GramSums`), patched
  the same way, so the power iteration multiplies a dense statements x statements matrix instead
  of running over every cell.

The state is mutable and belongs to the newest result of its chain: each result records the
``version`` it saw, and an update from an older result (a second branch) finds a newer version
and rebuilds what it needs from the result's own cells (the same numbers, from scratch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.live_cells import CellBuffers, GroupTallies, rows_of
from tracktwo.analysis.matrix import chunked_bincount, vote_codes

if TYPE_CHECKING:
    from tracktwo.analysis.pca import Components
    from tracktwo.analysis.update_ahead import Ahead

__all__ = [
    "GRAM_MAX_STATEMENTS",
    "GramPatch",
    "GramSums",
    "Kept",
    "LiveLink",
    "LiveState",
    "RowCounts",
    "chain_state",
    "gram_pays",
    "rows_of",
    "settle",
    "step_counts",
    "step_gram",
]

GRAM_MAX_STATEMENTS = 2000
"""Most statements for which a dense Gram matrix is kept (3 x 2,000^2 float64 sums: 96 MB)."""

GRAM_WORK_FACTOR = 4
"""A dense Gram product pays once the cells are at least (statements^2 / this)."""


def gram_pays(n_statements: int, n_cells: int) -> bool:
    """Whether products with a dense Gram matrix beat products over the cells."""
    return (
        0 < n_statements <= GRAM_MAX_STATEMENTS
        and n_statements * n_statements <= GRAM_WORK_FACTOR * n_cells
    )


@dataclass(frozen=True, eq=False)
class RowCounts:
    """Counts over every cell, as ``matrix.build_geometry`` would count them.

    Attributes
    ----------
    tallies : ndarray of int64, shape (n_statements, 3)
        Agree, disagree, pass per statement.
    votes_cast : ndarray of int64, shape (n_participants,)
    dead_votes : ndarray of int64, shape (n_participants,)
        Votes per participant on zeroed statements.
    """

    tallies: NDArray[np.int64]
    votes_cast: NDArray[np.int64]
    dead_votes: NDArray[np.int64]


class LiveState:
    """The mutable state a chain of updates carries (see the module docstring)."""

    ahead: Ahead | None = None
    """The next update, prepared meanwhile (``update_ahead``); a class default, as states
    pickled before it have none."""

    def __init__(self) -> None:
        self.version = 0
        self.buffers: tuple[NDArray[Any], ...] = ()
        self.views: tuple[NDArray[Any], ...] = ()
        self.counts: RowCounts | None = None
        self.zeroed: NDArray[np.bool_] = np.zeros(0, np.bool_)
        self.gram: GramSums | None = None
        self.cells = CellBuffers()
        self.groups: GroupTallies | None = None

    def append(
        self, old: tuple[NDArray[Any], ...], new: tuple[NDArray[Any], ...]
    ) -> tuple[NDArray[Any], ...]:
        """Event arrays ``old`` followed by ``new``, as views of growable buffers.

        Appending after what this state last returned writes only beyond it (amortised
        doubling); any other ``old`` is copied into new buffers first.
        """
        n, m = old[0].shape[0], new[0].shape[0]
        ours = len(self.views) == len(old) and all(
            a is b for a, b in zip(old, self.views, strict=True)
        )
        if not ours or n + m > self.buffers[0].shape[0]:
            capacity = max(1024, 2 * (n + m))
            buffers = []
            for a, b in zip(old, new, strict=True):
                buffer = np.empty(capacity, np.result_type(a.dtype, b.dtype))
                buffer[:n] = a
                buffers.append(buffer)
            self.buffers = tuple(buffers)
        for buffer, b in zip(self.buffers, new, strict=True):
            buffer[n : n + m] = b
        self.views = tuple(buffer[: n + m] for buffer in self.buffers)
        return self.views


@dataclass(frozen=True, eq=False)
class LiveLink:
    """A result's tie to its chain's :class:`LiveState`: valid while ``version`` is current."""

    state: LiveState
    version: int

    @property
    def current(self) -> bool:
        return self.state.version == self.version


def count_rows(
    cells: CellState, at: NDArray[np.int64], n_statements: int, zeroed: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Over the cells at ``at`` (whole rows): tallies, shape (n_statements, 3), and per
    participant with a cell there (ascending) their votes and votes on zeroed statements."""
    statement = cells[1][at]
    codes = vote_codes(statement, cells[2][at])
    tallies = np.bincount(codes, minlength=3 * n_statements).astype(np.int64)
    who, first, cast = np.unique(cells[0][at], return_index=True, return_counts=True)
    dead = np.zeros(who.shape[0], np.int64)
    if zeroed.any() and first.shape[0]:
        dead = np.add.reduceat(zeroed[statement].astype(np.int64), first)
    return tallies.reshape(n_statements, 3), cast.astype(np.int64), dead.astype(np.int64)


def full_counts(
    cells: CellState, n_participants: int, n_statements: int, zeroed: NDArray[np.bool_]
) -> RowCounts:
    """:class:`RowCounts` over every cell."""
    tallies = chunked_bincount(vote_codes(cells[1], cells[2]), 3 * n_statements)
    cast = chunked_bincount(cells[0], n_participants)
    dead = np.zeros(n_participants, np.int64)
    if zeroed.any():
        hit = zeroed[cells[1]]
        dead = np.bincount(cells[0][hit], minlength=n_participants).astype(np.int64)
    return RowCounts(tallies.reshape(n_statements, 3), cast, dead)


def _padded(values: NDArray[Any], n: int) -> NDArray[Any]:
    """A copy of ``values`` extended with zeros (False) along the first axis to ``n``."""
    out = np.zeros((n, *values.shape[1:]), values.dtype)
    out[: values.shape[0]] = values
    return out


def chain_state(link: LiveLink | None) -> tuple[LiveState, bool]:
    """The state an update from a result with ``link`` continues, and whether it is new
    (no link, or the link's state has moved on to another branch)."""
    if link is not None and link.current:
        return link.state, False
    return LiveState(), True


def step_counts(
    live: LiveState,
    fresh: bool,
    old: CellState,
    new: CellState,
    who: NDArray[np.int64],
    n_participants: int,
    zeroed: NDArray[np.bool_],
) -> RowCounts | None:
    """The chain's counts brought from cells ``old`` to cells ``new``; ``None`` when they must
    be counted over every cell (``live`` holds none yet, or the zeroed statements changed).

    Parameters
    ----------
    live : LiveState
    fresh : bool
        ``live`` is new (holds no counts for ``old``).
    old, new : CellState
        Cells before and after the update holding (at least) every cell of participants
        ``who`` (ascending), the only ones whose cells changed.
    n_participants : int
    zeroed : ndarray of bool, shape (n_statements,)
        Statements zeroed for everyone (moderated out or meta) now.
    """
    n_statements = zeroed.shape[0]
    counts = live.counts
    if fresh or counts is None:
        return None
    if not np.array_equal(_padded(live.zeroed, n_statements), zeroed):
        return None
    before, _cast, _dead = count_rows(old, rows_of(old, who), n_statements, zeroed)
    after, cast, dead = count_rows(new, rows_of(new, who), n_statements, zeroed)
    votes_cast = _padded(counts.votes_cast, n_participants)
    dead_votes = _padded(counts.dead_votes, n_participants)
    votes_cast[who] = cast
    dead_votes[who] = dead
    tallies = _padded(counts.tallies, n_statements) + after - before
    return RowCounts(tallies, votes_cast, dead_votes)


def step_gram(
    live: LiveState,
    fresh: bool,
    old: CellState,
    new: CellState,
    who: NDArray[np.int64],
    n_statements: int,
    n_cells: int,
) -> tuple[GramSums | None, Callable[[], None] | None]:
    """The Gram sums after an update of ``n_cells`` cells (``old``, ``new`` and ``who`` as in
    :func:`step_counts`), and the patch that brings them there, to run before they are read.

    ``(None, None)`` when no dense Gram product pays; ``(None, patch)`` when they are to be
    built from every cell (``patch`` unused). A chain's first update (e.g. one live update
    after a full analysis) multiplies over the cells as before: the sums cost as much as the
    whole Gram product, and pay back only over the updates that follow.
    """
    if fresh or not gram_pays(n_statements, n_cells):
        return None, None
    if live.gram is None:
        return None, _ready
    gram = live.gram.grown(n_statements)
    return gram, GramPatch(gram, old, new, who)


def settle(
    live: LiveState,
    counts: RowCounts,
    zeroed: NDArray[np.bool_],
    gram: GramSums | None,
) -> LiveLink:
    """Keep an update's counts and Gram sums in the chain's state; the new result's link."""
    live.counts, live.zeroed, live.gram = counts, zeroed.copy(), gram
    live.version += 1
    return LiveLink(live, live.version)


def _ready() -> None:
    """Nothing to wait for."""


class GramPatch:
    """The patch that brings an update's Gram sums up to date (``GramSums.patch``): a call
    patches them (the first call only), or :meth:`runs` hands the patch out in parts."""

    def __init__(self, gram: GramSums, old: CellState, new: CellState, who: NDArray[np.int64]):
        self.gram, self.old, self.new, self.who = gram, old, new, who
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            old, new, who = self.old, self.new, self.who
            self.gram.patch(old, rows_of(old, who), new, rows_of(new, who), who)

    def runs(self, count: int) -> list[Callable[[], None]]:
        """The patch in up to ``count`` parts that may run at once (``GramSums.patch_runs``),
        all of which the caller runs before the sums are read; a call does nothing after."""
        self.done = True
        old, new, who = self.old, self.new, self.who
        return self.gram.patch_runs(old, rows_of(old, who), new, rows_of(new, who), who, count)


@dataclass(frozen=True, eq=False)
class Kept:
    """What an update hands the pipeline from its chain's state.

    Attributes
    ----------
    link : LiveLink
        For the new result.
    counts : (tallies, votes_cast, dead_votes)
        Shapes (n_statements, 3), (n_participants,), (n_participants,): see ``RowCounts``.
    sums : GramSums, optional
        The Gram sums, when a dense Gram product pays: read them only after ``ready()``.
    before : CellState
        The cells before the update of (at least) the participants ``who``.
    who : ndarray of int64
        The participants whose cells the update changed (ascending).
    ready : callable
        Waits until ``sums`` are patched.
    centred : ndarray of float64, optional
        The centred values of the cells (``matrix.centred_values``), when the update was
        prepared ahead with them.
    components : Components, optional
        The update's components, when it was prepared ahead with them (solved on its Gram
        sums): the sums are then not read by the update.
    """

    link: LiveLink
    counts: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
    sums: GramSums | None
    before: CellState
    who: NDArray[np.int64]
    ready: Callable[[], None] = field(default=_ready)
    centred: NDArray[np.float64] | None = None
    components: Components | None = None

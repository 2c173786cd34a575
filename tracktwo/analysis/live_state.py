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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.live_cells import CellBuffers, GroupTallies, rows_of
from tracktwo.analysis.matrix import chunked_bincount, vote_codes
from tracktwo.analysis.parallel import background

__all__ = [
    "GRAM_MAX_STATEMENTS",
    "GramSums",
    "Kept",
    "LiveLink",
    "LiveState",
    "RowCounts",
    "advance",
    "chain_state",
    "gram_pays",
    "rows_of",
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


def advance(
    live: LiveState,
    fresh: bool,
    old: CellState,
    new: CellState,
    who: NDArray[np.int64],
    n_participants: int,
    zeroed: NDArray[np.bool_],
) -> tuple[LiveLink, RowCounts, GramSums | None, Callable[[], None]]:
    """Bring the chain's counts and Gram sums from cells ``old`` to cells ``new``.

    The Gram sums are patched on the thread pool (``parallel.background``) while the caller
    goes on: the sums must not be read before the function returned last has been called.

    Parameters
    ----------
    live : LiveState
    fresh : bool
        ``live`` holds no counts yet for ``old``: count ``new`` from scratch.
    old, new : CellState
        The cells before (at least those of participants ``who``, e.g. from the first of them
        on) and after the update; only participants ``who`` (ascending) changed.
    n_participants : int
    zeroed : ndarray of bool, shape (n_statements,)
        Statements zeroed for everyone (moderated out or meta) now.

    Returns
    -------
    The new result's link, the counts over ``new``, the Gram sums (when they pay) and the
    function that waits until they are patched.
    """
    n_statements = zeroed.shape[0]
    counts = live.counts
    same_zeroed = counts is not None and np.array_equal(_padded(live.zeroed, n_statements), zeroed)
    if fresh or counts is None or not same_zeroed:
        counts = full_counts(new, n_participants, n_statements, zeroed)
    else:
        before, _cast, _dead = count_rows(old, rows_of(old, who), n_statements, zeroed)
        after, cast, dead = count_rows(new, rows_of(new, who), n_statements, zeroed)
        votes_cast = _padded(counts.votes_cast, n_participants)
        dead_votes = _padded(counts.dead_votes, n_participants)
        votes_cast[who] = cast
        dead_votes[who] = dead
        tallies = _padded(counts.tallies, n_statements) + after - before
        counts = RowCounts(tallies, votes_cast, dead_votes)
    gram = None
    ready = _ready
    # a chain's first update (e.g. one live update after a full analysis) multiplies over the
    # cells as before: the sums cost as much as the whole Gram product, and pay back only over
    # the updates that follow
    if not fresh and gram_pays(n_statements, int(new[0].shape[0])):
        gram = live.gram
        if gram is None:
            gram = GramSums.of(new, n_statements)
        else:
            gram = gram.grown(n_statements)
            ready = background(_patching(gram, old, new, who))
    live.counts, live.zeroed, live.gram = counts, zeroed.copy(), gram
    live.version += 1
    return LiveLink(live, live.version), counts, gram, ready


def _ready() -> None:
    """Nothing to wait for."""


def _patching(
    gram: GramSums, old: CellState, new: CellState, who: NDArray[np.int64]
) -> Callable[[], None]:
    """The patch of ``gram`` from ``old`` to ``new`` for participants ``who``, to run later."""
    return lambda: gram.patch(old, rows_of(old, who), new, rows_of(new, who), who)


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
    """

    link: LiveLink
    counts: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
    sums: GramSums | None
    before: CellState
    who: NDArray[np.int64]
    ready: Callable[[], None] = field(default=_ready)

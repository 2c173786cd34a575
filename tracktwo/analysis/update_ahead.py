"""The next update of a replay, prepared while the one before it runs.

A replay knows its next batch. While an update runs its projection and clusterings, the next
one is prepared (:func:`start_ahead`): matched and merged on the calling thread, its Gram sums
patched, formed and its components solved on the pool. The next ``update`` with exactly those
events takes the prepared step (:func:`take_ahead`); any other update of the chain waits for
it, and as the sums then hold votes it does not have, starts them afresh.

With Gram sums, the work is laid out so that both cores stay busy (:func:`_split_ahead`): the
calling thread prepares the update after next as soon as the update it takes is patched
(before its components are solved), and patches half of its sums (a quarter when a second
process solves: ``APART_PARTS``) once the Gram matrix of the update it takes is formed, while
the pool (or the process) solves; the pool patches the rest after that solve, then forms and
solves (or asks the process to). The calling thread waits for an update's components only before
its projection. Every entry is computed by the same operations as on one thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.live_state import GramPatch, LiveState
from tracktwo.analysis.matrix import centred_values, column_means
from tracktwo.analysis.parallel import background, threads
from tracktwo.analysis.pca import Components
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.solver_process import SOLVER, Pending, SolverLost, SolverProcess
from tracktwo.analysis.solvers import cells_matrix, components_ahead, components_of_matrix
from tracktwo.analysis.update_step import Step, prepare
from tracktwo.analysis.votes import Statements, VoteEvents

__all__ = ["Ahead", "start_ahead", "take_ahead"]

Vectors = Callable[[], NDArray[np.float64] | None]

APART_PARTS = 4
"""Parts a prepared update's Gram patch is cut into when a process solves: the calling thread
patches the first, the pool the rest. The pool's core also runs the solving process, so the
calling thread's share is smaller than half (updates 300-500 of the 100k replay, 4 runs each,
interleaved: a median of 39.2 ms an update against 41.8 with the whole patch on the pool)."""


@dataclass(frozen=True, eq=False)
class Ahead:
    """The next update of a chain, prepared: for ``events`` (by identity)."""

    events: VoteEvents
    step: Callable[[], Step]


def start_ahead(
    step: Step,
    cells: CellState,
    new_events: VoteEvents,
    params: AnalysisParams,
    vectors: Vectors,
) -> None:
    """Prepare the update after ``step`` (whose cells ``cells`` are committed) with
    ``new_events``, its components solved on the pool warm-started from ``vectors()`` (the
    components of ``step``, shape (2, n_statements); asked for on the pool, after ``step``'s
    own pool work) with ``params``.

    ``step``'s Gram matrix must be formed before the patch writes the sums: when the pool
    forms it, the patch waits for ``step.formed``; else call this once ``step``'s update has
    read its Gram sums.
    """
    live = step.live
    try:
        prepared = prepare(
            live, False, step.events, step.index, step.rows, step.next_rank, cells, new_events,
            patch_later=threads() > 1,
        )  # fmt: skip
    except Exception as error:  # raised by the update that takes it, as if prepared there
        failure = error

        def failed() -> Step:
            raise failure

        live.ahead = Ahead(new_events, failed)
        return
    codes = live.cells.codes  # the next cells' head codes: kept
    if threads() > 1:
        live.ahead = Ahead(new_events, _split_ahead(step, prepared, cells, codes, params, vectors))
        return
    solved = background(lambda: _solved(prepared, cells, codes, params, vectors()))
    live.ahead = Ahead(new_events, solved)


def _split_ahead(
    step: Step,
    prepared: Step,
    cells: CellState,
    codes: NDArray[np.int32],
    params: AnalysisParams,
    vectors: Vectors,
) -> Callable[[], Step]:
    """``prepared`` patched on both cores and solved on the pool (see the module docstring);
    the step returned at once, with waits for its patch, Gram matrix and components
    (``solve`` is ``None`` when the pool does not solve it: the update then does)."""
    split = _Split(prepared, cells, codes, params, vectors, SOLVER.get())
    if split.on_cells:  # built here, so that the pool starts its solve with the products
        prepared, split.matrix = _matrix_ahead(prepared, cells, codes)
        split.prepared = prepared  # with its centred values, which the update then reads
    if split.patch is not None:
        if step.formed is not None:
            step.formed()  # the sums are free once the update before has formed its matrix
        # with a solving process, the pool's core also runs the process: a quarter here
        split.parts = split.patch.runs(APART_PARTS if split.apart else threads())
        split.ours = split.parts[:1]
    solve = background(split.pool_work)
    split.run_ours()

    def solved() -> Components | None:
        try:
            found = solve()
            return found.result() if isinstance(found, Pending) else found
        except BaseException:
            prepared.live.gram = None
            raise

    taken = replace(
        prepared,
        ready=split.waits(split.patched) if prepared.ready is not None else None,
        formed=split.waits(split.formed) if split.on_sums else None,
        solve=solved if split.on_sums or split.on_cells else None,
    )
    return lambda: taken


class _Split:
    """The two halves of a prepared update's work (:func:`_split_ahead`): the calling
    thread's (the first part of the patch) and the pool's (the other parts, then the Gram
    matrix and the solve), and the events that say how far they are."""

    def __init__(
        self,
        prepared: Step,
        cells: CellState,
        codes: NDArray[np.int32],
        params: AnalysisParams,
        vectors: Vectors,
        solver: SolverProcess | None,
    ) -> None:
        self.prepared, self.cells, self.codes, self.params = prepared, cells, codes, params
        self.patched, self.formed, self.mine = (threading.Event() for _ in range(3))
        self.failures: list[BaseException] = []
        counts = prepared.counts
        ready = prepared.ready
        self.patch = ready if isinstance(ready, GramPatch) and prepared.gram else None
        self.on_sums = self.patch is not None and counts is not None
        self.on_cells = ready is None and counts is not None and prepared.tail is not None
        self.parts: list[Callable[[], None]] = []
        self.ours: list[Callable[[], None]] = []
        self.matrix: sparse.csr_array | None = None  # the centred matrix, solved on its cells
        self.solver = solver
        files = prepared.gram.files if prepared.gram is not None else None
        self.apart = solver is not None and not solver.lost and self.on_sums and bool(files)
        # dropped once used: each step's pool work would otherwise hold the step before, and
        # so every step of the chain, with its cells and patch
        self.held: list[Vectors] = [vectors]

    def run_ours(self) -> None:
        """The calling thread's part of the patch."""
        try:
            for part in self.ours:
                part()
        except BaseException as error:
            self.failures.append(error)
        finally:
            self.mine.set()

    def pool_work(self) -> Components | Pending | None:
        """The pool's parts of the patch, then (once both are done) the components, or, when
        a process solves them, the request once its Gram matrix is formed."""
        try:
            for part in self.parts[len(self.ours) :]:
                part()
            self.mine.wait()
            if self.failures:
                raise self.failures[0]
            self.patched.set()
            return self._components()
        except BaseException as error:
            self.failures.append(error)
            raise
        finally:
            self.parts, self.ours, self.held = [], [], []
            self.patched.set()
            self.formed.set()

    def _components(self) -> Components | Pending | None:
        start = self.held.pop()() if self.on_sums or self.on_cells else None
        if start is None or not np.any(start):
            return None  # the update solves its components itself
        step = self.prepared
        if self.apart and self.solver is not None and step.gram and step.counts is not None:
            pending = self._asked(start)
            if pending is not None:
                self.formed.set()
                return pending
            # no process to answer (it did not start, or ended): solved here, as without one
        if self.on_sums and step.gram is not None and step.counts is not None:
            return components_ahead(
                step.gram, step.counts.tallies, step.zeroed, step.events.n_participants,
                self.params, start, self.formed.set,
            )  # fmt: skip
        self.formed.set()
        if self.matrix is not None:
            x, self.matrix = self.matrix, None
            return components_of_matrix(x, self.params, start)
        return _solved(step, self.cells, self.codes, self.params, start).components

    def _asked(self, start: NDArray[np.float64]) -> Pending | None:
        """The request to the solving process, once its Gram matrix is formed (the next
        update's patch may then write the sums); ``None`` when the process is lost before."""
        step, solver = self.prepared, self.solver
        if solver is None or step.gram is None or step.counts is None:
            return None
        try:
            pending = solver.request(
                step.gram, step.counts.tallies, step.zeroed, step.events.n_participants,
                self.params, start,
            )  # fmt: skip
        except SolverLost:
            return None
        pending.formed.wait()
        return None if isinstance(pending.error, SolverLost) else pending

    def waits(self, event: threading.Event) -> Callable[[], None]:
        """A wait for ``event``, which raises what either half raised."""

        def waited() -> None:
            event.wait()
            if self.failures:
                self.prepared.live.gram = None  # a failed patch leaves the sums half patched
                raise self.failures[0]

        return waited


def _solved(
    step: Step,
    cells: CellState,
    codes: NDArray[np.int32],
    params: AnalysisParams,
    vectors: NDArray[np.float64] | None,
) -> Step:
    """``step`` (after ``cells``, whose codes are ``codes``) patched, with its components
    solved from ``vectors``: on its Gram sums when it has them, else on its centred cells
    (whose values it then keeps for the update's projection)."""
    if vectors is None:
        if step.ready is not None:
            step.ready()
        return step
    if step.ready is not None and step.gram is not None:
        step.ready()
        if step.counts is not None:
            found = components_ahead(
                step.gram,
                step.counts.tallies,
                step.zeroed,
                step.events.n_participants,
                params,
                vectors,
            )
            return replace(step, components=found)
        return step
    step, x = _matrix_ahead(step, cells, codes)
    if x is None:
        return step
    return replace(step, components=components_of_matrix(x, params, vectors))


def _matrix_ahead(
    step: Step, cells: CellState, codes: NDArray[np.int32]
) -> tuple[Step, sparse.csr_array | None]:
    """``step`` (after ``cells``, whose codes are ``codes``) with the centred values of its
    cells, and its centred matrix as the update would build it, when it has its counts and
    no Gram sums (else ``step`` and ``None``)."""
    step = _centred_ahead(step, codes)
    if step.centred is None or step.counts is None or step.tail is None:
        return step, None
    statement = np.concatenate([cells[1][: step.start], step.tail[1]])
    n_statements = step.events.n_statements
    return step, cells_matrix(step.centred, statement, step.counts.votes_cast, n_statements)


def _centred_ahead(step: Step, codes: NDArray[np.int32]) -> Step:
    """``step`` with the centred values of its cells (the codes of ``codes``' first
    ``step.start`` cells, then its tail's), when it has its counts and no Gram sums.

    The Gram matrix is left to the update itself, which builds it on both cores: prepared
    here too, the pool's part outlasted the projection and clusterings it runs beside."""
    if step.counts is None or step.tail is None or step.ready is not None:
        return step  # with Gram sums, the PCA reads no centred value (nor does the projection)
    center, _geometry = column_means(step.counts.tallies, step.zeroed)
    data = np.empty(step.start + step.tail[0].shape[0])
    centred_values(codes[: step.start], center, step.zeroed, out=data[: step.start])
    tail_codes: NDArray[np.int32] = step.tail[4]  # type: ignore[assignment]
    centred_values(tail_codes, center, step.zeroed, out=data[step.start :])
    return replace(step, centred=data)


def take_ahead(
    live: LiveState, new_events: VoteEvents, statements: Statements | None
) -> Step | None:
    """The step prepared for ``new_events`` in ``live``, if any.

    A step prepared for other events (or with moderation changes to apply) is dropped once
    its pool work has ended, and as its Gram patch is in the sums, they are dropped too: the
    next update that uses them builds them from every cell. The step for these events is
    taken once its Gram patch is in (the commit writes the cells the patch reads), while its
    components may still be solved: a solve on the cells reads only those before the cells
    the commit writes, and its own.
    """
    pending = live.ahead
    if pending is None:
        return None
    live.ahead = None
    fits = pending.events is new_events and statements is None
    try:
        step = pending.step()
        if fits:
            if step.ready is not None:
                step.ready()  # the patch reads the cells the commit writes
        elif step.solve is not None:
            step.solve()
    except BaseException:
        live.gram = None
        if fits:
            raise
        return None
    if fits:
        return step
    live.gram = None
    return None

"""The opinion engine: votes in, groups and common ground out, Pol.is step by step.

``analyze(events)`` runs the whole pipeline on a conversation's votes; ``update(result,
new_events)`` continues from an earlier result as Pol.is's worker does every second: the vote
cells are patched, PCA power iteration starts from the previous components, base clusters and
every k's group clusters start from the previous ones, the in-conv set only grows, and a new
group count is shown only after it has won ``k_buffer`` updates in a row. ``analyze`` on the
first votes followed by ``update`` batch by batch is a replay of the conversation as Pol.is
lived it.

Pipeline (``docs/analysis.md`` has the details and the agreement measured against Pol.is):
votes that count -> sparse centred matrix (moderated-out and meta columns zeroed) -> in-conv ->
PCA -> sparsity-aware projection -> base k-means (k = 100) over in-conv participants in Pol.is's
rating-matrix row order (arrival; ``matrix.polis_rows``) -> weighted k-means of base clusters for each k, silhouette, k smoother ->
repness, consensus, group-aware consensus, uncertainty, routing priority, support intervals,
divisiveness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis import kmeans_loops
from tracktwo.analysis.bounds_loop import carried_start
from tracktwo.analysis.clojure_order import id_order
from tracktwo.analysis.clustering import cold_start, kmeans_bounded, warm_start
from tracktwo.analysis.groups import choose_k
from tracktwo.analysis.groups import group_clusterings as _group_clusterings
from tracktwo.analysis.kmeans_bounds import Bounds, per_participant, start_of
from tracktwo.analysis.live_cells import cells_of, tallies_by_group
from tracktwo.analysis.live_state import Kept, chain_state
from tracktwo.analysis.matrix import (
    CellState,
    build_geometry,
    in_conv,
    latest_cells,
    polis_rows,
    zeroed_statements,
)
from tracktwo.analysis.parallel import one_blas_thread
from tracktwo.analysis.projection import project_participants, project_statements
from tracktwo.analysis.repness import vote_tallies
from tracktwo.analysis.result import (
    AnalysisParams,
    AnalysisResult,
    Clustering,
    EngineState,
    PCAResult,
)
from tracktwo.analysis.solvers import choose_solver
from tracktwo.analysis.solvers import components as _components
from tracktwo.analysis.summaries import SummaryInputs
from tracktwo.analysis.update_ahead import start_ahead, take_ahead
from tracktwo.analysis.update_step import Step, all_rows, commit, prepare
from tracktwo.analysis.votes import (
    Id,
    Statements,
    VoteEvents,
    VoteInputError,
)

__all__ = [
    "SCALABLE_BASE_ITERATIONS",
    "AnalysisParams",
    "AnalysisResult",
    "analyze",
    "choose_k",
    "reload",
    "update",
]

SCALABLE_BASE_ITERATIONS = 100
SCALABLE_SAMPLE = 100_000


def analyze(events: VoteEvents, params: AnalysisParams = AnalysisParams()) -> AnalysisResult:  # noqa: B008
    """Analyse a conversation's votes from scratch.

    Raises
    ------
    VoteInputError
        When there are no votes.
    """
    if len(events) == 0:
        raise VoteInputError("no votes: there is nothing to analyse")
    cells = latest_cells(
        events.participant, events.statement, events.vote, events.timestamp, events.n_statements
    )
    rows = all_rows(
        polis_rows(cells[0], cells[1], events.participant_ids, events.statements.ids),
        events.n_participants,
    )
    return _run(events, cells, len(events), None, params, None, rows)


def update(
    result: AnalysisResult,
    new_events: VoteEvents,
    statements: Statements | None = None,
    ahead: VoteEvents | None = None,
) -> AnalysisResult:
    """Continue ``result`` with later votes, warm-starting every step (a Pol.is update).

    Parameters
    ----------
    result : AnalysisResult
        An earlier ``analyze`` or ``update`` result.
    new_events : VoteEvents
        Votes cast since; participants and statements are matched to earlier ones by id, new
        ones are added (with the statement texts and moderation ``new_events`` carries).
    statements : Statements, optional
        New texts, moderation and meta flags for statements already known (e.g. a statement
        moderated out since); statements not listed keep theirs.
    ahead : VoteEvents, optional
        The votes of the update that will follow this one (a replay knows them): their
        matching, cells and Gram patch are prepared on the thread pool meanwhile
        (``update_ahead``), for an ``update`` of the result with these very events.

    BLAS runs on one thread (``parallel.one_blas_thread``): an update's dense algebra is
    mat-vecs and small products, which a second BLAS thread only slows (its spinning takes
    the core the thread pool's work needs).
    """
    with one_blas_thread():
        return _update(result, new_events, statements, ahead)


def _update(
    result: AnalysisResult,
    new_events: VoteEvents,
    statements: Statements | None,
    ahead: VoteEvents | None,
) -> AnalysisResult:
    live, fresh = chain_state(result.state.live)
    step = None if fresh else take_ahead(live, new_events, statements)
    if step is None:
        state = result.state
        step = prepare(
            live,
            fresh,
            result.events,
            state.participant_index,
            state.rows,
            state.next_rank,
            cells_of(result),
            new_events,
            statements,
        )
    cells, kept = commit(step)
    after_sums = None
    # solved on the pool: the next update is prepared now, its solve queued after this one's
    pooled = step.solve is not None and bool(np.any(result.pca.components))
    if ahead is not None:
        following, params, found = step, result.params, step.components
        if pooled:
            start_ahead(following, cells, ahead, params, lambda: _vectors(following))
        elif found is not None:  # solved ahead: the sums are not read here
            start_ahead(following, cells, ahead, params, lambda: found.vectors)
        else:  # once this update has read the sums and found the components to start from
            after_sums = lambda vectors: start_ahead(  # noqa: E731
                following, cells, ahead, params, lambda: vectors
            )
    if step.solve is not None:  # the pool's work for this update ends here
        kept = replace(kept, components=step.solve())
    return _run(
        step.events, cells, step.next_rank, step.index, result.params, result, step.rows, kept,
        after_sums,
    )  # fmt: skip


def _vectors(step: Step) -> NDArray[np.float64] | None:
    """The components ``step``'s update solves on the pool (asked for on the pool)."""
    found = step.solve() if step.solve is not None else None
    return found.vectors if found is not None else None


def reload(result: AnalysisResult) -> AnalysisResult:
    """``result`` as Pol.is's worker has it after loading the conversation from its database.

    Pol.is persists only part of its state (``prep-main``) and, on loading it back
    (``conv-man/load-or-init`` and ``restructure-json-conv``, also the export's
    ``darwin.export/load-conv``), keeps the PCA, the in-conv set and the base clusters with their
    members, but not the group clustering of every k nor the k smoother, and rebuilds the
    rating matrix from every vote polled at once, ordered by ``[:zid :tid :pid :created]``. The
    next ``update`` therefore starts each k's group k-means afresh from the first k distinct
    base-cluster centres, shows the best k at once, and iterates participants in the new row
    order (``matrix.polis_rows`` over all votes).
    """
    events = result.events
    cells = cells_of(result)  # who voted on what: the same as in every vote polled
    rows = all_rows(
        polis_rows(cells[0], cells[1], events.participant_ids, events.statements.ids),
        events.n_participants,
    )
    state = replace(result.state, group_clusterings={}, group_base_ids={}, rows=rows, smoother=None)
    return replace(result, state=state)


def _base_clusters(
    points: NDArray[np.float64],
    members: NDArray[np.int64],
    params: AnalysisParams,
    solver: str,
    previous: AnalysisResult | None,
    participant_ids: tuple[Id, ...],
    compiled: bool = False,
) -> tuple[Clustering, Bounds]:
    """Base k-means over the in-conv participants ``members`` (in Pol.is's iteration order);
    labels over all participants, and the bounds the next update starts from (``compiled``:
    an update's, by the compiled loops, ``kmeans_loops``).

    The scalable solver runs at most ``SCALABLE_BASE_ITERATIONS`` steps, assigns with a k-d
    tree, and, above ``SCALABLE_SAMPLE`` clustered participants, iterates on the first
    ``SCALABLE_SAMPLE`` of them in hash order of their ids (a pseudo-random sample, kept in
    row order) before one full step over everyone.
    """
    n_participants = points.shape[0]
    exact = solver != "scalable"
    limit = (
        params.base_iterations if exact else min(params.base_iterations, SCALABLE_BASE_ITERATIONS)
    )
    sample = members
    if not exact and members.shape[0] > SCALABLE_SAMPLE:
        # a pseudo-random sample: the first in hash order of the ids, kept in row order
        picked = id_order([participant_ids[i] for i in members.tolist()])[:SCALABLE_SAMPLE]
        sample = members[np.sort(picked)]
    data = points.take(sample, axis=0)  # rows gathered (faster than indexing)
    if previous is not None and previous.base.k:
        old = previous.base.labels  # each participant's cluster; -1 for those new since
        new = np.flatnonzero(sample >= old.shape[0])
        before = old.take(np.minimum(sample, old.shape[0] - 1) if new.shape[0] else sample)
        before[new] = -1
        ids, centres = warm_start(data, previous.base.ids, before, params.base_clusters)
        last = (previous.base.ids, previous.base.centers, previous.base.labels)
        bounds = previous.state.base_bounds
        start: Bounds | None
        if compiled and bounds is not None and sample.shape[0] >= kmeans_loops.COMPILED_FROM:
            start = carried_start(data, sample, ids, centres, previous.projection, last, bounds)
        else:
            start = start_of(data, sample, ids, centres, previous.projection, last, bounds)
    else:
        ids, centres = cold_start(data, params.base_clusters)
        start = None
    clustering, _steps, fit = kmeans_bounded(
        data, ids, centres, limit, None, exact, start, compiled
    )
    if sample.shape[0] < members.shape[0]:
        whole = points.take(members, axis=0)
        clustering, _steps, fit = kmeans_bounded(
            whole, clustering.ids, clustering.centers, 0, exact_ties=False, compiled=compiled
        )
    fit = per_participant(fit, members, n_participants)
    return Clustering(clustering.ids, clustering.centers, fit.labels), fit


def _run(
    events: VoteEvents,
    cells: CellState,
    next_rank: int,
    index: dict[Id, int] | None,
    params: AnalysisParams,
    previous: AnalysisResult | None,
    rows: NDArray[np.int64],
    kept: Kept | None = None,
    after_sums: Callable[[NDArray[np.float64]], None] | None = None,
) -> AnalysisResult:
    """The pipeline after the cells, step by step in Pol.is's order.

    Kept in one piece: each step is one call; the order of the calls is the method, and
    splitting it would scatter that order over several functions.
    """
    n_participants, n_statements = events.n_participants, events.n_statements
    statements = events.statements
    solver = choose_solver(params, n_participants)
    votes = (cells[0], cells[1], cells[2])
    zeroed = zeroed_statements(statements.moderated, statements.is_meta)
    row_rank = np.empty(n_participants, np.int64)
    row_rank[rows] = np.arange(n_participants, dtype=np.int64)
    counts, codes = (kept.counts, kept.link.state.cells.codes) if kept else (None, None)
    centred = kept.centred if kept else None
    geometry = build_geometry(votes, n_participants, n_statements, zeroed, counts, codes, centred)
    found = kept.components if kept is not None else None  # solved ahead, on the pool
    gram = None
    if found is None and kept is not None and kept.sums is not None:
        kept.ready()
        # the faithful solver's products read every entry; the scalable one, one triangle
        gram = kept.sums.gram(geometry.center, zeroed, whole=solver != "scalable")
    clustered = in_conv(
        geometry.votes_cast,
        geometry.n_columns,
        events.participant_ids,
        previous.in_conv if previous is not None else None,
        params.min_votes_in_conv,
        params.min_in_conv,
        row_rank,
    )
    if found is None:
        warm = previous is not None and bool(np.any(previous.pca.components))
        # a warm-started PCA on the Gram matrix reads only the centred matrix's shape
        x = geometry.pattern if gram is not None and warm else geometry.centred
        start = previous.pca.components if previous is not None else None
        found = _components(x, n_statements, params, solver, start, gram)
    if after_sums is not None:  # the sums are read, the components found: prepare the next
        after_sums(found.vectors)
    pca = PCAResult(
        geometry.center,
        found.vectors,
        found.explained,
        geometry.geometry,
        geometry.zeroed,
        found.iterations,
    )
    points = project_participants(geometry, found.vectors, compiled=kept is not None)
    statement_points, extremity = project_statements(geometry, found.vectors)

    # Pol.is's base k-means iterates the in-conv rows in rating-matrix row order:
    # ``(nm/rowname-subset proj-nmat in-conv)`` keeps the matrix's order (named_matrix.clj)
    members = rows[clustered[rows]]  # rows orders every participant: no sort needed
    base, bounds = _base_clusters(
        points, members, params, solver, previous, events.participant_ids, kept is not None
    )
    clusterings, scores = _group_clusterings(base, params, previous)
    k = choose_k(scores, params.k_buffer, previous.state.smoother if previous is not None else None)
    groups = clusterings[k.shown]
    group_labels = np.full(n_participants, -1, np.int64)
    inside = base.labels >= 0
    group_labels[inside] = groups.labels[base.labels[inside]]

    candidates = np.flatnonzero(geometry.active)
    if kept is not None:
        group_tallies = tallies_by_group(
            kept.link.state, cells, kept.before, kept.who, group_labels, groups.k, n_statements
        )
    else:
        group_tallies = vote_tallies(votes, group_labels, groups.k, n_statements, geometry.codes)
    summary_of = SummaryInputs(  # read when the summaries are (a test checks they hold still)
        group_tallies, geometry.tallies, candidates, extremity, statements.is_meta,
        params.interval,
    )  # fmt: skip
    state = EngineState(
        cells=cells,
        next_rank=next_rank,
        participant_index=index,
        group_clusterings=clusterings,
        group_base_ids={kk: base.ids for kk in clusterings},
        rows=rows,
        smoother=k,
        live=kept.link if kept is not None else None,
        base_bounds=bounds,
    )
    return AnalysisResult(
        params=params,
        solver=solver,
        events=events,
        n_votes=int(cells[0].shape[0]),
        in_conv=clustered,
        pca=pca,
        projection=points,
        statement_projection=statement_points,
        extremity=extremity,
        base=base,
        group_of_base=groups.labels,
        group_centers=groups.centers,
        k=k,
        summary_of=summary_of,
        state=state,
    )

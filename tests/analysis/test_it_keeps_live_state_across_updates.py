"""update(): the counts, Gram sums and event buffers a chain of updates keeps equal a fresh
build on the same votes, and a chain gives the results of the path that rebuilds everything."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.analysis import live_state
from tracktwo.analysis.cells import latest_cells
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.matrix import build_geometry, zeroed_statements
from tracktwo.analysis.replay import replay
from tracktwo.analysis.repness import vote_tallies
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import Statements, VoteEvents, from_records

Record = tuple[str, str, int, float]


def conversation(seed: int, n_participants: int, n_statements: int, n_votes: int) -> list[Record]:
    """Votes with re-votes, ties in time and participants who come back later."""
    rng = np.random.default_rng(seed)
    who = rng.integers(0, n_participants, n_votes)
    what = rng.integers(0, n_statements, n_votes)
    vote = rng.choice([-1, 0, 1], n_votes, p=[0.35, 0.15, 0.5])
    time = np.sort(rng.integers(0, n_votes // 3 + 1, n_votes)).astype(float)
    return [
        (f"p{w}", f"s{s}", int(v), float(t))
        for w, s, v, t in zip(who, what, vote, time, strict=True)
    ]


def chain(records: list[Record], cuts: list[int], moderated: str | None = None) -> AnalysisResult:
    bounds = [0, *cuts, len(records)]
    result = analyze(from_records(records[: bounds[1]]))
    for i, (a, b) in enumerate(pairwise(bounds[1:])):
        statements = None
        if moderated is not None and i == 1:  # a statement moderated out mid-way
            statements = Statements(
                (moderated,), (None,), np.array([-1], np.int8), np.zeros(1, np.bool_)
            )
        result = update(result, from_records(records[a:b]), statements)
    return result


def assert_fresh(result: AnalysisResult) -> None:
    """The kept state (cells, counts, group tallies, Gram sums) equals what a build from every
    vote so far gives."""
    events = result.events
    cells = latest_cells(
        events.participant, events.statement, events.vote, events.timestamp, events.n_statements
    )
    for kept, built in zip(result.state.cells[:3], cells[:3], strict=True):
        np.testing.assert_array_equal(kept, built)
    zeroed = zeroed_statements(events.statements.moderated, events.statements.is_meta)
    fresh = build_geometry(cells[:3], events.n_participants, events.n_statements, zeroed)
    link = result.state.live
    assert link is not None and link.current
    counts = link.state.counts
    assert counts is not None
    np.testing.assert_array_equal(counts.tallies, fresh.tallies)
    np.testing.assert_array_equal(counts.votes_cast, fresh.votes_cast)
    live_votes = counts.votes_cast - counts.dead_votes
    np.testing.assert_array_equal(live_votes + int(fresh.zeroed.sum()), fresh.scale_votes)
    groups = link.state.groups
    assert groups is not None
    np.testing.assert_array_equal(groups.labels, result.group_labels)
    counted = vote_tallies(
        cells[:3], result.group_labels, result.group_centers.shape[0], events.n_statements
    )
    np.testing.assert_array_equal(groups.tallies, counted)
    sums = link.state.gram
    if sums is not None:
        gram = (fresh.centred.T @ fresh.centred).toarray()
        np.testing.assert_allclose(sums.gram(fresh.center, zeroed), gram, atol=1e-9, rtol=0)


def test_it_keeps_counts_and_the_gram_matrix_of_a_fresh_build() -> None:
    records = conversation(seed=1, n_participants=60, n_statements=12, n_votes=900)
    result = chain(records, [100, 250, 400, 401, 700], moderated="s3")
    assert result.state.live is not None and result.state.live.state.gram is not None
    assert result.pca.zeroed[result.events.statements.index["s3"]]
    assert_fresh(result)
    assert len(result.events) == len(records)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_statements=st.integers(2, 9),
    cuts=st.lists(st.integers(1, 399), min_size=1, max_size=6, unique=True),
)
def test_it_keeps_a_fresh_build_through_any_batches(
    seed: int, n_statements: int, cuts: list[int]
) -> None:
    records = conversation(seed, 25, n_statements, 400)
    assert_fresh(chain(records, sorted(cuts)))


def test_it_starts_afresh_when_an_older_result_is_updated_again() -> None:
    records = conversation(seed=2, n_participants=40, n_statements=8, n_votes=600)
    first = analyze(from_records(records[:200]))
    middle = update(first, from_records(records[200:400]))
    later = update(middle, from_records(records[400:]))
    branch = update(middle, from_records(records[400:500]))  # middle's state has moved on
    assert middle.state.live is not None and not middle.state.live.current
    assert later.state.live is not None and branch.state.live is not None
    assert later.state.live.current and branch.state.live.state is not later.state.live.state
    assert_fresh(branch)
    again = update(later, from_records([]))
    assert_fresh(again)
    assert len(again.events) == len(records) and len(branch.events) == 500
    np.testing.assert_array_equal(later.events.vote, again.events.vote)


def test_it_leaves_the_cells_of_earlier_results_as_they_were() -> None:
    records = conversation(seed=4, n_participants=30, n_statements=6, n_votes=300)
    first = analyze(from_records(records[:200]))
    kept = [np.array(a) for a in first.state.cells]
    again = update(first, from_records([]))
    revotes = [(p, s, -v, t + 1000.0) for p, s, v, t in records[150:200]]  # same cells only
    later = update(update(again, from_records(revotes)), from_records(records[200:]))
    for before, now in zip(kept, first.state.cells, strict=True):
        np.testing.assert_array_equal(before, now)
    assert_fresh(later)
    assert_fresh(update(again, from_records(records[200:])))  # from a result moved on from


def equal_results(a: AnalysisResult, b: AnalysisResult) -> None:
    assert a.to_json().keys() == b.to_json().keys()
    np.testing.assert_array_equal(a.group_labels, b.group_labels)
    np.testing.assert_array_equal(a.base.labels, b.base.labels)
    np.testing.assert_array_equal(a.support.counts, b.support.counts)
    np.testing.assert_allclose(a.pca.components, b.pca.components, rtol=0, atol=1e-8)
    np.testing.assert_allclose(a.projection, b.projection, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(a.pca.explained, b.pca.explained, rtol=1e-8, atol=1e-12)
    assert (a.k.shown, a.k.best, a.k.history) == (b.k.shown, b.k.best, b.k.history)
    assert a.k.silhouettes.keys() == b.k.silhouettes.keys()
    for k, score in a.k.silhouettes.items():
        assert score == pytest.approx(b.k.silhouettes[k], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("solver", ["faithful", "scalable"])
def test_it_replays_to_the_result_of_rebuilding_every_update(
    solver: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = conversation(seed=3, n_participants=120, n_statements=10, n_votes=2500)
    events: VoteEvents = from_records(records)
    # few base clusters: with about one per participant, exact distance ties decide labels
    params = AnalysisParams(solver=solver, base_clusters=12)  # type: ignore[arg-type]
    kept = replay(events, params, 0.05, restart_at_end=True)
    assert kept.state.live is not None and kept.state.live.state.gram is not None
    monkeypatch.setattr(live_state, "GRAM_WORK_FACTOR", 0)  # products over the cells again
    rebuilt = replay(events, params, 0.05, restart_at_end=True)
    assert rebuilt.state.live is not None and rebuilt.state.live.state.gram is None
    equal_results(kept, rebuilt)

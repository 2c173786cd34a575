"""superseded.compact(): a chain of updates that drops the re-votes its cells no longer count
gives every result of the chain that keeps every event, with at most (1 + slack) events
per cell."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from results_support import assert_same_analysis

from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.result import AnalysisResult
from tracktwo.analysis.superseded import compact
from tracktwo.analysis.votes import from_records


def revotes(
    seed: int, n_participants: int, n_statements: int, n_votes: int
) -> list[tuple[str, str, int, float]]:
    """Votes on few cells, so most are re-votes; times with ties and some out of order."""
    rng = np.random.default_rng(seed)
    time = np.sort(rng.integers(0, n_votes // 4 + 1, n_votes)).astype(float)
    time[rng.random(n_votes) < 0.05] -= 3.0  # a few arrive late
    return [
        (f"p{w}", f"s{s}", int(v), float(t))
        for w, s, v, t in zip(
            rng.integers(0, n_participants, n_votes),
            rng.integers(0, n_statements, n_votes),
            rng.choice([-1, 0, 1], n_votes),
            time,
            strict=True,
        )
    ]


def assert_same(kept: AnalysisResult, dropped: AnalysisResult) -> None:
    assert_same_analysis(kept, dropped)
    latest_a, latest_b = kept.events.latest(), dropped.events.latest()
    np.testing.assert_array_equal(latest_a.vote, latest_b.vote)
    np.testing.assert_array_equal(latest_a.participant, latest_b.participant)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    slack=st.sampled_from([0.0, 0.5, 1.0]),
    cuts=st.lists(st.integers(1, 1199), min_size=1, max_size=8, unique=True),
)
def test_it_updates_as_the_chain_with_every_event(seed: int, slack: float, cuts: list[int]) -> None:
    records = revotes(seed, 20, 6, 1200)
    bounds = [0, *sorted(cuts), len(records)]
    every = analyze(from_records(records[: bounds[1]]))
    lean = compact(every, slack)
    for a, b in pairwise(bounds[1:]):
        batch = from_records(records[a:b])
        every = update(every, batch)
        lean = compact(update(lean, batch), slack)
        assert_same(every, lean)
        assert len(lean.events) <= (1 + slack) * lean.n_votes
        assert lean.state.next_rank == len(lean.events)
    assert len(every.events) == len(records) > len(lean.events)

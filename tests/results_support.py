"""Comparing two analyses that must agree (a chain that dropped superseded events against
one that kept them, say), and the batches of votes such chains are fed."""

from __future__ import annotations

from dataclasses import fields
from itertools import pairwise

import numpy as np

from tracktwo.analysis.result import AnalysisResult
from tracktwo.analysis.summaries import NAMES
from tracktwo.analysis.votes import VoteEvents, from_records


def assert_same_analysis(kept: AnalysisResult, dropped: AnalysisResult) -> None:
    """Every field and summary of the two results equal, but the events and the engine's own
    state, and the state's cells equal."""
    names = [field.name for field in fields(kept) if field.name not in ("events", "state")]
    for name in [*names, *NAMES]:  # the summaries too, computed when read
        a, b = getattr(kept, name), getattr(dropped, name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            assert repr(a) == repr(b), name
    assert kept.participant_ids == dropped.participant_ids
    for a, b in zip(kept.state.cells[:3], dropped.state.cells[:3], strict=True):
        np.testing.assert_array_equal(a, b)


def batches(seed: int, n_batches: int = 6, n_statements: int = 10) -> list[VoteEvents]:
    """Votes of returning and new participants (with re-votes) on ``n_statements``
    statements, in batches."""
    rng = np.random.default_rng(seed)
    n = 1200
    who = np.sort(rng.integers(0, 150, n))  # arrival order, as a live conversation
    who[::7] = rng.integers(0, 150, who[::7].shape[0])  # and some come back
    what = rng.integers(0, n_statements, n)
    vote = rng.choice([-1, 0, 1], n, p=[0.35, 0.15, 0.5])
    records = [
        (f"p{w}", f"s{s}", int(v), float(t))
        for t, (w, s, v) in enumerate(zip(who, what, vote, strict=True))
    ]
    cuts = np.linspace(0, n, n_batches + 1).astype(int)
    return [from_records(records[a:b]) for a, b in pairwise(cuts.tolist())]


def assert_same(a: AnalysisResult, b: AnalysisResult) -> None:
    """The same JSON document and the same projections, bit for bit."""
    assert a.to_json() == b.to_json()
    np.testing.assert_array_equal(a.projection, b.projection)

"""An analysis's per-statement summaries (representative statements, consensus, support,
priority...) are computed at the first read of any of them, from copies of the tallies they
follow from: a replay's intermediate results never compute theirs, a result read after later
updates gives the numbers it gave at once, and results pickled before hold theirs."""

from __future__ import annotations

import pickle

import numpy as np

from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.replay import replay, take
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.summaries import NAMES, summarise
from tracktwo.analysis.votes import VoteEvents, from_arrays


def conversation(n: int, seed: int) -> VoteEvents:
    rng = np.random.default_rng(seed)
    side = rng.integers(0, 2, 400)
    participant = rng.integers(0, 400, n)
    statement = rng.integers(0, 30, n)
    lean = np.where(side[participant] == 1, 1, -1) * np.where(statement % 2 == 0, 1, -1)
    vote = np.where(rng.random(n) < 0.8, lean, rng.integers(-1, 2, n))
    return from_arrays(participant, statement, vote, np.arange(n, dtype=np.float64))


def read_all(result: AnalysisResult) -> dict[str, object]:
    return {name: getattr(result, name) for name in NAMES}


def assert_same(found: dict[str, object], expected: dict[str, object]) -> None:
    for name in NAMES:
        a, b = found[name], expected[name]
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            assert repr(a) == repr(b), name


def test_it_computes_the_summaries_at_the_first_read() -> None:
    result = analyze(conversation(6_000, seed=1))
    assert "summaries" not in vars(result)
    found = read_all(result)
    assert "summaries" in vars(result)
    assert result.repness is found["repness"]  # computed once
    assert_same(found, vars(summarise(result.summary_of)))


def test_it_leaves_a_replays_intermediate_results_unsummarised() -> None:
    seen: list[AnalysisResult] = []
    final = replay(conversation(6_000, seed=2), AnalysisParams(), 0.1,
                   progress=lambda _done, _total, result: seen.append(result))  # fmt: skip
    assert len(seen) > 5 and not any("summaries" in vars(result) for result in seen)
    assert final.consensus is not None


def test_it_gives_the_same_summaries_read_late() -> None:
    events = conversation(9_000, seed=3)
    rows = np.arange(len(events))
    head = take(events, rows[:6_000])
    early = read_all(analyze(head))
    late = chain = analyze(head)
    for start in (6_000, 7_000, 8_000):  # the chain's tallies are patched in place meanwhile
        chain = update(chain, take(events, rows[start : start + 1_000]))
    assert_same(read_all(late), early)


def test_it_reads_the_summaries_a_result_pickled_before_held() -> None:
    result = analyze(conversation(6_000, seed=4))
    expected = read_all(result)
    old = pickle.loads(pickle.dumps(result))  # noqa: S301 - the object pickled here
    state = dict(vars(old))
    del state["summary_of"], state["summaries"]
    state.update(expected)  # as a result pickled with its summaries as fields
    before = object.__new__(AnalysisResult)
    before.__dict__.update(state)
    assert_same(read_all(before), expected)

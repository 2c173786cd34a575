"""update(..., ahead=next votes): the next update's cells, counts and Gram patch are prepared on
the pool meanwhile, and give the results and kept state of updating one batch after another;
an update with other votes, or moderation, drops what was prepared and still gets them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.gram_support import assert_same_sums
from tests.results_support import assert_same, batches
from tracktwo.analysis import engine
from tracktwo.analysis import replay as replay_module
from tracktwo.analysis.cells import latest_cells
from tracktwo.analysis.engine import analyze, reload, update
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.replay import replay
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import Statements, VoteEvents


def one_by_one(parts: list[VoteEvents]) -> AnalysisResult:
    result = analyze(parts[0], AnalysisParams(seed=0))
    for part in parts[1:]:
        result = update(result, part)
    return result


def assert_sums_of_every_cell(result: AnalysisResult) -> None:
    link = result.state.live
    assert link is not None and link.current and link.state.gram is not None
    events = result.events
    cells = latest_cells(
        events.participant, events.statement, events.vote, events.timestamp, events.n_statements
    )
    assert_same_sums(link.state.gram, GramSums.of(cells, events.n_statements))


def test_it_gives_the_results_of_updating_batch_by_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = batches(seed=1)
    prepared_here: list[VoteEvents] = []
    original = engine.prepare

    def counted(*args: Any, **kwargs: Any) -> Any:
        prepared_here.append(args[7])
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "prepare", counted)
    result = analyze(parts[0], AnalysisParams(seed=0))
    for i, part in enumerate(parts[1:], start=1):
        following = parts[i + 1] if i + 1 < len(parts) else None
        result = update(result, part, ahead=following)
        assert result.state.live is not None
        pending = result.state.live.state.ahead
        assert (pending.events if pending is not None else None) is following
    assert prepared_here == [parts[1]]  # every later batch was prepared ahead, and taken
    monkeypatch.undo()
    assert_same(result, one_by_one(parts))
    assert_sums_of_every_cell(result)


def test_it_drops_what_it_prepared_for_other_votes() -> None:
    parts = batches(seed=2)
    result = analyze(parts[0], AnalysisParams(seed=0))
    result = update(result, parts[1])
    result = update(result, parts[2], ahead=parts[4])  # then parts[3] comes instead
    result = update(result, parts[3], ahead=parts[4])
    result = update(
        result,
        parts[4],
        statements=Statements(("s3",), (None,), np.array([-1], np.int8), np.zeros(1, np.bool_)),
    )
    assert result.pca.zeroed[result.events.statements.index["s3"]]
    plain = one_by_one(parts[:4])
    plain = update(
        plain,
        parts[4],
        statements=Statements(("s3",), (None,), np.array([-1], np.int8), np.zeros(1, np.bool_)),
    )
    assert_same(result, plain)
    assert_sums_of_every_cell(update(result, parts[5]))


def test_it_lets_an_earlier_result_branch_off_while_the_next_is_prepared() -> None:
    parts = batches(seed=3)
    start = update(analyze(parts[0], AnalysisParams(seed=0)), parts[1])
    result = update(start, parts[2], ahead=parts[3])
    branch = update(reload(result), parts[4])  # what a progress callback might do
    assert_sums_of_every_cell(branch)
    later = update(result, parts[3])  # the branch moved the chain on: rebuilt afresh
    # the same branching without preparing ahead
    plain = one_by_one(parts[:3])
    plain_branch = update(reload(plain), parts[4])
    assert_same(branch, plain_branch)
    assert_same(later, update(plain, parts[3]))


def test_it_replays_as_before_with_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = batches(seed=4, n_batches=1)
    events = parts[0]
    day = 86400.0
    events = VoteEvents(
        events.participant,
        events.statement,
        events.vote,
        events.timestamp * day / 200,
        events.participant_ids,
        events.statements,
    )
    plain: list[AnalysisResult] = []
    result = replay(
        events, AnalysisParams(seed=0), 0.1, lambda d, t, r: plain.append(r), restart_every=day
    )
    # the same updates, one after another, without preparing ahead
    original = replay_module.update
    monkeypatch.setattr(
        replay_module, "update", lambda r, e, statements=None, ahead=None: original(r, e)
    )
    seen: list[AnalysisResult] = []
    again = replay(
        events, AnalysisParams(seed=0), 0.1, lambda d, t, r: seen.append(r), restart_every=day
    )
    assert len(plain) == len(seen) == 10
    for a, b in zip(plain, seen, strict=True):
        assert_same(a, b)
    assert_same(result, again)

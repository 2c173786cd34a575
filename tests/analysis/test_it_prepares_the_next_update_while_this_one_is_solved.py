"""A replayed update solved on the pool from its cells (no Gram sums) is taken, committed and
the update after it prepared while the pool still solves it: the calling thread waits for the
components only before the projection, so the pool goes from one solve to the next. The
results are those of updating batch after batch, bit for bit."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.results_support import assert_same, batches
from tracktwo.analysis import engine, update_ahead
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.live_state import gram_pays
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import VoteEvents


class Preparations:
    """How many updates were prepared ahead; a solve can wait for one more."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def add(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def one_more(self, than: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count > than, timeout=10.0)


def chain(parts: list[VoteEvents], ahead: bool, seen: Preparations | None = None) -> AnalysisResult:
    result = analyze(parts[0], AnalysisParams(seed=0, solver="faithful"))
    for i, part in enumerate(parts[1:], start=1):
        following = parts[i + 1] if ahead and i + 1 < len(parts) else None
        if following is None and seen is not None:
            seen.add()  # no update after the last one to prepare: its solve goes on at once
        result = update(result, part, ahead=following)
    return result


def test_it_prepares_the_next_update_before_this_one_is_solved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = batches(seed=5, n_batches=8, n_statements=120)
    assert not gram_pays(120, sum(len(p) for p in parts))  # solved on the cells
    seen = Preparations()
    waits: list[bool] = []
    own: list[int] = []  # each preparation's number, in the order the pool solves them
    solve = update_ahead.components_of_matrix
    start = engine.start_ahead

    def held(*args: Any, **kwargs: Any) -> Any:
        # each solve on the pool waits (a while at most) for the next update's preparation:
        # the one after the preparation that queued this solve
        waits.append(seen.one_more(than=own.pop(0)))
        return solve(*args, **kwargs)

    def preparing(*args: Any, **kwargs: Any) -> None:
        own.append(seen.count + 1)
        seen.add()
        start(*args, **kwargs)

    monkeypatch.setattr(update_ahead, "components_of_matrix", held)
    monkeypatch.setattr(engine, "start_ahead", preparing)
    ahead = chain(parts, True, seen)
    monkeypatch.undo()

    assert len(waits) >= 4
    assert all(waits)
    assert_same(ahead, chain(parts, False))

"""An update prepared ahead on the pool with Gram sums also has its components solved there
(warm-started from the update before it): the update then solves nothing itself, and the
chain's results are those of updating batch after batch, bit for bit, with either solver."""

from __future__ import annotations

from typing import Any

import pytest

from tests.results_support import assert_same, batches
from tracktwo.analysis import engine, update_ahead
from tracktwo.analysis.engine import analyze, update
from tracktwo.analysis.live_state import gram_pays
from tracktwo.analysis.result import AnalysisParams, AnalysisResult
from tracktwo.analysis.votes import VoteInputError


def chain(params: AnalysisParams, ahead: bool, n_statements: int = 10) -> AnalysisResult:
    parts = batches(seed=5, n_batches=8, n_statements=n_statements)
    result = analyze(parts[0], params)
    for i, part in enumerate(parts[1:], start=1):
        following = parts[i + 1] if ahead and i + 1 < len(parts) else None
        result = update(result, part, ahead=following)
    return result


@pytest.mark.parametrize("solver", ["faithful", "scalable"])
@pytest.mark.parametrize("n_statements", [10, 120])  # Gram sums; too few votes for them
def test_it_solves_ahead_with_the_same_bits(
    monkeypatch: pytest.MonkeyPatch, solver: str, n_statements: int
) -> None:
    params = AnalysisParams(seed=0, solver=solver)  # type: ignore[arg-type]
    here: list[int] = []
    original = engine._components

    def counted(*args: Any, **kwargs: Any) -> Any:
        here.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_components", counted)
    prepared = chain(params, True, n_statements)
    solved_here = len(here)
    del here[:]
    plain = chain(params, False, n_statements)
    assert len(here) == 8  # the cold start and every update
    # solved here: the cold start and the chain's first update (which starts its state), and
    # with Gram sums the second (which builds them from every cell); later ones on the pool
    assert solved_here == (3 if n_statements == 10 else 2)
    assert gram_pays(n_statements, plain.n_votes) == (n_statements == 10)
    assert_same(prepared, plain)


def test_it_raises_a_failed_preparation_in_the_update_that_takes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = batches(seed=6, n_batches=6)
    result = analyze(parts[0], AnalysisParams(seed=0))
    for part in parts[1:3]:
        result = update(result, part)  # the chain holds Gram sums from here
    original = update_ahead.prepare

    def failing(*args: Any, **kwargs: Any) -> Any:
        if args[7] is parts[4]:
            raise VoteInputError("bad votes ahead")
        return original(*args, **kwargs)

    monkeypatch.setattr(update_ahead, "prepare", failing)
    third = update(result, parts[3], ahead=parts[4])  # its own update is not the one to fail
    with pytest.raises(VoteInputError, match="bad votes ahead"):
        update(third, parts[4])
    monkeypatch.undo()
    other = update(update(result, parts[3], ahead=parts[4]), parts[5])  # others drop it
    assert_same(other, update(update(result, parts[3]), parts[5]))

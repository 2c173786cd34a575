"""A live dashboard's bridging fit may start from the previous refresh's: the same model and
stopping rule, on real Pol.is conversations, so the warm fit agrees with a cold fit on the
same votes (loss within 1e-5, the same statements bridging), also from a stale fit with
fewer participants and statements; the first fit stays cold and deterministic, and the
model keeps nothing per participant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tracktwo.analysis.bridging import BridgingModel, BridgingResult
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.votes import VoteEvents, from_arrays

CONVERSATIONS = ("vtaiwan.uberx", "scoop-hivemind.biodiversity")


def in_time_order(events: VoteEvents) -> tuple[np.ndarray, ...]:
    order = np.argsort(events.timestamp, kind="stable")
    pids = np.array(events.participant_ids, dtype=object)[events.participant[order]]
    sids = np.array(events.statements.ids, dtype=object)[events.statement[order]]
    return pids, sids, events.vote[order], events.timestamp[order]


def first_votes(events: VoteEvents, share: float) -> VoteEvents:
    """The conversation as it stood when ``share`` of its votes had been cast."""
    pids, sids, votes, times = in_time_order(events)
    k = int(len(votes) * share)
    return from_arrays(pids[:k], sids[:k], votes[:k], times[:k])


def agree(warm: BridgingResult, cold: BridgingResult) -> None:
    assert warm.converged and cold.converged
    assert warm.statement_ids == cold.statement_ids
    assert abs(warm.loss - cold.loss) <= 1e-5 * cold.loss
    assert np.array_equal(warm.bridges, cold.bridges)
    assert np.abs(warm.intercept - cold.intercept).max() < 0.1
    assert np.array_equal(warm.votes, cold.votes)


@pytest.mark.parametrize("name", CONVERSATIONS)
@pytest.mark.parametrize("share", [0.5, 0.99])
def test_it_agrees_with_a_cold_fit_from_a_previous_fit(
    shared_data: Path, name: str, share: float
) -> None:
    events = read_polis(shared_data / "polis-opendata" / name)
    earlier = first_votes(events, share)
    assert earlier.n_participants < events.n_participants
    assert earlier.n_statements <= events.n_statements
    if share == 0.5:  # a stale fit: statements came since, too
        assert earlier.n_statements < events.n_statements
    model = BridgingModel(warm_start=True)
    model.fit(earlier)
    assert model.intercept_.shape == (earlier.n_statements,)
    warm = model.fit(events)
    cold = BridgingModel().fit(events)
    agree(warm, cold)
    assert model.intercept_.shape == model.factor_.shape == (events.n_statements,)
    assert model.statement_ids_ == events.statements.ids
    if share == 0.99:  # from the last refresh: a few iterations
        assert warm.n_iter < cold.n_iter


def test_it_maps_the_previous_fit_by_statement_id(shared_data: Path) -> None:
    """Statements gone since (moderated out) and in another order: matched by id."""
    events = read_polis(shared_data / "polis-opendata" / CONVERSATIONS[1])
    pids, sids, votes, times = in_time_order(events)
    dropped = sids[0]
    keep = sids != dropped
    later = from_arrays(pids[keep], sids[keep], votes[keep], times[keep])
    model = BridgingModel(warm_start=True)
    model.fit(events)
    reordered = from_arrays(pids[::-1], sids[::-1], votes[::-1], times[::-1])
    assert reordered.statements.ids != events.statements.ids
    warm, cold = model.fit(reordered), BridgingModel().fit(reordered)
    agree(warm, cold)
    assert warm.n_iter < cold.n_iter  # it started where the same fit ended
    assert dropped not in later.statements.ids
    agree(model.fit(later), BridgingModel().fit(later))


def test_it_fits_cold_and_deterministically_first_and_keeps_nobodys_values(
    shared_data: Path,
) -> None:
    events = read_polis(shared_data / "polis-opendata" / CONVERSATIONS[1])
    model = BridgingModel(warm_start=True)
    first = model.fit(events)
    cold = BridgingModel().fit(events)
    assert np.array_equal(first.intercept, cold.intercept)
    assert np.array_equal(first.factor, cold.factor)
    assert first.n_iter == cold.n_iter
    for value in vars(model).values():  # fitted: the global and the statements' values only
        if isinstance(value, np.ndarray):
            assert value.shape == (events.n_statements,)
    # Without warm_start a second fit is cold again: the same result as the first.
    again = BridgingModel()
    again.fit(first_votes(events, 0.5))
    assert np.array_equal(again.fit(events).intercept, cold.intercept)

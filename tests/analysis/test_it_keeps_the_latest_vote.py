"""The vote that counts per cell, from scratch and patched by later votes."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.matrix import latest_cells, merge_cells


def reference(participant, statement, vote, time):  # type: ignore[no-untyped-def]
    """Plain Python: per cell the event with the latest time (NaN first), then the last row."""
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for row, (p, s, t) in enumerate(zip(participant, statement, time, strict=True)):
        t = -np.inf if np.isnan(t) else t
        if (p, s) not in best or (t, row) >= best[(p, s)]:
            best[(p, s)] = (t, row)
    cells = sorted(best)
    rows = [best[c][1] for c in cells]
    return (
        [c[0] for c in cells],
        [c[1] for c in cells],
        [int(vote[r]) for r in rows],
        rows,
    )


def random_events(seed: int, n: int = 400, times: str = "shuffled"):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    participant = rng.integers(0, 15, n)
    statement = rng.integers(0, 6, n)  # many re-votes
    vote = rng.integers(-1, 2, n).astype(np.int8)
    time = rng.integers(0, 20, n).astype(np.float64)  # many ties
    if times == "sorted":
        time = np.sort(time)
    elif times == "unknown":
        time[:] = np.nan
    else:
        time[rng.random(n) < 0.1] = np.nan
    return participant, statement, vote, time


@pytest.mark.parametrize("times", ["shuffled", "sorted", "unknown"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_it_keeps_the_latest_vote_per_cell(seed: int, times: str) -> None:
    participant, statement, vote, time = random_events(seed, times=times)
    got = latest_cells(participant, statement, vote, time, 6)
    assert [list(a) for a in got] == [
        list(a) for a in reference(participant, statement, vote, time)
    ]


def test_it_falls_back_when_keys_do_not_pack() -> None:
    participant, statement, vote, time = random_events(3)
    # with 2**55 statements the cell keys are too wide to pack with the row order and vote
    got = latest_cells(participant, statement, vote, time, 2**55)
    expected = reference(participant, statement, vote, time)
    assert [list(a) for a in got] == [list(a) for a in expected]


@pytest.mark.parametrize("seed", [4, 5])
def test_it_patches_cells_with_later_votes(seed: int) -> None:
    participant, statement, vote, time = random_events(seed)
    cut = 250
    old = latest_cells(participant[:cut], statement[:cut], vote[:cut], time[:cut], 6)
    new = latest_cells(
        participant[cut:], statement[cut:], vote[cut:], time[cut:], 6, first_rank=cut
    )
    merged = merge_cells(old, new, 6, time)
    whole = latest_cells(participant, statement, vote, time, 6)
    assert [list(a) for a in merged] == [list(a) for a in whole]


@pytest.mark.parametrize("times", ["shuffled", "sorted", "unknown"])
@pytest.mark.parametrize("threads", [2, 3])
def test_it_keeps_the_latest_vote_when_split_over_cores(
    monkeypatch: pytest.MonkeyPatch, times: str, threads: int
) -> None:
    """Large inputs are sorted in one participant range per core, read in chunks: the same."""
    from tracktwo.analysis import cells

    monkeypatch.setattr(cells, "PARALLEL_ABOVE", 0)
    monkeypatch.setattr(cells, "CHUNK", 37)
    monkeypatch.setattr(cells, "workers", lambda: threads)
    participant, statement, vote, time = random_events(7, n=1000, times=times)
    got = latest_cells(participant, statement, vote, time, 6)
    assert [list(a) for a in got] == [
        list(a) for a in reference(participant, statement, vote, time)
    ]
    cut = 600
    old = latest_cells(participant[:cut], statement[:cut], vote[:cut], time[:cut], 6)
    new = latest_cells(
        participant[cut:], statement[cut:], vote[cut:], time[cut:], 6, first_rank=cut
    )
    assert [list(a) for a in merge_cells(old, new, 6, time)] == [list(a) for a in got]

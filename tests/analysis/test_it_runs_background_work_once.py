"""parallel.background: the work runs once, on the pool or on the first thread to ask for its
result before the pool started it; every asker gets that one result (or its error)."""

from __future__ import annotations

import threading

import pytest

from tracktwo.analysis.parallel import background, threads


def test_it_runs_once_for_every_asker_when_taken_back_from_a_busy_pool() -> None:
    if threads() < 2:
        pytest.skip("one core: the work runs when asked for")
    release = threading.Event()
    blocker = background(release.wait)  # the pool's thread is busy until released
    runs: list[int] = []
    result = background(lambda: runs.append(1) or len(runs))
    answers: list[int] = []
    others = [threading.Thread(target=lambda: answers.append(result())) for _ in range(3)]
    assert result() == 1  # taken back from the queue and run here
    for thread in others:
        thread.start()
    for thread in others:
        thread.join()
    release.set()
    blocker()
    assert runs == [1] and answers == [1, 1, 1]


def test_it_gives_every_asker_the_same_error() -> None:
    def fails() -> int:
        raise ValueError("bad batch")

    result = background(fails)
    for _ in range(2):
        with pytest.raises(ValueError, match="bad batch"):
            result()

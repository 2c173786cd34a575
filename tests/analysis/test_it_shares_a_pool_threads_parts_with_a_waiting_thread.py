"""parallel.shared: a pool thread offers the parts of its work after the first to a thread
waiting for its :func:`background` result, which runs those it takes; the results come back
in order, a part's error is raised where it was offered, and a part nobody takes runs on the
pool thread. The power iteration on the pool (whose products run whole there) gives the bits
of the one on the calling thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from scipy import sparse

from tracktwo.analysis.cells import workers
from tracktwo.analysis.parallel import background, shared
from tracktwo.analysis.pca import power_components, sparse_product

needs_two_cores = pytest.mark.skipif(workers() < 2, reason="one core: nothing is shared")


@needs_two_cores
def test_it_runs_offered_parts_on_the_waiting_thread() -> None:
    ran_on: dict[int, str] = {}
    taken = threading.Event()

    def part(item: int) -> int:
        ran_on[item] = threading.current_thread().name
        if item == 0:  # the pool thread's own part lasts until another thread took one
            assert taken.wait(10)
        else:
            taken.set()
        return item * item

    started = threading.Event()

    def work() -> list[int]:
        started.set()
        return shared(part, [0, 1, 2])

    result = background(work)
    assert started.wait(10)  # on the pool (asked for before it starts, it would run here)
    assert result() == [0, 1, 4]
    assert ran_on[0] != threading.current_thread().name
    assert threading.current_thread().name in {ran_on[1], ran_on[2]}


@needs_two_cores
def test_it_raises_a_taken_parts_error_on_the_pool_thread() -> None:
    def part(item: int) -> int:
        if item == 1:
            raise ValueError("bad part")
        return item

    started = threading.Event()

    def work() -> list[int]:
        started.set()
        return shared(part, [0, 1])

    result = background(work)
    assert started.wait(10)
    with pytest.raises(ValueError, match="bad part"):
        result()


def test_it_runs_every_part_where_nobody_helps() -> None:
    names: set[str] = set()

    def part(item: int) -> int:
        names.add(threading.current_thread().name)
        return -item

    assert shared(part, list(range(5))) == [0, -1, -2, -3, -4]  # from outside the pool too
    assert shared(part, []) == []


def random_centred(seed: int, rows: int, cols: int) -> sparse.csr_array:
    rng = np.random.default_rng(seed)
    dense = rng.standard_normal((rows, cols)) * (rng.random((rows, cols)) < 0.3)
    return sparse.csr_array(dense)


@pytest.mark.parametrize("seed", [0, 1])
def test_it_runs_the_power_iteration_on_the_pool_with_the_same_bits(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracktwo.analysis import pca

    monkeypatch.setattr(pca, "SPLIT_ENTRIES", 0)  # split as a large one, but whole on the pool
    x = random_centred(seed, 3_000, 150)
    w = np.random.default_rng(seed + 9).standard_normal(150)
    whole = sparse_product(x, 1)(w)
    start = np.random.default_rng(seed).standard_normal((2, 150))
    alone = power_components(x, start, 100, 1e-10)
    on_pool = background(lambda: (sparse_product(x)(w), power_components(x, start, 100, 1e-10)))
    product, found = on_pool()
    np.testing.assert_array_equal(product, whole)
    np.testing.assert_array_equal(found.vectors, alone.vectors)
    np.testing.assert_array_equal(found.eigenvalues, alone.eigenvalues)

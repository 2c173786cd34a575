"""Comparing Gram sums (``GramSums``) on the staircase they are kept on."""

from __future__ import annotations

import numpy as np

from tracktwo.analysis.cells import CellState
from tracktwo.analysis.gram_sums import GramSums, staircase


def as_cells(
    rng: np.random.Generator, people: list[int], statements: list[int], rank: int
) -> CellState:
    """Cells of ``people`` on ``statements`` (sorted), random votes -1/0/+1, ranks from
    ``rank``."""
    m = len(people)
    return (
        np.array(people, np.int32),
        np.array(statements, np.int32),
        rng.choice(np.array([-1, 0, 1], np.int8), m),
        np.arange(rank, rank + m, dtype=np.int64),
    )


def on_stairs(n: int) -> np.ndarray:
    """Shape (n, n): True where the sums are kept (each step's rows from its first column)."""
    kept = np.zeros((n, n), np.bool_)
    for start, stop in staircase(n):
        kept[start:stop, start:] = True
    return kept


def assert_same_sums(found: GramSums, expected: GramSums) -> None:
    """``s``, ``a``, ``at`` and ``nn`` equal on the staircase."""
    assert found.n == expected.n
    kept = on_stairs(found.n)
    for name in ("s", "a", "at", "nn"):
        np.testing.assert_array_equal(
            getattr(found, name)[kept], getattr(expected, name)[kept], err_msg=name
        )


def plain_sums(cells: CellState, n: int) -> dict[str, np.ndarray]:
    """``S``, ``A``, ``A^T`` and ``N`` of every cell, from dense rows (a reference that shares
    nothing with ``GramSums``), shape (n, n) each."""
    who, rows = np.unique(cells[0], return_inverse=True)
    # integers held in float64, whose products BLAS sums exactly (every partial sum is an
    # integer far below 2**53); NumPy's integer product has no BLAS: tens of seconds here
    raw = np.zeros((who.shape[0], n))
    mask = np.zeros((who.shape[0], n))
    raw[rows, cells[1]] = cells[2]
    mask[rows, cells[1]] = 1.0

    def exact(product: np.ndarray) -> np.ndarray:
        return product.astype(np.int64)

    a = exact(raw.T @ mask)
    return {"s": exact(raw.T @ raw), "a": a, "at": a.T.copy(), "nn": exact(mask.T @ mask)}


def assert_plain_sums(found: GramSums, cells: CellState) -> None:
    """``found`` equals :func:`plain_sums` of ``cells`` on the staircase."""
    kept = on_stairs(found.n)
    for name, expected in plain_sums(cells, found.n).items():
        np.testing.assert_array_equal(getattr(found, name)[kept], expected[kept], err_msg=name)

"""Comparing Gram sums (``GramSums``) on the staircase they are kept on."""

from __future__ import annotations

import numpy as np

from tracktwo.analysis.gram_sums import GramSums, staircase


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

"""The Gram sums' compiled loops (``gram_loops``, Numba) are imported only when an update
patches or forms Gram sums: a static analysis (the 10k benchmark's path, interpreter start
included) never loads Numba, and a replay does."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import numpy as np
from tracktwo.analysis.engine import analyze
from tracktwo.analysis.replay import replay
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import from_arrays

rng = np.random.default_rng(0)
n = 6_000
events = from_arrays(
    rng.integers(0, 600, n), rng.integers(0, 40, n), rng.integers(-1, 2, n),
    np.arange(n, dtype=np.float64),
)
analyze(events)
print("static", "numba" in sys.modules)
replay(events, AnalysisParams(), 0.05)
print("replay", "numba" in sys.modules)
"""


def test_it_loads_numba_for_updates_only() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["static", "False", "replay", "True"]


def test_it_compiles_the_forming_loops_for_mapped_sums_when_loaded() -> None:
    from tracktwo.analysis import gram_loops

    gram_loops.load(read_only=True)
    for kernel in gram_loops._kernels()[:2]:
        assert any(not signature[0].mutable for signature in kernel.signatures)

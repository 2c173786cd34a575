"""A replay may form its Gram matrices and solve its components in a second process
(``solver_process``), over Gram sums kept in shared files: the same results bit for bit,
every update prepared ahead solved there, its errors raised by the update, and the files gone
when the replay ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.results_support import assert_same
from tracktwo.analysis import solver_process
from tracktwo.analysis.gram_sums import GramSums
from tracktwo.analysis.parallel import threads
from tracktwo.analysis.replay import replay
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.solver_process import SharedFiles, SolverProcess, solving_apart
from tracktwo.analysis.votes import from_records

pytestmark = pytest.mark.skipif(threads() < 2, reason="one core: nothing is prepared ahead")


def conversation(seed: int = 3) -> Any:
    """Returning and new participants on 12 statements, 40 batches (Gram sums pay)."""
    rng = np.random.default_rng(seed)
    n = 4000
    who = np.sort(rng.integers(0, 400, n))
    who[::9] = rng.integers(0, 400, who[::9].shape[0])
    what = rng.integers(0, 12, n)
    vote = rng.choice([-1, 0, 1], n, p=[0.35, 0.15, 0.5])
    records = [
        (f"p{w}", f"s{s}", int(v), float(t))
        for t, (w, s, v) in enumerate(zip(who, what, vote, strict=True))
    ]
    return from_records(records)


@pytest.mark.parametrize("solver", ["faithful", "scalable"])
def test_it_replays_with_the_same_bits_apart(monkeypatch: pytest.MonkeyPatch, solver: str) -> None:
    params = AnalysisParams(seed=0, solver=solver)  # type: ignore[arg-type]
    events = conversation()
    asked: list[int] = []
    original = SolverProcess.request

    def counted(self: SolverProcess, *args: Any) -> Any:
        asked.append(1)
        return original(self, *args)

    monkeypatch.setattr(SolverProcess, "request", counted)
    folders: list[str] = []
    made = SharedFiles.__init__

    def noted(self: SharedFiles) -> None:
        made(self)
        folders.append(self.folder)

    monkeypatch.setattr(SharedFiles, "__init__", noted)
    apart = replay(events, params, 0.025, restart_at_end=True, apart=True)
    together = replay(events, params, 0.025, restart_at_end=True, apart=False)
    assert_same(apart, together)
    assert len(asked) > 30  # the updates prepared ahead, after the chain builds its sums
    assert folders and not any(os.path.exists(folder) for folder in folders)


def test_it_raises_what_the_process_raised() -> None:
    with solving_apart():
        sums = GramSums(4)  # kept in shared files
    assert sums.files is not None and not os.path.exists(sums.files[0])  # removed since
    solver = SolverProcess()
    try:
        pending = solver.request(
            sums, np.ones((4, 3), np.int64), np.zeros(4, np.bool_), 10, AnalysisParams(),
            np.ones((2, 4)),
        )  # fmt: skip
        with pytest.raises(FileNotFoundError):
            pending.result()
        assert pending.formed.is_set()
    finally:
        solver.close()


def test_it_solves_at_its_callers_priority() -> None:
    with solving_apart():
        sums = GramSums(4)
        solver = SolverProcess()
        try:
            tallies = np.array([[3, 1, 0], [1, 2, 1], [0, 3, 1], [2, 2, 0]], np.int64)
            pending = solver.request(
                sums, tallies, np.zeros(4, np.bool_), 10, AnalysisParams(), np.ones((2, 4))
            )
            pending.result()
            stat = Path(f"/proc/{solver.process.pid}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            nice = int(fields[16])  # field 19 of stat: the nice value
        finally:
            solver.close()
    assert nice == os.nice(0)  # its form and solve are a replay's longest chain


def test_it_refuses_sums_kept_in_this_process_only() -> None:
    with pytest.raises(ValueError, match="shared files"):
        SolverProcess().request(
            GramSums(3), np.ones((3, 3), np.int64), np.zeros(3, np.bool_), 5, AnalysisParams(),
            np.ones((2, 3)),
        )  # fmt: skip


def test_it_keeps_new_sums_in_files_only_within() -> None:
    assert GramSums(2).files is None
    with solving_apart():
        assert solver_process.SOLVER.get() is not None
        inside = GramSums(2)
        assert inside.files is not None and all(os.path.exists(f) for f in inside.files)
    assert solver_process.SOLVER.get() is None and GramSums(2).files is None


@pytest.mark.parametrize("how", ["does not start", "ends at once"])
def test_it_solves_here_when_the_process_is_lost(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    popen = subprocess.Popen

    def lost(command: list[str], **kwargs: Any) -> Any:
        if how == "does not start":
            raise OSError("no such interpreter")
        return popen([sys.executable, "-c", "pass"], **kwargs)

    monkeypatch.setattr(solver_process.subprocess, "Popen", lost)
    params = AnalysisParams(seed=0, solver="scalable")
    events = conversation(seed=4)
    apart = replay(events, params, 0.025, apart=True)
    monkeypatch.undo()
    assert_same(apart, replay(events, params, 0.025, apart=False))


def test_it_starts_the_process_on_entering() -> None:
    with solving_apart():
        solver = solver_process.SOLVER.get()
        assert solver is not None and solver.process is not None  # before any request
        assert solver.process.poll() is None
    assert solver.process.returncode == 0  # stopped on leaving

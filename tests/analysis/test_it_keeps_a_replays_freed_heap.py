"""A replay keeps what it frees in glibc's heap for its next update (``heap.keep_freed_heap``),
instead of handing the pages back to the kernel and faulting them in again, and so does its
solving process; a static analysis leaves glibc's thresholds as they are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracktwo import cli
from tracktwo.analysis import heap

PROBE = (
    "import sys\n"
    "import numpy as np\n"
    "from tracktwo.analysis.heap import keep_freed_heap\n"
    "def resident():\n"
    "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
    "if sys.argv[1] == 'kept':\n"
    "    assert keep_freed_heap()\n"
    "before = resident()\n"
    "block = np.ones(2 << 20)  # 16 MiB, touched\n"
    "del block\n"
    "print(resident() - before)\n"
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc on Linux")


def still_resident(how: str) -> int:
    found = subprocess.run(
        [sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=True
    )
    return int(found.stdout)


def test_it_keeps_a_freed_block_for_reuse() -> None:
    assert still_resident("kept") >= 12 << 20  # the 16 MiB stay in the heap
    assert still_resident("plain") < 4 << 20  # glibc's default: mapped apart, handed back


@pytest.mark.parametrize(("replayed", "kept"), [(True, 1), (False, 0)])
def test_it_keeps_the_heap_for_a_replay_only(
    shared_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    replayed: bool,
    kept: int,
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(heap, "keep_freed_heap", lambda: calls.append(None) or True)
    folder = shared_data / "polis-opendata" / "london.youth.policing"
    replay = ["--replay", "--replay-updates", "5"] if replayed else []
    assert cli.main(["analyze", str(folder), "--quiet", *replay]) == 0
    assert "groups" in capsys.readouterr().out
    assert len(calls) == kept


SOLVING = (
    "from multiprocessing import Pipe\n"
    "from tracktwo.analysis import heap, solver_process\n"
    "heap.keep_freed_heap = lambda: print('kept') or True\n"
    "ours, theirs = Pipe()\n"
    "ours.close()  # no request will come: the process serves nothing and ends\n"
    "solver_process.serve_on(theirs.fileno())\n"
)


def test_it_keeps_the_heap_in_the_solving_process() -> None:
    found = subprocess.run(
        [sys.executable, "-c", SOLVING], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.split() == ["kept"]

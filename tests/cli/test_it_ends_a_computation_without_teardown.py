"""``analyze`` and ``rank`` end the process once their output is flushed, without tearing the
interpreter down (no exit handlers run: Numba's teardown took 0.25 s after a replay); other
commands end as Python does, and the status is the command's either way."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = (
    "import atexit, sys\n"
    "from tracktwo import cli\n"
    "atexit.register(lambda: print('torn down'))\n"
    "def ran():\n"
    "    cli._ran[:] = [sys.argv[1]]\n"
    "    print('output')\n"
    "    return 3\n"
    "cli.main = ran\n"
    "cli.entry()\n"
)


@pytest.mark.parametrize(
    ("command", "torn_down"), [("analyze", False), ("rank", False), ("serve", True)]
)
def test_it_ends_pure_computations_at_once(command: str, torn_down: bool) -> None:
    found = subprocess.run(
        [sys.executable, "-c", PROBE, command], capture_output=True, text=True, check=False
    )
    assert found.returncode == 3
    lines = found.stdout.split()
    assert lines[0] == "output"  # flushed before the end
    assert ("torn down" in found.stdout) == torn_down

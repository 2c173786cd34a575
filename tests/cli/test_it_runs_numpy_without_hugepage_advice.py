"""The ``tracktwo`` command keeps NumPy from advising huge pages for its arrays (the kernel's
compaction at their first touch doubled an analysis's system time), unless the operator set
``NUMPY_MADVISE_HUGEPAGE`` themselves; processes it starts inherit the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = (
    "from tracktwo.cli import without_hugepage_advice\n"
    "without_hugepage_advice()\n"
    "from numpy._core import multiarray\n"
    "print(multiarray._set_madvise_hugepage(True))\n"
)


@pytest.mark.parametrize(("given", "advised"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_it_imports_numpy_without_hugepage_advice(given: str | None, advised: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if given is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = given
    found = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert found.stdout.strip() == advised


def test_it_sets_it_before_any_command_runs() -> None:
    probe = (
        "import os\n"
        "from tracktwo import cli\n"
        "cli.main = lambda: print(os.environ.get('NUMPY_MADVISE_HUGEPAGE')) or 0\n"
        "cli.entry()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert found.stdout.strip() == "0"

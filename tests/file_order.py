"""The order in which the test files are handed to the two test processes: longest first.

``make test`` runs pytest with ``-n 2 --dist loadfile --no-loadscope-reorder``: each file goes
whole to whichever test process is free, in the order of the collection. xdist's own order
(the files with the most tests first) put the few long files, one or two slow tests each, at
the end, where one process ran them while the other had nothing left to do. Here the files
are sorted by the time they took in a recorded run (tests/file_costs.json, one table for the
SQLite pass and one for the PostgreSQL pass), longest first; a file in neither table (new, or
not yet timed) goes before them all, so that a long one is never left for the end. The order changes when the tests run, never what they check.

``TRACKTWO_RECORD_FILE_COSTS=1`` rewrites the current pass's table at the end of a run of the
whole suite (``python tests/run_suites.py`` with the variable set records both).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

COSTS = Path(__file__).resolve().parent / "file_costs.json"


def _pass() -> str:
    return "postgres" if os.environ.get("TRACKTWO_TEST_ON_POSTGRES") == "1" else "sqlite"


def _costs() -> dict[str, float]:
    """This pass's seconds per file; a file missing there takes the other pass's figure."""
    try:
        tables = json.loads(COSTS.read_text())
    except (OSError, ValueError):
        return {}
    mine = _pass()
    costs: dict[str, float] = {}
    for name in sorted(tables, key=lambda table: table == mine):  # this pass's table last
        costs.update({str(k): float(v) for k, v in tables[name].items()})
    return costs


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    costs = _costs()
    if costs:  # a stable sort: within a file, and among the untimed files, order is kept
        items.sort(key=lambda item: -costs.get(_file(item.nodeid), float("inf")))


_seconds: defaultdict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if os.environ.get("TRACKTWO_RECORD_FILE_COSTS") == "1":
        _seconds[_file(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    recording = os.environ.get("TRACKTWO_RECORD_FILE_COSTS") == "1"
    if not recording or hasattr(session.config, "workerinput") or not _seconds:
        return  # on xdist, the controller sees every report and writes the table
    try:
        tables = json.loads(COSTS.read_text())
    except (OSError, ValueError):
        tables = {}
    ranked = sorted(_seconds.items(), key=lambda item: -item[1])
    tables[_pass()] = {name: round(seconds, 1) for name, seconds in ranked}
    COSTS.write_text(json.dumps(tables, indent=1) + "\n")

"""Shared pieces of the Pol.is validation: group agreement and red-dwarf in a fenced subprocess.

Run as ``python bench/_polis_common.py reddwarf FOLDER`` it is the red-dwarf child: it reads
the export with tracktwo's reader, runs red-dwarf 0.4.0's Pol.is pipeline on the last votes
and prints ``{"participant id": group, ...}`` as JSON on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tracktwo.analysis.agreement import adjusted_rand_index  # noqa: E402
from tracktwo.analysis.result import AnalysisResult  # noqa: E402
from tracktwo.analysis.votes import Id  # noqa: E402

REDDWARF_MEMORY = 6 * 1024**3  # address-space limit of the red-dwarf child, bytes
REDDWARF_TIMEOUT = 1800  # seconds


def our_groups(result: AnalysisResult) -> dict[Id, int]:
    """Group per clustered participant id."""
    labels = result.group_labels
    ids = result.participant_ids
    return {ids[p]: int(labels[p]) for p in np.flatnonzero(labels >= 0)}


def ari_over_common(ours: Mapping[Id, int], theirs: Mapping[Id, int]) -> tuple[float, int]:
    """Adjusted Rand index over participants grouped by both, and how many they are."""
    common = [p for p in ours if p in theirs]
    if not common:
        return float("nan"), 0
    a = np.array([ours[p] for p in common], np.int64)
    b = np.array([theirs[p] for p in common], np.int64)
    return float(adjusted_rand_index(a, b)), len(common)


def reddwarf_groups(folder: Path) -> dict[Id, int] | str:
    """red-dwarf's groups in a child process limited in memory and time, or why it failed."""

    def fence() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (REDDWARF_MEMORY, REDDWARF_MEMORY))

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    try:
        done = subprocess.run(
            [sys.executable, __file__, "reddwarf", str(folder)],
            capture_output=True,
            text=True,
            timeout=REDDWARF_TIMEOUT,
            preexec_fn=fence,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {REDDWARF_TIMEOUT} s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["killed"])[-1]
        return f"failed ({last[:80]})"
    raw = json.loads(done.stdout)
    return {_id(k): int(v) for k, v in raw.items()}


def _id(key: str) -> Id:
    return int(key) if key.lstrip("-").isdigit() else key


def _reddwarf_child(folder: Path) -> None:
    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    from tracktwo.analysis.polis_io import read_polis

    events = read_polis(folder)
    latest = events.latest()
    pids = events.participant_ids
    sids = events.statements.ids
    votes = [
        {
            "participant_id": pids[p],
            "statement_id": sids[s],
            "vote": int(v),
            "modified": 0,
        }
        for p, s, v in zip(
            latest.participant.tolist(),
            latest.statement.tolist(),
            latest.vote.tolist(),
            strict=True,
        )
    ]
    statements = events.statements
    zeroed = [
        sid
        for sid, moderated, meta in zip(sids, statements.moderated, statements.is_meta, strict=True)
        if moderated == -1 or meta
    ]
    meta_ids = [sid for sid, meta in zip(sids, statements.is_meta, strict=True) if meta]
    result = run_pipeline(
        votes=votes,
        mod_out_statement_ids=zeroed,
        meta_statement_ids=meta_ids,
        random_state=0,
    )
    labels = result.participants_df["cluster_id"].dropna()
    json.dump({str(k): int(v) for k, v in labels.items()}, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "reddwarf":
        _reddwarf_child(Path(sys.argv[2]))
    else:
        sys.exit("usage: _polis_common.py reddwarf FOLDER")

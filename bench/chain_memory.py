"""A live chain's memory through many re-votes, keeping every vote event or only the votes its
cells count (``tracktwo.analysis.superseded``), without a server: the engine alone.

    .venv/bin/python bench/chain_memory.py                       # 200 x 100 cells, 300 votes a step
    .venv/bin/python bench/chain_memory.py --steps 600 --every 100

Each mode runs in its own child process (so one's heap never holds the other's): an analysis
of every cell voted once, then ``--steps`` updates of ``--batch`` random re-votes each (a
second of the soak's 300 votes/s), each followed by what a refresh reads of every vote
(``events.latest()``, the cross-party report's and bridging's input). Every ``--every`` steps
it prints the events the chain holds, the bytes of its arrays (events and the live state's
buffers) and the process's resident memory; a table of the first and last at the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def held_mb(result: object) -> float:
    """Bytes of the chain's vote events and of the live state's event and cell buffers."""
    events = result.events  # type: ignore[attr-defined]
    arrays = [events.participant, events.statement, events.vote, events.timestamp]
    link = result.state.live  # type: ignore[attr-defined]
    if link is not None:
        arrays += [*link.state.buffers, *link.state.cells.buffers]
    seen: dict[int, int] = {}
    for a in arrays:
        base = a.base if a.base is not None else a
        seen[id(base)] = base.nbytes
    return sum(seen.values()) / 2**20


def child(args: argparse.Namespace) -> None:
    from tracktwo.analysis.engine import analyze, update
    from tracktwo.analysis.superseded import compact
    from tracktwo.analysis.votes import from_arrays

    rng = np.random.default_rng(0)
    p, s = args.voters, args.statements
    clock = [1.0]

    def votes(who: np.ndarray, what: np.ndarray) -> object:
        n = who.shape[0]
        times = clock[0] + np.arange(n) * 1e-3
        clock[0] += n * 1e-3
        return from_arrays(
            np.array([f"p{w}" for w in who], dtype=object),
            what.astype(np.int64),
            rng.choice([-1, 0, 1], n),
            times,
        )

    grid = np.arange(p * s)
    result = analyze(votes(grid // s, grid % s))  # type: ignore[arg-type]
    slack = None if args.mode == "every" else 1.0
    rows = []
    started = time.perf_counter()
    for step in range(1, args.steps + 1):
        cells = rng.integers(0, p * s, args.batch)
        result = update(result, votes(cells // s, cells % s))  # type: ignore[arg-type]
        if slack is not None:
            result = compact(result, slack)
        result.events.latest()
        if step % args.every == 0 or step == args.steps:
            row = {"step": step, "events": len(result.events), "cells": result.n_votes,
                   "held_mb": round(held_mb(result), 1), "rss_mb": round(rss_mb(), 1),
                   "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print("RESULT " + json.dumps(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--batch", type=int, default=300, help="re-votes per update")
    parser.add_argument("--steps", type=int, default=600, help="updates")
    parser.add_argument("--every", type=int, default=100, help="print every this many steps")
    parser.add_argument("--mode", choices=["every", "latest"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        child(args)
        return 0
    table = {}
    for mode in ("every", "latest"):
        argv = [sys.executable, __file__, "--mode", mode, *sys.argv[1:]]
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        table[mode] = json.loads(out.split("RESULT ", 1)[1])
    print(f"{args.voters} x {args.statements} cells, {args.steps} updates of {args.batch} "
          "re-votes; arrays = the events and the live state's event and cell buffers\n")  # fmt: skip
    print("| chain keeps | step | events held | arrays MB | process RSS MB | seconds |")
    print("|---|---|---|---|---|---|")
    for mode, rows in table.items():
        name = "every event" if mode == "every" else "votes its cells count"
        for row in rows:
            print(f"| {name} | {row['step']} | {row['events']:,} | {row['held_mb']} | "
                  f"{row['rss_mb']} | {row['seconds']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

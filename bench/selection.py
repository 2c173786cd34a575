"""Benchmark: drawing a panel with sortition-algorithms (maximin), by pool and panel size.

Pools of 100, 1,000 and 10,000 generated candidates described by 5 categories (side,
gender, track, region, level; uneven shares, as real pools are) and a household column
(about 1 in 5 candidates shares a household), quotas around each value's share of the
panel (0.6x to 1.4x, at least 0 and 1), panels of 12, 40 and 150; ``--cells`` adds others
(the library's published case is 750x112). Each run is a fresh subprocess timed around
:func:`tracktwo.analysis.selection.select_panel` alone (generation excluded), with a cap on
wall time (``--cap``) and optionally on CPU time (``--cpu-cap``).

The machine is shared, so the main figure is the CPU time of each run (user + system of the
child, from ``wait4``; imports and pool generation, about 1 s, included); the wall time and
the load average at the start and end of each run are kept beside it. A child logs the
library's progress (its round of the first phase, its column-generation step) to stderr
every few CPU seconds, so a run stopped at the cap says how far it got. The table shows the
medians of the runs that finished. ``--json`` adds every run to a results file (kept across
invocations); ``--table-only`` prints the table of such a file as Markdown for docs/.

    .venv/bin/python bench/selection.py                          # 9 cells, 3 runs, 900 s cap
    .venv/bin/python bench/selection.py --cells 750x112 1000x150 --runs 1 --cap 2400 --json R.json
    .venv/bin/python bench/selection.py --table-only R.json
    .venv/bin/python bench/selection.py --split 10000x12 --split-rounds 4   # where a round goes
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
import _measure

from tracktwo.analysis.selection import Candidate, Quota, select_panel

CATEGORIES: dict[str, dict[str, float]] = {
    "side": {"A": 0.55, "B": 0.45},
    "gender": {"woman": 0.45, "man": 0.5, "other": 0.05},
    "track": {"1": 0.1, "1.5": 0.1, "2": 0.2, "4": 0.25, "5": 0.2, "7": 0.15},
    "region": {"north": 0.4, "south": 0.3, "east": 0.2, "west": 0.1},
    "level": {"top": 0.15, "middle": 0.45, "grassroots": 0.4},
}
PUBLISHED = "750 candidates -> panel of 112: about 2 minutes (Flanigan et al. 2021, maximin)"
PROGRESS = "PROGRESS "
PROGRESS_EVERY_CPU_S = 5.0


def generated_pool(size: int, seed: int) -> list[Candidate]:
    """``size`` candidates with the shares of :data:`CATEGORIES`; 1 in 5 shares a household."""
    rng = random.Random(seed)
    pool: list[Candidate] = []
    for i in range(size):
        values = {
            category: rng.choices(list(shares), weights=list(shares.values()))[0]
            for category, shares in CATEGORIES.items()
        }
        household = f"h{rng.randrange(size // 10 + 1)}" if rng.random() < 0.2 else ""
        pool.append(Candidate(f"c{i}", values, household))
    return pool


def quotas_for(panel: int) -> list[Quota]:
    """Quotas around each value's share of the panel."""
    quotas: list[Quota] = []
    for category, shares in CATEGORIES.items():
        for value, share in shares.items():
            low = math.floor(share * panel * 0.6)
            high = max(1, math.ceil(share * panel * 1.4))
            quotas.append(Quota(category, value, low, high))
    return quotas


class _Progress(logging.Handler):
    """In a child: the library's debug lines to stderr, at most one per few CPU seconds."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.last = -math.inf

    def emit(self, record: logging.LogRecord) -> None:
        cpu = time.process_time()
        if cpu - self.last >= PROGRESS_EVERY_CPU_S:
            self.last = cpu
            message = " ".join(record.getMessage().split())[:160]
            print(f"{PROGRESS}cpu={cpu:.0f}s {message}", file=sys.stderr, flush=True)


def child(pool_size: int, panel: int, seed: int) -> None:
    from sortition_algorithms.utils import logger  # sets the library's level; ours follows

    logger.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(_Progress())
    pool = generated_pool(pool_size, seed)
    quotas = quotas_for(panel)
    start, cpu = time.perf_counter(), time.process_time()
    result = select_panel(pool, quotas, panel, seed)
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    _measure.emit_result({"seconds": seconds, "select_cpu_s": cpu_s, "panels": result.panels})


def round_split(pool_size: int, panel: int, rounds: int) -> None:
    """CPU of the library's first phase (multiplicative weights: one ILP a candidate), per
    round, split into its steps as the library runs them (``--split``)."""
    from sortition_algorithms.committee_generation import common
    from sortition_algorithms.committee_generation.solver import SolverSense, solver_sum
    from sortition_algorithms.utils import random_provider, set_random_provider

    from tracktwo.analysis import selection

    selection._quiet_library()
    set_random_provider(1)
    features, people, columns = selection.library_input(
        generated_pool(pool_size, 1), quotas_for(panel), True
    )
    solver, agent_vars = common.setup_committee_generation(features, people, panel, columns)
    weights = {key: random_provider().uniform(0.99, 1.0) for key in agent_vars}
    steps = [
        "objective built (Python sum of terms)",
        "objective set (the library's set_objective: HiGHS solves)",
        "optimize (HiGHS solves again)",
        "panel read (one solution value a candidate)",
        "weights updated",
    ]
    spent = dict.fromkeys(steps, 0.0)
    for _ in range(rounds):
        marks = [time.process_time()]
        objective = solver_sum(weights[key] * agent_vars[key] for key in agent_vars)
        marks.append(time.process_time())
        solver.set_objective(objective, SolverSense.MAXIMIZE)
        marks.append(time.process_time())
        solver.optimize()
        marks.append(time.process_time())
        panel_found = common.ilp_results_to_committee(solver, agent_vars)
        marks.append(time.process_time())
        common._update_multiplicative_weights_after_committee_found(
            weights, panel_found, agent_vars, False
        )
        marks.append(time.process_time())
        for step, before, after in zip(steps, marks, marks[1:], strict=False):
            spent[step] += after - before
    total = sum(spent.values())
    print(f"{pool_size}x{panel}: {rounds} rounds of the first phase (it runs {pool_size})")
    print(f"  {total / rounds:.3f} s CPU a round; load average {os.getloadavg()[0]:.1f}")
    for step, seconds in spent.items():
        print(f"  {seconds / rounds:7.3f} s {seconds / total:4.0%}  {step}")


def last_progress(stderr_tail: str) -> str:
    lines = [line for line in stderr_tail.splitlines() if line.startswith(PROGRESS)]
    return lines[-1][len(PROGRESS) :] if lines else ""


def measure(pool_size: int, panel: int, run: int, args: argparse.Namespace) -> dict[str, Any]:
    """One run in a fresh child: outcome, times, loads."""
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_start = os.getloadavg()[0]
    got = _measure.run(
        [sys.executable, __file__, "--child", str(pool_size), str(panel), str(run)],
        timeout_s=args.cap,
        cpu_timeout_s=args.cpu_cap,
        capture_result=True,
    )
    return {
        "pool": pool_size,
        "panel": panel,
        "run": run,
        "started": started,
        "status": got.status,
        "wall_s": float(got.result.get("seconds", math.nan)),
        "child_wall_s": got.wall_s,
        "cpu_s": got.cpu_s,
        "select_cpu_s": float(got.result.get("select_cpu_s", math.nan)),
        "panels": int(got.result.get("panels", 0)),
        "load_start": load_start,
        "load_end": os.getloadavg()[0],
        "cap_s": args.cap,
        "cpu_cap_s": args.cpu_cap,
        "progress": "" if got.ok else last_progress(got.stderr_tail),
        "error": "" if got.ok or got.status == "timeout" else got.stderr_tail[-300:],
    }


def _median(values: list[float], digits: int) -> str:
    return f"{statistics.median(values):,.{digits}f}" if values else "-"


def _span(counts: list[int]) -> str:
    if not counts:
        return ""
    return str(counts[0]) if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"


def _loads(runs: list[dict[str, Any]]) -> str:
    loads = [r["load_start"] for r in runs] + [r["load_end"] for r in runs]
    return f"{min(loads):.1f}-{max(loads):.1f}" if loads else ""


def cell_row(pool_size: int, panel: int, runs: list[dict[str, Any]]) -> list[str]:
    """pool, panel, CPU s, wall s, runs, load, panels, note (medians of the finished runs)."""
    if panel > pool_size:
        return [f"{pool_size:,}", str(panel), "-", "-", "", "", "", "panel larger than the pool"]
    done = [r for r in runs if r["status"] == "ok"]
    notes = []
    for r in runs:
        if r["status"] == "timeout":
            cap = (
                f"{r['cpu_cap_s']:,.0f} s CPU cap" if r["cpu_cap_s"] else f"{r['cap_s']:,.0f} s cap"
            )
            note = (
                f"run {r['run']}: did not finish in {r['child_wall_s']:,.0f} s "
                f"({r['cpu_s']:,.0f} s CPU; {cap})"
            )
            notes.append(note + (f"; last progress: {r['progress']}" if r["progress"] else ""))
        elif r["status"] != "ok":
            notes.append(f"run {r['run']}: {r['status']}")
    return [
        f"{pool_size:,}",
        str(panel),
        _median([r["cpu_s"] for r in done], 1),
        _median([r["wall_s"] for r in done], 1),
        f"{len(done)} of {len(runs)}" if runs else "not run",
        _loads(runs),
        _span([r["panels"] for r in done]),
        "; ".join(notes),
    ]


HEADER = [
    "pool",
    "panel",
    "CPU s (median)",
    "wall s (median)",
    "runs finished",
    "load",
    "panels",
    "note",
]


def markdown_table(runs: list[dict[str, Any]], cells: list[tuple[int, int]]) -> str:
    seen = dict.fromkeys(cells + [(r["pool"], r["panel"]) for r in runs])
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * 7 + "---|"]
    for pool_size, panel in seen:
        mine = [r for r in runs if (r["pool"], r["panel"]) == (pool_size, panel)]
        lines.append("| " + " | ".join(cell_row(pool_size, panel, mine)) + " |")
    return "\n".join(lines)


def parse_cell(text: str) -> tuple[int, int]:
    pool_size, _, panel = text.lower().partition("x")
    return int(pool_size), int(panel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--panels", type=int, nargs="+", default=[12, 40, 150])
    parser.add_argument("--cells", nargs="+", type=parse_cell, help="POOLxPANEL instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--first-run", type=int, default=1, help="number (and seed) of the first")
    parser.add_argument("--cap", type=float, default=900.0, help="wall seconds per run")
    parser.add_argument("--cpu-cap", type=float, default=None, help="CPU seconds per run")
    parser.add_argument("--json", type=Path, help="add every run to this results file")
    parser.add_argument("--table-only", type=Path, metavar="JSON", help="print its table")
    parser.add_argument("--split", type=parse_cell, metavar="POOLxPANEL", help="per-round CPU")
    parser.add_argument("--split-rounds", type=int, default=10)
    parser.add_argument("--child", type=int, nargs=3, metavar=("POOL", "PANEL", "SEED"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.split:
        round_split(*args.split, args.split_rounds)
        return
    default_cells = [(p, n) for p in args.pools for n in args.panels]
    if args.table_only:
        print(markdown_table(json.loads(args.table_only.read_text())["runs"], default_cells))
        return
    cells = args.cells or default_cells
    record: dict[str, Any] = {"machine": _measure.machine(), "published": PUBLISHED, "runs": []}
    if args.json and args.json.exists():
        record = json.loads(args.json.read_text())
    print(f"machine: {_measure.machine()}")
    print(f"published: {PUBLISHED}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    widths = [6, 5, 14, 15, 13, 9, 6]
    print(" ".join(h.rjust(w) for h, w in zip(HEADER, widths, strict=False)) + "  note")
    for pool_size, panel in cells:
        runs: list[dict[str, Any]] = []
        last = args.first_run + args.runs if panel <= pool_size else args.first_run
        for run in range(args.first_run, last):
            runs.append(measure(pool_size, panel, run, args))
            if args.json:
                record["runs"].append(runs[-1])
                args.json.write_text(json.dumps(record, indent=1) + "\n")
            if runs[-1]["status"] != "ok":
                break
        row = cell_row(pool_size, panel, runs)
        cols = " ".join(value.rjust(w) for value, w in zip(row, widths, strict=False))
        print(f"{cols}  {row[-1]}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Benchmark: drawing a panel with sortition-algorithms (maximin), by pool and panel size.

Pools of 100, 1,000 and 10,000 generated candidates described by 5 categories (side,
gender, track, region, level; uneven shares, as real pools are) and a household column
(about 1 in 5 candidates shares a household), quotas around each value's share of the
panel (0.6x to 1.4x, at least 0 and 1), panels of 12, 40 and 150. Each run is a fresh
subprocess (``bench/_measure.py``) timed around :func:`tracktwo.analysis.selection.select_panel`
alone (generation excluded), with a wall-clock cap; the table shows the median of the
runs that finished. The library's published figure is printed beside for comparison.

    .venv/bin/python bench/selection.py                    # 3 runs per cell, 900 s cap
    .venv/bin/python bench/selection.py --pools 100 1000 --panels 12 40 --runs 5
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

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


def child(pool_size: int, panel: int, seed: int) -> None:
    pool = generated_pool(pool_size, seed)
    quotas = quotas_for(panel)
    start = time.perf_counter()
    result = select_panel(pool, quotas, panel, seed)
    seconds = time.perf_counter() - start
    _measure.emit_result({"seconds": seconds, "panels": result.panels})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--panels", type=int, nargs="+", default=[12, 40, 150])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--child", type=int, nargs=3, metavar=("POOL", "PANEL", "SEED"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"machine: {_measure.machine()}")
    print(f"published: {PUBLISHED}")
    print(f"load average at start: {Path('/proc/loadavg').read_text().split()[0]}")
    print(f"{'pool':>6} {'panel':>5} {'median s':>9} {'cpu s':>8} {'runs':>9} {'panels':>7}  note")
    for pool_size in args.pools:
        for panel in args.panels:
            times: list[float] = []
            cpu: list[float] = []
            panels = 0
            note = ""
            if panel > pool_size:
                print(
                    f"{pool_size:>6} {panel:>5} {'-':>9} {'-':>8} {'':>9} {'':>7}  panel larger than pool"
                )
                continue
            for run in range(args.runs):
                got = _measure.run(
                    [sys.executable, __file__, "--child", str(pool_size), str(panel), str(run + 1)],
                    timeout_s=args.cap,
                    capture_result=True,
                )
                if not got.ok:
                    note = f"run {run + 1}: {got.status} after {got.wall_s:.0f} s ({got.cpu_s:.0f} s CPU)"
                    break
                times.append(float(got.result["seconds"]))
                cpu.append(got.cpu_s)
                panels = int(got.result["panels"])
            median = f"{statistics.median(times):9.2f}" if times else f"{'-':>9}"
            cpu_median = f"{statistics.median(cpu):8.1f}" if cpu else f"{'-':>8}"
            print(
                f"{pool_size:>6} {panel:>5} {median} {cpu_median} {len(times):>4}/{args.runs:<4} "
                f"{panels:>7}  {note}",
                flush=True,
            )


if __name__ == "__main__":
    main()

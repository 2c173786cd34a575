"""Benchmark: the bridging fit (Community Notes model, ALS) at 1M participants / 50M votes.

Each run is a fresh subprocess that generates votes with a planted structure -- two
declared sides (60/40), statements that bridge (supported by both sides), statements
that divide (one side agrees, the other disagrees) and noisy others -- then fits the
model. Printed per run: generation and fit time, iterations, the subprocess's peak
resident memory (ru_maxrss, from wait4) and how the planted statements came out.

    .venv/bin/python bench/bridging.py                 # 3 runs, medians
    .venv/bin/python bench/bridging.py --participants 100000 --votes 5000000 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def planted_votes(
    n_participants: int, n_votes: int, n_statements: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Votes sorted by participant; returns participant, statement, agree, statement kind.

    kind: 0 bridging (agreed by both sides), 1 dividing, 2 other.
    ``n_statements`` should be prime so that each participant's statements are distinct.
    """
    rng = np.random.default_rng(seed)
    per = n_votes // n_participants
    side = np.where(rng.random(n_participants) < 0.6, 1.0, -1.0).astype(np.float32)
    kind = rng.choice(3, size=n_statements, p=[0.1, 0.3, 0.6])
    base = np.where(kind == 0, 3.0, np.where(kind == 1, 0.0, rng.normal(-1, 1, n_statements)))
    slope = np.where(
        kind == 0,
        0.0,
        np.where(
            kind == 1, rng.choice([-2.5, 2.5], n_statements), rng.normal(0, 0.5, n_statements)
        ),
    )
    start = rng.integers(0, n_statements, n_participants).astype(np.int64)
    step = rng.integers(1, n_statements, n_participants).astype(np.int64)
    statement = np.empty(n_participants * per, np.int32)
    chunk = 100_000
    for lo in range(0, n_participants, chunk):
        hi = min(lo + chunk, n_participants)
        block = (start[lo:hi, None] + np.arange(per)[None, :] * step[lo:hi, None]) % n_statements
        statement[lo * per : hi * per] = block.ravel()
    participant = np.repeat(np.arange(n_participants, dtype=np.int32), per)
    agree = np.empty(statement.size, np.bool_)
    base32, slope32 = base.astype(np.float32), slope.astype(np.float32)
    for lo in range(0, statement.size, 5_000_000):
        s = statement[lo : lo + 5_000_000]
        logit = base32[s] + slope32[s] * side[participant[lo : lo + 5_000_000]]
        agree[lo : lo + s.size] = rng.random(s.size, dtype=np.float32) < 1 / (1 + np.exp(-logit))
    return participant, statement, agree, kind


def child(args: argparse.Namespace) -> None:
    import resource

    from tracktwo.analysis.bridging import BridgingModel

    started = time.perf_counter()
    participant, statement, agree, kind = planted_votes(
        args.participants, args.votes, args.statements, args.seed
    )
    generated = time.perf_counter() - started
    data_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = BridgingModel(seed=args.seed, tol=args.tol)
    started = time.perf_counter()
    result = model.fit_arrays(
        participant, statement, agree, args.participants, tuple(range(args.statements))
    )
    fitted = time.perf_counter() - started
    print(
        json.dumps(
            {
                "votes": int(participant.size),
                "generate_s": generated,
                "fit_s": fitted,
                "iterations": result.n_iter,
                "converged": result.converged,
                "data_rss_mb": data_rss / 1024,
                "bridging_flagged": float(result.bridges[kind == 0].mean()),
                "dividing_flagged": float(result.bridges[kind == 1].mean()),
                "bridging_mean_abs_factor": float(np.abs(result.factor[kind == 0]).mean()),
                "dividing_mean_abs_factor": float(np.abs(result.factor[kind == 1]).mean()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--votes", type=int, default=50_000_000)
    parser.add_argument("--statements", type=int, default=2003, help="a prime")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tol", type=float, default=1e-6, help="relative loss change to stop")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    rows = []
    for run in range(args.runs):
        command = [
            sys.executable,
            __file__,
            "--child",
            "--participants",
            str(args.participants),
            "--votes",
            str(args.votes),
            "--statements",
            str(args.statements),
            "--seed",
            str(args.seed + run),
            "--tol",
            str(args.tol),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            sys.exit(f"run {run + 1} failed with status {process.returncode}")
        row = json.loads(output)
        row["peak_rss_mb"] = usage.ru_maxrss / 1024
        rows.append(row)
        print(
            f"run {run + 1}: {row['votes']:,} votes, fit {row['fit_s']:.1f} s "
            f"({row['iterations']} iterations, converged={row['converged']}), "
            f"peak RSS {row['peak_rss_mb']:,.0f} MB (data alone {row['data_rss_mb']:,.0f} MB), "
            f"generation {row['generate_s']:.1f} s; bridging flagged "
            f"{row['bridging_flagged']:.0%}, dividing flagged {row['dividing_flagged']:.0%}",
            flush=True,
        )
    print()
    print(
        "| participants | votes | statements | runs | fit time (median) | "
        "peak RSS (median) | iterations | bridging / dividing statements flagged |"
    )
    print("|---|---|---|---|---|---|---|---|")
    med = statistics.median
    print(
        f"| {args.participants:,} | {rows[0]['votes']:,} | {args.statements:,} | {len(rows)} | "
        f"{med(r['fit_s'] for r in rows):.1f} s | {med(r['peak_rss_mb'] for r in rows):,.0f} MB | "
        f"{med(r['iterations'] for r in rows):.0f} | "
        f"{med(r['bridging_flagged'] for r in rows):.0%} / "
        f"{med(r['dividing_flagged'] for r in rows):.0%} |"
    )


if __name__ == "__main__":
    main()

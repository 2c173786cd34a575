"""Syscalls and CPU per vote of one ``tracktwo serve`` process: what the kernel's share is.

    .venv/bin/python bench/vote_syscalls.py --redis redis://127.0.0.1:6379/8
    .venv/bin/python bench/vote_syscalls.py --votes 4000 --rate 400 --tracer strace

Seeds a fresh PostgreSQL database as ``bench/votes_load.py`` does (one dialogue, 200 voters
joined through real invitations, 100 statements) and, for each configuration, starts one
``tracktwo serve --workers 1 --threads T``, warms it up, then sends ``--votes`` votes open
loop at ``--rate`` twice:

1. untraced: CPU milliseconds per vote of the server (granian's processes; user and kernel
   apart), of PostgreSQL (all its processes) and of redis-server, read from ``/proc``;
2. traced: the syscalls per vote of the server (``perf trace -s`` by default, cheap; or
   ``strace -c -f``, which slows the server), the total and the most frequent ones.

Configurations: ``minimal`` (``bench/scale_out.py``'s baseline: a Django view doing one
``INSERT`` under granian, no middleware), ``embedded`` (no ``REDIS_URL``: rate-limit counters in local memory),
``redis`` (``REDIS_URL`` set: shared rate limits in Redis), and ``redis+worker`` (plus a
``tracktwo worker`` and a facilitator's dashboard polling the analysis once a second through
this server, as in ``bench/scale_out.py``). Counts are per vote answered 201; the other
load on the machine moves the CPU figures a little and the syscall counts hardly at all.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_out import Site, create_database, drop_database, poll_dashboard, seed, serve_minimal
from votes_load import TICKS, Stage, Voter, free_port, run_stage, wait_healthy

PYTHON = sys.executable
CONFIGS = ("minimal", "embedded", "redis", "redis+worker")


def cpu_split(pids: set[int]) -> tuple[float, float]:
    """User and kernel CPU seconds of ``pids``."""
    user = system = 0.0
    for pid in pids:
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        user += int(fields[11]) / TICKS
        system += int(fields[12]) / TICKS
    return user, system


def pids_named(name: str) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.add(int(entry.name))
            except OSError:
                pass
    return found


def family(root: int) -> set[int]:
    """``root`` and its children (granian's main process and its worker)."""
    children = Path(f"/proc/{root}/task/{root}/children")
    return {root, *(int(p) for p in children.read_text().split())} if children.exists() else {root}


def parse_perf(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in text.splitlines():
        match = re.match(r"^\s+([a-z_0-9]+)\s+(\d+)\s+\d+\s+[\d.]+", line)
        if match:
            counts[match[1]] = counts.get(match[1], 0) + int(match[2])
    return counts


def parse_strace(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] not in ("total", "syscall"):
            counts[parts[-1]] = int(parts[3])
    return counts


def votes(voters: list[Voter], args: argparse.Namespace, dash: tuple[int, int, str] | None) -> int:
    stage = Stage("votes", args.rate)

    async def go() -> None:
        stop = asyncio.Event()
        poller = asyncio.create_task(poll_dashboard(*dash, stop)) if dash else None
        await run_stage(voters, stage, args.votes / args.rate, 0.0, 1)
        stop.set()
        if poller:
            await poller

    asyncio.run(go())
    return stage.acknowledged


def measure(config: str, args: argparse.Namespace, work: Path, url: str, seeded: dict) -> str:  # type: ignore[type-arg]
    env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work),
           "RATELIMIT_VOTE": "100000/m"}  # fmt: skip
    env.pop("TRACKTWO_MASTER_KEY_FILE", None)
    if config != "embedded":
        env["REDIS_URL"] = args.redis
    site = Site(env, work)
    try:
        if config == "minimal":  # scale_out.py's baseline: a Django view doing one INSERT
            port = serve_minimal(site, 1, args.threads)[0]
            server = site.processes[-1]
        else:
            port = free_port()
            server = site.start(
                [PYTHON, "-m", "tracktwo.cli", "serve", "--no-migrate", "--port", str(port),
                 "--workers", "1", "--threads", str(args.threads)], f"serve-{config}",
            )  # fmt: skip
            wait_healthy(port, server)
        if config == "redis+worker":
            site.start([PYTHON, "-m", "tracktwo.cli", "worker", "--loglevel", "WARNING"], "worker")
        dash = None
        if config == "redis+worker":
            dash = (port, int(seeded["dialogue"]), str(seeded["facilitator"]))
        path = f"/api/v1/dialogues/{seeded['dialogue']}/votes"
        if config == "minimal":
            voters = [Voter(port, "/vote", t, [1]) for t in seeded["tokens"]]
        else:
            voters = [Voter(port, path, t, seeded["statements"]) for t in seeded["tokens"]]
        warm = argparse.Namespace(**{**vars(args), "votes": args.rate * 2})
        votes(voters, warm, dash)
        server_pids = family(server.pid)
        pg, redis = pids_named("postgres"), pids_named("redis-server")
        before = [cpu_split(server_pids), cpu_split(pg), cpu_split(redis)]
        n = votes(voters, args, dash)
        after = [cpu_split(server_pids), cpu_split(pg), cpu_split(redis)]
        load = os.getloadavg()[0]
        ms = [
            ((a[0] - b[0]) / n * 1000, (a[1] - b[1]) / n * 1000)
            for a, b in zip(after, before, strict=True)
        ]
        worker_pid = max(server_pids)  # granian's worker: the child, started after its parent
        out = work / f"trace-{config}.txt"
        if args.tracer == "perf":
            argv = ["perf", "trace", "-s", "-p", str(worker_pid), "-o", str(out)]
        else:
            argv = ["strace", "-c", "-f", "-p", str(worker_pid), "-o", str(out)]
        tracer = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        traced = votes(voters, args, dash)
        tracer.send_signal(2)
        tracer.wait(timeout=60)
        text = out.read_text()
        counts = parse_perf(text) if args.tracer == "perf" else parse_strace(text)
        total = sum(counts.values()) / max(1, traced)
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
        detail = ", ".join(f"{name} {c / max(1, traced):.1f}" for name, c in top)
        (s_user, s_sys), (pg_user, pg_sys), (r_user, r_sys) = ms
        return (
            f"| {config} | {s_user:.2f} + {s_sys:.2f} | {pg_user + pg_sys:.2f} "
            f"| {r_user + r_sys:.3f} | {total:.1f} | {detail} | {load:.1f} |"
        )
    finally:
        site.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="REDIS_URL")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--threads", type=int, default=8, help="request threads")
    parser.add_argument("--votes", type=int, default=3000, help="votes per measured pass")
    parser.add_argument("--rate", type=float, default=300.0, help="offered votes/s")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--tracer", choices=("perf", "strace"), default="perf")
    args = parser.parse_args(argv)
    name = f"tracktwo_syscalls_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="tracktwo-syscalls-") as tmp:
        work = Path(tmp)
        url = create_database(args.pg, name)
        try:
            env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work)}
            env.pop("TRACKTWO_MASTER_KEY_FILE", None)
            seeded = seed(env, work, args)
            print(f"\n{args.votes} votes at {args.rate:.0f}/s per pass, 1 process x "
                  f"{args.threads} threads, tracer {args.tracer}, {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.1f} at the start\n")  # fmt: skip
            print(
                "| configuration | server CPU ms per vote: user + kernel | PostgreSQL CPU ms "
                "| redis-server CPU ms | server syscalls per vote | most frequent, per vote "
                "| load avg. |"
            )
            print("|---|---|---|---|---|---|---|")
            for config in args.configs.split(","):
                print(measure(config, args, work, url, seeded), flush=True)
        finally:
            drop_database(args.pg, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Votes/s and p99 with 1, 2 and 4 app processes, beside the same run's baselines, as ratios.

    .venv/bin/python bench/scale_out.py                           # 1, 2, 4 processes at 1,000/s
    .venv/bin/python bench/scale_out.py --processes 1,2 --rate 500 --duration 10
    .venv/bin/python bench/scale_out.py --soak 1800 --rate 500    # the 30-minute soak

For every count N of ``tracktwo serve`` processes (each ``--workers 1 --threads T``) on
PostgreSQL, with ``REDIS_URL`` set (shared rate limits) and one ``tracktwo worker``:

1. a fresh database is created, migrated and seeded by ``bench/votes_load.py``'s seed
   (``--voters`` participants joined through real invitations, ``--statements``);
2. the voters (one keep-alive connection each, spread over the N processes in turn)
   send ``POST /api/v1/dialogues/{id}/votes`` open loop at ``--rate`` (Poisson arrivals,
   latency from the moment a vote was due), while a facilitator's dashboard polls the
   analysis once a second through the last process;
3. the same run's two baselines at the same offered rate and the same concurrency (N x T
   database connections): **bare psycopg**, one autocommit ``INSERT`` per vote into a
   table of the same shape from N x T asyncio connections; **minimal Django**, a Django
   view doing that one ``INSERT`` under granian with the same processes and threads,
   driven by the same client as tracktwo.

It prints, per N, achieved votes/s, p50 and p99 of each, and tracktwo's ratios to the two
baselines (votes/s: tracktwo / baseline; p99: tracktwo / baseline), the CPU milliseconds
per vote answered of the app processes (granian's, all N; tracktwo's include the dashboard's
polls) and of the minimal Django view's, the load generator's own CPU milliseconds per vote
(this process, during each of the two runs), with the machine's load average, and checks that the
database holds every vote answered 201. A second table says where the cores went during
tracktwo's run: cores used by the app processes, PostgreSQL, the worker, the load generator
and everything else, against the machine's busy total. The CPU per vote moves much less with the
machine's other load than votes/s do. Absolute figures
depend on the machine and its other load; the ratios much less (docs/deployment.md).

``--soak SECONDS`` instead runs one stage at ``--rate`` for that long with N = the first
``--processes`` and samples the resident memory of every process (app processes, worker and
their pool processes) every 10 s: the table gives each one's RSS after the warm-up (the sample
a tenth of the way in), last and peak, and whether the last is within 10% of the first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from votes_load import (
    COUNT_SCRIPT,
    SEED_SCRIPT,
    Stage,
    Voter,
    busy_seconds,
    cpu_seconds,
    free_port,
    run_stage,
    wait_healthy,
)

PYTHON = sys.executable
TABLE = "bench_vote"
MINIMAL_SITE = """
import os
from django.conf import settings
import dj_database_url
settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, SECRET_KEY="bench",
    # Persistent connections, as tracktwo's settings have them.
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=None)},
    MIDDLEWARE=[], INSTALLED_APPS=[],
)
import django
django.setup()
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def vote(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_vote (participant, statement, value, created_at) "
            "VALUES (%s, %s, %s, now())", [1, 1, 1])
    response = HttpResponse(b"{}", status=201, content_type="application/json")
    response["Content-Length"] = "2"  # as tracktwo's middleware sets it; no chunking
    return response

urlpatterns = [path("vote", vote)]
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""


CORES: list[str] = []  # per process count: where the cores went during tracktwo's run


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q)) if values else float("nan")


def admin_url(server: str) -> str:
    return server.replace("postgres://", "postgresql://", 1) + "/postgres"


def create_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, participant bigint, "
            "statement bigint, value smallint, created_at timestamptz)"
        )
    return url


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def bare_inserts(
    url: str, connections: int, rate: float, duration: float, warmup: float
) -> Stage:
    """The floor: one autocommit INSERT per vote from ``connections`` asyncio connections."""
    import psycopg

    stage = Stage("bare psycopg", rate)
    conns = [
        await psycopg.AsyncConnection.connect(
            url.replace("postgres://", "postgresql://", 1), autocommit=True
        )
        for _ in range(connections)
    ]
    due_queue: asyncio.Queue[float] = asyncio.Queue()
    start = time.perf_counter() + 0.2
    measure_from, end = start + warmup, start + warmup + duration

    async def arrivals() -> None:
        rng, due = random.Random(7), start
        while due < end:
            due += rng.expovariate(rate)
            pause = due - time.perf_counter()
            if pause > 0:
                await asyncio.sleep(pause)
            due_queue.put_nowait(due)
        for _ in conns:
            due_queue.put_nowait(-1.0)

    async def inserter(conn: psycopg.AsyncConnection[object]) -> None:
        while (due := await due_queue.get()) >= 0:
            await conn.execute(
                f"INSERT INTO {TABLE} (participant, statement, value, created_at) "  # noqa: S608
                "VALUES (1, 1, 1, now())"
            )
            if due >= measure_from:
                stage.ok += 1
                stage.latencies.append(time.perf_counter() - due)

    await asyncio.gather(arrivals(), *(inserter(c) for c in conns))
    stage.elapsed = max(duration, time.perf_counter() - measure_from)
    for conn in conns:
        await conn.close()
    return stage


class Site:
    """Processes started for one measurement, stopped together."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.env, self.work, self.processes = env, work, []

    def start(
        self, argv: list[str], name: str, extra: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = open(self.work / f"{name}-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(argv, env={**self.env, **(extra or {})}, stdout=log, stderr=log)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        self.processes = []


def serve_tracktwo(site: Site, n: int, threads: int, worker_nice: int = 0) -> list[int]:
    ports = []
    for _ in range(n):
        port = free_port()
        server = site.start(
            [PYTHON, "-m", "tracktwo.cli", "serve", "--no-migrate", "--port", str(port),
             "--workers", "1", "--threads", str(threads)], "serve",
        )  # fmt: skip
        wait_healthy(port, server)
        ports.append(port)
    nice = ["nice", "-n", str(worker_nice)] if worker_nice else []
    site.start([*nice, PYTHON, "-m", "tracktwo.cli", "worker", "--loglevel", "WARNING"], "worker")
    return ports


def serve_minimal(site: Site, n: int, threads: int) -> list[int]:
    (site.work / "minimal_site.py").write_text(MINIMAL_SITE)
    ports = []
    for _ in range(n):
        port = free_port()
        server = site.start(
            [PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port",
             str(port), "--workers", "1", "--blocking-threads", str(threads), "--no-ws",
             "minimal_site:application"], "minimal",
            {"PYTHONPATH": str(site.work)},
        )  # fmt: skip
        wait_healthy_path(port, server)
        ports.append(port)
    return ports


def wait_healthy_path(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the minimal Django site exited")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise SystemExit("the minimal Django site did not start")


async def poll_dashboard(port: int, dialogue: int, token: str, stop: asyncio.Event) -> int:
    """A facilitator's dashboard: the analysis once a second; returns the polls answered 200."""
    ok = 0
    while not stop.is_set():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /api/v1/dialogues/{dialogue}/analysis HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n".encode()
        )
        head = await reader.read(64)
        ok += head.startswith(b"HTTP/1.1 200")
        writer.close()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)
    return ok


async def drive(
    voters: list[Voter], stage: Stage, args: argparse.Namespace, dash: tuple[int, int, str] | None
) -> int:
    stop = asyncio.Event()
    poller = asyncio.create_task(poll_dashboard(*dash, stop)) if dash else None
    await run_stage(voters, stage, args.duration, args.warmup, 1)
    stop.set()
    return await poller if poller else 0


def seed(env: dict[str, str], work: Path, args: argparse.Namespace) -> dict[str, object]:
    out = work / "seed.json"
    script = SEED_SCRIPT.replace(
        'json.dump({"dialogue"',
        '_, facilitator = accounts.issue_token(user, "bench")\njson.dump({"facilitator": facilitator, "dialogue"',
    )
    subprocess.run([PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [PYTHON, "-c", script, str(args.voters), str(args.statements), str(out)],
        env=env,
        check=True,
    )
    return dict(json.loads(out.read_text()))


def measure(n: int, args: argparse.Namespace, work: Path) -> str:
    name = f"tracktwo_scale_{os.getpid()}_{n}"
    url = create_database(args.pg, name)
    env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work),
           "RATELIMIT_VOTE": "100000/m", "REDIS_URL": args.redis}  # fmt: skip
    env.pop("TRACKTWO_MASTER_KEY_FILE", None)
    site = Site(env, work)
    try:
        seeded = seed(env, work, args)
        ports = serve_tracktwo(site, n, args.threads, args.worker_nice)
        path = f"/api/v1/dialogues/{seeded['dialogue']}/votes"
        tokens: list[str] = seeded["tokens"]  # type: ignore[assignment]
        voters = [Voter(ports[i % n], path, t, seeded["statements"]) for i, t in enumerate(tokens)]  # type: ignore[arg-type]
        ours = Stage("tracktwo", args.rate)
        dash = (ports[-1], int(seeded["dialogue"]), str(seeded["facilitator"]))  # type: ignore[call-overload]
        roots = tuple(process.pid for process in site.processes[:n])  # the serve processes
        worker = (site.processes[n].pid,)
        before = (*cpu_seconds(roots), cpu_seconds(worker)[0], time.process_time(), busy_seconds())
        began = time.perf_counter()
        polls = asyncio.run(drive(voters, ours, args, dash))
        wall = time.perf_counter() - began
        after = (*cpu_seconds(roots), cpu_seconds(worker)[0], time.process_time(), busy_seconds())
        used = [b - a for a, b in zip(before, after, strict=True)]
        our_cpu = used[0] / max(1, ours.acknowledged) * 1000
        our_client = used[3] / max(1, ours.acknowledged) * 1000
        cores = [u / wall for u in used]
        CORES.append(
            f"| {n} | {cores[0]:.2f} | {cores[1]:.2f} | {cores[2]:.2f} | {cores[3]:.2f} "
            f"| {cores[4] - sum(cores[:4]):.2f} | {cores[4]:.2f} of {os.cpu_count()} "
            f"| {used[1] / max(1, ours.acknowledged) * 1000:.2f} |"
        )
        site.stop()
        done = subprocess.run(
            [PYTHON, "-c", COUNT_SCRIPT], env=env, check=True, capture_output=True, text=True
        )
        if int(done.stdout.strip()) < ours.acknowledged:
            raise SystemExit("ERROR: fewer votes stored than answered 201")
        minimal_ports = serve_minimal(site, n, args.threads)
        minimal = Stage("minimal Django", args.rate)
        others = [Voter(minimal_ports[i % n], "/vote", t, [1]) for i, t in enumerate(tokens)]
        roots = tuple(process.pid for process in site.processes)
        spent, client = cpu_seconds(roots)[0], time.process_time()
        asyncio.run(drive(others, minimal, args, None))
        minimal_cpu = (cpu_seconds(roots)[0] - spent) / max(1, minimal.acknowledged) * 1000
        minimal_client = (time.process_time() - client) / max(1, minimal.acknowledged) * 1000
        site.stop()
        bare = asyncio.run(
            bare_inserts(url, n * args.threads, args.rate, args.duration, args.warmup)
        )
        load = os.getloadavg()[0]
        rows = []
        for stage in (ours, minimal, bare):
            rate = stage.ok / stage.elapsed
            rows.append(
                (
                    stage.name,
                    rate,
                    pct(stage.latencies, 50),
                    pct(stage.latencies, 99),
                    sum(stage.errors.values()),
                )
            )
        (_, r0, _, p0, _), (_, r1, _, p1, _), (_, r2, _, p2, _) = rows
        cells = " | ".join(f"{r:.0f} / {p50:.1f} / {p99:.1f}" for _, r, p50, p99, _ in rows)
        return (
            f"| {n} | {args.rate:.0f} | {cells} | {r0 / r1:.2f} / {p0 / p1:.1f} "
            f"| {r0 / r2:.2f} / {p0 / p2:.1f} | {our_cpu:.2f} / {minimal_cpu:.2f} "
            f"| {our_client:.2f} / {minimal_client:.2f} | {rows[0][4]} | {polls} | {load:.1f} |"
        )
    finally:
        site.stop()
        drop_database(args.pg, name)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def soak(args: argparse.Namespace, work: Path) -> int:
    """One long stage; the resident memory of every process sampled every 10 s."""
    n = int(args.processes.split(",")[0])
    name = f"tracktwo_soak_{os.getpid()}"
    url = create_database(args.pg, name)
    env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work),
           "RATELIMIT_VOTE": "100000/m", "REDIS_URL": args.redis}  # fmt: skip
    env.pop("TRACKTWO_MASTER_KEY_FILE", None)
    site = Site(env, work)
    samples: dict[str, list[float]] = {}
    try:
        seeded = seed(env, work, args)
        ports = serve_tracktwo(site, n, args.threads)
        path = f"/api/v1/dialogues/{seeded['dialogue']}/votes"
        voters = [
            Voter(ports[i % n], path, t, seeded["statements"])
            for i, t in enumerate(seeded["tokens"])
        ]  # type: ignore[arg-type]
        stage = Stage("soak", args.rate)
        args.duration, args.warmup = float(args.soak), 0.0
        dash = (ports[-1], int(seeded["dialogue"]), str(seeded["facilitator"]))  # type: ignore[call-overload]

        async def sampled() -> None:
            ticks = 0
            task = asyncio.create_task(drive(voters, stage, args, dash))
            while not task.done():
                for process in site.processes:
                    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
                    pids = (
                        [process.pid, *(int(p) for p in children.read_text().split())]
                        if children.exists()
                        else [process.pid]
                    )
                    for pid in pids:
                        samples.setdefault(f"{process.args[3]}:{pid}", []).append(rss_mb(pid))  # type: ignore[index]
                ticks += 1
                if ticks % 6 == 0:  # a progress line a minute, so a cut-short soak still tells
                    last = " ".join(f"{k}={v[-1]:.0f}" for k, v in samples.items())
                    print(
                        f"{ticks * 10} s: load {os.getloadavg()[0]:.1f}, RSS MB {last}", flush=True
                    )
                await asyncio.sleep(10)
            await task

        asyncio.run(sampled())
    finally:
        site.stop()
        drop_database(args.pg, name)
    print(f"\nsoak: {args.soak} s at {args.rate:.0f} votes/s offered, {n} app process(es); "
          f"achieved {stage.ok / stage.elapsed:.0f}, p99 {pct(stage.latencies, 99):.1f} ms\n")  # fmt: skip
    print("| process | after warm-up MB | last MB | peak MB | last within 10% of it |")
    print("|---|---|---|---|---|")
    flat = True
    for proc, values in samples.items():
        good = [v for v in values if v == v]
        if len(good) < 2:
            continue
        warm = good[len(good) // 10]  # a tenth of the way in: imports and pools are settled
        within = abs(good[-1] - warm) <= 0.1 * warm
        flat &= within
        print(
            f"| {proc} | {warm:.0f} | {good[-1]:.0f} | {max(good):.0f} | {'yes' if within else 'NO'} |"
        )
    return 0 if flat else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="REDIS_URL")
    parser.add_argument("--processes", default="1,2,4", help="app process counts")
    parser.add_argument(
        "--threads", type=int, default=16, help="request threads per process (serve's default)"
    )
    parser.add_argument("--rate", type=float, default=1000.0, help="offered votes/s")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--worker-nice", type=int, default=0, help="run the worker under nice -n N (experiment)"
    )
    parser.add_argument("--soak", type=int, default=0, help="seconds of one long stage instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tracktwo-scale-") as tmp:
        if args.soak:
            return soak(args, Path(tmp))
        print(f"\nPostgreSQL, {args.voters} voters, {args.duration:.0f} s per stage after "
              f"{args.warmup:.0f} s warm-up, {args.threads} threads per process, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start\n")  # fmt: skip
        print(
            "| app processes | offered | tracktwo: votes/s / p50 / p99 ms | minimal Django: ditto "
            "| bare psycopg: ditto | vs minimal Django: votes/s ratio / p99 ratio "
            "| vs bare psycopg: ditto | server CPU ms per vote: tracktwo / minimal Django "
            "| load generator CPU ms per vote: ditto "
            "| tracktwo errors | dashboard polls 200 | load avg. |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for n in (int(p) for p in args.processes.split(",")):
            print(measure(n, args, Path(tmp)), flush=True)
        print("\nCores busy during tracktwo's run (CPU seconds / wall seconds; 'others': every other "
              "process on the machine; total: the machine's busy time, /proc/stat)\n")  # fmt: skip
        print("| app processes | app processes | PostgreSQL | worker | load generator | others "
              "| total busy | PostgreSQL CPU ms per vote |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(CORES))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Vote ingestion under load: 200 voters, each with their own token, against ``tracktwo serve``.

    .venv/bin/python bench/votes_load.py                      # PostgreSQL, default curve
    .venv/bin/python bench/votes_load.py --rates 500,1000 --duration 20 --repeat 3

What it does:

1. creates a fresh PostgreSQL database (``--pg`` names the server; dropped afterwards)
   or, with ``--sqlite``, a fresh SQLite file, migrates it, and seeds one dialogue with
   ``--statements`` accepted statements and ``--voters`` participants, each joined through a
   real invitation (so each has a real ``t2p_`` token);
2. starts ``tracktwo serve`` (granian: ``--workers`` processes of ``--threads`` request
   threads) on a free port, optionally behind nginx (``--nginx``);
3. for every offered rate, runs an open-loop load for ``--duration`` seconds after a warm-up:
   each voter sends ``POST /api/v1/dialogues/{id}/votes`` at exponentially distributed
   intervals (Poisson arrivals), over its own keep-alive HTTP/1.1 connection (reopened
   whenever the server closes it). Latency runs from the
   moment a vote was *due*, not when it was sent, so a server that falls behind is charged
   for the queue (no coordinated omission). ``--saturate`` adds a closed-loop stage: every
   voter sends its next vote as soon as the last one is answered;
4. prints one Markdown table row per stage: offered and achieved votes/s, p50, p90, p99,
   errors; and checks that the database holds exactly the votes answered 201.

The client is plain asyncio sockets (no dependency); it runs on the same machine as the
server and competes with it for the CPUs, so the figures are a lower bound. The per-voter
rate limit stays on, raised (``RATELIMIT_VOTE``) above what the offered load needs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():  # a worktree without its own virtualenv
    PYTHON = sys.executable

SEED_SCRIPT = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from django.db import transaction
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.accounts import actions as accounts
from tracktwo.dialogues import actions
n_voters, n_statements, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with transaction.atomic():
    user = accounts.create_account("bench-facilitator", password=None, convener=True)
    initiative = initiative_actions.create_initiative(user, "Bench river", ["North", "South"])
    dialogue = actions.create_dialogue(
        initiative, "Bench workshop", "problem-solving-workshop", "chatham-house", user
    )
    parties = list(initiative.parties.order_by("position"))
    statements = [
        actions.write_statement(dialogue, f"Bench statement {i}", user=user).pk
        for i in range(n_statements)
    ]
    tokens = []
    for i in range(n_voters):
        _, raw = actions.create_invitation(dialogue, party=parties[i % 2], by=user, track=4)
        tokens.append(actions.join(raw, f"voter {i}", True).token)
json.dump({"dialogue": dialogue.pk, "statements": statements, "tokens": tokens}, open(out, "w"))
"""

COUNT_SCRIPT = r"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from tracktwo.dialogues.models import Vote
print(Vote.objects.count())
"""


@dataclass
class Stage:
    name: str
    offered: float | None  # votes/s; None: closed loop
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    cpu_ms: tuple[float, float, float] = (0.0, 0.0, 0.0)  # server, database, client per vote
    ok: int = 0
    acknowledged: int = 0  # every 201, warm-up included
    elapsed: float = 0.0
    load: float = 0.0  # the machine's 1-minute load average at the end of the stage
    others: float = 0.0  # CPU cores busy with anything but server, database and client

    def row(self) -> str:
        lat = np.array(self.latencies) * 1000 if self.latencies else np.array([np.nan])
        p50, p90, p99 = (float(np.percentile(lat, q)) for q in (50, 90, 99))
        offered = "saturate" if self.offered is None else f"{self.offered:.0f}"
        errors = sum(self.errors.values())
        detail = "" if not errors else " " + ",".join(f"{k}:{v}" for k, v in self.errors.items())
        server, db, client = self.cpu_ms
        return (
            f"| {offered} | {self.ok / self.elapsed:.0f} | {p50:.1f} | {p90:.1f} | {p99:.1f} "
            f"| {server:.2f} / {db:.2f} / {client:.2f} | {self.load:.1f} / {self.others:.2f} "
            f"| {errors}{detail} |"
        )


class Voter:
    """One participant's connection: HTTP/1.1, reopened whenever the server closes it."""

    def __init__(
        self, port: int, path: str, token: str, statements: list[int], cookie: str = ""
    ) -> None:
        self.port = port
        self.cookie = f"Cookie: {cookie}\r\n" if cookie else ""
        self.token = token
        self.path = path
        self.statements = statements
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def request(self, rng: random.Random) -> bytes:
        body = json.dumps(
            {
                "statement": rng.choice(self.statements),
                "vote": rng.choice(("agree", "disagree", "pass")),
            }
        ).encode()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{self.cookie}Connection: keep-alive\r\n\r\n"
        )
        return head.encode() + body

    async def send(self, payload: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if length:
            await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        """Close at once, as a client does on ``Connection: close``: the FIN goes out now, not
        on a later turn of the event loop (a server that lingers on close waits for it)."""
        if self.writer is not None:
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.writer.close()
        self.reader = self.writer = None


async def run_stage(
    voters: list[Voter], stage: Stage, duration: float, warmup: float, seed: int
) -> None:
    start = time.perf_counter() + 0.2
    measure_from, end = start + warmup, start + warmup + duration

    async def one(voter: Voter, index: int) -> None:
        rng = random.Random(seed * 100_003 + index)
        per_voter = None if stage.offered is None else stage.offered / len(voters)
        due = start + (rng.expovariate(per_voter) if per_voter else rng.random() * 0.05)
        while due < end:
            if per_voter is not None:
                pause = due - time.perf_counter()
                if pause > 0:
                    await asyncio.sleep(pause)
            else:
                due = time.perf_counter()
                if due >= end:
                    return
            try:
                status = await voter.send(voter.request(rng))
            except (OSError, asyncio.IncompleteReadError) as exc:
                voter.close()
                status = -1
                key = type(exc).__name__
            done = time.perf_counter()
            stage.acknowledged += status == 201
            if due >= measure_from:
                if status == 201:
                    stage.ok += 1
                    stage.latencies.append(done - due)
                else:
                    name = str(status) if status > 0 else key
                    stage.errors[name] = stage.errors.get(name, 0) + 1
            if per_voter is not None:
                due += rng.expovariate(per_voter)

    await asyncio.gather(*(one(v, i) for i, v in enumerate(voters)))
    # Votes due in the window may be answered after it: achieved = answered / time taken.
    stage.elapsed = max(duration, time.perf_counter() - measure_from)
    for voter in voters:
        voter.close()


TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> dict[int, tuple[str, int, float]]:
    """pid -> (command name, parent pid, CPU seconds used) for every process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return out


def cpu_seconds(roots: tuple[int, ...]) -> tuple[float, float]:
    """CPU seconds used so far by the server (granian's main process and workers, and nginx
    if in front) and by PostgreSQL."""
    stats = _proc_stats()
    server = sum(cpu for pid, (_n, ppid, cpu) in stats.items() if pid in roots or ppid in roots)
    postgres = sum(cpu for name, _ppid, cpu in stats.values() if name == "postgres")
    return server, postgres


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS


def median_row(name: str, stages: list[Stage]) -> str:
    def pct(stage: Stage, q: float) -> float:
        return float(np.percentile(stage.latencies, q)) * 1000 if stage.latencies else np.nan

    achieved = np.median([st.ok / st.elapsed for st in stages])
    p50 = np.median([pct(st, 50) for st in stages])
    p99 = np.median([pct(st, 99) for st in stages])
    errors = sum(sum(st.errors.values()) for st in stages)
    cpu = [np.median([st.cpu_ms[i] for st in stages]) for i in range(3)]
    loads = [st.load for st in stages]
    others = [st.others for st in stages]
    return (
        f"| {name} | {achieved:.0f} | {p50:.1f} | {p99:.1f} "
        f"| {cpu[0]:.2f} / {cpu[1]:.2f} / {cpu[2]:.2f} | {min(loads):.1f}-{max(loads):.1f} "
        f"/ {min(others):.2f}-{max(others):.2f} | {errors} |"
    )


NGINX_CONF = """
user root;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream tracktwo {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        keepalive_requests 1000000;
        keepalive_timeout 120s;
        location / {{
            proxy_pass http://tracktwo;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def start_nginx(work: Path, port: int, upstream: int) -> subprocess.Popen[bytes]:
    """nginx in front of ``tracktwo serve`` (as a TLS-terminating proxy would be): it keeps the
    clients' connections alive and buffers, so the server never waits on a slow client."""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, port=port, upstream=upstream))
    return subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tracktwo serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("tracktwo serve did not become healthy")


def database(args: argparse.Namespace, work: Path) -> tuple[str, str | None]:
    """A fresh database URL, and the PostgreSQL database name to drop afterwards."""
    if args.sqlite:
        return f"sqlite:///{work}/bench.sqlite3", None
    import psycopg

    name = f"tracktwo_bench_{os.getpid()}"
    admin = f"{args.pg.replace('postgres://', 'postgresql://', 1)}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{args.pg}/{name}", name


def drop(args: argparse.Namespace, name: str | None) -> None:
    if name is None:
        return
    import psycopg

    admin = f"{args.pg.replace('postgres://', 'postgresql://', 1)}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file instead")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--threads", type=int, default=16, help="request threads per worker")
    parser.add_argument("--rates", default="250,500,750,1000,1250,1500")
    parser.add_argument("--saturate", action="store_true", help="add a closed-loop stage")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage")
    parser.add_argument(
        "--nginx", action="store_true", help="put nginx (must be installed) in front"
    )
    parser.add_argument(
        "--settings",
        help="DJANGO_SETTINGS_MODULE for the server only (an experiment's settings)",
    )
    parser.add_argument(
        "--full-lane",
        action="store_true",
        help="send a (meaningless) session cookie with every vote, so that the votes go through "
        "the site's full middleware instead of the API lane (tracktwo.site.api_lane)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="py-spy record the server (threads holding the GIL: CPU time in Python) during "
        "the last stage: an SVG flame graph, or with a .txt name collapsed stacks",
    )
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    with tempfile.TemporaryDirectory(prefix="tracktwo-bench-") as tmp:
        work = Path(tmp)
        url, pg_name = database(args, work)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "TRACKTWO_DATA_DIR": str(work),
            "RATELIMIT_VOTE": "100000/m",
        }
        env.pop("TRACKTWO_MASTER_KEY_FILE", None)
        server = proxy = None
        try:
            subprocess.run(
                [PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True
            )
            seed = work / "seed.json"
            subprocess.run(
                [PYTHON, "-c", SEED_SCRIPT, str(args.voters), str(args.statements), str(seed)],
                env=env,
                check=True,
            )
            seeded = json.loads(seed.read_text())
            port = free_port()
            server_env = dict(env)
            if args.settings:
                server_env["DJANGO_SETTINGS_MODULE"] = args.settings
                server_env["PYTHONPATH"] = str(REPO)
            server = subprocess.Popen(
                [PYTHON, "-m", "tracktwo.cli", "serve", "--no-migrate", "--port", str(port),
                 "--workers", str(args.workers), "--threads", str(args.threads)],
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_healthy(port, server)
            if args.nginx:
                upstream, port = port, free_port()
                proxy = start_nginx(work, port, upstream)
                wait_healthy(port, proxy)
            path = f"/api/v1/dialogues/{seeded['dialogue']}/votes"
            cookie = "sessionid=none" if args.full_lane else ""
            voters = [
                Voter(port, path, token, seeded["statements"], cookie) for token in seeded["tokens"]
            ]
            backend = "SQLite" if args.sqlite else "PostgreSQL"
            backend += " behind nginx" if args.nginx else ""
            print(
                f"\n{backend}, {args.workers} worker(s) x {args.threads} threads"
                f"{', full middleware' if args.full_lane else ''}, {args.voters} voters, "
                f"{args.duration:.0f} s per stage after {args.warmup:.0f} s warm-up, "
                f"{os.cpu_count()} CPUs\n"
            )
            print(
                "| offered votes/s | achieved votes/s | p50 ms | p90 ms | p99 ms "
                "| CPU ms per vote: server / database / client "
                "| load avg. / others' cores | errors |"
            )
            print("|---|---|---|---|---|---|---|---|")
            stages = [*rates, *([None] if args.saturate else [])]
            runs: dict[str, list[Stage]] = {}
            answered = 0
            profiler = None
            for run in range(args.repeat):
                for offered in stages:
                    name = "saturate" if offered is None else f"{offered:.0f}"
                    stage = Stage(name, offered)
                    if args.profile and profiler is None and offered == stages[-1]:
                        profiler = subprocess.Popen(
                            [str(Path(PYTHON).parent / "py-spy"), "record", "--pid", str(server.pid),
                             "--subprocesses", "--gil", "--duration", str(int(args.duration)), "--format",
                             "raw" if args.profile.suffix == ".txt" else "flamegraph",
                             "-o", str(args.profile)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        )  # fmt: skip
                    roots = (server.pid, proxy.pid) if proxy is not None else (server.pid,)
                    before, client_before = cpu_seconds(roots), time.process_time()
                    busy_before, wall_before = busy_seconds(), time.monotonic()
                    asyncio.run(run_stage(voters, stage, args.duration, args.warmup, run))
                    after, client_after = cpu_seconds(roots), time.process_time()
                    busy_after, wall_after = busy_seconds(), time.monotonic()
                    stage.load = os.getloadavg()[0]
                    ours = sum(after) - sum(before) + client_after - client_before
                    stage.others = max(0.0, busy_after - busy_before - ours) / (
                        wall_after - wall_before
                    )
                    n = max(1, stage.acknowledged)
                    stage.cpu_ms = (
                        (after[0] - before[0]) / n * 1000,
                        (after[1] - before[1]) / n * 1000,
                        (client_after - client_before) / n * 1000,
                    )
                    print(stage.row(), flush=True)
                    answered += stage.acknowledged
                    runs.setdefault(stage.name, []).append(stage)
            if profiler is not None:
                profiler.wait()
            if args.repeat > 1:
                print(f"\nmedians of {args.repeat} runs\n")
                print(
                    "| offered votes/s | achieved votes/s | p50 ms | p99 ms "
                    "| CPU ms per vote: server / database / client "
                    "| load avg. / others' cores | errors |"
                )
                print("|---|---|---|---|---|---|---|")
                for name, done in runs.items():
                    print(median_row(name, done))
            stored = int(
                subprocess.run(
                    [PYTHON, "-c", COUNT_SCRIPT],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
            )
            print(f"\nvotes stored: {stored}; answered 201: {answered}")
            if stored < answered:
                print("ERROR: fewer votes stored than acknowledged", file=sys.stderr)
                return 1
        finally:
            for child in (proxy, server):
                if child is not None:
                    child.terminate()
                    child.wait(timeout=30)
            drop(args, pg_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

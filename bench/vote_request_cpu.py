"""CPU per vote request inside the application, without HTTP: what each layer costs.

    .venv/bin/python bench/vote_request_cpu.py                 # PostgreSQL at 127.0.0.1:5432
    .venv/bin/python bench/vote_request_cpu.py --rounds 5 --requests 3000

Seeds a fresh PostgreSQL database as ``bench/votes_load.py`` does (one dialogue, 200 voters,
100 statements), then, in one thread of this process, calls the WSGI application that
``tracktwo serve`` runs with ``POST /api/v1/dialogues/{id}/votes`` requests, each vote
committed, and reports the process's CPU time and the PostgreSQL backend's CPU time per
request, for each variant:

- ``site``: the full middleware list (what a vote cost before the API lane);
- ``lane``: the API lane (``tracktwo.site.api_lane``), what bearer-token votes take;
- ``lane, no health check``: the lane with ``CONN_HEALTH_CHECKS`` off (no check at all
  before the first query of a request) -- an experiment, not a setting;
- ``lane, REDIS_URL``: the lane with ``REDIS_URL`` set (``--redis``), so the rate limit
  counts in Redis, as with several app processes.

Each variant runs in its own process, ``--rounds`` times in turn; the table shows the lowest
figure of the rounds (the one least disturbed by other processes) and the median.
``--compare DIR`` runs every variant also with the code of another checkout (``DIR`` first
on ``PYTHONPATH``, e.g. a worktree of ``main``), interleaved in the same rounds, so that a
change is measured against the code before it under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from votes_load import PYTHON, SEED_SCRIPT

VARIANTS = {
    "site": "site",
    "lane": "lane",
    "lane-no-health-check": "lane, no health check",
    "lane-redis": "lane, REDIS_URL (rate limit in Redis)",
}

WORKER = r"""
import io, json, os, random, sys, time
variant, seed_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.environ["DJANGO_SETTINGS_MODULE"] = "tracktwo.site.settings"
if variant == "lane-redis":
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
if variant == "lane-no-health-check":
    import tracktwo.site.env as env
    parse = env.database_config
    def without_health_check(*args):
        config = parse(*args)
        config["CONN_HEALTH_CHECKS"] = False
        return config
    env.database_config = without_health_check
import django
django.setup()
from django.db import connection
from tracktwo.site.wsgi import application, site
app = site if variant == "site" else application
seed = json.load(open(seed_path))
path = f"/api/v1/dialogues/{seed['dialogue']}/votes"
rng = random.Random(1)
answers = []

def call(token):
    body = json.dumps({"statement": rng.choice(seed["statements"]), "vote": "agree"}).encode()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}", "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    response = app(environ, lambda status, headers, exc=None: answers.append(status))
    b"".join(response)
    getattr(response, "close", lambda: None)()

tokens = seed["tokens"]
for i in range(300):  # warm-up
    call(tokens[i % len(tokens)])
assert answers[-1].startswith("201"), answers[-1]
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]

def backend_cpu():
    raw = open(f"/proc/{backend}/stat").read()
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

cpu, db = time.process_time(), backend_cpu()
for i in range(n):
    call(tokens[i % len(tokens)])
cpu, db = time.process_time() - cpu, backend_cpu() - db
assert all(a.startswith("201") for a in answers), set(answers)
print(json.dumps({"server": cpu / n * 1000, "database": db / n * 1000}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=2500, help="per variant and round")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="which to run")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="for lane-redis")
    parser.add_argument("--compare", default="", help="another checkout to run beside this one")
    args = parser.parse_args()
    import psycopg

    name = f"tracktwo_cpu_{os.getpid()}"
    admin = f"{args.pg.replace('postgres://', 'postgresql://', 1)}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="tracktwo-cpu-") as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": f"{args.pg}/{name}",
                "TRACKTWO_DATA_DIR": tmp,
                "RATELIMIT_VOTE": "100000000/m",
                "BENCH_REDIS_URL": args.redis,
            }
            env.pop("REDIS_URL", None)
            chosen = [v for v in args.variants.split(",") if v]
            trees = {"": env}
            if args.compare:
                other = str(Path(args.compare).resolve())
                trees[other] = {
                    **env,
                    "PYTHONPATH": os.pathsep.join([other, env.get("PYTHONPATH", "")]),
                }
            env.pop("TRACKTWO_MASTER_KEY_FILE", None)
            seed = Path(tmp) / "seed.json"
            subprocess.run(
                [PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True
            )
            subprocess.run(
                [PYTHON, "-c", SEED_SCRIPT, "200", "100", str(seed)], env=env, check=True
            )
            runs = [(variant, tree) for variant in chosen for tree in trees]
            results: dict[tuple[str, str], list[dict[str, float]]] = {run: [] for run in runs}
            for _ in range(args.rounds):
                for variant, tree in runs:
                    out = subprocess.run(
                        [PYTHON, "-c", WORKER, variant, str(seed), str(args.requests)],
                        env=trees[tree],
                        cwd=tmp,  # not this checkout: -c puts the cwd first on sys.path
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                    results[variant, tree].append(json.loads(out.strip().splitlines()[-1]))
            print(f"\nCPU ms per vote request, {args.rounds} rounds of {args.requests}, "
                  f"load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
            print("| variant | server: lowest / median | PostgreSQL backend: lowest / median |")
            print("|---|---|---|")
            for variant, tree in runs:
                label = VARIANTS[variant] + (f" ({tree})" if tree else "")
                server = [r["server"] for r in results[variant, tree]]
                db = [r["database"] for r in results[variant, tree]]
                print(
                    f"| {label} | {min(server):.3f} / {np.median(server):.3f} "
                    f"| {min(db):.3f} / {np.median(db):.3f} |"
                )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())

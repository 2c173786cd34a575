"""PostgreSQL's CPU per vote with the vote table's foreign keys deferred, immediate, or without
the one to the dialogue (an experiment: what the dialogue row's lock costs).

    .venv/bin/python bench/vote_constraints.py                  # PostgreSQL at 127.0.0.1:5432
    .venv/bin/python bench/vote_constraints.py --threads 16 --votes 2000 --rounds 3

Seeds a fresh database as ``bench/votes_load.py`` does (one dialogue, 200 voters, 100
statements), then runs the vote's own ``INSERT ... SELECT``
(:func:`tracktwo.dialogues.api.voting.fast_vote`'s statement, prepared, autocommit: one
commit per vote) from ``--threads`` connections at once, ``--votes`` per connection, and
reports the CPU seconds all PostgreSQL processes used per vote, for each variant in turn:

- ``deferred``: the three foreign keys as Django makes them (``DEFERRABLE INITIALLY
  DEFERRED``: checked at commit);
- ``immediate``: the same three ``NOT DEFERRABLE`` (checked at the end of the statement);
- ``no dialogue key``: the key to the dialogue dropped (statement and participant kept):
  what locking the one dialogue row ``FOR KEY SHARE`` on every vote costs. Not a setting.

The table shows the lowest and the median of ``--rounds`` rounds (the variants interleaved).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from votes_load import PYTHON, SEED_SCRIPT, cpu_seconds

PREPARE = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from tracktwo.dialogues.api import voting
from tracktwo.safety.crypto import token_digest
seed = json.load(open(sys.argv[1]))
print(json.dumps({"sql": voting._vote_sql(), "dialogue": seed["dialogue"],
                  "statements": seed["statements"],
                  "digests": [token_digest(t) for t in seed["tokens"]]}))
"""

KEYS = {  # column -> referenced table
    "dialogue_id": "dialogues_dialogue",
    "statement_id": "dialogues_statement",
    "participant_id": "dialogues_participant",
}


def constraint_names(conn: object) -> dict[str, str]:
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT conname, a.attname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.conrelid = 'dialogues_vote'::regclass AND c.contype = 'f'"
    ).fetchall()
    return {column: name for name, column in rows}


def set_variant(conn: object, variant: str) -> None:
    names = constraint_names(conn)
    for name in names.values():
        conn.execute(f'ALTER TABLE dialogues_vote DROP CONSTRAINT "{name}"')  # type: ignore[attr-defined]
    for column, table in KEYS.items():
        if variant == "no dialogue key" and column == "dialogue_id":
            continue
        timing = "NOT DEFERRABLE" if variant == "immediate" else "DEFERRABLE INITIALLY DEFERRED"
        conn.execute(  # type: ignore[attr-defined]
            f'ALTER TABLE dialogues_vote ADD CONSTRAINT "bench_{column}_fk" FOREIGN KEY '
            f'("{column}") REFERENCES "{table}" ("id") {timing}'
        )


def run(url: str, plan: dict[str, object], threads: int, votes: int) -> tuple[float, float]:
    """(PostgreSQL CPU ms per vote, votes/s) for ``threads`` connections voting at once."""
    import psycopg

    conns = [psycopg.connect(url, autocommit=True) for _ in range(threads)]
    digests: list[str] = plan["digests"]  # type: ignore[assignment]
    statements: list[int] = plan["statements"]  # type: ignore[assignment]
    barrier = threading.Barrier(threads + 1)

    def voter(index: int, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        barrier.wait()
        for i in range(votes):
            conn.execute(
                str(plan["sql"]),
                {"value": 1, "now": "now", "digest": digests[(index * 7 + i) % len(digests)],
                 "dialogue": plan["dialogue"], "statement": statements[i % len(statements)]},
                prepare=True,
            )  # fmt: skip

    workers = [threading.Thread(target=voter, args=(i, c)) for i, c in enumerate(conns)]
    for worker in workers:
        worker.start()
    spent = cpu_seconds(())[1]
    began = time.perf_counter()
    barrier.wait()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - began
    spent = cpu_seconds(())[1] - spent
    for conn in conns:
        conn.close()
    return spent / (threads * votes) * 1000, threads * votes / wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--votes", type=int, default=1000, help="per connection and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import psycopg

    name = f"tracktwo_fk_{os.getpid()}"
    admin = f"{args.pg.replace('postgres://', 'postgresql://', 1)}/postgres"
    url = f"{args.pg.replace('postgres://', 'postgresql://', 1)}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    variants = ["deferred", "immediate", "no dialogue key"]
    results: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    try:
        with tempfile.TemporaryDirectory(prefix="tracktwo-fk-") as tmp:
            env = {**os.environ, "DATABASE_URL": f"{args.pg}/{name}", "TRACKTWO_DATA_DIR": tmp}
            env.pop("TRACKTWO_MASTER_KEY_FILE", None)
            seed = Path(tmp) / "seed.json"
            subprocess.run(
                [PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True
            )
            subprocess.run(
                [PYTHON, "-c", SEED_SCRIPT, "200", "100", str(seed)], env=env, check=True
            )
            out = subprocess.run(
                [PYTHON, "-c", PREPARE, str(seed)], env=env, check=True, capture_output=True,
                text=True, cwd=tmp,
            ).stdout  # fmt: skip
            plan = json.loads(out.strip().splitlines()[-1])
            plan["sql"] = plan["sql"].replace("%(now)s", "now()")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("ANALYZE")
            run(url, plan, args.threads, 100)  # warm-up
            for _ in range(args.rounds):
                for variant in variants:
                    with psycopg.connect(url, autocommit=True) as conn:
                        set_variant(conn, variant)
                    results[variant].append(run(url, plan, args.threads, args.votes))
            with psycopg.connect(url, autocommit=True) as conn:
                stored = conn.execute("SELECT count(*) FROM dialogues_vote").fetchone()
            expected = args.threads * (100 + args.rounds * len(variants) * args.votes)
            assert stored is not None and stored[0] == expected, (stored, expected)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"\nPostgreSQL CPU per vote, {args.threads} connections x {args.votes} votes, "
          f"{args.rounds} rounds, load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| foreign keys | PostgreSQL CPU ms per vote: lowest / median | votes/s: median |")
    print("|---|---|---|")
    for variant in variants:
        cpu = [c for c, _ in results[variant]]
        rate = [r for _, r in results[variant]]
        print(f"| {variant} | {min(cpu):.3f} / {np.median(cpu):.3f} | {np.median(rate):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

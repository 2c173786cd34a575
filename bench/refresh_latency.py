"""From a vote to the dashboard: how long until the analysis counts it, with workers.

    .venv/bin/python bench/refresh_latency.py --redis redis://127.0.0.1:6379/0
    .venv/bin/python bench/refresh_latency.py --participants 1000,10000,100000 --samples 5

For every participant count P, on a fresh PostgreSQL database:

1. seeds one dialogue with ``--statements`` accepted statements and P participants, each
   having voted on ``--votes-each`` statements: one participant joins through a real
   invitation (the voter, with a real token), the others are written in bulk through the
   models (handles and profiles sealed with the initiative's key, as joining does), and their
   votes are copied in with ``COPY``;
2. starts one ``tracktwo serve`` and one ``tracktwo worker`` with ``REDIS_URL``; a
   facilitator's token polls ``GET /api/v1/dialogues/{id}/analysis`` every ``--poll``
   seconds until the first analysis is published (reported: *first analysis*, the workers'
   computation from nothing plus the publication);
3. ``--samples`` times: the voter casts one vote (``POST .../votes``, 201) and the
   facilitator polls until ``votes_counted`` counts it: the time from the 201 to the first
   answer that counts the vote. A dashboard that polls once a second adds up to 1 s.

It prints one row per P: the seeding time, the first analysis, the median, lowest and
highest of the samples, the sizes published in Redis (the whole chains the workers continue,
and the readers' view app processes load), and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_out import Site, create_database, drop_database
from votes_load import free_port, wait_healthy

PYTHON = sys.executable

SEED = r"""
import io, json, os, random, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from django.db import connection, transaction
from tracktwo.accounts import actions as accounts
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions.invitations import _new_public_id
from tracktwo.dialogues.models import Participant, Vote
from tracktwo.dialogues.models.contributions import Profile, handle_digest
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for_sealing

n_people, n_statements, each = (int(a) for a in sys.argv[1:4])
out = sys.argv[4]
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
    _, raw = actions.create_invitation(dialogue, party=parties[0], by=user, track=2)
    voter = actions.join(raw, "the voter", True).token
    _, facilitator = accounts.issue_token(user, "bench")
    box = box_for_sealing(initiative.pk)
    batch = []
    for i in range(n_people - 1):
        handle = f"bench participant {i}"
        person = Participant(
            dialogue=dialogue, public_id=_new_public_id(), role=ParticipantRole.PARTICIPANT,
            handle_digest=handle_digest(box, dialogue.pk, handle),
            ground_rules_version_accepted=dialogue.ground_rules_version,
            consent_version_accepted=dialogue.consent_version,
        )
        person.handle.write(box, handle)
        person.profile.write(box, Profile(party_id=parties[i % 2].pk, track=2).to_json())
        batch.append(person)
        if len(batch) == 5000:
            Participant.objects.bulk_create(batch)
            batch = []
    Participant.objects.bulk_create(batch)
people = list(Participant.objects.filter(dialogue=dialogue).values_list("id", flat=True))
rng = random.Random(5)
table = connection.ops.quote_name(Vote._meta.db_table)
with transaction.atomic(), connection.cursor() as cursor:
    with cursor.copy(
        f"COPY {table} (dialogue_id, statement_id, participant_id, value, created_at) FROM STDIN"
    ) as copy:
        for person in people:
            for statement in rng.sample(statements, each):
                copy.write_row((dialogue.pk, statement, person, rng.choice((-1, 0, 1)), "now"))
with connection.cursor() as cursor:
    cursor.execute(f"ANALYZE {table}")
json.dump({"dialogue": dialogue.pk, "statements": statements, "voter": voter,
           "facilitator": facilitator, "votes": len(people) * each}, open(out, "w"))
"""


def call(
    port: int, method: str, path: str, token: str, body: dict[str, object] | None = None
) -> tuple[int, dict]:  # type: ignore[type-arg]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our server
        return answer.status, json.loads(answer.read() or b"{}")


def counted(port: int, dialogue: int, token: str) -> int | None:
    """The analysis's ``votes_counted``, or None while it is still computing."""
    _, found = call(port, "GET", f"/api/v1/dialogues/{dialogue}/analysis", token)
    return None if found.get("status") == "computing" else int(found.get("votes_counted", 0))


def measure(people: int, args: argparse.Namespace, work: Path) -> str:
    name = f"tracktwo_refresh_{os.getpid()}_{people}"
    url = create_database(args.pg, name)
    env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work),
           "REDIS_URL": args.redis}  # fmt: skip
    env.pop("TRACKTWO_MASTER_KEY_FILE", None)
    redis.Redis.from_url(args.redis).flushdb()
    site = Site(env, work)
    try:
        subprocess.run([PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True)
        out = work / f"seed-{people}.json"
        started = time.monotonic()
        subprocess.run(
            [PYTHON, "-c", SEED, str(people), str(args.statements), str(args.votes_each), str(out)],
            env=env,
            check=True,
        )
        seeding = time.monotonic() - started
        seeded = json.loads(out.read_text())
        port = free_port()
        server = site.start(
            [PYTHON, "-m", "tracktwo.cli", "serve", "--no-migrate", "--port", str(port),
             "--workers", "1", "--threads", "8"], "serve",
        )  # fmt: skip
        wait_healthy(port, server)
        site.start([PYTHON, "-m", "tracktwo.cli", "worker", "--loglevel", "WARNING"], "worker")
        dialogue, facilitator = int(seeded["dialogue"]), str(seeded["facilitator"])
        started = time.monotonic()
        while (before := counted(port, dialogue, facilitator)) is None:
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"no analysis after {args.timeout} s with {people} participants")
            time.sleep(args.poll)
        first = time.monotonic() - started
        samples = []
        for i in range(args.samples):
            time.sleep(1.5)  # past the one-request-a-second refresh flag of the last sample
            statement = seeded["statements"][i % len(seeded["statements"])]
            status, _ = call(
                port, "POST", f"/api/v1/dialogues/{dialogue}/votes", seeded["voter"],
                {"statement": statement, "vote": "agree"},
            )  # fmt: skip
            if status != 201:
                raise SystemExit(f"the vote was answered {status}")
            voted = time.monotonic()
            while (now := counted(port, dialogue, facilitator)) is None or now <= before:
                if time.monotonic() - voted > args.timeout:
                    raise SystemExit(f"the vote was not counted after {args.timeout} s")
                time.sleep(args.poll)
            samples.append(time.monotonic() - voted)
            before = now
        published = redis.Redis.from_url(args.redis)
        blob = published.strlen(f"tracktwo:insight:{dialogue}:blob")
        view = published.strlen(f"tracktwo:insight:{dialogue}:view")  # 0 before the view
        load = os.getloadavg()[0]
        return (
            f"| {people:,} | {seeded['votes']:,} | {seeding:.0f} | {first:.1f} "
            f"| {statistics.median(samples):.2f} | {min(samples):.2f}-{max(samples):.2f} "
            f"| {blob / 1e6:.1f} | {view / 1e6:.2f} | {load:.1f} |"
        )
    finally:
        site.stop()
        drop_database(args.pg, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="REDIS_URL (emptied)")
    parser.add_argument("--participants", default="1000,10000,100000")
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--votes-each", type=int, default=20, help="votes per participant")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between polls")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    print(f"\n{args.statements} statements, {args.votes_each} votes per participant, "
          f"1 app process x 8 threads + 1 worker, polling every {args.poll:.1f} s, "
          f"{args.samples} votes per count, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start\n")  # fmt: skip
    print(
        "| participants | votes | seeding s | first analysis s | vote -> dashboard s: median "
        "| lowest-highest | published: whole chains MB | readers' view MB | load avg. |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="tracktwo-refresh-") as tmp:
        for people in (int(p) for p in args.participants.split(",")):
            print(measure(people, args, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A small tracktwo cluster of real processes for the tests beyond one process.

:class:`Cluster` makes a fresh database (a SQLite file, or a PostgreSQL database on the
test server when ``TRACKTWO_TEST_ON_POSTGRES=1``), migrates and seeds it in a subprocess,
and starts ``tracktwo serve`` and ``tracktwo worker`` processes against the test Redis
(``TRACKTWO_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/5``, plus the xdist worker's
index: one database per test process; it is emptied first, never the others). Every wait is bounded.

Each cluster's fresh database is a copy of the schema migrated once per test process
(tests/schema_templates.py), made in a fraction of a migration's time. A cluster given its own
``database_url`` is migrated as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from schema_templates import TEMPLATES


def _per_test_process(url: str) -> str:
    """``url`` with its database number raised by the xdist worker's index (gw0 +0, gw1 +1):
    two test processes' clusters must not share Celery's queue, or one's worker would take
    the other's tasks against a database that does not hold them."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number) + index}" if number.isdigit() else url


REDIS_URL = _per_test_process(os.environ.get("TRACKTWO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5"))

SEED = r"""
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
    user = accounts.create_account("cluster-facilitator", password=None, convener=True)
    initiative = initiative_actions.create_initiative(user, "Cluster river", ["North", "South"])
    dialogue = actions.create_dialogue(
        initiative, "Cluster workshop", "problem-solving-workshop", "chatham-house", user
    )
    parties = list(initiative.parties.order_by("position"))
    statements = [
        actions.write_statement(dialogue, f"Cluster statement {i}", user=user).pk
        for i in range(n_statements)
    ]
    tokens = []
    for i in range(n_voters):
        _, raw = actions.create_invitation(dialogue, party=parties[i % 2], by=user, track=4)
        tokens.append(actions.join(raw, f"voter {i}", True).token)
    _, facilitator = accounts.issue_token(user, "cluster")
json.dump({"dialogue": dialogue.pk, "initiative": initiative.pk, "statements": statements,
           "tokens": tokens, "facilitator": facilitator}, open(out, "w"))
"""

DJANGO = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
exec(sys.argv[1])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


def _headers(answer: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in answer.headers.items()}


def call(
    port: int, method: str, path: str, token: str, body: Any = None, timeout: float = 10
) -> Response:
    """One API call with a bearer token; connection failures are status 0."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - http://
            return Response(
                answer.status, json.loads(answer.read() or b"null"), dict(answer.headers)
            )
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return Response(error.code, parsed, _headers(error))
    except OSError:
        return Response(0, None)


class Cluster:
    """Processes of one tracktwo site: ``serve`` and ``worker`` against one fresh database."""

    def __init__(
        self,
        tmp: Path,
        *,
        redis_url: str = REDIS_URL,
        extra: dict[str, str] | None = None,
        database_url: str | None = None,
    ):
        self.tmp = tmp
        self.redis_url = redis_url
        self.pg_name: str | None = None
        self.processes: list[subprocess.Popen[str]] = []
        self.logs: dict[int, Path] = {}
        self.stops: dict[int, int] = {}  # pid -> the signal close() stops it with
        self.env = {
            **os.environ,
            "TRACKTWO_DATA_DIR": str(tmp),
            "REDIS_URL": redis_url,
            "RATELIMIT_VOTE": "100000/m",
            **(extra or {}),
        }
        self.env.pop("TRACKTWO_MASTER_KEY_FILE", None)
        self.env.pop("CACHE_URL", None)
        self.own_database = database_url is None  # made here: a copy of the template
        self.migrated = False
        self.env["DATABASE_URL"] = database_url or self._database()
        self.seeded: dict[str, Any] = {}

    def _database(self) -> str:
        if os.environ.get("TRACKTWO_TEST_ON_POSTGRES") != "1":
            return f"sqlite:///{self.tmp}/cluster.sqlite3"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        self.pg_name = f"tracktwo_cluster_{uuid.uuid4().hex[:10]}"
        admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
        TEMPLATES.postgres_copy(admin, base, self.pg_name)
        self.migrated = True
        return f"{base}/{self.pg_name}"

    # -- set-up ----------------------------------------------------------------------

    def run(
        self, *argv: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *argv], env=self.env, capture_output=True, text=True,
            timeout=timeout, check=check,
        )  # fmt: skip

    def python_argv(self, code: str) -> list[str]:
        """The command line that runs ``code`` with Django set up."""
        return [sys.executable, "-c", DJANGO, code]

    def django(self, code: str) -> str:
        """Run ``code`` in a fresh process with Django set up; its standard output."""
        return self.run("-c", DJANGO, code).stdout

    def migrate(self) -> None:
        """The schema: a copy of the process's migrated template for a database made here
        (first use), ``tracktwo migrate`` otherwise."""
        if self.migrated:
            return
        sqlite = self.env["DATABASE_URL"].removeprefix("sqlite:///")
        if self.own_database and sqlite != self.env["DATABASE_URL"] and not Path(sqlite).exists():
            TEMPLATES.sqlite_copy(Path(sqlite))
        else:
            self.run("-m", "tracktwo.cli", "migrate", "-v", "0")
        self.migrated = True

    def seed(self, voters: int = 12, statements: int = 6) -> dict[str, Any]:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()  # our own test database only
        self.migrate()
        out = self.tmp / "seed.json"
        self.run("-c", SEED, str(voters), str(statements), str(out))
        self.seeded = json.loads(out.read_text())
        return self.seeded

    # -- processes -------------------------------------------------------------------

    def _start(
        self, argv: list[str], name: str, stop: int = signal.SIGTERM
    ) -> subprocess.Popen[str]:
        """``tracktwo <argv>`` in a process group of its own, stopped by :meth:`close` with
        ``stop``."""
        log = self.tmp / f"{name}-{len(self.processes)}.log"
        with open(log, "w") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "tracktwo.cli", *argv],
                env=self.env, stdout=handle, stderr=subprocess.STDOUT, text=True,
                start_new_session=True,
            )  # fmt: skip
        self.processes.append(process)
        self.logs[process.pid] = log
        self.stops[process.pid] = stop
        return process

    def serve(self, port: int | None = None, threads: int = 4) -> tuple[subprocess.Popen[str], int]:
        port = port or free_port()
        process = self._start(
            [
                "serve",
                "--no-migrate",
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                str(threads),
            ],
            "serve",
        )
        self.wait_healthy(port, process)
        return process, port

    def worker(self) -> subprocess.Popen[str]:
        """A worker, ready. :meth:`close` kills it: its warm shutdown took 1.6-2 s after the
        test, and no test checks it; the queue and keys it leaves are in the cluster's own
        Redis database, emptied by the next :meth:`seed`, its database is dropped or left
        in the test's directory. ``serve`` is stopped gracefully (SIGTERM, 0.1 s)."""
        process = self._start(["worker", "--loglevel", "INFO"], "worker", signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log(process):
                return process
            if process.poll() is not None:
                pytest.fail(f"tracktwo worker exited: {self.log(process)}")
            time.sleep(0.2)
        pytest.fail(f"tracktwo worker not ready in 60 s: {self.log(process)}")

    def log(self, process: subprocess.Popen[str]) -> str:
        return self.logs[process.pid].read_text(errors="replace")

    def wait_healthy(self, port: int, process: subprocess.Popen[str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"tracktwo serve exited: {self.log(process)}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2),
            ):
                return
            time.sleep(0.2)
        pytest.fail(f"tracktwo serve not healthy in {timeout} s: {self.log(process)}")

    def kill(self, process: subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)

    def close(self, timeout: float = 20) -> None:
        """Every process stopped at once, with its own signal (see :meth:`_start`); one
        still running ``timeout`` seconds later is killed."""
        running = [process for process in self.processes if process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, self.stops[process.pid])
        deadline = time.monotonic() + timeout
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            if process.poll() is None:
                self.kill(process)
        if self.pg_name is not None:
            import psycopg

            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    # -- the dialogue ----------------------------------------------------------------

    def vote(self, port: int, voter: int, statement: int, value: str = "agree") -> Response:
        path = f"/api/v1/dialogues/{self.seeded['dialogue']}/votes"
        body = {"statement": self.seeded["statements"][statement], "vote": value}
        return call(port, "POST", path, self.seeded["tokens"][voter], body)

    def analysis(self, port: int) -> Response:
        path = f"/api/v1/dialogues/{self.seeded['dialogue']}/analysis"
        return call(port, "GET", path, self.seeded["facilitator"])

    def wait_counted(self, port: int, votes: int, timeout: float = 45) -> dict[str, Any]:
        """Poll the analysis (as the dashboard does, once a second) until it counts ``votes``.

        Asked every half second, and at once when a worker publishes or checks the
        dialogue's analysis (its version and check time in Redis, read every 20 ms)."""
        import redis

        published = redis.Redis.from_url(self.redis_url)
        prefix = f"tracktwo:insight:{self.seeded['dialogue']}"
        marks = (f"{prefix}:version", f"{prefix}:checked")
        deadline = time.monotonic() + timeout
        last: Response | None = None
        while time.monotonic() < deadline:
            last = self.analysis(port)
            if (
                last.status == 200
                and last.body.get("votes_counted") == votes
                and not last.body.get("stale")
            ):
                return dict(last.body)
            seen, ask = published.mget(marks), time.monotonic() + 0.5
            while time.monotonic() < ask and published.mget(marks) == seen:
                time.sleep(0.02)
        pytest.fail(f"the analysis did not reach {votes} votes in {timeout} s: {last}")

    def vote_count(self) -> int:
        return int(
            self.django("from tracktwo.dialogues.models import Vote; print(Vote.objects.count())")
        )


@pytest.fixture
def cluster(tmp_path: Path, require_system: Any) -> Any:
    require_system(redis_reachable(REDIS_URL), f"these tests need Redis at {REDIS_URL}")
    made = Cluster(tmp_path)
    try:
        yield made
    finally:
        made.close()

"""PostgreSQL restarting under a running ``tracktwo serve``: votes get a clear 503 with
``Retry-After`` while it is down, then 201 again without restarting the app. Runs on a
private PostgreSQL cluster (initdb/pg_ctl from /usr/lib/postgresql), never the shared one."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cluster import REDIS_URL, Cluster, free_port, redis_reachable

pytestmark = [pytest.mark.database, pytest.mark.postgres_only]


class PrivatePostgres:
    """A throw-away PostgreSQL server on a free port (as the ``postgres`` user under root)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        self.bin = Path(found[-1]).parent
        self.home = Path(tempfile.mkdtemp(prefix="tracktwo-pg-"))
        self.data = self.home / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chmod(self.home, 0o755)  # noqa: S103 - the postgres user must enter it
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.ctl("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def ctl(self, tool: str, *argv: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *argv],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("pg_ctl", "-D", str(self.data), "-l", str(self.home / "log"), "-o", options,
                 "-w", "-t", "30", "start")  # fmt: skip

    def stop(self) -> None:
        self.ctl("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture
def private_postgres(require_system: Any) -> Iterator[PrivatePostgres]:
    require_system(
        bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")), "needs initdb and pg_ctl (postgresql)"
    )
    require_system(redis_reachable(REDIS_URL), f"needs Redis at {REDIS_URL}")
    server = PrivatePostgres()
    server.start()
    try:
        yield server
    finally:
        server.remove()


def _page(port: int, path: str, cookie: str) -> tuple[int, dict[str, str], str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - http://
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, ""
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return error.code, headers, error.read().decode("utf-8", "replace")


def test_it_answers_503_while_postgresql_restarts(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    import psycopg

    admin = private_postgres.url("postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CREATE DATABASE tracktwo")
    cluster = Cluster(tmp_path, database_url=private_postgres.url("tracktwo"))
    try:
        cluster.seed(voters=2, statements=4)
        _, app = cluster.serve()
        assert cluster.vote(app, 0, 0).status == 201
        private_postgres.stop()
        down = cluster.vote(app, 0, 1)
        assert down.status == 503, down
        assert down.headers.get("retry-after") == "5" and "unavailable" in down.body["detail"]
        # a page whose session is read in a middleware, before any view runs
        status, headers, body = _page(app, "/", "sessionid=0123456789abcdefghijklmnopqrstuv")
        assert (status, headers.get("retry-after")) == (503, "5"), (status, body[:300])
        assert "briefly unavailable" in body
        private_postgres.start()  # back on the same port; the app is not restarted
        deadline = time.monotonic() + 30
        while (answer := cluster.vote(app, 0, 2)).status != 201:
            assert answer.status == 503 and time.monotonic() < deadline, answer
            time.sleep(0.3)
        assert cluster.vote_count() == 2  # the vote answered 503 was not stored
    finally:
        cluster.close()

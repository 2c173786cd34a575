"""Faults beyond one process, each bounded: a vote storm that loses an app process and the
worker to ``kill -9``; a task that fails and is retried; Redis gone and back."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cluster import Cluster, Response, free_port
from jobs_support import people

pytestmark = pytest.mark.database


class Storm:
    """Voters sending votes to the given ports in turn, counting what was acknowledged."""

    def __init__(self, cluster: Cluster, ports: list[int], voters: int, statements: int) -> None:
        self.cluster, self.ports = cluster, ports
        self.voters, self.statements = voters, statements
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.unanswered = 0  # a connection dropped: the vote may or may not be in
        self.other: dict[int, int] = {}
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(voters)]

    def run(self, voter: int) -> None:
        sent = 0
        while not self.stop.is_set():
            port = self.ports[(voter + sent) % len(self.ports)]
            answer = self.cluster.vote(port, voter, sent % self.statements, "agree")
            sent += 1
            with self.lock:
                if answer.status == 201:
                    self.acknowledged += 1
                elif answer.status == 0:
                    self.unanswered += 1
                else:
                    self.other[answer.status] = self.other.get(answer.status, 0) + 1
            if answer.status != 201:
                time.sleep(0.05)

    def __enter__(self) -> Storm:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_it_loses_no_acknowledged_vote_when_processes_are_killed(cluster: Cluster) -> None:
    cluster.seed(voters=8, statements=10)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the worker starts as the app processes do
        starting = pool.submit(cluster.worker)
        doomed, first = cluster.serve()
        _, second = cluster.serve()
        worker = starting.result()
    with Storm(cluster, [first, second], voters=8, statements=10) as storm:
        time.sleep(2)
        assert cluster.analysis(second).status == 200  # the worker is busy refreshing
        cluster.kill(doomed)  # kill -9 the app process and the worker mid-storm
        cluster.kill(worker)
        time.sleep(2)
        storm.ports = [second]
        time.sleep(1)
    assert storm.acknowledged > 50 and not storm.other, (storm.acknowledged, storm.other)
    stored = cluster.vote_count()
    # Every 201 is in the database; at most the votes whose answer the kill cut off are extra.
    assert storm.acknowledged <= stored <= storm.acknowledged + storm.unanswered
    cluster.worker()  # restarted: the analysis converges to every vote
    seen = cluster.wait_counted(second, stored, timeout=60)
    assert seen["votes_counted"] == stored


EXPORT = """
import json, sys
from tracktwo.workers.queue import send
found = send("tracktwo.export_polis", {dialogue}, {output!r}).get(timeout=90)
print(json.dumps(found))
"""

AUDITED = """
from tracktwo.safety.models import AuditEvent
print(AuditEvent.objects.filter(action="dialogue.exported").count())
"""


def test_it_retries_a_failed_task_without_applying_half(cluster: Cluster, tmp_path: Path) -> None:
    seeded = cluster.seed(voters=4, statements=3)
    blocker = tmp_path / "exports"
    blocker.write_text("a file where the folder should be")  # the first attempt fails
    output = blocker / "polis"
    with ThreadPoolExecutor(max_workers=1) as pool:  # the worker starts meanwhile
        starting = pool.submit(cluster.worker)
        people(cluster)  # the export's do-no-harm assessment, which the task checks
        client = subprocess.Popen(
            [*cluster.python_argv(EXPORT.format(dialogue=seeded["dialogue"], output=str(output)))],
            env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    try:
        worker = starting.result()
        deadline = time.monotonic() + 60
        while "retry" not in cluster.log(worker).lower():
            assert time.monotonic() < deadline, cluster.log(worker)
            assert client.poll() is None, client.communicate()
            time.sleep(0.2)
        assert cluster.django(AUDITED).strip() == "0"  # the failed attempt left nothing
        blocker.unlink()
        blocker.mkdir()
        out, err = client.communicate(timeout=90)
    finally:
        with contextlib.suppress(ProcessLookupError):
            client.kill()
    assert client.returncode == 0, err
    assert json.loads(out)["files"] == ["comments.csv", "participants-votes.csv", "votes.csv"]
    assert sorted(p.name for p in blocker.iterdir()) == ["polis"]  # no partial folder left
    assert all((output / name).stat().st_size > 0 for name in json.loads(out)["files"])
    assert cluster.django(AUDITED).strip() == "1"  # applied once, with its files


def start_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    from cluster import redis_reachable

    deadline = time.monotonic() + 20
    while not redis_reachable(f"redis://127.0.0.1:{port}/0"):
        assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    return process


def until(port: int, ask: object, wanted: int, timeout: float = 30) -> Response:
    deadline = time.monotonic() + timeout
    while True:
        answer: Response = ask()  # type: ignore[operator]
        if answer.status == wanted or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


def test_it_answers_503_while_redis_is_down_then_recovers(
    tmp_path: Path, require_system: object
) -> None:
    require_system(shutil.which("redis-server") is not None, "needs redis-server")  # type: ignore[operator]
    port = free_port()
    redis = start_redis(port, tmp_path)
    cluster = Cluster(tmp_path, redis_url=f"redis://127.0.0.1:{port}/0")
    try:
        cluster.seed(voters=2, statements=4)
        _, app = cluster.serve()
        assert cluster.vote(app, 0, 0).status == 201
        redis.send_signal(signal.SIGKILL)
        redis.wait(timeout=10)
        down = cluster.vote(app, 0, 1)
        assert down.status == 503, down
        assert down.headers.get("retry-after") == "5"
        assert "unavailable" in down.body["detail"]
        assert cluster.analysis(app).status == 503
        redis = start_redis(port, tmp_path)  # back, on the same address; the app is not restarted
        back = until(app, lambda: cluster.vote(app, 0, 2), 201)
        assert back.status == 201, back
        assert until(app, lambda: cluster.analysis(app), 200).status == 200
    finally:
        cluster.close()
        redis.kill()
        redis.wait(timeout=10)

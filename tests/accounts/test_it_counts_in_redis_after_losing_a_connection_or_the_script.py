"""Rate-limit counting in Redis survives a dropped connection and a Redis that forgot the
counting script (restarted, or its scripts flushed): the next hit counts on, no error.

On a private ``redis-server`` (``SCRIPT FLUSH`` and ``CLIENT KILL`` are server-wide).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
from django.core.cache import caches
from django.test import override_settings

from tracktwo.safety import ratelimit
from tracktwo.safety.ratelimit import Rate


def _private_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return process, url
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, "no redis-server"
            time.sleep(0.1)


def test_it_counts_on_after_losing_a_connection_or_the_script(
    tmp_path: Path, require_system: Callable[[bool, str], None]
) -> None:
    require_system(shutil.which("redis-server") is not None, "needs redis-server")
    process, url = _private_redis(tmp_path)
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"t-{uuid.uuid4().hex}",
        }
    }
    raw = redis.Redis.from_url(url)
    rate = Rate(100, 60)
    try:
        with override_settings(CACHES=settings):
            assert ratelimit.hit("lost", "client", rate, now=600.0) == 1
            raw.script_flush()  # as after a restart: the script is no longer cached
            assert ratelimit.hit("lost", "client", rate, now=601.0) == 2
            assert raw.script_exists(ratelimit.COUNT_SHA.decode()) == [True]  # cached again
            killed = raw.client_kill_filter(_type="normal", skipme=True)
            assert killed >= 1  # the pooled connection the counter used is gone
            assert ratelimit.hit("lost", "client", rate, now=602.0) == 3
            assert caches["default"].get("rl:lost:client:10") == 3
    finally:
        process.kill()
        process.wait(timeout=10)

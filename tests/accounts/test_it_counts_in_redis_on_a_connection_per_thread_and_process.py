"""Rate-limit hits in Redis go over a connection each thread keeps: threads counting at once
all count, each on its own connection, and a forked child never uses its parent's."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache import caches
from django.test import override_settings

from tracktwo.safety import ratelimit, redis_counter
from tracktwo.safety.ratelimit import Rate

REDIS_URL = os.environ.get("TRACKTWO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def _backend() -> Any:
    return caches["default"]._cache  # type: ignore[attr-defined]  # Django's Redis client


def test_it_counts_in_redis_on_a_connection_per_thread_and_process(
    require_system: Callable[[bool, str], None],
) -> None:
    require_system(_reachable(), f"needs Redis at {REDIS_URL}")
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"t-{uuid.uuid4().hex}",
        }
    }
    rate = Rate(10_000, 60)
    with override_settings(CACHES=settings):
        mine = redis_counter.connection_for(_backend())
        assert redis_counter.connection_for(_backend()) is mine  # kept, not made per hit
        seen: list[Any] = []

        def count() -> None:
            for _ in range(50):
                ratelimit.hit("threads", "client", rate, now=600.0)
            seen.append(redis_counter.connection_for(_backend()))

        threads = [threading.Thread(target=count) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert caches["default"].get("rl:threads:client:10") == 200
        assert len({id(c) for c in [mine, *seen]}) == 5  # one connection per thread

        assert ratelimit.hit("fork", "client", rate, now=600.0) == 1
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                own = redis_counter.connection_for(_backend()) is not mine
                counted = ratelimit.hit("fork", "client", rate, now=600.0)
                os.write(write, f"{own} {counted}".encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        answer = os.read(read, 100).decode()
        os.close(read)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert answer == "True 2"
        assert ratelimit.hit("fork", "client", rate, now=600.0) == 3  # the parent's still works

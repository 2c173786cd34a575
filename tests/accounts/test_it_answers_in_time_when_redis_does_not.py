"""A Redis that takes connections and never answers costs a rate-limit hit the socket
timeout once, then a :class:`redis.TimeoutError` (the API's 503), and is not asked again.

The hit's connection keeps its timeout in the kernel (``tracktwo.safety.redis_counter``); a
timeout running out there must still be a timeout, not a lost connection to retry.
"""

from __future__ import annotations

import socket
import threading
import uuid

import pytest
import redis
from django.test import override_settings

from tracktwo.safety import ratelimit
from tracktwo.safety.outage import is_outage
from tracktwo.safety.ratelimit import Rate


def test_it_answers_in_time_when_redis_does_not() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])  # held open, never answered
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"t-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 0.3},
        }
    }
    try:
        with (
            override_settings(CACHES=settings),
            pytest.raises(redis.exceptions.TimeoutError) as raised,
        ):
            ratelimit.hit("silent", "client", Rate(100, 60), now=600.0)
        assert is_outage(raised.value)
        assert len(accepted) == 1  # one connection, one wait: no second attempt
    finally:
        listener.close()
        for conn in accepted:
            conn.close()

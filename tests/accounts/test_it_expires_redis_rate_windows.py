"""Rate-limit counters in Redis: one key per window, readable through Django's cache, that
expires with its window (so counters never pile up in a shared Redis)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from tracktwo.safety import ratelimit
from tracktwo.safety.ratelimit import Rate, RateLimited

REDIS_URL = os.environ.get("TRACKTWO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def test_it_expires_redis_rate_windows(require_system: Callable[[bool, str], None]) -> None:
    require_system(_reachable(), f"needs Redis at {REDIS_URL}")
    prefix = f"tracktwo-test-{uuid.uuid4().hex}"
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    raw = redis.Redis.from_url(REDIS_URL)
    with override_settings(CACHES=settings):
        cache = caches["default"]
        rate = Rate(2, 60)
        assert ratelimit.hit("expiry-check", "client", rate, now=600.0) == 1
        assert ratelimit.hit("expiry-check", "client", rate, now=601.0) == 2
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit("expiry-check", "client", rate, now=602.0)
        assert refused.value.retry_after == 58
        key = "rl:expiry-check:client:10"  # 600 s // 60 s: the tenth window
        assert cache.get(key) == 3  # the same key and value Django's cache reads
        ttl = raw.ttl(cache.make_and_validate_key(key))
        assert 0 < ttl <= rate.seconds + 1
        # The next window starts from one, under its own key.
        assert ratelimit.hit("expiry-check", "client", rate, now=660.0) == 1
        assert raw.ttl(cache.make_and_validate_key("rl:expiry-check:client:11")) > 0
        raw.delete(*raw.keys(f"{prefix}:*"))

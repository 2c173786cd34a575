"""Fixtures for the insight tests: a private master key per test, fresh analysis caches."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from factories import private_master_key as private_master_key

sys.path.insert(0, str(Path(__file__).resolve().parent))

from insight_support import Room, make_room

from tracktwo.insight import service, shared


@pytest.fixture
def room(db: None) -> Room:
    return make_room()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    """A served process whose background refresh has not come round yet: requests serve
    the cached result (no thread runs, so nothing catches up behind the test's back)."""
    from tracktwo.insight import refresh

    settings.TRACKTWO_LIVE_BACKGROUND = True  # type: ignore[attr-defined]
    monkeypatch.setattr(refresh, "watch", lambda dialogue_id: None)
    monkeypatch.setattr(service, "MIN_INTERVAL", 3600.0)


def _own_redis_database(url: str) -> str:
    """Two databases above the clusters' (tests/workers/cluster.py: the test Redis database
    plus the xdist worker's index), so a cluster emptying its own never empties this one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number) + 2 + index}" if number.isdigit() else url


REDIS_URL = _own_redis_database(
    os.environ.get("TRACKTWO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
)


@pytest.fixture
def workers(
    settings: Any, monkeypatch: pytest.MonkeyPatch, require_system: Callable[[bool, str], None]
) -> Iterator[redis.Redis]:
    """This process as an app process and a worker of a site with ``REDIS_URL``, under
    a key prefix of its own in the test Redis (real Redis)."""
    try:
        reachable = bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        reachable = False
    require_system(reachable, f"needs Redis at {REDIS_URL}")
    settings.TRACKTWO_REDIS_URL = REDIS_URL
    monkeypatch.setattr(shared, "_client", None)
    monkeypatch.setattr(shared, "PREFIX", f"tracktwo-test-{uuid.uuid4().hex}:insight:")
    raw = redis.Redis.from_url(REDIS_URL)
    yield raw
    raw.delete(*raw.keys(f"{shared.PREFIX}*") or [f"{shared.PREFIX}none"])

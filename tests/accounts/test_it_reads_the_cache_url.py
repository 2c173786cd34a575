"""CACHE_URL: Redis or local memory, failing loudly on a bad value (fresh interpreters)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _caches(tmp_path: Path, cache_url: str | None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "SECRET_KEY"}}
    environ["TRACKTWO_DATA_DIR"] = str(tmp_path)
    if cache_url is not None:
        environ["CACHE_URL"] = cache_url
    code = "import json, tracktwo.site.settings as s; print(json.dumps(s.CACHES['default']))"
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )


def test_it_defaults_to_local_memory(tmp_path: Path) -> None:
    result = _caches(tmp_path, None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["BACKEND"].endswith("LocMemCache")


def test_it_reads_a_redis_url(tmp_path: Path) -> None:
    result = _caches(tmp_path, "redis://127.0.0.1:6379/1")
    config = json.loads(result.stdout)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("memcached://127.0.0.1:11211", "CACHE_URL: scheme 'memcached' is not supported"),
        ("127.0.0.1:6379", "is not supported"),
        ("redis://:6379/1", "CACHE_URL: a redis URL needs a host"),
        ("redis://127.0.0.1:port/1", "CACHE_URL: the port is not a number"),
        ("redis://127.0.0.1:6379/one", "CACHE_URL: the database must be a number"),
    ],
)
def test_it_fails_loudly_on_a_bad_url(tmp_path: Path, value: str, message: str) -> None:
    result = _caches(tmp_path, value)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_refuses_a_bad_rate(tmp_path: Path) -> None:
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path), "RATELIMIT_VOTE": "lots"}
    result = subprocess.run(
        [sys.executable, "-c", "import tracktwo.site.settings"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "RATELIMIT_VOTE: 'lots' is not a rate" in result.stderr

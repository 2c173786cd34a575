"""``tracktwo worker`` without REDIS_URL, or with Redis unreachable, says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cluster import free_port
from schema_templates import TEMPLATES


def worker(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path)}
    env.pop("REDIS_URL", None)
    env.update(extra, DATABASE_URL=f"sqlite:///{tmp_path}/w.sqlite3")
    TEMPLATES.sqlite_copy(tmp_path / "w.sqlite3")  # migrated
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "worker"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_it_needs_redis_url(tmp_path: Path) -> None:
    done = worker(tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("tracktwo worker: REDIS_URL is not set")
    assert len(done.stderr.strip().splitlines()) == 1


def test_it_names_an_unreachable_redis(tmp_path: Path) -> None:
    done = worker(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert done.returncode == 2
    assert done.stderr.startswith("tracktwo worker: cannot reach Redis at REDIS_URL")
    assert len(done.stderr.strip().splitlines()) == 1

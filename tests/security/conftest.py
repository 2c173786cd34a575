"""Fixtures for the security tests: a private master key, fresh analysis caches, the world."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from security_world import World, make_world

from tracktwo.insight import service as live
from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own master key file; no analysis carries over (ids repeat)."""
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    keys.forget_master_key()
    datakeys.forget_data_keys()
    live.forget()
    yield path
    live.forget()
    keys.forget_master_key()
    datakeys.forget_data_keys()


@pytest.fixture
def world(db: None) -> World:
    return make_world()

"""Fixtures for the insight tests: a private master key per test, fresh analysis caches."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from insight_support import Room, make_room

from tracktwo.insight import service
from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own master key file; no analysis carries over (ids repeat)."""
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    keys.forget_master_key()
    datakeys.forget_data_keys()
    service.forget()
    yield path
    service.forget()
    keys.forget_master_key()
    datakeys.forget_data_keys()


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

"""Fixtures for the insight tests: a private master key per test, fresh analysis caches."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import private_master_key as private_master_key

sys.path.insert(0, str(Path(__file__).resolve().parent))

from insight_support import Room, make_room

from tracktwo.insight import service


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

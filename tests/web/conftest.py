"""Fixtures for the page tests: a private master key per test and a dialogue with its people."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import World, make_world

from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own master key file, so no test reads another's keys."""
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    keys.forget_master_key()
    datakeys.forget_data_keys()
    yield path
    keys.forget_master_key()
    datakeys.forget_data_keys()


@pytest.fixture
def world(db: None) -> World:
    return make_world()

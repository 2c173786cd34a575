"""Fixtures for the back-channel tests: a private master key per test, and a scene."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backchannel_support import Scene, make_scene

from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    keys.forget_master_key()
    datakeys.forget_data_keys()
    yield path
    keys.forget_master_key()
    datakeys.forget_data_keys()


@pytest.fixture
def scene(db: None) -> Scene:
    return make_scene()

"""Fixtures for the API tests: a private master key per test, fresh live-analysis caches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Api, Scene, make_scene

from tracktwo.insight import service as live
from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
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
def api(db: None) -> Api:
    return Api()


@pytest.fixture
def scene(api: Api) -> Scene:
    return make_scene(api)

"""Fixtures for the evaluation tests: a private master key per test, a workshop to work in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation_support import Workshop, make_workshop

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
def workshop(db: None) -> Workshop:
    return make_workshop()

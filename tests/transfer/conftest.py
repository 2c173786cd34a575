"""Fixtures for the transfer tests: a private master key per test, the canary scenario."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from transfer_support import Scenario, make_scenario

from tracktwo.insight import service as live
from tracktwo.safety import datakeys, keys


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own master key file, so no test reads another's keys."""
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    keys.forget_master_key()
    datakeys.forget_data_keys()
    live.forget()  # ids repeat between tests: no analysis carries over
    yield path
    keys.forget_master_key()
    datakeys.forget_data_keys()
    live.forget()


@pytest.fixture
def scenario(db: None) -> Scenario:
    return make_scenario()


@pytest.fixture
def require_system(request: pytest.FixtureRequest) -> Callable[[bool, str], None]:
    """``require_system`` of tests/conftest.py (skips locally, fails under CI=true)."""
    root = Path(__file__).resolve().parent.parent / "conftest.py"
    plugin = request.config.pluginmanager.get_plugin(str(root))
    assert plugin is not None, f"{root} is not loaded"
    gate: Callable[[bool, str], None] = plugin.require_system
    return gate

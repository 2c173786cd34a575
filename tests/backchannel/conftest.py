"""Fixtures for the back-channel tests: a private master key per test, and a scene."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import private_master_key as private_master_key

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backchannel_support import Scene, make_scene


@pytest.fixture
def scene(db: None) -> Scene:
    return make_scene()

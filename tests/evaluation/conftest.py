"""Fixtures for the evaluation tests: a private master key per test, a workshop to work in."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import private_master_key as private_master_key

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation_support import Workshop, make_workshop


@pytest.fixture
def workshop(db: None) -> Workshop:
    return make_workshop()

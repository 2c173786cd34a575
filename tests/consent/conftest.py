"""Fixtures for the risk and consent tests: a private master key per test, a room to work in."""

import pytest
from consent_support import Room, make_room
from factories import private_master_key as private_master_key


@pytest.fixture
def room(db: None) -> Room:
    return make_room()

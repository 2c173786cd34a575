"""Fixtures for the security tests: a private master key, fresh analysis caches, the world."""

import pytest
from factories import private_master_key as private_master_key
from security_world import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()

"""Fixtures for the page tests: a private master key per test and a dialogue with its people."""

import pytest
from factories import private_master_key as private_master_key
from web_support import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()

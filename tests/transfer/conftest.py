"""Fixtures for the transfer tests: a private master key per test, the canary scenario."""

import pytest
from factories import private_master_key as private_master_key
from transfer_support import Scenario, make_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return make_scenario()

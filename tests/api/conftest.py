"""Fixtures for the API tests: a private master key per test, a dialogue set up through the API."""

import pytest
from api_support import Api, Scene, make_scene
from factories import private_master_key as private_master_key


@pytest.fixture
def api(db: None) -> Api:
    return Api()


@pytest.fixture
def scene(api: Api) -> Scene:
    return make_scene(api)

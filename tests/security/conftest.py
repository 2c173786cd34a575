"""Fixtures for the security tests: a private master key, fresh analysis caches, the world,
and the world made once for a module's tests (``module_world``)."""

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.test import TestCase, override_settings
from factories import own_master_key
from security_world import ModuleWorld, World, make_world

from tracktwo.safety import ratelimit


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture(scope="module")
def module_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleWorld]:
    """The world, made once for the module's tests that ask for it; no row outlives them.

    The world is made in a transaction rolled back after the module's last test, which
    each test runs inside, in a savepoint of its own (as a Django ``TestCase`` runs its
    tests over ``setUpTestData``): what a test writes is gone before the next one. What the
    autouse fixtures do for each test holds for what a module fixture does over this world
    too: live analyses refresh inside the request, the rate limiter's clock stands still,
    and the master key is a fresh one with nothing cached around it (the module's tests
    then share it: see ``private_master_key``)."""
    key = tmp_path_factory.mktemp("keys") / "master.key"
    with ExitStack() as stack:
        monkeypatch = stack.enter_context(pytest.MonkeyPatch.context())
        stack.enter_context(override_settings(TRACKTWO_LIVE_BACKGROUND=False))
        frozen = time.time()
        monkeypatch.setattr(ratelimit, "clock", lambda: frozen)
        stack.enter_context(contextmanager(own_master_key)(key, monkeypatch))
        with django_db_blocker.unblock():
            atomics = TestCase._enter_atomics()
        try:
            with django_db_blocker.unblock():
                world = make_world()
            yield ModuleWorld(world, key)
        finally:
            with django_db_blocker.unblock():
                TestCase._rollback_atomics(atomics)


@pytest.fixture(autouse=True)
def private_master_key(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Each test its own master key file, so rotations never touch another test's keys;
    a test over ``module_world`` that module's key, which the world's data keys are
    sealed with."""
    if "module_world" in request.fixturenames:
        key = request.getfixturevalue("module_world").key
    else:
        key = tmp_path / "keys" / "master.key"
    yield from own_master_key(key, monkeypatch)

"""Fixtures for the accounts tests: accounts with and without a second factor."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest
from accounts_support import PASSWORD, Account
from django.core.cache import caches

from tracktwo.accounts import actions


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def require_system(request: pytest.FixtureRequest) -> Callable[[bool, str], None]:
    """``require_system`` of tests/conftest.py (skips locally, fails under CI=true)."""
    root = Path(__file__).resolve().parent.parent / "conftest.py"
    plugin = request.config.pluginmanager.get_plugin(str(root))
    assert plugin is not None, f"{root} is not loaded"
    gate: Callable[[bool, str], None] = plugin.require_system
    return gate


@pytest.fixture
def account(db: None) -> Account:
    user = actions.create_account("facilitator1", password=PASSWORD, email="f1@example.org")
    return Account(user, PASSWORD)


@pytest.fixture
def totp_account(db: None) -> Account:
    """An account with a confirmed TOTP device, confirmed with the previous step's code.

    So the current step's code (``code(0)``) and the next (``code(1)``) are still unused.
    """
    user = actions.create_account("facilitator2", password=PASSWORD)
    _, secret = actions.start_totp_enrolment(user)
    now = time.time()
    assert actions.confirm_totp(user, pyotp.TOTP(secret).at(now - 30), at=now)
    return Account(user, PASSWORD, secret)

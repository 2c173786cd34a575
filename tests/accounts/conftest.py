"""Fixtures for the accounts tests: accounts with and without a second factor."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from factories import Account, password_account


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def account(db: None) -> Account:
    return password_account("facilitator1", email="f1@example.org")


@pytest.fixture
def totp_account(db: None) -> Account:
    """An account with a confirmed TOTP device, confirmed with the previous step's code.

    So the current step's code (``code(0)``) and the next (``code(1)``) are still unused.
    """
    return password_account("facilitator2", totp=True)

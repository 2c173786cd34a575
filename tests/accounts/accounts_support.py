"""Shared helpers of the accounts tests (fixtures are in conftest.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp
from django.test import Client

from tracktwo.accounts.models import User

PASSWORD = "a long enough passphrase 42"


@dataclass
class Account:
    user: User
    password: str
    secret: str | None = None

    def code(self, steps_ahead: int = 0) -> str:
        """The TOTP code ``steps_ahead`` 30-second steps from now."""
        assert self.secret is not None
        return pyotp.TOTP(self.secret).at(time.time() + 30 * steps_ahead)


def sign_in(client: Client, account: Account, code: str | None = None) -> None:
    """Sign in through the pages (password, then the code when one is given)."""
    response = client.post(
        "/accounts/sign-in",
        {"username": account.user.username, "password": account.password},
    )
    assert response.status_code == 302, response.content
    if code is not None:
        assert response["Location"] == "/accounts/sign-in/totp"
        response = client.post("/accounts/sign-in/totp", {"code": code})
        assert response.status_code == 302, response.content

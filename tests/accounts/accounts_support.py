"""Shared helpers of the accounts tests (accounts are made by factories.py)."""

from __future__ import annotations

from django.test import Client
from factories import Account


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

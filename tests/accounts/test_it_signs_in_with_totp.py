"""Two-step sign-in with a TOTP second factor; codes are single-use."""

from __future__ import annotations

import pytest
from accounts_support import sign_in
from django.test import Client
from factories import Account

from tracktwo.accounts import actions
from tracktwo.accounts.models import TotpDevice

pytestmark = pytest.mark.django_db


def _password_step(client: Client, account: Account) -> None:
    response = client.post(
        "/accounts/sign-in", {"username": account.user.username, "password": account.password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/totp"


def test_it_asks_for_the_code_before_signing_in(client: Client, totp_account: Account) -> None:
    _password_step(client, totp_account)
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/tokens").status_code == 302
    page = client.get("/accounts/sign-in/totp").content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = client.post("/accounts/sign-in/totp", {"code": totp_account.code(0)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == totp_account.user.pk
    assert client.get("/accounts/tokens").status_code == 200


def test_it_refuses_a_wrong_code(client: Client, totp_account: Account) -> None:
    _password_step(client, totp_account)
    wrong = f"{(int(totp_account.code(0)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/sign-in/totp", {"code": wrong})
    assert response.status_code == 200
    assert "The code is wrong or has already been used." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_replayed_code(totp_account: Account) -> None:
    code = totp_account.code(0)
    first = Client()
    sign_in(first, totp_account, code)
    second = Client()
    _password_step(second, totp_account)
    response = second.post("/accounts/sign-in/totp", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in second.session
    # Codes of steps before the last one accepted are refused too.
    assert not actions.verify_totp(totp_account.user, totp_account.code(-1))


def test_it_restarts_after_too_many_wrong_codes(client: Client, totp_account: Account) -> None:
    _password_step(client, totp_account)
    wrong = f"{(int(totp_account.code(0)) + 7) % 1_000_000:06d}"
    for _ in range(4):
        assert client.post("/accounts/sign-in/totp", {"code": wrong}).status_code == 200
    response = client.post("/accounts/sign-in/totp", {"code": wrong})
    assert response["Location"] == "/accounts/sign-in"
    # The right code no longer helps: the password step must be done again.
    again = client.post("/accounts/sign-in/totp", {"code": totp_account.code(0)})
    assert again["Location"] == "/accounts/sign-in"
    assert "_auth_user_id" not in client.session


def test_it_needs_the_password_step_first(client: Client, totp_account: Account) -> None:
    response = client.post("/accounts/sign-in/totp", {"code": totp_account.code(0)})
    assert response["Location"] == "/accounts/sign-in"
    assert "_auth_user_id" not in client.session


def test_it_accepts_one_step_of_clock_drift_only(totp_account: Account) -> None:
    assert not actions.verify_totp(totp_account.user, totp_account.code(3))
    assert actions.verify_totp(totp_account.user, totp_account.code(1))
    assert TotpDevice.objects.get(user=totp_account.user).last_step > 0

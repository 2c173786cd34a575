"""Where a second factor is required (production), a user without one must enrol first."""

from __future__ import annotations

import pyotp
import pytest
from accounts_support import sign_in
from django.test import Client, override_settings
from factories import Account

from tracktwo.accounts import actions

pytestmark = pytest.mark.django_db


@override_settings(TRACKTWO_TOTP_REQUIRED=True)
def test_it_sends_a_user_without_a_device_to_enrolment(client: Client, account: Account) -> None:
    response = client.post(
        "/accounts/sign-in", {"username": account.user.username, "password": account.password}
    )
    assert response["Location"] == "/accounts/totp"
    for path in ("/accounts/", "/accounts/tokens", "/accounts/sessions"):
        assert client.get(path)["Location"] == "/accounts/totp", path
    # The API does not accept such a session either.
    assert client.get("/api/v1/me").status_code == 401
    # Issuing a token is refused (redirected) before enrolment.
    refused = client.post("/accounts/tokens", {"action": "issue", "name": "x"})
    assert refused["Location"] == "/accounts/totp"
    assert not account.user.api_tokens.exists()
    page = client.get("/accounts/totp")
    assert page.status_code == 200
    secret = actions.start_totp_enrolment(account.user)[1]
    confirmed = client.post(
        "/accounts/totp", {"action": "confirm", "code": pyotp.TOTP(secret).now()}
    )
    assert confirmed.status_code == 302
    assert client.get("/accounts/tokens").status_code == 200
    assert client.get("/api/v1/me").json() == {"kind": "user", "username": account.user.username}


@override_settings(TRACKTWO_TOTP_REQUIRED=True)
def test_it_refuses_to_remove_a_required_second_factor(totp_account: Account) -> None:
    client = Client()
    sign_in(client, totp_account, totp_account.code(0))
    response = client.post("/accounts/totp", {"action": "disable", "code": totp_account.code(1)})
    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode()
    assert actions.confirmed_device(totp_account.user) is not None


def test_it_lets_a_local_user_remove_the_second_factor(totp_account: Account) -> None:
    client = Client()
    sign_in(client, totp_account, totp_account.code(0))
    response = client.post("/accounts/totp", {"action": "disable", "code": totp_account.code(1)})
    assert response["Location"] == "/accounts/totp"
    assert actions.confirmed_device(totp_account.user) is None
    client.logout()
    sign_in(client, totp_account)  # password alone again

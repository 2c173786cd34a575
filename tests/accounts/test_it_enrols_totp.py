"""TOTP enrolment: secret, otpauth URI and a QR code drawn on the server; the seed is sealed."""

from __future__ import annotations

import re

import pyotp
import pytest
from accounts_support import sign_in
from django.db import connection
from django.test import Client
from factories import Account

from tracktwo.accounts import totp
from tracktwo.accounts.models import TotpDevice
from tracktwo.safety.crypto import DecryptionError

pytestmark = pytest.mark.django_db


def _secret_on(page: str) -> str:
    match = re.search(r"<code dir=\"ltr\">([A-Z2-7 ]+)</code>", page)
    assert match, "the key is shown as text"
    return match.group(1).replace(" ", "")


def test_it_shows_the_key_the_uri_and_an_inline_qr_code(client: Client, account: Account) -> None:
    sign_in(client, account)
    page = client.get("/accounts/totp").content.decode()
    secret = _secret_on(page)
    assert len(secret) == 32
    assert f"otpauth://totp/Dialogue:{account.user.username}?secret={secret}" in page
    assert "issuer=Dialogue" in page
    assert '<svg width="' in page and 'class="qr"' in page and "<path" in page
    # Nothing on the page comes from, or points to, another origin.
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    # Reloading keeps the same key (the app may already have scanned it).
    assert _secret_on(client.get("/accounts/totp").content.decode()) == secret


def test_it_confirms_with_a_first_code_and_then_asks_for_it(
    client: Client, account: Account
) -> None:
    sign_in(client, account)
    secret = _secret_on(client.get("/accounts/totp").content.decode())
    wrong = client.post("/accounts/totp", {"action": "confirm", "code": "000000"})
    assert "The code is wrong" in wrong.content.decode() or pyotp.TOTP(secret).now() == "000000"
    response = client.post(
        "/accounts/totp", {"action": "confirm", "code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 302
    assert TotpDevice.objects.get(user=account.user).confirmed
    client.logout()
    step_one = client.post(
        "/accounts/sign-in", {"username": account.user.username, "password": account.password}
    )
    assert step_one["Location"] == "/accounts/sign-in/totp"


def test_it_makes_a_new_key_on_request(client: Client, account: Account) -> None:
    sign_in(client, account)
    first = _secret_on(client.get("/accounts/totp").content.decode())
    second = _secret_on(client.post("/accounts/totp", {"action": "restart"}).content.decode())
    assert first != second


def test_it_stores_the_seed_sealed_and_bound_to_its_user(client: Client, account: Account) -> None:
    sign_in(client, account)
    secret = _secret_on(client.get("/accounts/totp").content.decode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_sealed FROM accounts_totpdevice")
        (stored,) = cursor.fetchone()
    stored = bytes(stored)
    assert secret.encode() not in stored
    assert totp.open_secret(account.user.pk, stored) == secret
    with pytest.raises(DecryptionError):
        totp.open_secret(account.user.pk + 1, stored)

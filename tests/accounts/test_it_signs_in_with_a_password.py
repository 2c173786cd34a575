"""Password sign-in (no second factor enrolled, not required): argon2, errors, redirects."""

from __future__ import annotations

import pytest
from accounts_support import sign_in
from django.test import Client
from factories import Account

from tracktwo.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_stores_the_password_with_argon2(account: Account) -> None:
    stored = User.objects.get(pk=account.user.pk).password
    assert stored.startswith("argon2$")
    assert account.password not in stored


def test_it_shows_a_labelled_form_with_a_csrf_token(client: Client) -> None:
    page = client.get("/accounts/sign-in").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page


def test_it_signs_in_and_lands_on_the_home_page(client: Client, account: Account) -> None:
    response = client.post(
        "/accounts/sign-in", {"username": "facilitator1", "password": account.password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"  # the role's home
    assert int(client.session["_auth_user_id"]) == account.user.pk
    home = client.get("/accounts/")
    assert home.status_code == 200
    assert "facilitator1" in home.content.decode()


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(
    client: Client, account: Account
) -> None:
    wrong = client.post("/accounts/sign-in", {"username": "facilitator1", "password": "nope" * 4})
    unknown = client.post("/accounts/sign-in", {"username": "nobody", "password": "nope" * 4})
    assert wrong.status_code == unknown.status_code == 200
    assert "The name or the password is wrong." in wrong.content.decode()
    assert "The name or the password is wrong." in unknown.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302


def test_it_follows_a_local_next_url_only(client: Client, account: Account) -> None:
    data = {"username": "facilitator1", "password": account.password}
    local = client.post("/accounts/sign-in?next=/accounts/tokens", data)
    assert local["Location"] == "/accounts/tokens"
    client.logout()
    away = client.post("/accounts/sign-in?next=https://elsewhere.example/x", data)
    assert away["Location"] == "/"  # the role's home


def test_it_signs_out_with_a_post_only(client: Client, account: Account) -> None:
    sign_in(client, account)
    assert client.get("/accounts/sign-out").status_code == 200
    assert "_auth_user_id" in client.session
    assert client.post("/accounts/sign-out")["Location"] == "/accounts/sign-in"
    assert client.get("/accounts/").status_code == 302


def test_it_sends_pages_to_sign_in_when_signed_out(client: Client, db: None) -> None:
    for path in ("/accounts/", "/accounts/totp", "/accounts/tokens", "/accounts/sessions"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in?next=")

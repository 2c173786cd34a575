"""API tokens: issued after a full sign-in, shown once, stored as digests, scoped, revocable."""

from __future__ import annotations

import hashlib
import re

import pytest
from accounts_support import sign_in
from django.test import Client
from factories import PASSWORD, Account

from tracktwo.accounts import actions
from tracktwo.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _issue(client: Client, name: str) -> str:
    response = client.post("/accounts/tokens", {"action": "issue", "name": name})
    assert response.status_code == 201
    match = re.search(r"(t2u_[A-Za-z0-9_\-]{43})", response.content.decode())
    assert match, "the new token is on the page"
    return match.group(1)


def _me(token: str) -> tuple[int, dict[str, object]]:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, response.json()


def test_it_issues_a_token_that_authenticates_its_holder(client: Client, account: Account) -> None:
    sign_in(client, account)
    token = _issue(client, "laptop script")
    assert _me(token) == (200, {"kind": "user", "username": "facilitator1"})
    row = ApiToken.objects.get(user=account.user)
    assert row.name == "laptop script"
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert row.last_used_at is not None


def test_it_shows_a_token_once_and_stores_only_its_digest(client: Client, account: Account) -> None:
    sign_in(client, account)
    token = _issue(client, "once")
    listing = client.get("/accounts/tokens").content.decode()
    assert "once" in listing
    assert token not in listing
    assert token[4:] not in listing
    stored = list(ApiToken.objects.values_list("name", "digest"))
    assert all(token not in value and token[4:] not in value for row in stored for value in row)


def test_it_makes_random_distinct_tokens(account: Account) -> None:
    raws = {actions.issue_token(account.user, f"t{i}")[1] for i in range(20)}
    assert len(raws) == 20
    assert all(raw.startswith("t2u_") and len(raw) == 47 for raw in raws)


def test_it_refuses_a_revoked_token(client: Client, account: Account) -> None:
    sign_in(client, account)
    token = _issue(client, "old")
    row = ApiToken.objects.get(user=account.user)
    response = client.post("/accounts/tokens", {"action": "revoke", "id": row.pk})
    assert response.status_code == 302
    assert _me(token) == (401, {"detail": "Unauthorized"})
    assert "revoked" in client.get("/accounts/tokens").content.decode()


def test_it_lets_no_one_revoke_another_users_token(client: Client, account: Account) -> None:
    other = actions.create_account("facilitator9", password=PASSWORD)
    _, their_token = actions.issue_token(other, "theirs")
    sign_in(client, account)
    their_row = ApiToken.objects.get(user=other)
    response = client.post("/accounts/tokens", {"action": "revoke", "id": their_row.pk})
    assert response.status_code == 404
    assert _me(their_token)[0] == 200
    assert "theirs" not in client.get("/accounts/tokens").content.decode()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer t2u_" + "A" * 43,
        "Bearer t2p_" + "A" * 43,
        "Bearer " + "x" * 500,
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "t2u_nothing",
    ],
)
def test_it_answers_401_json_to_bad_credentials(header: str, db: None) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_it_refuses_tokens_of_deactivated_accounts(account: Account) -> None:
    _, token = actions.issue_token(account.user, "x")
    account.user.is_active = False
    account.user.save()
    assert _me(token)[0] == 401


def test_it_needs_a_name(client: Client, account: Account) -> None:
    sign_in(client, account)
    response = client.post("/accounts/tokens", {"action": "issue", "name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()

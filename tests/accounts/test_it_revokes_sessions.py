"""Sessions a user can see (no IP) and revoke; the reusable revoke_sessions helper."""

from __future__ import annotations

import pytest
from accounts_support import sign_in
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from factories import Account

from tracktwo.accounts import actions
from tracktwo.accounts.models import UserSession

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _two_sessions(account: Account) -> tuple[Client, Client]:
    phone = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.20")
    laptop = Client(HTTP_USER_AGENT=LAPTOP, REMOTE_ADDR="198.51.100.30")
    sign_in(phone, account)
    sign_in(laptop, account)
    return phone, laptop


def test_it_lists_sessions_without_addresses(account: Account) -> None:
    _, laptop = _two_sessions(account)
    page = laptop.get("/accounts/sessions").content.decode()
    assert "Chrome on Android" in page
    assert "Firefox on Linux" in page
    assert "this session" in page
    assert "203.0.113.20" not in page and "198.51.100.30" not in page
    assert UserSession.objects.filter(user=account.user).count() == 2
    fields = {field.name for field in UserSession._meta.get_fields()}
    assert not any("ip" in name.split("_") or "addr" in name for name in fields)


def test_it_revokes_one_other_session(account: Account) -> None:
    phone, laptop = _two_sessions(account)
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post("/accounts/sessions", {"action": "revoke", "id": phone_row.pk})
    assert response["Location"] == "/accounts/sessions"
    assert phone.get("/accounts/").status_code == 302
    assert laptop.get("/accounts/").status_code == 200
    assert not SessionStore().exists(phone_row.session_key)


def test_it_revokes_all_other_sessions(account: Account) -> None:
    phone, laptop = _two_sessions(account)
    third = Client()
    sign_in(third, account)
    laptop.post("/accounts/sessions", {"action": "revoke-others"})
    assert phone.get("/accounts/").status_code == 302
    assert third.get("/accounts/").status_code == 302
    assert laptop.get("/accounts/").status_code == 200
    assert UserSession.objects.filter(user=account.user).count() == 1


def test_it_signs_out_when_revoking_its_own_session(account: Account) -> None:
    phone, _ = _two_sessions(account)
    own = UserSession.objects.get(session_key=phone.session.session_key)
    assert (
        phone.post("/accounts/sessions", {"action": "revoke", "id": own.pk})["Location"]
        == "/accounts/sign-in"
    )
    assert phone.get("/accounts/").status_code == 302


def test_it_cannot_revoke_another_users_session(account: Account) -> None:
    other = actions.create_account("facilitator7", password=account.password)
    theirs = Client()
    sign_in(theirs, Account(other, account.password))
    mine = Client()
    sign_in(mine, account)
    their_row = UserSession.objects.get(user=other)
    assert (
        mine.post("/accounts/sessions", {"action": "revoke", "id": their_row.pk}).status_code == 404
    )
    assert theirs.get("/accounts/").status_code == 200


def test_it_forgets_the_session_on_sign_out(client: Client, account: Account) -> None:
    sign_in(client, account)
    assert UserSession.objects.filter(user=account.user).count() == 1
    client.post("/accounts/sign-out")
    assert not UserSession.objects.filter(user=account.user).exists()


def test_it_revokes_any_set_of_session_keys(db: None) -> None:
    stores = []
    for n in range(3):
        store = SessionStore()
        store["tracktwo.participant"] = n + 1
        store.create()
        stores.append(store)
    ended = actions.revoke_sessions([stores[0].session_key, stores[1].session_key, "missing"])
    assert ended == 2
    assert not SessionStore().exists(stores[0].session_key)
    assert not SessionStore().exists(stores[1].session_key)
    assert SessionStore().exists(stores[2].session_key)

"""The operator's admin (``/operator/``): a staff account marks an account as a convener in
the list or the change form, audited; that account may then create an initiative; accounts
that are not staff get no admin, and the site's sign-in stays the only sign-in."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from factories import make_user
from factories import private_master_key as private_master_key

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import NotAllowed
from tracktwo.safety.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_master_key")]

LIST = reverse("admin:accounts_user_changelist")


def _operator_client() -> tuple[User, Client]:
    operator = accounts.create_account("operator1", operator=True)
    client = Client()
    client.force_login(operator)
    return operator, client


def _flags_audit(user: User) -> list[dict[str, object]]:
    rows = AuditEvent.objects.filter(action="account.flags_changed", target_id=str(user.pk))
    return [dict(row.details) for row in rows.order_by("pk")]


def test_it_serves_the_admin_at_the_configured_path() -> None:
    assert settings.TRACKTWO_ADMIN_PATH == "operator"
    assert reverse("admin:index") == "/operator/"


def test_it_lets_an_operator_tick_is_convener_in_the_list() -> None:
    operator, client = _operator_client()
    user = make_user("facilitator9")
    with pytest.raises(NotAllowed):
        initiative_actions.create_initiative(user, "Valley", ["Up", "Down"])

    page = client.get(LIST, {"q": user.username})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:accounts_user_change", args=[user.pk]) in html  # searched by name
    assert reverse("admin:accounts_user_change", args=[operator.pk]) not in html
    assert 'name="form-0-is_convener"' in html
    saved = client.post(
        LIST + "?q=" + user.username,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(user.pk),
            "form-0-is_convener": "on",
            "form-0-is_active": "on",
            "_save": "Save",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    user.refresh_from_db()
    assert user.is_convener and user.is_active and not user.is_staff
    assert _flags_audit(user) == [{"is_convener": True}]
    event = AuditEvent.objects.get(action="account.flags_changed")
    assert (event.actor_kind, event.actor_id) == ("user", str(operator.pk))

    made = initiative_actions.create_initiative(user, "Valley", ["Up", "Down"])
    assert made.parties.count() == 2


def test_it_lets_an_operator_change_the_flags_in_the_change_form() -> None:
    _, client = _operator_client()
    user = make_user("facilitator8", convener=True)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(change)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="is_convener"' in html
    for secret in ("password", "email", "pbkdf2", "argon2"):
        assert f'name="{secret}"' not in html
    # the name cannot be changed here; unticking is_convener removes the right
    saved = client.post(change, {"username": "renamed", "is_active": "on", "_save": "Save"})
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.username != "renamed" and not user.is_convener and user.is_active
    assert _flags_audit(user) == [{"is_convener": False}]
    with pytest.raises(NotAllowed):
        initiative_actions.create_initiative(user, "Valley", ["Up", "Down"])


def test_it_offers_no_add_and_no_delete() -> None:
    _, client = _operator_client()
    html = client.get(LIST).content.decode()
    assert "/operator/accounts/user/add/" not in html
    assert 'name="action"' not in html  # no bulk actions, so no bulk delete


def test_it_gives_no_admin_to_other_accounts() -> None:
    user = make_user("convener7", convener=True)
    client = Client()
    client.force_login(user)
    for url in ("/operator/", LIST, reverse("admin:accounts_user_change", args=[user.pk])):
        assert client.get(url).status_code == 403
    refused = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {"is_convener": "on", "is_active": "on", "is_staff": "on", "_save": "Save"},
    )
    assert refused.status_code == 403
    user.refresh_from_db()
    assert not user.is_staff
    assert not AuditEvent.objects.filter(action="account.flags_changed").exists()


def test_it_sends_the_anonymous_to_the_sites_own_sign_in() -> None:
    for url in ("/operator/", "/operator/login/", LIST):
        answer = Client().get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(settings.LOGIN_URL + "?next=")


def test_it_renders_the_admin_without_inline_script() -> None:
    """Our CSP allows scripts and styles from our own origin only: the admin's pages must
    not depend on inline ``<script>`` or ``on*=`` handlers."""
    _, client = _operator_client()
    user = make_user("facilitator6")
    for url in ("/operator/", LIST, reverse("admin:accounts_user_change", args=[user.pk])):
        page = client.get(url)
        assert page.status_code == 200
        assert "script-src 'self'" in page["Content-Security-Policy"]
        html = page.content.decode()
        inline = [s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s]
        assert not inline, f"{url}: inline scripts {inline}"
        assert not re.search(r"\son[a-z]+=", html), url

"""Sensitive account actions leave audit rows (ids only: never a token, code or password)."""

from __future__ import annotations

import pytest
from accounts_support import sign_in
from django.test import Client
from factories import Account

from tracktwo.accounts import actions
from tracktwo.accounts.models import ApiToken
from tracktwo.safety.audit import Actor
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions_of(actor_id: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor_id=actor_id).order_by("id").values_list("action", flat=True)
    )


def test_it_audits_token_issue_and_revocation(client: Client, account: Account) -> None:
    sign_in(client, account)
    response = client.post("/accounts/tokens", {"action": "issue", "name": "script"})
    raw = response.content.decode().split("t2u_", 1)[1][:43]
    row = ApiToken.objects.get(user=account.user)
    client.post("/accounts/tokens", {"action": "revoke", "id": row.pk})
    assert _actions_of(str(account.user.pk)) == ["api_token.issued", "api_token.revoked"]
    dumped = repr(list(AuditEvent.objects.values()))
    assert raw not in dumped and row.digest not in dumped


def test_it_audits_the_operator_creating_an_account(db: None) -> None:
    user = actions.create_account("op-made", actor=Actor.operator())
    actions.issue_token(user, "cli", actor=Actor.operator())
    events = AuditEvent.objects.filter(actor_id="operator").order_by("id")
    assert [(e.action, e.target_id) for e in events][-2:] == [
        ("account.created", str(user.pk)),
        ("api_token.issued", str(ApiToken.objects.get(user=user).pk)),
    ]


def test_it_audits_second_factor_and_session_changes(totp_account: Account) -> None:
    phone, laptop = Client(), Client()
    sign_in(phone, totp_account, totp_account.code(0))
    sign_in(laptop, totp_account, totp_account.code(1))
    laptop.post("/accounts/sessions", {"action": "revoke-others"})
    actions_done = _actions_of(str(totp_account.user.pk))
    assert actions_done == ["totp.enrolled", "sessions.revoked"]
    event = AuditEvent.objects.get(action="sessions.revoked")
    assert event.details == {"count": 1}

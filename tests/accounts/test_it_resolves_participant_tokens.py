"""Participant bearer tokens (``t2p_``) and participant browser sessions resolve to a Caller."""

from __future__ import annotations

import secrets

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from tracktwo.accounts.auth import (
    PARTICIPANT_SESSION_KEY,
    caller_for_token,
    caller_from_session,
    token_digest,
)
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def _participant() -> tuple[Participant, str]:
    initiative = Initiative.objects.create()
    dialogue = Dialogue.objects.create(
        initiative=initiative, format="living-room", confidentiality="chatham-house"
    )
    raw = "t2p_" + secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        dialogue=dialogue,
        public_id=secrets.token_hex(8),
        handle_digest=secrets.token_hex(32),
        token_digest=token_digest(raw),
    )
    return participant, raw


def test_it_answers_me_for_a_participant_token() -> None:
    participant, raw = _participant()
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == {"kind": "participant", "participant": participant.public_id}
    caller = caller_for_token(raw)
    assert caller is not None and caller.is_participant and caller.participant == participant
    assert caller.user is None


def test_it_refuses_a_withdrawn_participant_at_once() -> None:
    participant, raw = _participant()
    Participant.objects.filter(pk=participant.pk).update(withdrawn_at=timezone.now())
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_it_does_not_take_a_participant_token_for_an_account_token() -> None:
    _, raw = _participant()
    assert caller_for_token("t2u_" + raw[4:]) is None


def test_it_resolves_a_participant_web_session() -> None:
    participant, _ = _participant()
    client = Client()
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.pk
    session.save()
    response = client.get("/api/v1/me")
    assert response.json() == {"kind": "participant", "participant": participant.public_id}
    request = RequestFactory().get("/")
    request.session = client.session  # type: ignore[attr-defined]
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    found = caller_from_session(request)
    assert found is not None and found.participant == participant
    Participant.objects.filter(pk=participant.pk).update(withdrawn_at=timezone.now())
    assert caller_from_session(request) is None
    assert client.get("/api/v1/me").status_code == 401

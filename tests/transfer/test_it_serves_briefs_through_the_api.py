"""GET /api/v1/dialogues/{id}/brief: conveners and facilitators only, every format, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from transfer_support import COMMON, Scenario

from tracktwo.accounts.actions import issue_token
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, token: str | None = None) -> Any:
    if token is None:
        return client.get(url)
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _token(user: object) -> str:
    return issue_token(user, "test")[1]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("md", "text/markdown", b"**NON-PAPER**"),
        ("html", "text/html", b"<!doctype html>"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_it_serves_the_draft_to_facilitators(
    scenario: Scenario, fmt: str, content_type: str, start: bytes
) -> None:
    url = f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?format={fmt}"
    response = _get(Client(), url, _token(scenario.facilitator))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.startswith(start)
    assert b"CANARY" not in response.content
    event = AuditEvent.objects.filter(action="brief.exported").latest("id")
    assert event.actor_id == str(scenario.facilitator.pk)
    assert event.details == {"session": None, "format": fmt}


def test_it_serves_conveners_and_single_sessions(scenario: Scenario) -> None:
    url = f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?session=1"
    response = _get(Client(), url, _token(scenario.convener))
    assert response.status_code == 200
    assert COMMON.encode() in response.content
    missing = _get(Client(), f"{url[:-1]}9", _token(scenario.convener))
    assert missing.status_code == 404


def test_it_refuses_everyone_else(scenario: Scenario) -> None:
    url = f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?format=md"
    participant_token = dialogue_actions.join(
        dialogue_actions.create_invitation(
            scenario.dialogue, party=scenario.parties[0], by=scenario.convener
        )[1],
        "Someone",
        True,
    ).token
    from transfer_support import make_scenario

    stranger = make_scenario()
    outsider_token = dialogue_actions.join(
        dialogue_actions.create_invitation(
            stranger.dialogue, party=stranger.parties[0], by=stranger.convener
        )[1],
        "Outsider",
        True,
    ).token
    cases = {
        "observer": (_token(scenario.observer), 403),
        "participant": (participant_token, 403),
        "liaison": (_token(scenario.liaisons[0]), 403),
        "participant of another dialogue": (outsider_token, 404),
        "convener of another initiative": (_token(stranger.convener), 404),
        "anonymous": (None, 401),
    }
    for who, (token, status) in cases.items():
        response = _get(Client(), url, token)
        assert response.status_code == status, who
        assert "detail" in response.json(), who
    assert not AuditEvent.objects.filter(action="brief.exported").exists()


def test_it_answers_bad_requests_with_json(scenario: Scenario) -> None:
    token = _token(scenario.facilitator)
    for url in (
        f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?format=docx",
        f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?session=zero",
        "/api/v1/dialogues/999999/brief",
    ):
        response = _get(Client(), url, token)
        assert 400 <= response.status_code < 500, url
        assert "detail" in response.json(), url

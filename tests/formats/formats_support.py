"""Helpers for the formats tests: a dialogue of a given format, its people, a JSON client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client
from factories import (
    DOWNSTREAM,
    FACILITATOR,
    OBSERVER,
    UPSTREAM,
    Workshop,
    issue_token,
    make_workshop,
)

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.dialogues.views.common import PARTICIPANT_TOKEN_SESSION_KEY


@dataclass
class Answer:
    status: int
    body: Any


def call(method: str, path: str, token: str, body: Any = None) -> Answer:
    """``method /api/v1<path>`` with a bearer token and a JSON body."""
    client = Client()
    data = json.dumps(body) if body is not None else None
    response = getattr(client, method.lower())(
        f"/api/v1{path}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    content = response.content
    is_json = response.get("Content-Type", "").startswith("application/json")
    parsed = json.loads(content) if content and is_json else content.decode(errors="replace")
    return Answer(response.status_code, parsed)


@dataclass
class Group:
    """A dialogue in ``format`` with a facilitator, an observer and one participant per side."""

    workshop: Workshop
    facilitator_token: str
    observer_token: str

    @property
    def dialogue_id(self) -> int:
        return int(self.workshop.dialogue.pk)

    def token(self, persona: str) -> str:
        return self.workshop.joined[persona].token

    def api(self, method: str, path: str, who: str, body: Any = None) -> Answer:
        token = {"facilitator": self.facilitator_token, "observer": self.observer_token}.get(
            who
        ) or self.token(who)
        return call(method, f"/dialogues/{self.dialogue_id}{path}", token, body)

    def phone(self, persona: str) -> Client:
        """A browser session of the participant ``persona``."""
        client = Client()
        joined = self.workshop.joined[persona]
        session = client.session
        session[PARTICIPANT_SESSION_KEY] = joined.participant.pk
        session[PARTICIPANT_TOKEN_SESSION_KEY] = joined.participant.token_digest
        session.save()
        return client

    def desk(self) -> Client:
        client = Client()
        client.force_login(self.workshop.facilitator)
        return client


def make_group(format: str, *extra: str, confidentiality: str = "chatham-house") -> Group:
    workshop = make_workshop(
        format=format,
        confidentiality=confidentiality,
        personas=(FACILITATOR, OBSERVER, UPSTREAM, DOWNSTREAM, *extra),
    )
    return Group(workshop, issue_token(workshop.facilitator), issue_token(workshop.observer))

"""Helpers for the API tests: accounts with tokens, and a dialogue set up through the API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from factories import SIDES, TITLE, issue_token, make_account

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions


@dataclass
class Response:
    status: int
    body: Any
    raw: bytes


class Api:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self) -> None:
        self.client = Client()

    def call(self, method: str, path: str, token: str | None = None, body: Any = None) -> Response:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        data = json.dumps(body) if body is not None else None
        response = getattr(self.client, method.lower())(
            f"/api/v1{path}", data=data, content_type="application/json", **headers
        )
        raw = response.content
        parsed = None
        if raw and response.get("Content-Type", "").startswith("application/json"):
            parsed = json.loads(raw)
        return Response(response.status_code, parsed, raw)

    def get(self, path: str, token: str | None = None) -> Response:
        return self.call("GET", path, token)

    def post(self, path: str, token: str | None = None, body: Any = None) -> Response:
        return self.call("POST", path, token, body if body is not None else {})

    def delete(self, path: str, token: str | None = None) -> Response:
        return self.call("DELETE", path, token)


def account(prefix: str = "facilitator", *, convener: bool = False) -> tuple[User, str]:
    """A new account (made as the site makes them) and its API token."""
    user = make_account(prefix, convener=convener)
    return user, issue_token(user)


@dataclass
class Scene:
    """A dialogue created through the API by a convener, with two parties."""

    api: Api
    convener: User
    convener_token: str
    dialogue: dict[str, Any]
    participants: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.dialogue["id"])

    @property
    def model(self) -> Dialogue:
        return Dialogue.objects.get(pk=self.id)

    def party(self, index: int) -> int:
        return int(self.dialogue["parties"][index]["id"])

    def invite(self, party: int = 0, **extra: Any) -> str:
        response = self.api.post(
            f"/dialogues/{self.id}/invitations",
            self.convener_token,
            {"party": self.party(party), "track": 4, **extra},
        )
        assert response.status == 201, response.body
        return str(response.body["token"])

    def join(self, handle: str, party: int = 0, **extra: Any) -> dict[str, Any]:
        response = self.api.post(
            "/join",
            body={
                "token": self.invite(party, **extra),
                "handle": handle,
                "accept_ground_rules": True,
            },
        )
        assert response.status == 201, response.body
        self.participants.append(response.body)
        return dict(response.body)

    def seed(self, text: str) -> int:
        response = self.api.post(
            f"/dialogues/{self.id}/statements", self.convener_token, {"text": text}
        )
        assert response.status == 201, response.body
        return int(response.body["id"])

    def add_member(self, role: str, *, dialogue_only: bool = True) -> tuple[User, str]:
        user, token = account(role)
        model = self.model
        initiative_actions.add_member(
            model.initiative, user, role, self.convener, dialogue=model if dialogue_only else None
        )
        return user, token


def make_scene(api: Api, *, title: str = TITLE, **extra: Any) -> Scene:
    convener, token = account("convener", convener=True)
    response = api.post(
        "/dialogues",
        token,
        {
            "title": title,
            "format": "problem-solving-workshop",
            "confidentiality": "chatham-house",
            "parties": list(SIDES),
            **extra,
        },
    )
    assert response.status == 201, response.body
    return Scene(api, convener, token, response.body)

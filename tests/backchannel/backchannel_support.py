"""A scene for the back-channel tests, and a JSON client with bearer tokens.

Initiative "the valley" has sides Upstream, Downstream and Midstream and two dialogues.
``a`` and ``a2`` speak for Upstream (``a2`` in the second dialogue), ``b`` for Downstream;
``a_observer`` joined Upstream as an observer. Accounts: the convener, a facilitator of the
first dialogue, an observer and a Track One liaison. Every handle and account name is a
canary (``CANARY-...``) so that anything showing a sender can be caught.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from factories import assess_tool

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.auth import Caller
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party

_names = itertools.count(1)


@dataclass
class Response:
    status: int
    body: Any


class Api:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self) -> None:
        self.client = Client()

    def call(self, method: str, path: str, token: str, body: Any = None) -> Response:
        response = getattr(self.client, method.lower())(
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        parsed = json.loads(response.content) if response.content else None
        return Response(response.status_code, parsed)

    def get(self, path: str, token: str) -> Response:
        return self.call("GET", path, token)

    def post(self, path: str, token: str, body: Any = None) -> Response:
        return self.call("POST", path, token, body if body is not None else {})


@dataclass
class Scene:
    initiative: Initiative
    parties: list[Party]
    far_party: Party
    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    participants: dict[str, Participant] = field(default_factory=dict)
    api: Api = field(default_factory=Api)

    def caller(self, name: str) -> Caller:
        if name in self.users:
            return Caller(kind="user", user=self.users[name])
        return Caller(kind="participant", participant=self.participants[name])

    @property
    def messages(self) -> str:
        return f"/initiatives/{self.initiative.pk}/back-channel/messages"


def _account(scene: Scene, name: str) -> User:
    user = accounts.create_account(f"CANARY-{name.upper()}-ACCOUNT{next(_names)}", password=None)
    _, token = accounts.issue_token(user, "tests")
    scene.users[name], scene.tokens[name] = user, token
    return user


def make_scene() -> Scene:
    convener = accounts.create_account(
        f"CANARY-CONVENER-ACCOUNT{next(_names)}", password=None, convener=True
    )
    initiative = initiative_actions.create_initiative(
        convener, "Water and the valley", ["Upstream", "Downstream", "Midstream"]
    )
    far = initiative_actions.create_initiative(convener, "The pass", ["North", "South"])
    parties = list(initiative.parties.order_by("position"))
    first = actions.create_dialogue(
        initiative, "Valley workshop", "problem-solving-workshop", "chatham-house", convener
    )
    second = actions.create_dialogue(
        initiative, "Valley follow-up", "citizen-exchange", "off-the-record", convener
    )
    assess_tool(first, convener)  # the do-no-harm check before briefs and the back-channel
    assess_tool(second, convener)
    scene = Scene(initiative, parties, far.parties.order_by("position")[0])
    _, scene.tokens["convener"] = accounts.issue_token(convener, "tests")
    scene.users["convener"] = convener
    roles = {"facilitator": "facilitator", "observer": "observer", "liaison": "liaison"}
    for name, role in roles.items():
        user = _account(scene, name)
        where = first if role != "liaison" else None
        initiative_actions.add_member(initiative, user, role, convener, dialogue=where)
    joins = (
        ("a", first, 0, "participant"),
        ("a2", second, 0, "participant"),
        ("b", first, 1, "participant"),
        ("a_observer", first, 0, "observer"),
    )
    for name, dialogue, side, role in joins:
        _, raw = actions.create_invitation(dialogue, party=parties[side], by=convener, role=role)
        joined = actions.join(raw, f"CANARY-{name.upper()}-HANDLE", True)
        scene.participants[name], scene.tokens[name] = joined.participant, joined.token
    return scene


def page_client(scene: Scene, name: str) -> Client:
    """A browser session: signed in for accounts, joined for participants (as the pages do)."""
    from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
    from tracktwo.dialogues.views.common import PARTICIPANT_TOKEN_SESSION_KEY

    client = Client()
    if name in scene.users:
        client.force_login(scene.users[name])
        return client
    participant = scene.participants[name]
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.pk
    session[PARTICIPANT_TOKEN_SESSION_KEY] = participant.token_digest
    session.save()
    return client

"""Helpers for the evaluation tests: a workshop with two sides, participants, answers."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from factories import assess_tool

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.evaluation import actions as evaluation
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party

_names = itertools.count(1)
ITEMS = ["thermometer", "trust_word", "trust_intentions", "stance"]


def make_user(prefix: str = "person", *, convener: bool = False) -> User:
    return User.objects.create_user(f"{prefix}{next(_names)}", password=None, is_convener=convener)


@dataclass
class Workshop:
    """An initiative with two sides and one workshop, its convener, and who joined."""

    convener: User
    initiative: Initiative
    parties: list[Party]
    dialogue: Dialogue
    tokens: dict[int, str] = field(default_factory=dict)  # participant pk -> bearer token

    def join(self, handle: str, party: int = 0, **kwargs: object) -> Participant:
        _, token = actions.create_invitation(
            self.dialogue,
            party=self.parties[party],
            by=self.convener,
            **kwargs,  # type: ignore[arg-type]
        )
        joined = actions.join(token, handle, True)
        self.tokens[joined.participant.pk] = joined.token
        return joined.participant

    def browser(self, handle: str, party: int = 0) -> tuple[Client, Participant]:
        """A phone that joined through the pages under ``handle``, and its participant."""
        client = Client()
        _, token = actions.create_invitation(
            self.dialogue, party=self.parties[party], by=self.convener
        )
        assert client.get(f"/join/{token}").status_code == 302
        response = client.post("/join", {"handle": handle, "accept": "on"})
        assert response.status_code == 201, response.content.decode()
        return client, Participant.objects.get(pk=client.session[PARTICIPANT_SESSION_KEY])

    def people(self, per_side: tuple[int, ...], prefix: str = "p") -> list[list[Participant]]:
        return [
            [self.join(f"{prefix}{side}-{i}", side) for i in range(n)]
            for side, n in enumerate(per_side)
        ]

    def survey(self, *waves: str) -> None:
        evaluation.compose_survey(self.convener, self.dialogue, items=ITEMS)
        evaluation.set_waves(self.convener, self.dialogue, open_waves=waves or ("pre", "post"))

    def token_for(self, user: User) -> str:
        return accounts.issue_token(user, "tests")[1]


def make_workshop() -> Workshop:
    convener = make_user("convener", convener=True)
    initiative = initiative_actions.create_initiative(
        convener, "Water and the valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative,
        "First workshop",
        "problem-solving-workshop",
        "chatham-house",
        convener,
        moderation_required=False,
    )
    assess_tool(dialogue, convener, "evaluation")  # the do-no-harm check before the survey
    return Workshop(convener, initiative, list(initiative.parties.order_by("position")), dialogue)


def api_call(method: str, path: str, token: str, body: object = None) -> tuple[int, Any]:
    """One call to ``/api/v1`` with a bearer token: the status and the parsed JSON body."""
    response = getattr(Client(), method)(
        f"/api/v1{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code, json.loads(response.content) if response.content else None

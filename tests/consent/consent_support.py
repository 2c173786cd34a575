"""A dialogue with six participants (three a side) who voted, a facilitator, a liaison and
the API client; canary handles and a canary statement to look for in every output."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from factories import FACILITATOR, LIAISON, OBSERVER, Workshop, issue_token, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement

CANARY_HANDLES = [f"CANARY-HANDLE-{i}" for i in range(6)]
CANARY_TEXT = "CANARY-STATEMENT the river must be shared by the night watch"


@dataclass
class Answer:
    status: int
    body: Any
    raw: bytes


@dataclass
class Room:
    workshop: Workshop
    participants: list[Participant] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    canary: Statement | None = None
    client: Client = field(default_factory=Client)

    @property
    def dialogue(self) -> Dialogue:
        self.workshop.dialogue.refresh_from_db()
        return self.workshop.dialogue

    def token_of(self, user: Any) -> str:
        return issue_token(user)

    def call(self, method: str, path: str, token: str, body: Any = None) -> Answer:
        response = getattr(self.client, method.lower())(
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        raw = response.content
        ctype = response.get("Content-Type", "")
        parsed = json.loads(raw) if raw and ctype.startswith("application/json") else None
        return Answer(response.status_code, parsed, raw)


def make_room(*, per_side: int = 3) -> Room:
    workshop = make_workshop(moderation_required=False).cast(FACILITATOR, OBSERVER, LIAISON)
    room = Room(workshop)
    handles = iter(CANARY_HANDLES)
    for side in (0, 1):
        for _ in range(per_side):
            joined = workshop.join(next(handles), side)
            room.participants.append(joined.participant)
            room.tokens.append(joined.token)
    dialogue = workshop.dialogue
    for text in ("The river is shared.", "Dams need consent.", "Data should be open."):
        room.statements.append(actions.write_statement(dialogue, text, user=workshop.facilitator))
    room.canary = actions.write_statement(dialogue, CANARY_TEXT, participant=room.participants[0])
    room.statements.append(room.canary)
    for i, person in enumerate(room.participants):
        for j, statement in enumerate(room.statements):
            actions.cast_vote(person, statement.pk, (1, -1, 0)[(i + j) % 3])
    return room


def participant_browser(participant: Participant, language: str = "en") -> Client:
    """A browser session signed in as the participant (as joining leaves it)."""
    from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
    from tracktwo.dialogues.views.common import PARTICIPANT_TOKEN_SESSION_KEY

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.pk
    session[PARTICIPANT_TOKEN_SESSION_KEY] = participant.token_digest
    session.save()
    return client

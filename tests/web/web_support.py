"""Helpers of the page tests: the workshop of factories.py joined through the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.test import Client
from factories import FACILITATOR, LIAISON, OBSERVER, OUTSIDER, Workshop, make_workshop

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class World(Workshop):
    """A workshop with its facilitator, observer, liaison and outsider, and a second dialogue."""

    other: Dialogue = field(kw_only=True)  # another dialogue of the same initiative

    def join(self, handle: str, party: int = 0, dialogue: Dialogue | None = None) -> Client:  # type: ignore[override]
        """A browser that joined through the pages under ``handle``."""
        client = Client()
        token = self.invite(party, dialogue)
        assert client.get(f"/join/{token}").status_code == 302
        response = client.post("/join", {"handle": handle, "accept": "on"})
        assert response.status_code == 201, response.content.decode()
        return client

    def seed(self, text: str, dialogue: Dialogue | None = None) -> Statement:
        by = self.facilitator if dialogue is None else self.convener
        return actions.write_statement(dialogue or self.dialogue, text, user=by)


def participant_of(client: Client) -> Participant:
    return Participant.objects.get(pk=client.session[PARTICIPANT_SESSION_KEY])


def make_world(
    *, moderation_required: bool = True, confidentiality: str = "chatham-house"
) -> World:
    workshop = make_workshop(
        dialogue_title="Valley workshop",
        moderation_required=moderation_required,
        confidentiality=confidentiality,
    )
    other = actions.create_dialogue(
        workshop.initiative,
        "Second meeting",
        "citizen-exchange",
        "off-the-record",
        workshop.convener,
    )
    world = World(
        workshop.initiative, workshop.parties, workshop.dialogue, workshop.people, other=other
    )
    return world.cast(FACILITATOR, OBSERVER, LIAISON, OUTSIDER)


def text_of(html: bytes | str) -> str:
    """The visible text of a page, tags dropped (for "does this string appear" checks)."""
    page = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
